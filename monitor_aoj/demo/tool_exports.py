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

import csv
import datetime as dt
import io
import json
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from monitor_aoj.definitions.questionnaire import Item, Questionnaire

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
    wave = _Wave(frame, q, layout, extras, seed)
    writer = {
        "qualtrics": _write_qualtrics, "qualtrics-legacy": _write_qualtrics, "qualtrics-insights": _write_qualtrics,
        "limesurvey": _write_limesurvey, "limesurvey-teksten": _write_limesurvey, "limesurvey-r": _write_limesurvey,
        "surveymonkey-csv": _write_surveymonkey, "surveymonkey-xlsx": _write_surveymonkey,
        "forms": _write_forms, "spss": _write_spss,
        "csv-nl": _write_own, "csv-utf16": _write_own, "xlsx": _write_own,
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


# --- our side: the frame as the fields a tool asks ----------------------------------------------------


@dataclass(frozen=True)
class _Field:
    """One column of the frame, as a survey tool asks it."""

    column: str
    kind: str  # "id", "closed", "mark", "open", "other" (the text of an 'anders, namelijk' choice)
    text: str  # the question as the tool shows it
    choices: tuple[tuple[int, str], ...] = ()  # our (code, label) in our order; closed questions only
    item: Item | None = None
    grid: str = ""  # set when the tool asks this item in one grid with others
    other_code: int | None = None  # the 'anders, namelijk' choice of a background question
    parent: str = ""  # for an "other" field: the column of the question it belongs to

    @property
    def target(self) -> str:
        return self.item.id if self.item is not None else self.column


BACKGROUND_TEXTS = {
    "sector": "In welke sector werkt u?",
    "functie": "Wat is uw functie?",
    "schooltype": "Met welk type onderwijs heeft u in uw werk vooral te maken?",
}
GRID_TEXTS = {
    "vormen": "Hoe is de samenwerking tussen onderwijs en jeugdhulp in uw regio georganiseerd?",
    "organisatie": "In hoeverre geldt het volgende voor de scholen en jeugdhulp waarmee u samenwerkt?",
    "evalueren": "Wat geldt voor het samen evalueren en leren van onderwijs en jeugdhulp?",
}
OTHER_TEXT = "Anders, namelijk"


class _Wave:
    """The frame and questionnaire, with what every layout asks of them."""

    def __init__(self, frame: pd.DataFrame, q: Questionnaire, layout: str, extras: tuple[str, ...], seed: int):
        self.q = q
        self.layout = layout
        self.frame = frame.reset_index(drop=True)
        self.n = len(self.frame)
        self.rng = np.random.default_rng([seed, LAYOUTS.index(layout)])
        self.fields = _fields(q, self.frame, extras)
        self.missing = {m.code: m for m in q.missing}
        self._eligible: dict[str, np.ndarray] = {}
        self._codes: dict[str, list[int | None]] = {}
        self.starts, self.seconds = self._times()
        for f in self.fields:  # a tool can only export answers it offered
            allowed = set(dict(f.choices)) if f.kind == "closed" else set(f.item.scale.codes) if f.kind == "mark" \
                else None
            if allowed is not None:
                wrong = sorted({c for c in (self.code(f, i) for i in range(self.n)) if c is not None}
                               - allowed - set(self.missing))
                if wrong:
                    raise ValueError(f"Kolom {f.column}: code {wrong[0]} staat niet in de vragenlijst")

    def code(self, f: _Field, i: int) -> int | None:
        if f.column not in self._codes:
            self._codes[f.column] = [None if pd.isna(v) else int(v) for v in self.frame[f.column]]
        return self._codes[f.column][i]

    def text(self, f: _Field, i: int) -> str:
        v = self.frame.at[i, f.column]
        return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)

    def hidden(self, f: _Field, i: int) -> bool:
        """True where a filter kept the question from this respondent: the tool leaves the cell empty."""
        item = f.item
        if item is None or item.filter is None:
            return False
        code = self.code(f, i)
        if code not in self.missing or self.missing[code].kind != "niet_van_toepassing":
            return False
        if item.id not in self._eligible:
            source = self.q.item(item.filter.item).column
            values = self.frame[source] if source in self.frame else pd.Series(np.nan, index=self.frame.index)
            self._eligible[item.id] = values.isin(item.filter.codes).to_numpy()
        return not self._eligible[item.id][i]

    def tool_code(self, f: _Field, i: int) -> int | None:
        """Our code as a survey tool holds it: None where the cell is empty."""
        return None if self.hidden(f, i) else self.code(f, i)

    def used_missing(self, fields: list[_Field]) -> list[int]:
        """The missing codes these columns use as answers, 'geen antwoord' first."""
        coded = [f for f in fields if f.kind in ("closed", "mark")]
        used = {self.tool_code(f, i) for f in coded for i in range(self.n)} & set(self.missing)
        kinds = ("geen_antwoord", "niet_van_toepassing")
        return sorted(used, key=lambda c: (kinds.index(self.missing[c].kind), c))

    def missing_label(self, code: int) -> str:
        return self.missing[code].label

    def _times(self) -> tuple[list[dt.datetime], list[int]]:
        """Start time and duration per respondent, in answer order (a `startdatum` column wins)."""
        rng = self.rng
        month = 3 + int(rng.integers(0, 3))
        days = rng.integers(0, 26, self.n)
        seconds_of_day = rng.integers(8 * 3600, 21 * 3600, self.n)
        offsets = np.sort(days * 86400 + seconds_of_day)
        durations = (rng.gamma(4.0, 150.0, self.n) + 120).astype(int)
        base = dt.datetime(self.q.wave, month, 1)
        given = self.frame["startdatum"] if "startdatum" in self.frame else None
        starts = []
        for i in range(self.n):
            start = base + dt.timedelta(seconds=int(offsets[i]))
            if given is not None and isinstance(given.iloc[i], str):
                try:
                    start = dt.datetime.strptime(given.iloc[i].strip(), "%d-%m-%Y %H:%M") + dt.timedelta(
                        seconds=int(offsets[i] % 60))
                except ValueError:
                    pass
            starts.append(start)
        return starts, [int(d) for d in durations]

    def end(self, i: int) -> dt.datetime:
        return self.starts[i] + dt.timedelta(seconds=self.seconds[i])


def _fields(q: Questionnaire, frame: pd.DataFrame, extras: tuple[str, ...]) -> list[_Field]:
    bg = q.background
    present = set(frame.columns)
    out: list[_Field] = []
    if bg.respondent_column in present:
        out.append(_Field(bg.respondent_column, "id", "Respondentnummer"))
    for role, bq in (("sector", bg.sector), ("functie", bg.functie), ("schooltype", bg.schooltype)):
        if bq.column not in present:
            continue
        other = bq.other_column if bq.other_column and bq.other_column in present else ""
        out.append(_Field(bq.column, "closed", BACKGROUND_TEXTS[role], tuple((c.code, c.label) for c in bq.choices),
                          other_code=next((c.code for c in bq.choices if c.other), None)))
        if other:
            out.append(_Field(other, "other", OTHER_TEXT, parent=bq.column))
    by_column = {it.column: it.id for it in q.items}
    wanted = {by_column.get(x, x) for x in extras}
    items = [it for it in q.items_for(wanted) if it.column in present]
    grids = _grid_keys(items)
    for it in items:
        if it.is_open:
            out.append(_Field(it.column, "open", it.text(), item=it))
        elif it.scale.kind == "cijfer":
            out.append(_Field(it.column, "mark", it.text(), item=it))
        else:
            out.append(_Field(it.column, "closed", it.text(), tuple((c.code, c.label) for c in it.scale.categories),
                              item=it, grid=grids.get(it.id, "")))
    return out


def _all_columns(q: Questionnaire) -> set[str]:
    bg = q.background
    return {bg.respondent_column, bg.sector.column, bg.functie.column, bg.functie.other_column,
            bg.schooltype.column} | {it.column for it in q.items}


def _grid_keys(items: list[Item]) -> dict[str, str]:
    """Closed items of one theme and scale are asked in one grid (matrix, array), unless a filter is involved."""
    sources = {it.filter.item for it in items if it.filter is not None}
    candidates = [it for it in items if not it.is_open and it.scale.kind != "cijfer" and it.filter is None
                  and it.id not in sources]
    counts = Counter((it.theme, it.scale.id) for it in candidates)
    return {it.id: f"{it.theme}:{it.scale.id}" for it in candidates if counts[(it.theme, it.scale.id)] >= 2}


def _units(fields: list[_Field]) -> list[list[_Field]]:
    """The questions in the tool's order: one field, or the fields of a grid where its first item stands."""
    units: list[list[_Field]] = []
    seen: set[str] = set()
    for f in fields:
        if f.kind in ("id", "other"):
            continue
        if f.grid:
            if f.grid not in seen:
                seen.add(f.grid)
                units.append([g for g in fields if g.grid == f.grid])
        else:
            units.append([f])
    return units


def _grid_text(q: Questionnaire, f: _Field) -> str:
    theme = f.item.theme if f.item is not None else ""
    return GRID_TEXTS.get(theme) or f"{q.theme(theme).title}: in hoeverre geldt het volgende?"


def _other_field(fields: list[_Field], f: _Field) -> _Field | None:
    return next((g for g in fields if g.kind == "other" and g.parent == f.column), None)


# --- how a reader matches labels (a koppeling lists only what this cannot resolve) ---------------------

SYNONYMS = {"yes": "ja", "no": "nee", "weetniet": "weetikniet", "dontknow": "weetikniet",
            "nvt": "nietvantoepassing", "wiliknietzeggen": "geenantwoord", "prefernottosay": "geenantwoord"}


def fold_label(text: object) -> str:
    """A label as a reader compares it: no case, accents, spacing or punctuation; common synonyms merged."""
    plain = unicodedata.normalize("NFKD", str(text))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()
    folded = re.sub(r"[^0-9a-z]+", "", plain)
    return SYNONYMS.get(folded, folded)


def _is_yes_no(f: _Field) -> bool:
    return {fold_label(label) for _, label in f.choices} <= {"ja", "nee", "weetikniet"}


def _is_agree(f: _Field) -> bool:
    return any(fold_label(label).endswith("eens") for _, label in f.choices)


# How each tool words our answers where it differs from the questionnaire (keys are folded labels).
WORDING = {
    "qualtrics": {"helemaaleens": "Helemaal mee eens", "eens": "Mee eens", "oneens": "Mee oneens",
                  "helemaaloneens": "Helemaal mee oneens", "jgcoach": "J&G-coach",
                  "speciaalbasisonderwijssosbo": "Speciaal (basis)onderwijs (SO/SBO)"},
    "surveymonkey": {"helemaaleens": "Helemaal mee eens", "eens": "Mee eens", "oneens": "Niet mee eens",
                     "helemaaloneens": "Helemaal niet mee eens",
                     "ondersteuningscoordinator": "Ondersteuningscoordinator"},
    "forms": {"weetikniet": "Weet niet"},
}
MISSING_WORDING = {
    "qualtrics": {"geen_antwoord": "Wil ik niet zeggen", "niet_van_toepassing": "Niet van toepassing"},
    "limesurvey": {"geen_antwoord": "Wil ik niet zeggen", "niet_van_toepassing": "Niet van toepassing"},
    "surveymonkey": {"geen_antwoord": "Zeg ik liever niet", "niet_van_toepassing": "N.v.t."},
    "forms": {"geen_antwoord": "Wil ik niet zeggen", "niet_van_toepassing": "nvt"},
    "spss": {"geen_antwoord": "Wil ik niet zeggen", "niet_van_toepassing": "N.v.t."},
}


def _our_label(w: _Wave, f: _Field, code: int) -> str:
    return dict(f.choices).get(code) or w.missing_label(code)


def _worded(w: _Wave, tool: str, f: _Field, code: int) -> str:
    """Our answer (a code of the field, or a missing code) in the tool's words."""
    if code not in dict(f.choices) and code in w.missing:
        return MISSING_WORDING[tool][w.missing[code].kind]
    label = _our_label(w, f, code)
    return WORDING.get(tool, {}).get(fold_label(label), label)


def _answer(koppeling: dict, target: str, written: str, ours: str) -> None:
    koppeling.setdefault("antwoorden", {}).setdefault(target, {})[written] = ours


def _answer_if_needed(koppeling: dict, target: str, written: str, ours: str) -> None:
    if fold_label(written) != fold_label(ours):
        _answer(koppeling, target, written, ours)


# --- small writing helpers ----------------------------------------------------------------------------


def _date(value: dt.datetime, style: str = "iso") -> str:
    if style == "us":
        return value.strftime("%m/%d/%Y %I:%M:%S %p")
    return value.strftime("%Y-%m-%d %H:%M:%S")


def _csv_text(rows: list[list[str]], delimiter: str = ",", lineterminator: str = "\n") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=lineterminator).writerows(rows)
    return buffer.getvalue()


def _token(rng: np.random.Generator, length: int) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(alphabet[k] for k in rng.integers(0, len(alphabet), length))


def _exported(w: _Wave) -> dt.datetime:
    """When the export was made: the morning after the last answer."""
    last = max((w.end(i) for i in range(w.n)), default=dt.datetime(w.q.wave, 6, 1))
    return (last + dt.timedelta(days=1)).replace(hour=10, minute=15, second=0)


def _save_xlsx(book, path: Path, when: dt.datetime) -> None:
    """Save a workbook with fixed timestamps (openpyxl stamps the clock into the zip and core.xml)."""
    buffer = io.BytesIO()
    book.properties.created = when
    book.save(buffer)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                              lambda m: m.group(1) + stamp + m.group(3), data)
            entry = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, data)


MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _stamp_sav(path: Path, when: dt.datetime) -> None:
    """Fix the creation date and time that ReadStat takes from the clock (SAV header, bytes 92-108)."""
    data = bytearray(path.read_bytes())
    if data[:4] not in (b"$FL2", b"$FL3"):
        raise ValueError(f"Geen SPSS-bestand: {path}")
    data[92:101] = f"{when.day:02d} {MONTHS_EN[when.month - 1]} {when.year % 100:02d}".encode("ascii")
    data[101:109] = when.strftime("%H:%M:%S").encode("ascii")
    path.write_bytes(bytes(data))


# --- Qualtrics --------------------------------------------------------------------------------------------

# The current export (2017 onwards): first header row, second header row, ImportId of the third row.
QUALTRICS_META = (
    ("StartDate", "Start Date", {"ImportId": "startDate", "timeZone": "Europe/Amsterdam"}),
    ("EndDate", "End Date", {"ImportId": "endDate", "timeZone": "Europe/Amsterdam"}),
    ("Status", "Response Type", {"ImportId": "status"}),
    ("IPAddress", "IP Address", {"ImportId": "ipAddress"}),
    ("Progress", "Progress", {"ImportId": "progress"}),
    ("Duration (in seconds)", "Duration (in seconds)", {"ImportId": "duration"}),
    ("Finished", "Finished", {"ImportId": "finished"}),
    ("RecordedDate", "Recorded Date", {"ImportId": "recordedDate", "timeZone": "Europe/Amsterdam"}),
    ("ResponseId", "Response ID", {"ImportId": "_recordId"}),
    ("RecipientLastName", "Recipient Last Name", {"ImportId": "recipientLastName"}),
    ("RecipientFirstName", "Recipient First Name", {"ImportId": "recipientFirstName"}),
    ("RecipientEmail", "Recipient Email", {"ImportId": "recipientEmail"}),
    ("ExternalReference", "External Data Reference", {"ImportId": "externalDataReference"}),
    ("LocationLatitude", "Location Latitude", {"ImportId": "locationLatitude"}),
    ("LocationLongitude", "Location Longitude", {"ImportId": "locationLongitude"}),
    ("DistributionChannel", "Distribution Channel", {"ImportId": "distributionChannel"}),
    ("UserLanguage", "User Language", {"ImportId": "userLanguage"}),
)
# The legacy export: V1..V10 above the metadata names.
QUALTRICS_LEGACY_META = (("V1", "ResponseID"), ("V2", "ResponseSet"), ("V3", "Name"), ("V4", "ExternalDataReference"),
                         ("V5", "EmailAddress"), ("V6", "IPAddress"), ("V7", "Status"), ("V8", "StartDate"),
                         ("V9", "EndDate"), ("V10", "Finished"))
# The 2016 'Insights' export: metadata names and their ImportIds.
QUALTRICS_INSIGHTS_META = (("ResponseID", "responseId"), ("ResponseSet", "responseSetId"), ("IPAddress", "ipAddress"),
                           ("StartDate", "startDate"), ("EndDate", "endDate"),
                           ("RecipientLastName", "panel-RecipientLastName"),
                           ("RecipientFirstName", "panel-RecipientFirstName"),
                           ("RecipientEmail", "panel-RecipientEmail"),
                           ("ExternalDataReference", "panel-ExternalDataReference"), ("Finished", "finished"),
                           ("Status", "status"))
QUALTRICS_LOCATION = ("LocationLatitude", "LocationLongitude", "LocationAccuracy")
EMBEDDED_ID = "respnr"  # the respondent number, passed to Qualtrics as embedded data


@dataclass
class _QQuestion:
    number: int  # the export tag is Q<number> (numbered in display order)
    qid: int  # QID<qid> (numbered in creation order)
    kind: str  # "mc", "matrix", "text", "slider"
    text: str
    fields: list[_Field]
    choices: list[tuple[int, int, str]]  # (our code, recode value, choice text) in display order
    rows: list[tuple[int, int]]  # matrix: (choice id, recode) of each statement
    other: _Field | None = None
    other_id: int = 0


def _qualtrics_choices(w: _Wave, fs: list[_Field]) -> list[tuple[int, int, str]]:
    f = fs[0]
    if f.kind == "mark":
        shown = [(code, code, str(code)) for code in f.item.scale.codes]
    elif _is_yes_no(f):
        # A matrix of yes/no statements recoded as 1 = Ja, 0 = Nee; single questions keep 1, 2, 3.
        ordered = list(f.choices)
        if len(fs) > 1 and not any(fold_label(label) == "weetikniet" for _, label in ordered):
            recode = {"ja": 1, "nee": 0}
            shown = [(code, recode[fold_label(label)], _worded(w, "qualtrics", f, code)) for code, label in ordered]
        else:
            shown = [(code, k, _worded(w, "qualtrics", f, code)) for k, (code, _) in enumerate(ordered, start=1)]
    elif _is_agree(f):
        # Qualtrics' agreement scale runs from disagree to agree; recodes follow the display order.
        shown = [(code, k, _worded(w, "qualtrics", f, code)) for k, (code, _) in enumerate(reversed(f.choices), 1)]
    else:
        shown = [(code, k, _worded(w, "qualtrics", f, code)) for k, (code, _) in enumerate(f.choices, start=1)]
    last = max(recode for _, recode, _ in shown)
    for k, code in enumerate(w.used_missing(fs), start=1):
        shown.append((code, last + k, _worded(w, "qualtrics", f, code)))
    return shown


def _qualtrics_survey(w: _Wave) -> list[_QQuestion]:
    units = _units(w.fields)
    # A question added after the survey was built has a later QID than its neighbours (Q numbers follow
    # the display order after renumbering): the open question that follows the first matrix.
    creation = list(range(len(units)))
    late = next((k for k in range(1, len(units)) if units[k][0].kind == "open" and len(units[k - 1]) > 1), None)
    if late is not None:
        creation.remove(late)
        creation.append(late)
    qids = {unit: position + 1 for position, unit in enumerate(creation)}
    questions, grids = [], 0
    for k, fs in enumerate(units):
        f = fs[0]
        if len(fs) > 1:
            if grids == 0:  # a statement was deleted and added again: its choice id skips one
                ids = list(range(1, len(fs))) + [len(fs) + 1]
                recodes = ids
                text = _grid_text(w.q, f) + "\n\nGeef per uitspraak aan of die voor uw werk geldt."
            else:  # statements with recode values of their own (the column names follow the recodes)
                ids = list(range(1, len(fs) + 1))
                recodes = [10 * (grids + 1) + j for j in ids] if grids == 1 else ids
                text = _grid_text(w.q, f)
            grids += 1
            questions.append(_QQuestion(k + 1, qids[k], "matrix", text, fs, _qualtrics_choices(w, fs),
                                        list(zip(ids, recodes))))
        elif f.kind == "open":
            questions.append(_QQuestion(k + 1, qids[k], "text", f.text, fs, [], []))
        elif f.kind == "mark" and not w.used_missing(fs):
            questions.append(_QQuestion(k + 1, qids[k], "slider", f.text, fs, [], []))
        else:
            choices = _qualtrics_choices(w, fs)
            other = _other_field(w.fields, f)
            other_id = next((k2 for k2, (code, _, _) in enumerate(choices, 1) if code == f.other_code), 0)
            questions.append(_QQuestion(k + 1, qids[k], "mc", f.text, fs, choices, [],
                                        other if other_id else None, other_id))
    return questions


def _truncated(text: str) -> str:
    """Question text as the legacy and Insights exports shorten it: 97 characters and '...'."""
    return text if len(text) <= 100 else text[:97].rstrip() + "..."


def _qualtrics_columns(qq: _QQuestion, layout: str) -> list[tuple[str, str, str, _Field, str]]:
    """(first header row, second header row, ImportId, field, 'answer' or 'text') per column."""
    current, insights = layout == "qualtrics", layout == "qualtrics-insights"
    text = qq.text if current else _truncated(qq.text)
    join = " - " if current else "-"
    n, qid = qq.number, qq.qid
    sub = (lambda part: f"QID{qid}-{part}") if insights else (lambda part: f"QID{qid}_{part}")
    f = qq.fields[0]
    if qq.kind == "matrix":
        return [(f"Q{n}_{recode}", f"{text}{join}{g.text}", sub(cid), g, "answer")
                for g, (cid, recode) in zip(qq.fields, qq.rows)]
    if qq.kind == "slider":
        return [(f"Q{n}_1", f"{text}{join}Cijfer", sub(1), f, "answer")]
    if qq.kind == "text":
        return [(f"Q{n}", text, sub("TEXT"), f, "answer")]
    columns = [(f"Q{n}", f"{text} - Selected Choice" if current and qq.other else text, f"QID{qid}", f, "answer")]
    if qq.other is not None:
        if current:
            columns.append((f"Q{n}_{qq.other_id}_TEXT", f"{text} - {OTHER_TEXT} - Text",
                            f"QID{qid}_{qq.other_id}_TEXT", qq.other, "text"))
        else:
            columns.append((f"Q{n}_TEXT", text, sub("TEXT"), qq.other, "text"))
    return columns


def _write_qualtrics(w: _Wave, folder: Path, stem: str) -> tuple[list[Path], dict]:
    layout = w.layout
    current, legacy, insights = layout == "qualtrics", layout == "qualtrics-legacy", layout == "qualtrics-insights"
    numeric = not current  # the legacy and Insights files here were downloaded as numeric values
    survey = _qualtrics_survey(w)
    columns = [c for qq in survey for c in _qualtrics_columns(qq, layout)]
    choice_of = {id(qq): {code: (recode, label) for code, recode, label in qq.choices} for qq in survey}
    question_of = {id(field): qq for qq in survey for field in qq.fields}
    id_field = next((f for f in w.fields if f.kind == "id"), None)
    rng = w.rng
    response_ids = [f"R_{_token(rng, 15)}" for _ in range(w.n)]

    koppeling: dict = {"indeling": layout, "codes": "labels", "kolommen": {}}
    last_matrix = max((qq.number for qq in survey if qq.kind == "matrix"), default=0)
    first_text = min((qq.number for qq in survey if qq.kind == "text"), default=0)
    for name, _, import_id, f, what in columns:
        qq = question_of.get(id(f)) or question_of[id(_parent(w, f))]
        # A koppeling may name a column by its ImportId: done here for the last matrix (current export) and
        # the first open question (Insights), as users copy whichever they see.
        key = import_id if (current and qq.number == last_matrix) or (insights and qq.number == first_text
                                                                     and what == "answer") else name
        target = f.target if insights and f.kind != "other" else f.column
        koppeling["kolommen"][key] = target
        if f.kind in ("closed", "mark") and qq.choices:
            for code, recode, label in qq.choices:
                if f.kind == "mark" and code not in w.missing:
                    continue
                if numeric:
                    _answer(koppeling, target, str(recode), _our_label(w, f, code))
                else:
                    _answer_if_needed(koppeling, target, label, _our_label(w, f, code))

    def answer(f: _Field, what: str, i: int) -> str:
        if what == "text" or f.kind == "open":
            return w.text(f, i)
        code = w.tool_code(f, i)
        if code is None:
            return ""
        qq = question_of[id(f)]
        if qq.kind == "slider":
            return str(code)
        recode, label = choice_of[id(qq)][code]
        return str(recode) if numeric else label

    ids = [str(w.code(id_field, i)) if id_field else "" for i in range(w.n)]
    rows: list[list[str]] = []
    if current:
        rows.append([m[0] for m in QUALTRICS_META] + [c[0] for c in columns] + [EMBEDDED_ID])
        rows.append([m[1] for m in QUALTRICS_META] + [c[1] for c in columns] + [EMBEDDED_ID])
        rows.append([json.dumps(m[2], separators=(",", ":")) for m in QUALTRICS_META]
                    + [json.dumps({"ImportId": c[2]}, separators=(",", ":")) for c in columns]
                    + [json.dumps({"ImportId": EMBEDDED_ID}, separators=(",", ":"))])
        for i in range(w.n):
            start, end = w.starts[i], w.end(i)
            meta = [_date(start), _date(end), "IP Address", "", "100", str(w.seconds[i]), "True", _date(end),
                    response_ids[i], "", "", "", "", "", "", "anonymous", "NL"]
            rows.append(meta + [answer(f, what, i) for _, _, _, f, what in columns] + [ids[i]])
        if id_field:
            koppeling["kolommen"][EMBEDDED_ID] = id_field.column
        text = "\ufeff" + _csv_text(rows)
    elif legacy:
        rows.append([m[0] for m in QUALTRICS_LEGACY_META] + [c[0] for c in columns] + list(QUALTRICS_LOCATION))
        rows.append([m[1] for m in QUALTRICS_LEGACY_META] + [c[1] for c in columns] + list(QUALTRICS_LOCATION))
        for i in range(w.n):
            meta = [response_ids[i], "Default Response Set", "Anonymous", ids[i], "", "", "0",
                    _date(w.starts[i]), _date(w.end(i)), "1"]
            rows.append(meta + [answer(f, what, i) for _, _, _, f, what in columns] + ["", "", "-1"])
        if id_field:  # the respondent number came in through the panel as the external data reference
            koppeling["kolommen"] = {"V4": id_field.column, **koppeling["kolommen"]}
        text = "\ufeff" + _csv_text([row + [""] for row in rows])  # every line ends in a comma
    else:
        location_ids = [f"Location-{name}" for name in QUALTRICS_LOCATION]
        rows.append([m[0] for m in QUALTRICS_INSIGHTS_META] + [c[0] for c in columns] + [EMBEDDED_ID]
                    + list(QUALTRICS_LOCATION))
        rows.append([m[0] for m in QUALTRICS_INSIGHTS_META] + [c[1] for c in columns] + [EMBEDDED_ID]
                    + list(QUALTRICS_LOCATION))
        rows.append([repr({"ImportId": m[1]}) for m in QUALTRICS_INSIGHTS_META]
                    + [repr({"ImportId": c[2]}) for c in columns] + [repr({"ImportId": EMBEDDED_ID})]
                    + [repr({"ImportId": x}) for x in location_ids])
        for i in range(w.n):
            meta = [response_ids[i], "Default Response Set", "", _date(w.starts[i]), _date(w.end(i)), "", "", "",
                    "", "1", "0"]
            rows.append(meta + [answer(f, what, i) for _, _, _, f, what in columns] + [ids[i], "", "", "-1"])
        if id_field:
            koppeling["kolommen"][EMBEDDED_ID] = id_field.column
        text = _csv_text(rows)
    path = folder / f"{stem}.csv"
    path.write_bytes(text.encode("utf-8"))
    return [path], koppeling


def _parent(w: _Wave, f: _Field) -> _Field:
    return next(g for g in w.fields if g.column == f.parent)


# --- LimeSurvey -------------------------------------------------------------------------------------------

LIMESURVEY_META = (  # (code heading, full-text heading, R field type)
    ("id", "Response ID", "F"), ("submitdate", "Date submitted", "DATETIME23.2"), ("lastpage", "Last page", "F"),
    ("startlanguage", "Start language", "A"), ("seed", "Seed", "A"), ("startdate", "Date started", "DATETIME23.2"),
    ("datestamp", "Date last action", "DATETIME23.2"),
)
# LimeSurvey's own answer texts in a Dutch survey: Yes/No, Yes/No/Uncertain and the 'Other' option.
LIMESURVEY_YES_NO = {"Y": "Ja", "N": "Nee", "U": "Onzeker"}
LIMESURVEY_OTHER = "Anders"


@dataclass
class _LQuestion:
    code: str  # G01Q02
    type: str  # LimeSurvey question type: L list, ! dropdown, F array, C array yes/no/uncertain, Y yes/no,
    #            N numerical input, T long free text
    text: str
    fields: list[_Field]
    answers: list[tuple[int, str, str]]  # (our code, answer code, answer text) in LimeSurvey's order
    other: _Field | None = None


def _limesurvey_answers(w: _Wave, fs: list[_Field], qtype: str) -> list[tuple[int, str, str]]:
    """The answer options a survey designer would set up for these fields."""
    f = fs[0]
    by_fold = {fold_label(label): code for code, label in f.choices}
    if qtype in ("Y", "C"):
        letters = {"ja": "Y", "nee": "N", "weetikniet": "U"}
        return [(by_fold[key], letter, LIMESURVEY_YES_NO[letter]) for key, letter in letters.items() if key in by_fold]
    if f.kind == "mark":
        answers = [(code, str(code), str(code)) for code in f.item.scale.codes]
    elif f.item is None and f.column == w.q.background.schooltype.column:
        answers, used = [], set()
        for code, label in f.choices:  # short codes a designer types: po, so, vo ...
            inner = re.findall(r"\(([^()]*)\)\s*$", label)
            short = re.sub(r"[^0-9a-z]", "", (inner[0] if inner else label[:3]).casefold())[:5] or "x"
            while short in used:
                short = short[:4] + str(len(used))
            used.add(short)
            answers.append((code, short, label))
    elif _is_yes_no(f):
        letters = {"ja": "J", "nee": "N", "weetikniet": "W"}
        answers = [(code, letters[fold_label(label)], label) for code, label in f.choices]
    elif _is_agree(f):  # numbered from disagree to agree, as the designer put them on screen
        answers = [(code, str(k), label) for k, (code, label) in enumerate(reversed(f.choices), start=1)]
    else:
        answers = [(code, f"A{k}", label) for k, (code, label) in
                   enumerate([c for c in f.choices if c[0] != f.other_code], start=1)]
        if f.other_code is not None and _other_field(w.fields, f) is not None:
            answers.append((f.other_code, "-oth-", LIMESURVEY_OTHER))  # LimeSurvey's own 'Other' option
    numeric = all(code.isdigit() for _, code, _ in answers)
    for code in w.used_missing(fs):
        kind = w.missing[code].kind
        answer_code = str(code) if numeric else {"geen_antwoord": "WNZ", "niet_van_toepassing": "NVT"}[kind]
        answers.append((code, answer_code, MISSING_WORDING["limesurvey"][kind]))
    return answers


def _limesurvey_survey(w: _Wave) -> list[_LQuestion]:
    groups: dict[str, int] = {}
    counts: Counter = Counter()
    questions = []
    for fs in _units(w.fields):
        f = fs[0]
        group = 1 if f.item is None else groups.setdefault(f.item.theme, len(groups) + 2)
        counts[group] += 1
        code = f"G{group:02d}Q{counts[group]:02d}"
        plain = not w.used_missing(fs)
        if f.kind == "open":
            qtype = "T"
        elif f.kind == "mark":
            qtype = "N" if plain else "L"
        elif f.item is None:
            qtype = "!" if f.column == w.q.background.schooltype.column else "L"
        elif len(fs) > 1:
            qtype = "C" if plain and _is_yes_no(f) and len(f.choices) == 3 else "F"
        else:
            # A plain yes/no question uses LimeSurvey's Yes/No type; its full-text export writes 'N/A' (in
            # Dutch) for a blank, so the region that exports full texts asked it as a list instead.
            qtype = "Y" if (plain and _is_yes_no(f) and len(f.choices) == 2
                            and w.layout != "limesurvey-teksten") else "L"
        answers = [] if qtype in ("T", "N") else _limesurvey_answers(w, fs, qtype)
        other = _other_field(w.fields, f) if any(c == "-oth-" for _, c, _ in answers) else None
        text = _grid_text(w.q, f) if len(fs) > 1 else f.text
        questions.append(_LQuestion(code, qtype, text, fs, answers, other))
    return questions


def _limesurvey_columns(lq: _LQuestion) -> list[tuple[str, str, str, str, _Field]]:
    """(code heading, full-text heading, R name, R variable label, field) per column of a question."""
    if len(lq.fields) > 1 or lq.type in ("F", "C"):
        return [(f"{lq.code}[SQ{k:03d}]", f"{lq.text} [{f.text}]", f"{lq.code}_SQ{k:03d}", f"[{f.text}] {lq.text}", f)
                for k, f in enumerate(lq.fields, start=1)]
    columns = [(lq.code, lq.text, lq.code, lq.text, lq.fields[0])]
    if lq.other is not None:
        columns.append((f"{lq.code}[other]", f"{lq.text} [{LIMESURVEY_OTHER}]", f"{lq.code}_other",
                        f"[{LIMESURVEY_OTHER}] {lq.text}", lq.other))
    return columns


def _limesurvey_line(values: list[str | None], separator: str, quote_all: bool = False) -> str:
    """One record as LimeSurvey's CsvWriter writes it: every value quoted, a NULL as nothing at all."""
    return separator.join('""' if v is None and quote_all else "" if v is None
                          else '"' + str(v).replace('"', '""') + '"' for v in values)


def _r_string(text: str) -> str:
    """PHP's addslashes, as the R syntax writer applies it to labels."""
    return re.sub(r"([\\'\"])", r"\\\1", text)


def _write_limesurvey(w: _Wave, folder: Path, stem: str) -> tuple[list[Path], dict]:
    layout = w.layout
    full, r_export = layout == "limesurvey-teksten", layout == "limesurvey-r"
    survey = _limesurvey_survey(w)
    question_of = {id(f): lq for lq in survey for f in lq.fields}
    columns = [c for lq in survey for c in _limesurvey_columns(lq)]
    id_field = next((f for f in w.fields if f.kind == "id"), None)
    rng = w.rng
    seeds = rng.integers(10_000_000, 2_000_000_000, w.n)
    pages = len({lq.code[:3] for lq in survey})

    def value(f: _Field, i: int) -> str | None:
        if f.kind in ("open", "other"):
            return w.text(f, i)
        if w.hidden(f, i):
            return None  # not shown: NULL in the response table
        code = w.code(f, i)
        lq = question_of[id(f)]
        if code is None:
            return None if lq.type == "N" else ""  # skipped: an empty string, a number column stays NULL
        if lq.type == "N":
            return str(code)
        match = next(a for a in lq.answers if a[0] == code)
        if full:
            return match[2]
        if r_export and lq.type in ("Y", "C"):
            return {"Y": "1", "N": "2", "U": "3"}[match[1]]
        return match[1]

    records = []
    for i in range(w.n):
        respondent = str(w.code(id_field, i)) if id_field else str(i + 1)
        meta = [respondent, _date(w.end(i)), str(pages), "nl", str(seeds[i]), _date(w.starts[i]), _date(w.end(i))]
        records.append(meta + [value(c[4], i) for c in columns])

    koppeling: dict = {"indeling": layout, "codes": "labels", "kolommen": {}}
    key_index = 2 if r_export else 1 if full else 0
    if id_field:
        koppeling["kolommen"][LIMESURVEY_META[0][1 if full else 0]] = id_field.column
    for column in columns:
        f = column[4]
        lq = question_of.get(id(f))
        target = f.target if full and f.kind != "other" else f.column
        koppeling["kolommen"][column[key_index]] = target
        if lq is None or f.kind not in ("closed", "mark"):
            continue
        for code, answer_code, text in lq.answers:
            if f.kind == "mark" and code not in w.missing:
                continue
            ours = _our_label(w, f, code)
            if layout == "limesurvey":
                _answer(koppeling, target, answer_code, ours)
            elif answer_code == "-oth-" and r_export:
                _answer(koppeling, target, "-oth-", ours)  # the syntax file has no label for 'Other'
            else:
                _answer_if_needed(koppeling, target, text, ours)

    files = []
    if r_export:
        data_path = folder / f"{stem}_R_data_file.csv"
        header = [m[1] for m in LIMESURVEY_META] + [c[1] for c in columns]
        lines = [_limesurvey_line(header, ",", True)] + [_limesurvey_line(r, ",", True) for r in records]
        data_path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n\r\n").encode("utf-8"))
        syntax_path = folder / f"{stem}_R_syntax_file.R"
        syntax_path.write_bytes(_r_syntax(data_path.name, survey, columns, question_of).encode("utf-8"))
        files = [data_path, syntax_path]
    else:
        separator = ";" if full else ","
        header = [m[1] if full else m[0] for m in LIMESURVEY_META] + [c[1] if full else c[0] for c in columns]
        lines = [_limesurvey_line(header, separator)] + [_limesurvey_line(r, separator) for r in records]
        path = folder / f"{stem}.csv"
        path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n\r\n").encode("utf-8"))
        files = [path]
    return files, koppeling


def _r_syntax(data_name: str, survey: list[_LQuestion], columns: list, question_of: dict) -> str:
    """The syntax file of LimeSurvey's R export: types, variable labels, factor levels and names."""
    out = [f'data <- read.csv("{data_name}", quote = "\'\\"", na.strings=c("", "\\"\\""), '
           'stringsAsFactors=FALSE, fileEncoding="UTF-8-BOM")', "", ""]

    def block(i: int, field_type: str, label: str, name: str, factor: str = "") -> None:
        kind = "numeric" if field_type == "F" else "character"
        out.append(f"# LimeSurvey Field type: {field_type}")
        out.append(f"data[, {i}] <- as.{kind}(data[, {i}])")
        out.append(f'attributes(data)$variable.labels[{i}] <- "{_r_string(label)}"')
        if factor:
            out.append(factor)
        out.append(f'names(data)[{i}] <- "{name}"')

    for i, (name, _, field_type) in enumerate(LIMESURVEY_META, start=1):
        block(i, field_type, name, name)
    for i, (_, _, r_name, r_label, f) in enumerate(columns, start=len(LIMESURVEY_META) + 1):
        lq = question_of.get(id(f))
        if lq is None or lq.type in ("T", "N"):
            block(i, "F" if lq is not None and lq.type == "N" else "A", r_label, r_name)
            continue
        if lq.type in ("Y", "C"):
            levels = [({"Y": "1", "N": "2", "U": "3"}[code], text) for _, code, text in lq.answers]
            numeric = True
        else:
            levels = [(code, text) for _, code, text in lq.answers if code != "-oth-"]
            numeric = all(code.isdigit() for code, _ in levels) and lq.other is None
        level_text = ",".join(code if numeric else f'"{code}"' for code, _ in levels)
        label_text = ", ".join(f'"{_r_string(text)}"' for _, text in levels)
        factor = f"data[, {i}] <- factor(data[, {i}], levels=c({level_text}),labels=c({label_text}))"
        block(i, "F" if numeric else "A", r_label, r_name, factor)
    return "\n".join(out) + "\n"


# --- SurveyMonkey -----------------------------------------------------------------------------------------

SURVEYMONKEY_META = ("Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address",
                     "First Name", "Last Name", "Custom Data 1")
SURVEYMONKEY_PLAIN = ("", "Response", "Open-Ended Response")


def surveymonkey_names(row1: list[str], row2: list[str]) -> list[str]:
    """How a koppeling names SurveyMonkey's columns: the first header row carried forward over the empty
    cells of a question, joined with ' - ' to the second header row unless that says nothing more."""
    names, question = [], ""
    for top, sub in zip(row1, row2):
        question = top if top else question
        names.append(question if sub in SURVEYMONKEY_PLAIN else f"{question} - {sub}")
    return names


def _write_surveymonkey(w: _Wave, folder: Path, stem: str) -> tuple[list[Path], dict]:
    columns: list[tuple[str, str, _Field, str]] = []  # (row 1, row 2, field, 'answer' or 'text')
    for fs in _units(w.fields):
        f = fs[0]
        if len(fs) > 1:
            intro = _grid_text(w.q, f)
            columns += [(intro if k == 0 else "", g.text, g, "answer") for k, g in enumerate(fs)]
        elif f.kind == "open":
            columns.append((f.text, "Open-Ended Response", f, "answer"))
        else:
            columns.append((f.text, "Response", f, "answer"))
            other = _other_field(w.fields, f)
            if other is not None:
                columns.append(("", "Other (please specify)", other, "text"))
    id_field = next((f for f in w.fields if f.kind == "id"), None)
    rng = w.rng
    collector = int(rng.integers(200_000_000, 499_999_999))
    first_id = int(rng.integers(12_000_000_000, 12_900_000_000))
    respondent_ids = first_id + np.cumsum(rng.integers(1_000, 90_000, w.n))

    def answer(f: _Field, what: str, i: int) -> str:
        if what == "text" or f.kind == "open":
            return w.text(f, i)
        code = w.tool_code(f, i)
        if code is None:
            return ""
        if f.kind == "mark" and code not in w.missing:
            return str(code)
        return _worded(w, "surveymonkey", f, code)

    names = surveymonkey_names(list(SURVEYMONKEY_META) + [c[0] for c in columns],
                               [""] * len(SURVEYMONKEY_META) + [c[1] for c in columns])
    koppeling: dict = {"indeling": w.layout, "codes": "labels", "kolommen": {}}
    if id_field:  # the respondent number rode along in the survey link as custom data
        koppeling["kolommen"]["Custom Data 1"] = id_field.column
    missing_words: dict[str, str] = {}
    for name, (_, _, f, _) in zip(names[len(SURVEYMONKEY_META):], columns):
        koppeling["kolommen"][name] = f.column
        if f.kind not in ("closed", "mark"):
            continue
        codes = sorted({w.tool_code(f, i) for i in range(w.n)} - {None})
        for code in [c for c, _ in f.choices if f.kind == "closed"] + [c for c in codes if c in w.missing]:
            written, ours = _worded(w, "surveymonkey", f, code), _our_label(w, f, code)
            if code in w.missing and code not in dict(f.choices):
                if fold_label(written) != fold_label(ours):
                    missing_words[written] = ours  # the same words in every question: one entry for all
            else:
                _answer_if_needed(koppeling, f.column, written, ours)
    if missing_words:
        koppeling.setdefault("antwoorden", {})["alle"] = missing_words

    records = []
    for i in range(w.n):
        meta = [str(respondent_ids[i]), str(collector), w.starts[i], w.end(i), "", "", "", "",
                str(w.code(id_field, i)) if id_field else ""]
        records.append(meta + [answer(f, what, i) for _, _, f, what in columns])
    row1 = list(SURVEYMONKEY_META) + [c[0] for c in columns]
    row2 = [""] * len(SURVEYMONKEY_META) + [c[1] for c in columns]
    if w.layout == "surveymonkey-csv":
        rows = [row1, row2] + [[_date(v, "us") if isinstance(v, dt.datetime) else v for v in r] for r in records]
        path = folder / f"{stem}.csv"
        path.write_bytes(("\ufeff" + _csv_text(rows, lineterminator="\r\n")).encode("utf-8"))
        return [path], koppeling
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet"
    sheet.append(row1)
    sheet.append([v or None for v in row2])
    for r in records:
        cells = []
        for k, v in enumerate(r):
            if k in (0, 1):
                cells.append(int(v))
            elif k == 8:
                cells.append(int(v) if v else None)
            else:
                cells.append(v if v != "" else None)
        sheet.append(cells)
        for cell in sheet[sheet.max_row][2:4]:
            cell.number_format = "mm/dd/yyyy hh:mm:ss AM/PM"
    book.properties.creator = "SurveyMonkey"
    path = folder / f"{stem}.xlsx"
    _save_xlsx(book, path, _exported(w))
    return [path], koppeling


# --- Microsoft Forms ----------------------------------------------------------------------------------------

FORMS_META = ("ID", "Start time", "Completion time", "Email", "Name", "Last modified time")


def _write_forms(w: _Wave, folder: Path, stem: str) -> tuple[list[Path], dict]:
    """A Forms workbook: one column per question titled with the question, answers as choice text. The sector
    question allows several answers, so its cells end in ';' as Forms writes them. 'Anders, namelijk' is an
    ordinary choice with a question of its own for the text: Forms' own 'Other' option would put the typed text
    in the answer cell itself."""
    import openpyxl

    headers, fields, seen = [], [], Counter()
    for f in w.fields:
        if f.kind == "id":
            continue
        if f.column == w.q.background.sector.column:
            title = "In welke sector(en) werkt u?"
        elif f.kind == "other":
            title = f"Als u '{OTHER_TEXT}' koos: welke functie heeft u?"
        else:
            title = f.text
        seen[title] += 1
        headers.append(title if seen[title] == 1 else f"{title}{seen[title]}")  # Forms numbers equal titles
        fields.append(f)
    id_field = next((f for f in w.fields if f.kind == "id"), None)
    koppeling: dict = {"indeling": "forms", "codes": "labels", "kolommen": {}}
    if id_field:
        koppeling["kolommen"]["ID"] = id_field.column
    for title, f in zip(headers, fields):
        koppeling["kolommen"][title] = f.column
        if f.kind == "closed":
            used = {w.tool_code(f, i) for i in range(w.n)} - {None}
            for code in [c for c, _ in f.choices] + sorted(used & set(w.missing)):
                _answer_if_needed(koppeling, f.column, _worded(w, "forms", f, code), _our_label(w, f, code))

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(list(FORMS_META) + headers)
    multiple = w.q.background.sector.column
    for i in range(w.n):
        row: list[object] = [w.code(id_field, i) if id_field else i + 1, w.starts[i], w.end(i), "anonymous", None, None]
        for f in fields:
            if f.kind in ("open", "other"):
                row.append(w.text(f, i) or None)
                continue
            code = w.tool_code(f, i)
            if code is None:
                row.append(None)
            elif f.kind == "mark" and code not in w.missing:
                row.append(code)
            else:
                text = _worded(w, "forms", f, code)
                row.append(text + ";" if f.column == multiple else text)
        sheet.append(row)
        for cell in sheet[sheet.max_row][1:3]:
            cell.number_format = "m/d/yy h:mm:ss"
    book.properties.creator = "Microsoft Forms"
    path = folder / f"{stem}.xlsx"
    _save_xlsx(book, path, _exported(w))
    return [path], koppeling


# --- SPSS -------------------------------------------------------------------------------------------------

SPSS_MISSING = {"geen_antwoord": 99, "niet_van_toepassing": -1}


def _spss_codes(w: _Wave, f: _Field) -> dict[int, int]:
    """Our code -> the code this region's SPSS file uses: its own numbering, labels as ours."""
    choices = list(f.choices)
    bg = w.q.background
    if f.column == bg.sector.column:
        return {code: k for k, (code, _) in enumerate(reversed(choices), start=1)}
    if f.column == bg.functie.column:
        sector_of = {c.code: c.sector for c in bg.functie.choices}
        ordered = sorted(choices, key=lambda c: (c[0] == f.other_code, sector_of.get(c[0]) != "jeugdhulp"))
        return {code: k for k, (code, _) in enumerate(ordered, start=1)}
    if f.item is not None and _is_yes_no(f):
        return {code: {"ja": 1, "nee": 0, "weetikniet": 9}[fold_label(label)] for code, label in choices}
    if f.item is not None and f.item.scale.kind == "ordinaal":
        return {code: k for k, (code, _) in enumerate(reversed(choices), start=1)}
    return {code: k for k, (code, _) in enumerate(choices, start=1)}


def _write_spss(w: _Wave, folder: Path, stem: str) -> tuple[list[Path], dict]:
    import pyreadstat

    names: dict[str, str] = {}
    number = 0
    for f in w.fields:
        if f.kind == "id":
            names[f.column] = "respnr"
        elif f.kind == "other":
            names[f.column] = f"{names[f.parent]}_anders"
        else:
            number += 1
            names[f.column] = f"vr{number:02d}"
    data: dict[str, object] = {}
    labels: dict[str, str] = {}
    value_labels: dict[str, dict[float, str]] = {}
    missing_ranges: dict[str, list] = {}
    measure: dict[str, str] = {}
    missing_values = {w.missing[c].kind: c for c in w.missing}
    own_missing = {code: SPSS_MISSING[m.kind] for code, m in w.missing.items()}
    missing_labels = {float(SPSS_MISSING[kind]): MISSING_WORDING["spss"][kind] for kind in missing_values}
    koppeling: dict = {"indeling": "spss", "codes": "labels", "kolommen": {}}
    for f in w.fields:
        name = names[f.column]
        koppeling["kolommen"][name] = f.column
        if f.kind == "id":
            data[name] = [float(w.code(f, i)) for i in range(w.n)]
            labels[name], measure[name] = "Respondentnummer", "scale"
            data["datum"] = pd.to_datetime(pd.Series(w.starts, dtype="datetime64[ns]"))
            labels["datum"], measure["datum"] = "Startdatum", "scale"
            continue
        labels[name] = f.text if f.kind != "other" else f"{OTHER_TEXT} (functie)"
        if f.kind in ("open", "other"):
            data[name] = [w.text(f, i) for i in range(w.n)]
            measure[name] = "nominal"
            continue
        codes = _spss_codes(w, f) if f.kind == "closed" else {c: c for c in f.item.scale.codes}
        codes |= own_missing

        def own(i: int, f: _Field = f, codes: dict[int, int] = codes) -> float:
            code = w.code(f, i)
            if code is None:
                return np.nan
            return float(codes[code])

        data[name] = [own(i) for i in range(w.n)]
        if f.kind == "closed":
            value_labels[name] = {float(codes[code]): label for code, label in f.choices} | missing_labels
            measure[name] = "ordinal" if f.item is not None and f.item.scale.kind == "ordinaal" else "nominal"
        else:
            value_labels[name] = dict(missing_labels)
            measure[name] = "scale"
        missing_ranges[name] = sorted(float(v) for v in SPSS_MISSING.values())
    frame = pd.DataFrame(data)
    path = folder / f"{stem}.sav"
    pyreadstat.write_sav(frame, str(path), column_labels=[labels[c] for c in frame.columns],
                         variable_value_labels=value_labels, missing_ranges=missing_ranges, variable_measure=measure)
    _stamp_sav(path, _exported(w))
    return [path], koppeling


# --- our own columns, as a region's spreadsheet holds them -------------------------------------------------


def _write_own(w: _Wave, folder: Path, stem: str) -> tuple[list[Path], dict]:
    """Our column names and labels as Dutch Excel saves them: 'CSV (puntkomma's gescheiden)' (Windows-1252,
    ';', decimal comma), 'Unicode-tekst' (UTF-16 with a byte-order mark, tabs) or a workbook whose answers
    are on the second sheet."""
    by_column = {f.column: f for f in w.fields}
    ours = {f.column for f in w.fields} | {m for m in _all_columns(w.q)}
    # The region's own columns (start time, duration) stay in its spreadsheet; the questionnaire's columns
    # that this region did not ask (regional extras of others) do not.
    columns = [c for c in w.frame.columns if c in by_column or c not in ours]
    decimal = "," if w.layout in ("csv-nl", "csv-utf16") else "."

    def cell(column: str, i: int) -> object:
        if column not in by_column:
            v = w.frame.at[i, column]
            if isinstance(v, (float, np.floating)) and not np.isnan(v):
                return float(v) if w.layout == "xlsx" else repr(float(v)).replace(".", decimal)
            return w.text(_Field(column, "open", ""), i)
        f = by_column[column]
        if f.kind in ("open", "other"):
            return w.text(f, i)
        code = w.code(f, i)
        if code is None:
            return ""
        if f.kind in ("id", "mark") and code not in w.missing:
            return code
        return _our_label(w, f, code)

    rows = [[cell(c, i) for c in columns] for i in range(w.n)]
    if w.layout == "xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        note = book.active
        note.title = "Toelichting"
        note.append([f"Monitor Aansluiting Onderwijs Jeugd, meting {w.q.wave}"])
        note.append(["De antwoorden staan op het tabblad 'Gegevens', één regel per respondent."])
        note.append(["Overgenomen uit het registratiesysteem van de regio; lege cellen zijn niet beantwoord."])
        sheet = book.create_sheet("Gegevens")
        sheet.append(columns)
        for row in rows:
            sheet.append([v if v != "" else None for v in row])
        book.properties.creator = "Regio"
        path = folder / f"{stem}.xlsx"
        _save_xlsx(book, path, _exported(w))
    elif w.layout == "csv-nl":
        text = _csv_text([columns] + [[str(v) for v in row] for row in rows], ";", "\r\n")
        path = folder / f"{stem}.csv"
        path.write_bytes(text.encode("cp1252", errors="replace"))  # Excel writes '?' for what cp1252 lacks
    else:
        text = _csv_text([columns] + [[str(v) for v in row] for row in rows], "\t", "\r\n")
        path = folder / f"{stem}.txt"
        path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    return [path], {"indeling": w.layout}
