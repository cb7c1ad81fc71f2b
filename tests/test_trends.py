"""Trends over three waves of one region, every number counted by hand.

tests/data/trend: 2016 (6 respondents, the 2016 questionnaire: ja = 1, nee = 0, a four-point agreement scale
and a three-point coverage scale), 2018 (6 respondents) and 2021 (the 10 of the hand-count file).
Totaal, headline figure on the harmonised scale:

  item                 2016                 2018        2021
  mdo_aanwezig         4/6 (1,3,4,5)        5/6         8/10
  snellere_inzet       niet vergelijkbaar   4/6         6/9  (2016: 4-point scale without a neutral option)
  vast_contactpersoon  niet vergelijkbaar   per sector  per sector (mirrored: no totaal; see below)
  privacy_bekend       niet gevraagd        4/6         niet gevraagd (no column in 2021)
  rapportcijfer        39/6 = 6,5           42/6 = 7,0  67/10 = 6,7

vast_contactpersoon is mirrored (each sector asked about the other): per sector only, onderwijs 2/3 (2018) and
2/4 (2021), jeugdhulp 2/3 and 4/5.
"""

from __future__ import annotations

import pandas as pd
import pytest

from monitor_aoj.definitions.regions import load_config
from monitor_aoj.figures import schema as F
from monitor_aoj.ingest.read import read_export
from monitor_aoj.ingest.responses import build_responses
from monitor_aoj.pipeline import figures_for
from monitor_aoj.report.comparison_rows import sector_trend_rows, trend_rows

from conftest import DATA, QUESTIONNAIRES


@pytest.fixture(scope="module")
def figs(questionnaires):
    config = load_config(DATA / "trend", questionnaires)
    raws = [read_export(e, questionnaires[e.wave]) for e in config.exports]
    return figures_for(build_responses(raws, questionnaires), questionnaires, config.settings.minimum_base)


def point(figs, item, wave, group=F.TOTAAL):
    sel = figs[(figs["statistic"] == F.TREND_POINT) & (figs["item"] == item) & (figs["wave"] == wave)
               & (figs["group"] == group)]
    assert len(sel) == 1
    return sel.iloc[0]


def change(figs, item, wave, since, group=F.TOTAAL):
    sel = figs[(figs["statistic"] == F.TREND) & (figs["item"] == item) & (figs["wave"] == wave)
               & (figs["compare_to"] == str(since)) & (figs["group"] == group)]
    assert len(sel) == 1
    return sel.iloc[0]


@pytest.mark.parametrize("item, wave, k, n", [
    ("mdo_aanwezig", 2016, 4, 6), ("mdo_aanwezig", 2018, 5, 6), ("mdo_aanwezig", 2021, 8, 10),
    ("snellere_inzet", 2018, 4, 6), ("snellere_inzet", 2021, 6, 9),
    ("privacy_afspraken_bekend", 2018, 4, 6),
])
def test_trend_points_counted_by_hand(figs, item, wave, k, n):
    p = point(figs, item, wave)
    assert (p["k"], p["n"], p["verdict"]) == (k, n, "")
    assert p["value"] == pytest.approx(k / n)
    assert p["ci_low"] < p["value"] < p["ci_high"] or p["value"] in (0, 1)


def test_marks_over_the_waves(figs):
    assert [point(figs, "rapportcijfer", w)["value"] for w in (2016, 2018, 2021)] == pytest.approx([6.5, 7.0, 6.7])
    assert change(figs, "rapportcijfer", 2021, 2018)["diff"] == pytest.approx(-0.3)
    assert change(figs, "rapportcijfer", 2021, 2016)["diff"] == pytest.approx(0.2)


def test_changes_and_their_test(figs):
    c = change(figs, "mdo_aanwezig", 2021, 2016)
    assert c["diff"] == pytest.approx(8 / 10 - 4 / 6)
    # Fisher on (8 yes, 2 no) against (4 yes, 2 no), counted by hand: 4840 / 8008.
    assert (c["test"], c["p_value"]) == ("Fisher exact", pytest.approx(4840 / 8008))
    assert change(figs, "mdo_aanwezig", 2021, 2018)["diff"] == pytest.approx(8 / 10 - 5 / 6)
    assert change(figs, "mdo_aanwezig", 2018, 2016)["diff"] == pytest.approx(5 / 6 - 4 / 6)
    assert change(figs, "snellere_inzet", 2021, 2018)["diff"] == pytest.approx(6 / 9 - 4 / 6)


def test_changed_scale_is_recoded_or_marked_never_silently_compared(figs):
    # snellere_inzet 2016 had four points and no neutral option: no recoding is defensible (issue 11), so the
    # questionnaire declares it not comparable, with the reason.
    p = point(figs, "snellere_inzet", 2016)
    assert p["verdict"] == F.NOT_COMPARABLE and pd.isna(p["value"]) and "neutrale middencategorie" in p["note"]
    for wave in (2018, 2021):
        c = change(figs, "snellere_inzet", wave, 2016)
        assert c["verdict"] == F.NOT_COMPARABLE and pd.isna(c["diff"]) and pd.isna(c["p_value"])
        assert "neutrale middencategorie" in c["note"]
    # vast_contactpersoon 2016 had three points and no declared mapping to four: not comparable (it is mirrored:
    # per sector only).
    p = point(figs, "vast_contactpersoon", 2016, F.ONDERWIJS)
    assert p["verdict"] == F.NOT_COMPARABLE and pd.isna(p["value"]) and "bij de meerderheid" in p["note"]
    c = change(figs, "vast_contactpersoon", 2021, 2016, F.ONDERWIJS)
    assert c["verdict"] == F.NOT_COMPARABLE and pd.isna(c["diff"]) and pd.isna(c["p_value"])
    assert change(figs, "vast_contactpersoon", 2021, 2018, F.ONDERWIJS)["diff"] == pytest.approx(2 / 4 - 2 / 3)


@pytest.mark.parametrize("group, wave, k, n", [
    (F.ONDERWIJS, 2018, 2, 3), (F.ONDERWIJS, 2021, 2, 4), (F.JEUGDHULP, 2018, 2, 3), (F.JEUGDHULP, 2021, 4, 5)])
def test_a_mirrored_item_has_trends_per_sector_only_and_untested(figs, group, wave, k, n):
    p = point(figs, "vast_contactpersoon", wave, group)
    assert (p["k"], p["n"], p["verdict"]) == (k, n, "")
    mine = figs[(figs["item"] == "vast_contactpersoon") & figs["statistic"].isin([F.TREND_POINT, F.TREND])]
    assert not (mine["group"] == F.TOTAAL).any()
    assert mine["p_value"].isna().all()  # per sector a change is given, never tested


def test_not_asked_is_said_and_not_compared(figs):
    assert point(figs, "privacy_afspraken_bekend", 2016)["verdict"] == F.NOT_ASKED
    assert point(figs, "privacy_afspraken_bekend", 2021)["verdict"] == F.NOT_ASKED
    c = change(figs, "privacy_afspraken_bekend", 2018, 2016)
    assert c["verdict"] == F.NOT_ASKED and pd.isna(c["diff"])


def test_trend_table_as_shown_in_the_2021_report(figs, questionnaires):
    history = figs[(figs["region"] == "trendregio") & figs["statistic"].isin([F.TREND_POINT, F.TREND])]
    rows = {r.item.id: r for r in trend_rows(history, questionnaires[2021], 2021)}
    # The items of the 2021 export (the hand-count file), each with its history.
    assert set(rows) == {"mdo_aanwezig", "snellere_inzet", "rapportcijfer",
                         "preventie_signalen", "preventie_afstemming", "evaluatie_gezamenlijk"}
    mdo = rows["mdo_aanwezig"]
    assert [mdo.points[w].k for w in (2016, 2018, 2021)] == [4, 5, 8]
    assert sorted(mdo.changes) == [2016, 2018]
    mirrored = sector_trend_rows(history, questionnaires[2021], 2021)  # no totaal: a row per sector
    assert [(r.item.id, r.group) for r in mirrored] == [("vast_contactpersoon", F.ONDERWIJS),
                                                         ("vast_contactpersoon", F.JEUGDHULP)]
    assert all(r.status[2016] == F.NOT_COMPARABLE for r in mirrored)
    assert rows["rapportcijfer"].is_mark


def test_a_new_questionnaire_does_not_change_the_trends_of_an_earlier_report(tmp_path, questionnaires, figs):
    """Comparability is judged per pair of waves, never against whatever questionnaire is newest."""
    import shutil

    from monitor_aoj.definitions.questionnaire_reader import load_questionnaires

    folder = tmp_path / "vragenlijsten"
    shutil.copytree(QUESTIONNAIRES, folder)
    text = (folder / "aoj_2021.yaml").read_text(encoding="utf-8").replace("meting: 2021", "meting: 2024")
    # In 2024 "vast contactpersoon" became a yes/no question: a different scale.
    text = text.replace("    kolom: T2_1\n    schaal: dekking", "    kolom: T2_1\n    schaal: ja_nee")
    (folder / "aoj_2024.yaml").write_text(text, encoding="utf-8")
    with_2024 = load_questionnaires(folder)
    config = load_config(DATA / "trend", with_2024)
    raws = [read_export(e, with_2024[e.wave]) for e in config.exports]
    later = figures_for(build_responses(raws, with_2024), with_2024, config.settings.minimum_base)
    columns = ["item", "wave", "group", "compare_to", "k", "n", "diff", "p_value", "verdict"]
    before = figs[figs["statistic"] == F.TREND][columns].reset_index(drop=True)
    after = later[later["statistic"] == F.TREND][columns].reset_index(drop=True)
    pd.testing.assert_frame_equal(before, after)
    history = later[later["statistic"].isin([F.TREND_POINT, F.TREND])]
    rows = {r.item.id: r for r in trend_rows(history, with_2024[2021], 2021, F.ONDERWIJS)}
    assert rows["vast_contactpersoon"].status[2018] == ""  # still compared in the 2021 report
