"""Issue 11, points 6 and 7: mirrored items shown per sector only, and the method note for a lay reader.

A mirrored item (a text per sector: each sector is asked about the other) is two statements, so it gets no
totaal, no sector test, no totaal trend and no benchmark, unless the questionnaire declares it comparable
(`sectoren_vergelijkbaar: ja`). The method note says that respondents chose themselves, how large a difference
between the sectors must be to show, and the response rate when regios.yaml gives the numbers invited.
Figures and reports are made from the sample exports (and the hand-counted trend data), as the pipeline does.
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import io
import re
import shutil

import numpy as np
import openpyxl
import pytest
from scipy import stats

from monitor_aoj.definitions.questionnaire_reader import load_questionnaires
from monitor_aoj.definitions.regions import load_config
from monitor_aoj.errors import ConfigError
from monitor_aoj.figures import schema as F
from monitor_aoj.figures.statistics import ALPHA, POWER, detectable_difference
from monitor_aoj.ingest.read import read_export
from monitor_aoj.ingest.responses import build_responses
from monitor_aoj.pipeline import figures_for
from monitor_aoj.report.excel import render_workbook
from monitor_aoj.report.html import render_report
from monitor_aoj.report.method_notes import SELF_SELECTED, response_sentence
from monitor_aoj.report.model import Accounting, ReportInput
from monitor_aoj.report.narrative import MIRRORED_APART, MIRRORED_INTRO
from monitor_aoj.report.phrases import ABOUT_OTHER, SECTOR_PHRASE
from monitor_aoj.report.recommendations import STRENGTH, WEAK
from monitor_aoj.report.tables import sector_sizes

from conftest import DATA, QUESTIONNAIRES
from htmltables import tables

MIRRORED = "vast_contactpersoon"  # the monitor's mirrored item, in every wave


def figures(folder, questionnaires):
    config = load_config(folder, questionnaires)
    raws = [read_export(e, questionnaires[e.wave]) for e in config.exports]
    return config, figures_for(build_responses(raws, questionnaires), questionnaires, config.settings.minimum_base)


def report_input(config, figs, questionnaires, region_id: str, wave: int) -> ReportInput:
    """What report_workers.report_inputs makes, without the (slow) validation stage."""
    region = config.region(region_id)
    export = region.export(wave)
    mine = figs[figs["region"] == region_id]
    n = sector_sizes(mine[mine["wave"] == wave])[F.TOTAAL]
    return ReportInput(
        region=region, wave=wave, questionnaire=questionnaires[wave].with_scales(dict(export.mapping.scales)),
        figures=mine[mine["wave"] == wave], earlier_waves=tuple(w for w in region.waves() if w < wave),
        report_date=dt.date(2021, 5, 25), files=((export.path.name, "0" * 64),),
        accounting=Accounting(n, n, 0, 0, 0, 0),
        history=mine[(mine["wave"] <= wave) & mine["statistic"].isin([F.TREND_POINT, F.TREND])],
        minimum_base=config.settings.minimum_base, questionnaires=questionnaires)


@pytest.fixture(scope="module")
def sample(sample_figures):
    """The sample's config and figures, computed once per session (conftest)."""
    return sample_figures


@pytest.fixture(scope="module")
def beekdal(sample, questionnaires):
    config, figs = sample
    data = report_input(config, figs, questionnaires, "beekdal-noord", 2021)
    return data, render_report(data), openpyxl.load_workbook(io.BytesIO(render_workbook(data)))


def comparable_questionnaires(tmp_path):
    """The questionnaires with `sectoren_vergelijkbaar: ja` on the mirrored item of every wave."""
    folder = tmp_path / "vragenlijsten"
    shutil.copytree(QUESTIONNAIRES, folder)
    for path in folder.glob("aoj_*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "    kort: Vast contactpersoon\n" in text
        path.write_text(text.replace("    kort: Vast contactpersoon\n",
                                     "    kort: Vast contactpersoon\n    sectoren_vergelijkbaar: ja\n"),
                        encoding="utf-8")
    return load_questionnaires(folder)


# --- mirrored items ---------------------------------------------------------------------------------------------


def test_the_questionnaires_mark_the_mirrored_item_per_sector(questionnaires):
    for q in questionnaires.values():
        assert [it.id for it in q.items if it.per_sector] == [MIRRORED]


def test_mirrored_items_have_no_totaal_and_no_sector_test_in_the_sample(sample):
    _, figs = sample
    mine = figs[figs["item"] == MIRRORED]
    others = figs[figs["item"] == "school_in_gezinsplan"]  # same theme and scale, one wording: still pooled
    units = figs[["region", "wave"]].drop_duplicates()
    assert len(units) == 12
    for region, wave in units.itertuples(index=False):
        m = mine[(mine["region"] == region) & (mine["wave"] == wave)]
        o = others[(others["region"] == region) & (others["wave"] == wave)]
        assert not (m["group"] == F.TOTAAL).any(), (region, wave)
        assert not m["statistic"].isin([F.SECTOR_TEST, F.BENCHMARK]).any(), (region, wave)
        assert not (m["group_type"] == "schooltype").any(), (region, wave)  # cuts across the two statements
        assert set(m.loc[(m["statistic"] == F.POSITIVE) & (m["group_type"] == "sector"), "group"]) == {
            F.ONDERWIJS, F.JEUGDHULP}
        # Per-sector trends are given and never tested, like every per-sector trend.
        assert m.loc[m["statistic"] == F.TREND, "p_value"].isna().all()
        assert (o["group"] == F.TOTAAL).any() and (o["statistic"] == F.SECTOR_TEST).sum() == 1
        assert (o["statistic"] == F.BENCHMARK).sum() == 1


def test_declared_comparable_mirrored_items_keep_totaal_and_tests(tmp_path, questionnaires):
    comparable = comparable_questionnaires(tmp_path)
    assert all(q.item(MIRRORED).mirrored and not q.item(MIRRORED).per_sector for q in comparable.values())
    _, plain = figures(DATA / "trend", questionnaires)
    _, kept = figures(DATA / "trend", comparable)

    def rows(figs, statistic, group):
        return figs[(figs["item"] == MIRRORED) & (figs["wave"] == 2021) & (figs["statistic"] == statistic)
                    & (figs["group"] == group)]

    # Counted by hand (tests/test_trends.py): 6 of the 9 respondents with an answer, onderwijs 2/4, jeugdhulp 4/5.
    total = rows(kept, F.POSITIVE, F.TOTAAL).iloc[0]
    assert (total["k"], total["n"]) == (6, 9)
    assert len(rows(kept, F.SECTOR_TEST, F.SECTORS_COMPARED)) == 1
    assert rows(kept, F.TREND, F.TOTAAL)["compare_to"].tolist() == ["2018", "2016"]
    assert rows(plain, F.POSITIVE, F.TOTAAL).empty and rows(plain, F.SECTOR_TEST, F.SECTORS_COMPARED).empty
    assert rows(plain, F.TREND, F.TOTAAL).empty
    for group, k, n in ((F.ONDERWIJS, 2, 4), (F.JEUGDHULP, 4, 5)):
        for figs in (plain, kept):
            sector = rows(figs, F.POSITIVE, group).iloc[0]
            assert (sector["k"], sector["n"]) == (k, n)


@pytest.mark.parametrize("line, message", [
    ("    sectoren_vergelijkbaar: misschien\n", "'sectoren_vergelijkbaar' is 'ja' of 'nee', niet 'misschien'"),
])
def test_a_bad_comparable_value_is_a_dutch_error(tmp_path, line, message):
    folder = tmp_path / "v"
    shutil.copytree(QUESTIONNAIRES, folder)
    path = folder / "aoj_2021.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    kort: Vast contactpersoon\n",
                                                             "    kort: Vast contactpersoon\n" + line),
                    encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(f"aoj_2021.yaml, vraag 'vast_contactpersoon': {message}")):
        load_questionnaires(folder)


def test_comparable_only_on_an_item_with_a_text_per_sector(tmp_path):
    folder = tmp_path / "v"
    shutil.copytree(QUESTIONNAIRES, folder)
    path = folder / "aoj_2021.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = "    kort: Functioneren op school in gezinsplan\n"
    path.write_text(text.replace(anchor, anchor + "    sectoren_vergelijkbaar: ja\n"), encoding="utf-8")
    with pytest.raises(ConfigError, match="vraag 'school_in_gezinsplan': 'sectoren_vergelijkbaar' hoort alleen bij "
                                          "een vraag met een tekst per sector"):
        load_questionnaires(folder)


def test_the_report_says_per_sector_what_each_sector_answered_about_the_other(beekdal):
    data, html, _ = beekdal
    figs = data.figures
    block = html[html.index('id="vraag-vast_contactpersoon"'):]
    block = htmllib.unescape(re.sub(r"</?span[^>]*>", "", block[:block.index('<div class="vraag', 10)]))
    for group, about in ((F.ONDERWIJS, "Over de jeugdhulp"), (F.JEUGDHULP, "Over het onderwijs")):
        cell = figs[(figs["item"] == MIRRORED) & (figs["statistic"] == F.POSITIVE) & (figs["group"] == group)].iloc[0]
        share = round(cell["value"] * 100)
        assert (f"{about} antwoordt {share}% (n = {cell['n']}) van de respondenten {SECTOR_PHRASE[group]} "
                "'overal of bij de meerderheid'.") in block
    assert MIRRORED_INTRO in block and MIRRORED_APART in block
    assert "Over alle respondenten samen" not in block
    assert "Verschil jeugdhulp min onderwijs" not in block  # no sector test line under the table
    assert "Per sector is de verandering niet getoetst." in block
    found = tables(html)
    assert found["tabel-vast_contactpersoon"][0][1:] == ["Onderwijs", "Jeugdhulp"]  # no Totaal column
    assert found["tabel-school_in_gezinsplan"][0][1:] == ["Onderwijs", "Jeugdhulp", "Totaal"]
    assert not any(r[0] == "Vast contactpersoon" for r in found["tabel-benchmark"])
    trend_labels = [r[0] for r in found["tabel-trends"]]
    assert "Vast contactpersoon (onderwijs)" in trend_labels and "Vast contactpersoon (jeugdhulp)" in trend_labels
    leeswijzer = htmllib.unescape(html[html.index('id="leeswijzer"'):html.index('id="respondenten"')])
    assert "'Vast contactpersoon' is gespiegeld" in leeswijzer


def test_the_workbook_shows_the_mirrored_item_per_sector(beekdal):
    _, _, book = beekdal
    sheet = book["Vragen"]
    header = [c.value for c in sheet[1]]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    mine = [r for r in rows if r[1] == "Vast contactpersoon"]
    assert mine and all(r[header.index("Totaal %")] is None and r[header.index("Totaal n")] is None for r in mine)
    assert all(r[header.index("Onderwijs n")] for r in mine)
    assert mine[0][2].startswith("Onderwijs: Er is een vast contactpersoon vanuit de jeugdhulp")
    assert "Vast contactpersoon" not in [r[1].value for r in book["Verschillen sectoren"].iter_rows(min_row=2)]
    assert "Vast contactpersoon" not in [r[0].value for r in book["Benchmark"].iter_rows(min_row=2)]
    changes = [[c.value for c in r] for r in book["Veranderingen"].iter_rows(min_row=2)]
    sector_rows = [r for r in changes if str(r[0]).startswith("Vast contactpersoon (")]
    assert sector_rows and all(r[8] in ("niet getoetst", "niet vergelijkbaar") for r in sector_rows)


def test_strengths_and_attention_points_judge_a_mirrored_item_per_sector(beekdal):
    data, html, _ = beekdal
    points = htmllib.unescape(html[html.index('id="aanbevelingen"'):html.index('id="bijlage"')])
    figs = data.figures
    for group in (F.ONDERWIJS, F.JEUGDHULP):
        value = figs[(figs["item"] == MIRRORED) & (figs["statistic"] == F.POSITIVE) & (figs["group"] == group)
                     ]["value"].iloc[0]
        name = f"Vast contactpersoon ({group} {ABOUT_OTHER[group]})"
        if value >= STRENGTH or value < WEAK:
            assert name in points, (group, value)  # among the (at most three) points it is named per sector
        else:
            assert name not in points
    assert "Vast contactpersoon: " not in points  # never as if all respondents had answered one statement


# --- the method note -------------------------------------------------------------------------------------------


def test_detectable_difference_against_known_values():
    # Two groups of 100, p = 0.5, alpha 0.05, power 0.80: (1.95996 + 0.84162) * sqrt(0.25 * 2 / 100) = 0.19810.
    assert detectable_difference(100, 100) == pytest.approx(0.19810, abs=5e-5)
    # Lehr's rule of thumb (n = 16 p(1-p) / d^2 per group) gives d = 0.20 for 100 per group: within 1%.
    assert detectable_difference(100, 100) == pytest.approx(0.20, rel=0.01)
    # At that difference a two-sided z-test at 5% has exactly 80% power.
    for n1, n2 in ((58, 59), (25, 36), (12, 300)):
        d = float(detectable_difference(n1, n2))
        se = np.sqrt(0.25 * (1 / n1 + 1 / n2))
        assert stats.norm.cdf(d / se - stats.norm.ppf(1 - ALPHA / 2)) == pytest.approx(POWER, abs=1e-9)
    assert np.isnan(detectable_difference(0, 50))
    assert detectable_difference(50, 50) > detectable_difference(100, 100)  # smaller groups: larger difference


def test_the_method_note_prints_the_difference_of_the_real_sector_sizes(beekdal):
    data, html, book = beekdal
    sizes = sector_sizes(data.figures)
    assert (sizes[F.ONDERWIJS], sizes[F.JEUGDHULP]) == (58, 59)
    points = round(float(detectable_difference(58, 59)) * 100)
    assert points == 26
    note = htmllib.unescape(html[html.index('id="methode"'):])
    note = note[:note.index("</p>")]
    assert SELF_SELECTED in note
    assert (f"Met 58 respondenten uit het onderwijs en 59 uit de jeugdhulp is een verschil tussen de sectoren pas "
            f"vanaf ongeveer {points} procentpunt met redelijke zekerheid aan te tonen.") in note
    verantwoording = html[html.index('id="verantwoording"'):]
    assert "α = 0,05" in verantwoording and "1−β = 80%" in verantwoording and "p = 50%" in verantwoording
    toelichting = {r[0].value: r[1].value for r in book["Toelichting"].iter_rows(min_row=2) if r[0].value}
    assert toelichting["Kleinste aantoonbaar verschil onderwijs–jeugdhulp (procentpunt)"] == points


def test_the_response_rate_is_printed_from_the_config(beekdal):
    """The sample's regios.yaml gives beekdal-noord 2021 `uitgenodigd: {onderwijs: 140, jeugdhulp: 95}`."""
    data, html, book = beekdal
    assert data.region.export(2021).invited == (("onderwijs", 140), ("jeugdhulp", 95))
    note = htmllib.unescape(html[html.index('id="methode"'):])
    note = note[:note.index("</p>")]
    assert ("In het onderwijs vulden 58 van de 140 uitgenodigde professionals de vragenlijst in (41%), in de "
            "jeugdhulp 59 van de 95 (62%). Samen is dat een respons van 50%.") in note
    toelichting = {r[0].value: r[1] for r in book["Toelichting"].iter_rows(min_row=2) if r[0].value}
    assert toelichting["Uitgenodigd onderwijs"].value == 140 and toelichting["Uitgenodigd jeugdhulp"].value == 95
    assert toelichting["Respons onderwijs"].value == pytest.approx(58 / 140)
    assert toelichting["Respons onderwijs"].number_format == "0%"
    assert toelichting["Respons totaal"].value == pytest.approx(117 / 235)


def test_without_invited_numbers_the_report_says_so(sample, questionnaires):
    config, figs = sample
    data = report_input(config, figs, questionnaires, "polderrijk", 2021)
    assert data.region.export(2021).invited == ()
    html = render_report(data)
    assert "Hoeveel professionals zijn uitgenodigd, is niet opgegeven" in html
    book = openpyxl.load_workbook(io.BytesIO(render_workbook(data)))
    toelichting = {r[0].value: r[1].value for r in book["Toelichting"].iter_rows(min_row=2) if r[0].value}
    assert toelichting["Respons"].startswith("niet bekend")


def test_more_respondents_than_invited_gives_no_rate():
    from monitor_aoj.report.tables import Response

    rates = [Response(F.ONDERWIJS, 30, 20), Response(F.JEUGDHULP, 10, 40), Response(F.TOTAAL, 40, 60)]
    text = response_sentence(rates)
    assert "Voor het onderwijs is de respons niet te berekenen: er deden meer professionals mee (30) dan er " \
           "volgens de configuratie waren uitgenodigd (20)." in text
    assert "In de jeugdhulp vulden 10 van de 40 uitgenodigde professionals de vragenlijst in (25%)." in text
    assert "Samen" not in text  # a total over a sector with an impossible rate would be as wrong


def _config_with(tmp_path, invited: str):
    text = (DATA / "trend" / "regios.yaml").read_text(encoding="utf-8")
    text = text.replace("{jaar: 2021, bestand: trend_2021.csv, codes: vragenlijst}",
                        f"{{jaar: 2021, bestand: trend_2021.csv, codes: vragenlijst, uitgenodigd: {invited}}}")
    (tmp_path / "regios.yaml").write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("invited, message", [
    ("{onderwijs: 12.5}", "onderwijs '12.5' is geen heel getal"),
    ("{onderwijs: veertig}", "onderwijs 'veertig' is geen heel getal"),
    ("{jeugdhulp: 0}", "jeugdhulp 0 kan niet; er is minstens één professional uitgenodigd"),
    ("{jeugdhulp: -3}", "jeugdhulp -3 kan niet"),
    ("{onderwys: 40}", "'onderwys' is geen sector; gebruik onderwijs en jeugdhulp"),
    ("120", "verwacht per sector het aantal uitgenodigde professionals"),
    ("{jeugdhulp: ja}", "jeugdhulp 'ja' is geen heel getal"),
])
def test_bad_invited_values_give_dutch_errors(tmp_path, questionnaires, invited, message):
    folder = _config_with(tmp_path, invited)
    with pytest.raises(ConfigError, match=re.escape(f"regios.yaml, regio 'trendregio', meting 3, uitgenodigd: "
                                                    f"{message}")):
        load_config(folder, questionnaires)


def test_good_invited_values_are_read(tmp_path, questionnaires):
    config = load_config(_config_with(tmp_path, "{onderwijs: 12, jeugdhulp: 8.0}"), questionnaires)
    export = config.region("trendregio").export(2021)
    assert export.invited == (("onderwijs", 12), ("jeugdhulp", 8))
    assert export.invited_in("jeugdhulp") == 8 and config.region("trendregio").export(2018).invited == ()


def test_more_respondents_than_invited_is_a_validation_warning(tmp_path, questionnaires):
    """The hand-count file of 2021 has 4 respondents in onderwijs and 6 in jeugdhulp (tests/test_handtelling.py)."""
    from monitor_aoj.ingest.validation import validate
    from monitor_aoj.ingest.validation.catalogue import WARNING

    for name in ("trend_2016.csv", "trend_2018.csv", "trend_2021.csv"):
        shutil.copy(DATA / "trend" / name, tmp_path / name)
    config = load_config(_config_with(tmp_path, "{onderwijs: 4, jeugdhulp: 5}"), questionnaires)
    result = validate(config, questionnaires, [config.region("trendregio").export(2021)])
    found = [p for p in result.files[0].problems if p.check == "meer_dan_uitgenodigd"]
    assert len(found) == 1 and found[0].severity == WARNING
    assert found[0].value == "6 respondenten uit de jeugdhulp"
    assert found[0].expected == "hoogstens 5 respondenten uit de jeugdhulp (uitgenodigd)"
