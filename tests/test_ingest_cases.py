"""The real-shaped input folders of ../shared/cases/ingest, each read from where it stands, with its right result.

Each folder is one kind of export that used to reach the statistics wrong (README there). Folders marked
"= basis" hold the same 12 respondents as basis/ in another shape: their Figures must equal basis' exactly.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from monitor_aoj.errors import ConfigError
from monitor_aoj.figures import schema as F
from monitor_aoj.ingest.responses import build_responses
from monitor_aoj.pipeline import Paths, figures_for, setup

from conftest import CASES, QUESTIONNAIRES

pytestmark = pytest.mark.skipif(not CASES.is_dir(), reason=f"voorbeeldgevallen niet gevonden in {CASES}")


def validated(folder: Path):
    from monitor_aoj.ingest.validation import validate

    s = setup(Paths(folder, QUESTIONNAIRES, folder / "uit"))
    return s, validate(s.config, s.questionnaires, list(s.exports))


def figures(folder: Path) -> pd.DataFrame:
    s, v = validated(folder)
    responses = build_responses(v.clean_exports(), s.questionnaires)
    return figures_for(responses, s.questionnaires, s.config.settings.minimum_base)


@pytest.fixture(scope="module")
def basis():
    return figures(CASES / "basis")


def test_basis_reads_as_twelve_used():
    _, v = validated(CASES / "basis")
    assert (v.rows_read, v.rows_used, v.rows_quarantined, v.cells_set_aside) == (12, 12, 0, 0)
    assert not v.blocking


@pytest.mark.parametrize("case", ["xlsx-kleine-dimensie", "csv-sep-regel", "csv-extra-scheidingsteken",
                                  "qualtrics-drie-kopregels", "kolommen-doel-onbekend", "lege-datum"])
def test_same_respondents_in_another_shape_give_the_same_figures(case, basis):
    _, v = validated(CASES / case)
    assert (v.rows_read, v.rows_used, v.rows_quarantined) == (12, 12, 0)
    assert not v.blocking, [p.action for f in v.files for p in f.errors]
    pd.testing.assert_frame_equal(figures(CASES / case), basis)


def test_sep_line_and_qualtrics_header_rows_are_said_once():
    _, v = validated(CASES / "csv-sep-regel")
    assert any("sep=;" in n for n in v.files[0].notes)
    _, v = validated(CASES / "qualtrics-drie-kopregels")
    assert any("Qualtrics (drie kopregels)" in n for n in v.files[0].notes)


def test_unclosed_quote_keeps_every_row_and_names_the_broken_one():
    _, v = validated(CASES / "csv-open-aanhalingsteken")
    f = v.files[0]
    assert (f.rows_read, f.rows_used) == (12, 12)
    warned = [p for p in f.warnings if p.row == 4]
    assert warned and "aanhalingsteken" in warned[0].action
    # Row 4's answer keeps its opening quote as text; the rows after it are their own respondents.
    ids = f.clean.frame["respondent"].tolist()
    assert ids == [str(i) for i in range(1, 13)]


def test_question_text_headers_with_commas_are_read_with_the_semicolon():
    _, v = validated(CASES / "csv-komma-in-kop")
    f = v.files[0]
    assert f.rows_read == 12 and f.rows_quarantined == 0
    assert any("puntkomma" in n for n in f.notes)
    assert {"respondent", "sector", "mdo_aanwezig", "mdo_ouders", "rapportcijfer", "evaluatie_gezamenlijk"} <= set(
        f.clean.frame.columns)


def test_a_duplicated_column_is_an_error_naming_both():
    _, v = validated(CASES / "dubbele-kolomnaam")
    f = v.files[0]
    assert f.clean is None and v.blocking
    message = f.errors[0].action
    assert "T3_1" in message and "2 keer" in message and "kolommen T, AD" in message


def test_formulas_without_saved_values_are_refused_with_how_to_fix():
    _, v = validated(CASES / "xlsx-formules-zonder-waarde")
    f = v.files[0]
    assert f.clean is None and v.blocking
    assert "formule zonder opgeslagen uitkomst" in f.errors[0].action and "herberekenen" in f.errors[0].action


def test_legacy_qualtrics_mapping_wins_over_metadata_columns(tmp_path):
    from monitor_aoj.ingest.read import read_export

    s, v = validated(CASES / "qualtrics-legacy-kolommen")
    f = v.files[0]
    raw = read_export(s.exports[0], s.questionnaires[2016])
    source = pd.read_csv(CASES / "qualtrics-legacy-kolommen" / "qualtrics_legacy_2016.csv", dtype=str,
                         skiprows=[1], keep_default_na=False)
    # The answers come from Q1..Q21, never from the metadata columns V1..V10 of the same names as 2016's items.
    assert raw.source_columns["sector"] == "Q1" and raw.source_columns["respondent"] == "V1"
    assert raw.frame["respondent"].tolist() == source["V1"].tolist()
    # Bare codes without labels are not taken as the questionnaire's codes unless the user says so.
    assert v.blocking and any("codes: vragenlijst" in p.action for p in f.errors)
    folder = tmp_path / "legacy"
    shutil.copytree(CASES / "qualtrics-legacy-kolommen", folder)
    (folder / "regios.yaml").write_text((folder / "regios.yaml").read_text() + "        codes: vragenlijst\n")
    _, v = validated(folder)
    assert (v.rows_read, v.rows_used, v.rows_quarantined, v.cells_set_aside) == (12, 12, 0, 0)
    assert v.files[0].clean.frame["sector"].tolist() == source["Q1"].tolist()


def test_unknown_target_is_a_configuration_error_with_a_suggestion(tmp_path):
    folder = tmp_path / "doel"
    shutil.copytree(CASES / "kolommen-doel-onbekend", folder)
    (folder / "regios.yaml").write_text((folder / "regios.yaml").read_text().replace("mdo_aanwezig", "mdo_aanwzig"))
    with pytest.raises(ConfigError, match=r"Vraag 1: mdo_aanwzig.*Bedoelt u 'mdo_aanwezig'"):
        validated(folder)


ZEEVELD_DECISIONS = """        schalen: {T1_4: ja_nee_weet, T1_5: ja_nee_weet}
        antwoorden:
          functie: {JGZ-verpleegkundige: Jeugdarts of jeugdverpleegkundige (JGZ)}
          schooltype: {Basisonderwijs: Primair onderwijs (po), Voortgezet onderwijs: Voortgezet onderwijs regulier (vo)}
"""


def test_own_codes_are_decoded_by_label_and_open_decisions_are_asked():
    s, v = validated(CASES / "zeeveld-eigen-codes")
    f = v.files[0]
    # No respondent lost or moved: sector 1 means Jeugdhulp in this file.
    assert (f.rows_read, f.rows_used, f.rows_quarantined) == (26, 26, 0)
    responses = build_responses(v.clean_exports(), s.questionnaires)
    assert responses.respondents.groupby("sector").size().to_dict() == {"jeugdhulp": 15, "onderwijs": 11}
    actions = " ".join(p.action for p in f.errors)
    assert "schalen: {vr04: ja_nee_weet}" in actions and "schalen: {vr05: ja_nee_weet}" in actions
    assert "JGZ-verpleegkundige" in actions and v.blocking  # a decision for the user, never guessed


def _expected_counts(figs: pd.DataFrame, q, item_column: str):
    item = next(it for it in q.items if it.column == item_column)
    rows = figs[(figs["item"] == item.id) & (figs["statistic"] == F.SHARE)]
    return item, {g: (int(part["n"].iloc[0]), {r.label: int(r.k) for r in part.itertuples()})
                  for g, part in rows.groupby("group")}


@pytest.fixture(scope="module")
def zeeveld_decided(tmp_path_factory):
    folder = tmp_path_factory.mktemp("zeeveld")
    shutil.copy(CASES / "zeeveld-eigen-codes" / "zeeveld_2021.sav", folder)
    (folder / "regios.yaml").write_text((CASES / "zeeveld-eigen-codes" / "regios.yaml").read_text() + ZEEVELD_DECISIONS)
    s, v = validated(folder)
    assert (v.rows_read, v.rows_used, v.rows_quarantined, v.cells_set_aside) == (26, 26, 0, 0)
    return s.questionnaires[2021], figures(folder)


EXPECTED = json.loads((CASES / "zeeveld-eigen-codes" / "expected.json").read_text()) if CASES.is_dir() else {
    "items": {}}
VARIANT_ITEMS = ("T1_4", "T1_5")


@pytest.mark.parametrize("column", [c for c in EXPECTED["items"] if c not in VARIANT_ITEMS and c != "T3_1"])
def test_every_count_equals_the_expected_result(column, zeeveld_decided):
    q, figs = zeeveld_decided
    item, found = _expected_counts(figs, q, column)
    for group, want in EXPECTED["items"][column].items():
        if group == F.TOTAAL and item.per_sector:
            # A mirrored item (each sector asked about the other) has no totaal since issue 11: two statements
            # are not pooled. Its sectors are still checked against the case's counts.
            assert group not in found, (column, group)
            continue
        n, k = found[group]
        assert n == want["n"], (column, group)
        assert {label: k.get(label, 0) for label in want["k"]} == want["k"], (column, group)


def test_mean_mark_equals_the_expected_result(zeeveld_decided):
    q, figs = zeeveld_decided
    marks = figs[(figs["item"] == "rapportcijfer") & (figs["statistic"] == F.MEAN)].set_index("group")
    for group, want in EXPECTED["items"]["T3_1"].items():
        assert int(marks.at[group, "n"]) == want["n"]
        assert round(float(marks.at[group, "value"]), 4) == want["mean"]


@pytest.mark.parametrize("column", VARIANT_ITEMS)
def test_weet_ik_niet_of_a_scale_variant_counts_in_the_base(column, zeeveld_decided):
    # The region asked these ja/nee items with "Weet ik niet" (schalen: ja_nee_weet): it is an answer, in the base.
    q, figs = zeeveld_decided
    _, found = _expected_counts(figs, q, column)
    for group, want in EXPECTED["items"][column].items():
        assert found[group][0] == want["n"], group
        assert {label: found[group][1].get(label, 0) for label in want["k"]} == want["k"], group


def test_a_scale_variant_is_not_compared_over_waves_or_with_other_regions(zeeveld_decided):
    _, figs = zeeveld_decided
    points = figs[(figs["item"] == "mdo_afspraken_aanbod") & (figs["statistic"] == F.TREND_POINT)]
    assert set(points["verdict"]) == {F.NOT_COMPARABLE} and "ja_nee_weet" in points["note"].iloc[0]
    standard = figs[(figs["item"] == "mdo_aanwezig") & (figs["statistic"] == F.TREND_POINT)]
    assert set(standard["verdict"]) == {""}
