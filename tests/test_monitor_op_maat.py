"""Monitor op maat: a region leaves out themes or items (`weglaten`) or adds its own questions
(vragenlijst_<regio>.yaml), on copies of tests/data/handtelling and tests/data/trend."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from monitor_aoj.definitions.own_questions import with_own_questions
from monitor_aoj.definitions.regions import load_config
from monitor_aoj.errors import ConfigError
from monitor_aoj.figures import schema as F
from monitor_aoj.ingest.read import read_export
from monitor_aoj.ingest.responses import build_responses
from monitor_aoj.pipeline import Paths, figures_for, run

from conftest import DATA, QUESTIONNAIRES

REPORT_DATE = dt.date(2026, 11, 29)
EVALUEREN = ["evaluatie_gezamenlijk", "scholing_gezamenlijk", "feedback_benut"]
# Columns of the 2021 questionnaire the hand-count file never had: left out per wave, so that nothing is missing.
NOT_IN_FILE = "[T1_2, T1_3, T1_4, T1_5, T1_6, T1_7, T1_8, T1_8_toelichting, T1_9, school_in_gezinsplan, " \
              "verzuim_afstemming, preventie_stap_open, trots]"


def _csv(source: Path, target: Path, drop=(), add: dict | None = None) -> None:
    frame = pd.read_csv(source, sep=";", dtype=str, keep_default_na=False)
    frame = frame.drop(columns=list(drop))
    for column, values in (add or {}).items():
        frame[column] = values
    frame.to_csv(target, sep=";", index=False)


def _folder(tmp_path: Path, region_yaml: str, drop=("T5_1",), add=None, second: str = "") -> Path:
    folder = tmp_path / "invoer"
    folder.mkdir()
    _csv(DATA / "handtelling" / "handtelling.csv", folder / "handtelling.csv", drop, add)
    text = f"""instellingen:
  minimum_basis: 1
regios:
  - id: proefregio
    naam: Proefregio
{region_yaml}
"""
    if second:
        _csv(DATA / "handtelling" / "handtelling.csv", folder / "ander.csv", ("T5_1",))
        text += second
    (folder / "regios.yaml").write_text(text, encoding="utf-8")
    return folder


LEFT_OUT = f"""    weglaten: [evalueren]
    metingen:
      - jaar: 2021
        bestand: handtelling.csv
        codes: vragenlijst
        weglaten: {NOT_IN_FILE}
"""

OTHER_REGION = f"""  - id: andere-regio
    naam: Andere regio
    weglaten: [evalueren]
    metingen:
      - {{jaar: 2021, bestand: ander.csv, codes: vragenlijst, weglaten: {NOT_IN_FILE}}}
"""


def test_left_out_theme_is_not_asked_and_the_run_succeeds(tmp_path):
    folder = _folder(tmp_path, LEFT_OUT)
    result = run(Paths(folder, QUESTIONNAIRES, tmp_path / "uit"), report_date=REPORT_DATE)
    assert result.exit_code == 0, [p.action for f in result.validation.files for p in f.errors]
    problems = [p for f in result.validation.files for p in f.problems]
    assert not [p for p in problems if p.check == "kolom_ontbreekt"]
    assert not [p for p in problems if p.check == "weggelaten_kolom"]  # the column is gone from the file
    export = result.validation.files[0].export
    assert set(EVALUEREN) <= set(export.omitted)
    assert "mdo_ouders" in export.omitted and "mdo_aanwezig" not in export.omitted

    html = result.reports[0].read_text(encoding="utf-8")
    assert "Evalueren, leren en ontwikkelen" not in html  # the theme is not in the report at all
    assert "Gezamenlijke evaluatie" not in html
    assert "Rapportcijfer" in html


def test_left_out_items_have_no_figures_and_count_as_not_asked_in_trends(tmp_path, questionnaires):
    folder = tmp_path / "trend"
    shutil.copytree(DATA / "trend", folder)
    text = (folder / "regios.yaml").read_text(encoding="utf-8")
    text = text.replace("{jaar: 2021, bestand: trend_2021.csv, codes: vragenlijst}",
                        "{jaar: 2021, bestand: trend_2021.csv, codes: vragenlijst, weglaten: [snellere_inzet]}")
    (folder / "regios.yaml").write_text(text, encoding="utf-8")
    config = load_config(folder, questionnaires)
    raws = [read_export(e, questionnaires[e.wave]) for e in config.exports]
    responses = build_responses(raws, questionnaires)
    asked = responses.asked
    assert not ((asked["wave"] == 2021) & (asked["item"] == "snellere_inzet")).any()
    assert ((asked["wave"] == 2018) & (asked["item"] == "snellere_inzet")).any()
    figs = figures_for(responses, questionnaires, config.settings.minimum_base)
    mine = figs[(figs["item"] == "snellere_inzet") & (figs["wave"] == 2021)]
    points = mine[mine["statistic"] == F.TREND_POINT]
    assert len(points) and set(points["verdict"]) == {F.NOT_ASKED}
    assert not len(mine[mine["statistic"].isin([F.SHARE, F.POSITIVE])])  # no figures of its own
    changes = mine[mine["statistic"] == F.TREND]
    assert len(changes) and set(changes["verdict"]) == {F.NOT_ASKED}
    # The other waves keep their figures: 2018 was asked.
    p2018 = figs[(figs["item"] == "snellere_inzet") & (figs["wave"] == 2018) & (figs["statistic"] == F.TREND_POINT)
                 & (figs["group"] == F.TOTAAL)].iloc[0]
    assert (p2018["k"], p2018["n"], p2018["verdict"]) == (4, 6, "")


def test_left_out_column_still_in_the_file_is_a_warning(tmp_path):
    folder = _folder(tmp_path, LEFT_OUT, drop=())  # T5_1 stays in the export
    result = run(Paths(folder, QUESTIONNAIRES, tmp_path / "uit"), report_date=REPORT_DATE)
    assert result.exit_code == 0
    found = [p for f in result.validation.files for p in f.problems if p.check == "weggelaten_kolom"]
    assert [p.column for p in found] == ["T5_1"]
    assert found[0].severity == "waarschuwing"
    assert found[0].action.startswith("Kolom T5_1 hoort bij een weggelaten vraag en is niet gebruikt.")


@pytest.mark.parametrize("entry, suggestion", [("evalueeren", "'evalueren'"), ("snelere_inzet", "'snellere_inzet'"),
                                               ("T1_33", "'T1_3'")])
def test_unknown_name_is_a_dutch_config_error_with_a_suggestion(tmp_path, questionnaires, entry, suggestion):
    folder = _folder(tmp_path, LEFT_OUT.replace("weglaten: [evalueren]", f"weglaten: [evalueren, {entry}]"))
    with pytest.raises(ConfigError) as exc:
        load_config(folder, questionnaires)
    message = str(exc.value)
    assert f"'{entry}' is geen thema, vraag of kolom" in message
    assert "regio 'proefregio', weglaten" in message
    assert f"Bedoelt u {suggestion}" in message


def test_unknown_name_in_one_wave_is_named_with_the_wave(tmp_path, questionnaires):
    folder = _folder(tmp_path, LEFT_OUT.replace("weglaten: [T1_2,", "weglaten: [T1_22,"))
    with pytest.raises(ConfigError, match=r"meting 1, weglaten: 'T1_22' .*Bedoelt u"):
        load_config(folder, questionnaires)


OWN = """meting: 2021
schalen:
  vaak4:
    soort: ordinaal
    categorieen:
      - {code: 1, label: Altijd}
      - {code: 2, label: Vaak}
      - {code: 3, label: Soms}
      - {code: 4, label: Nooit}
    positief: [1, 2]
    positief_label: altijd of vaak
vragen:
  - id: proef_wijkoverleg
    kolom: E1
    schaal: vaak4
    kort: Wijkoverleg met de school
    tekst: Ik neem deel aan het wijkoverleg van de school.
  - id: proef_wens_open
    kolom: E2
    soort: open
    kort: Wens voor het wijkoverleg
    tekst: Wat wenst u voor het wijkoverleg van volgend jaar?
"""


def test_own_questions_of_one_region_do_not_reach_another(tmp_path):
    add = {"E1": ["1", "2", "2", "3", "1", "4", "1", "2", "", "3"],
           "E2": ["Vaker samen", "", "Meer tijd", "", "", "Een vaste dag", "", "", "", ""]}
    folder = _folder(tmp_path, LEFT_OUT, add=add, second=OTHER_REGION)
    (folder / "vragenlijst_proefregio.yaml").write_text(OWN, encoding="utf-8")
    result = run(Paths(folder, QUESTIONNAIRES, tmp_path / "uit"), report_date=REPORT_DATE)
    assert result.exit_code == 0, [p.action for f in result.validation.files for p in f.errors]
    exports = {f.export.region: f.export for f in result.validation.files}
    assert {"proef_wijkoverleg", "proef_wens_open"} <= set(exports["proefregio"].extras)
    assert not {"proef_wijkoverleg", "proef_wens_open"} & set(exports["andere-regio"].extras)

    assert len(result.reports) == 2
    own = next(p for p in result.reports if "proefregio" in p.name).read_text(encoding="utf-8")
    other = next(p for p in result.reports if "andere-regio" in p.name).read_text(encoding="utf-8")
    assert "Ik neem deel aan het wijkoverleg van de school." in own
    assert "Wat wenst u voor het wijkoverleg van volgend jaar?" in own
    assert "Regionale extra vragen" in own
    assert "wijkoverleg" not in other.casefold()
    from openpyxl import load_workbook

    def cells(path):
        return " ".join(str(c.value) for ws in load_workbook(path).worksheets for row in ws.iter_rows() for c in row
                        if c.value is not None)

    assert "Wijkoverleg met de school" in cells(next(p for p in result.workbooks if "proefregio" in p.name))
    assert "wijkoverleg" not in cells(next(p for p in result.workbooks if "andere-regio" in p.name)).casefold()

    # Figures: the closed item is counted for its region (E1: 1,2,2,3,1,4,1,2,(leeg),3 -> altijd of vaak 6 of 9).
    from monitor_aoj.ingest.validation import validate
    from monitor_aoj.pipeline import setup

    s = setup(Paths(folder, QUESTIONNAIRES, tmp_path / "uit"))
    validation = validate(s.config, s.questionnaires, list(s.exports))
    figs = figures_for(build_responses(validation.clean_exports(), s.questionnaires), s.questionnaires, 1)
    mine = figs[(figs["item"] == "proef_wijkoverleg") & (figs["statistic"] == F.POSITIVE) & (figs["group"] == F.TOTAAL)]
    assert list(mine["region"]) == ["proefregio"]
    assert (mine["k"].iloc[0], mine["n"].iloc[0]) == (6, 9)
    assert not len(figs[(figs["region"] == "andere-regio") & figs["item"].isin(["proef_wijkoverleg",
                                                                                 "proef_wens_open"])])
    # The other region's figures are the same as without the own questions.
    (folder / "vragenlijst_proefregio.yaml").unlink()
    s2 = setup(Paths(folder, QUESTIONNAIRES, tmp_path / "uit"))
    v2 = validate(s2.config, s2.questionnaires, list(s2.exports))
    figs2 = figures_for(build_responses(v2.clean_exports(), s2.questionnaires), s2.questionnaires, 1)
    key = ["region", "wave", "item", "group", "statistic", "category", "compare_to"]
    theirs = figs[(figs["region"] == "andere-regio") & (figs["statistic"] != F.BENCHMARK)].sort_values(key)
    theirs2 = figs2[(figs2["region"] == "andere-regio") & (figs2["statistic"] != F.BENCHMARK)].sort_values(key)
    pd.testing.assert_frame_equal(theirs.reset_index(drop=True), theirs2.reset_index(drop=True))


def test_own_question_clash_names_both(tmp_path, questionnaires):
    folder = _folder(tmp_path, LEFT_OUT)
    (folder / "vragenlijst_proefregio.yaml").write_text(OWN.replace("kolom: E1", "kolom: T1_1"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"vragenlijst_proefregio\.yaml, vraag 'proef_wijkoverleg': kolom 'T1_1' "
                                          r"is al de kolom van vraag 'mdo_aanwezig' in aoj_2021\.yaml"):
        with_own_questions(folder, questionnaires)
    (folder / "vragenlijst_proefregio.yaml").write_text(OWN.replace("id: proef_wijkoverleg", "id: rapportcijfer"),
                                                        encoding="utf-8")
    with pytest.raises(ConfigError, match=r"de id 'rapportcijfer' bestaat al in aoj_2021\.yaml"):
        with_own_questions(folder, questionnaires)


def test_own_question_file_named_in_regios_yaml_must_lie_inside(tmp_path, questionnaires):
    folder = _folder(tmp_path, LEFT_OUT.replace("    weglaten: [evalueren]", "    weglaten: [evalueren]\n"
                                                                                 "    eigen_vragen: ../eigen.yaml"))
    with pytest.raises(ConfigError, match="ligt buiten de invoermap"):
        with_own_questions(folder, questionnaires)


def test_own_question_file_of_no_region_is_named(tmp_path, questionnaires):
    folder = _folder(tmp_path, LEFT_OUT)
    (folder / "vragenlijst_noord.yaml").write_text(OWN, encoding="utf-8")
    with pytest.raises(ConfigError, match="vragenlijst_noord.yaml hoort bij geen regio"):
        with_own_questions(folder, questionnaires)
