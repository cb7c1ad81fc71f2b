"""One region-wave of answers written the way a real survey tool exports it, with the koppeling back.

A region never sends the pipeline our own column names and codes: it sends whatever its survey tool wrote.
`write_tool_export` takes a frame in the questionnaire's own columns and codes (as `samples.generate_wave`
makes it) and writes it in one of LAYOUTS: that tool's column names, answer codes and wording, header rows,
encoding and quirks, as public exports and the tools' own source show them. It returns the koppeling, the
mapping a user writes beside such a file; decoding the file through it gives the frame back exactly.

How a koppeling names the columns of a file, per layout:

- qualtrics, qualtrics-legacy, qualtrics-insights: the first header row (Q5_1, V4, respnr). In the two layouts
  with a third header row the ImportId names the same column (QID7_1; QID7-1 in the Insights layout).
- limesurvey: the question code heading (G01Q02, G01Q02[other], G02Q01[SQ001]).
- limesurvey-teksten: the full question text heading; an array row is "question [row]".
- limesurvey-r: the R name the syntax file gives the column (names(data)[9] <- "G02Q01_SQ001"); the data file's
  own header row is question text.
- surveymonkey-csv, surveymonkey-xlsx: the first header row, carried forward over the empty cells of a question
  with several columns, joined with " - " to the second header row unless that cell is empty, "Response" or
  "Open-Ended Response". So "Respondent ID", "Wat is uw functie?", "Wat is uw functie? - Other (please
  specify)" and "<matrix question> - <row text>".
- forms, spss, csv-nl, csv-utf16, xlsx: the column header or SPSS variable name.

`antwoorden` lists only what a reader matching labels cannot resolve by itself: numeric recodes and answer
codes (Qualtrics numeric values, LimeSurvey answer codes) and wording that is not ours ("Helemaal mee eens",
LimeSurvey's "Onzeker" and "Anders", SurveyMonkey's "Zeg ik liever niet").

Missing answers. A blank stays blank. Code 99 ("Geen antwoord") and 98 ("Niet van toepassing") are answers the
tool offered ("Wil ik niet zeggen", "N.v.t."; user-missing codes in SPSS), except where 98 only says that a
filter kept the question from the respondent: a survey tool leaves such a cell empty, and the pipeline reads a
blank outside the filter as 'niet van toepassing' through the questionnaire's filter. Our own layouts (csv-nl,
csv-utf16, xlsx) and SPSS write 98 as such. A blank outside a filter therefore comes back as 98.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from monitor_aoj.definitions.questionnaire import Questionnaire
from monitor_aoj.demo.tools.fields import ToolWave
from monitor_aoj.demo.tools.forms import write_forms
from monitor_aoj.demo.tools.limesurvey import write_limesurvey
from monitor_aoj.demo.tools.own import write_own
from monitor_aoj.demo.tools.qualtrics import write_qualtrics
from monitor_aoj.demo.tools.spss import write_spss
from monitor_aoj.demo.tools.surveymonkey import write_surveymonkey

LAYOUTS = ("qualtrics", "qualtrics-legacy", "qualtrics-insights", "limesurvey", "limesurvey-teksten",
           "limesurvey-r", "surveymonkey-csv", "surveymonkey-xlsx", "forms", "spss", "csv-nl", "csv-utf16", "xlsx")


@dataclass(frozen=True)
class ToolExport:
    files: tuple[Path, ...]  # the data file first; LimeSurvey's R export adds its syntax file
    koppeling: dict  # the mapping back onto the questionnaire, as it is written in YAML


def write_tool_export(frame: pd.DataFrame, q: Questionnaire, layout: str, folder: Path, stem: str,
                      extras: tuple[str, ...] = (), seed: int = 0) -> ToolExport:
    """Write `frame` (questionnaire columns and codes) as `layout` exports it, into `folder`/`stem`.*.

    `extras` names the regional items the region asked (item ids or columns). Timestamps and tool ids come
    from `seed` (or from a `startdatum` column, dd-mm-yyyy hh:mm), so the same input gives the same bytes.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"Onbekende indeling '{layout}'. Kies uit: {', '.join(LAYOUTS)}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    # One stream per seed and layout: the same input gives the same bytes, and layouts differ.
    wave = ToolWave(frame, q, layout, extras, np.random.default_rng([seed, LAYOUTS.index(layout)]))
    writer = {
        "qualtrics": write_qualtrics, "qualtrics-legacy": write_qualtrics, "qualtrics-insights": write_qualtrics,
        "limesurvey": write_limesurvey, "limesurvey-teksten": write_limesurvey, "limesurvey-r": write_limesurvey,
        "surveymonkey-csv": write_surveymonkey, "surveymonkey-xlsx": write_surveymonkey,
        "forms": write_forms, "spss": write_spss,
        "csv-nl": write_own, "csv-utf16": write_own, "xlsx": write_own,
    }[layout]
    files, koppeling = writer(wave, folder, stem)
    return ToolExport(tuple(files), koppeling)


def koppeling_yaml(k: dict) -> str:
    """The koppeling as the YAML file a user keeps beside the export."""
    header = [
        "# Koppeling: hoe dit exportbestand aansluit op de vragenlijst.",
        "# indeling: uit welk programma het bestand komt en in welke vorm.",
        "# kolommen: kolom in het bestand -> kolom of vraag-id in de vragenlijst.",
        "# antwoorden: per kolom of vraag (of 'alle') een antwoord zoals het in het bestand staat -> ons label.",
    ]
    return "\n".join(header) + "\n" + yaml.safe_dump(k, allow_unicode=True, sort_keys=False, width=1000)
