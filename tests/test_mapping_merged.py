"""A mapping that puts several answers of one column on one answer of the scale, while other answers of that scale
get none in the file, is a validation warning ("klopt de koppeling?"): accepted unchecked, it changes the figures
silently; meant, it may stay."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from monitor_aoj.ingest.decode import column_coding
from monitor_aoj.ingest.mapping import ExportMapping, merged_answers, options_for
from monitor_aoj.pipeline import Paths, check

from conftest import QUESTIONNAIRES

T2_1 = "Bij hoeveel scholen geldt: - Er is een vast contactpersoon vanuit de jeugdhulp(instanties)."
COVERAGE = ["Bij alle scholen", "Bij de meeste scholen", "Bij enkele scholen", "Bij geen enkele school"]


def qualtrics_folder(folder: Path, answers: str) -> Path:
    """A Qualtrics choice-text export of sector and T2_1, its koppeling with `answers` for T2_1, and regios.yaml."""
    folder.mkdir()
    rows = [["ResponseId", "Q1", "Q2"], ["Response ID", "In welke sector werkt u?", T2_1],
            ['{"ImportId":"_recordId"}', '{"ImportId":"QID1"}', '{"ImportId":"QID2"}']]
    rows += [[f"R_{i}", "Onderwijs" if i % 2 else "Jeugdhulp", COVERAGE[i % 4]] for i in range(12)]
    with (folder / "proef_2021.csv").open("w", newline="", encoding="utf-8-sig") as f:
        csv.writer(f).writerows(rows)
    (folder / "proef_2021.koppeling.yaml").write_text(
        "indeling: qualtrics\nkolommen:\n  ResponseId: respondent_id\n  Q1: sector\n  Q2: T2_1\n"
        f"antwoorden:\n  T2_1:\n{answers}", encoding="utf-8")
    (folder / "regios.yaml").write_text(
        "regios:\n  - id: proef\n    naam: Proef\n    weglaten: [vormen, oordeel, preventie, evalueren, trots, "
        "T2_2, T2_3, T2_4]\n    metingen:\n      - jaar: 2021\n        bestand: proef_2021.csv\n"
        "        koppeling: proef_2021.koppeling.yaml\n", encoding="utf-8")
    return folder


def merged_warnings(folder: Path) -> list:
    v = check(Paths(folder, QUESTIONNAIRES, folder / "uit")).validation
    assert v.rows_quarantined == 0
    return [p for f in v.files for p in f.problems if p.check == "antwoorden_samengevoegd"]


def test_accepted_wrong_proposals_are_warned(tmp_path):
    """Probe fL: the accepted draft put three of the four coverage answers on 'Bij een deel'; exit 0, 40% instead of
    73%, and nothing said so."""
    wrong = ("    Bij alle scholen: Bij een deel\n    Bij geen enkele school: Bij een deel\n"
             "    Bij de meeste scholen: Bij de meerderheid\n    Bij enkele scholen: Bij een deel\n")
    (warning,) = merged_warnings(qualtrics_folder(tmp_path / "fout", wrong))
    assert warning.severity == "waarschuwing" and warning.column == "Q2"
    assert warning.value == "'Bij alle scholen', 'Bij enkele scholen' en 'Bij geen enkele school' -> 'Bij een deel'"
    assert warning.action.startswith(
        "De koppeling zet 'Bij alle scholen', 'Bij enkele scholen' en 'Bij geen enkele school' allemaal op 'Bij een "
        "deel', terwijl op 'Overal' en 'Nergens' in dit bestand geen enkel antwoord valt. Klopt de koppeling?")
    # Each answer on its own: nothing to say.
    right = ("    Bij alle scholen: Overal\n    Bij geen enkele school: Nergens\n"
             "    Bij de meeste scholen: Bij de meerderheid\n    Bij enkele scholen: Bij een deel\n")
    assert merged_warnings(qualtrics_folder(tmp_path / "goed", right)) == []


def test_only_merges_the_mapping_made_that_leave_answers_empty(questionnaires):
    q = questionnaires[2021]
    item = next(it.id for it in q.items if it.column == "T1_1")
    options = options_for(q, item) or []
    # 'Ja' and 'yes' mean the same by themselves: one answer, whatever the mapping says about others.
    plain = column_coding(options, numbers_are_codes=False, answers={"jazeker": (1, "geldig")})
    assert merged_answers(q, ExportMapping(), item, pd.Series(["Ja", "yes", "Nee", None]), plain) == []
    # 'Jazeker' is mapped onto Ja next to 'Ja' while nobody answered 'Nee': warned.
    (found,) = merged_answers(q, ExportMapping(), item, pd.Series(["Ja", "Jazeker", "Ja"]), plain)
    assert (found.answer, found.values, found.unused) == ("Ja", ("Ja", "Jazeker"), ("Nee",))
    # Deliberate and harmless: every answer of the scale still has its own.
    assert merged_answers(q, ExportMapping(), item, pd.Series(["Ja", "Jazeker", "Nee"]), plain) == []
