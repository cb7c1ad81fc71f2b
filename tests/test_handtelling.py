"""Every figure of a ten-respondent dataset, counted by hand, asserted.

tests/data/handtelling/handtelling.csv, after reclassifying respondent 9 (a leerplichtambtenaar who ticked
"onderwijs") to jeugdhulp:
  onderwijs = respondents 1-4 (4), jeugdhulp = 5-10 (6), totaal = 10.
"""

from __future__ import annotations

import pytest

from monitor_aoj.definitions.regions import load_config
from monitor_aoj.figures import schema as F
from monitor_aoj.figures.indicators import compute_figures
from monitor_aoj.ingest.read import read_export
from monitor_aoj.ingest.responses import build_responses

from conftest import DATA


@pytest.fixture(scope="module")
def hand(questionnaires):
    config = load_config(DATA / "handtelling", questionnaires)
    raws = [read_export(e, questionnaires[e.wave]) for e in config.exports]
    responses = build_responses(raws, questionnaires)
    return responses, compute_figures(responses, questionnaires)


def fig(figs, item, group, statistic, category=None):
    sel = figs[(figs["item"] == item) & (figs["group"] == group) & (figs["statistic"] == statistic)]
    if category is not None:
        sel = sel[sel["category"] == category]
    assert len(sel) == 1, (item, group, statistic, category, len(sel))
    return sel.iloc[0]


def check(figs, item, group, statistic, category, k, n):
    row = fig(figs, item, group, statistic, category)
    assert (row["k"], row["n"]) == (k, n), (item, group, category)
    assert row["value"] == pytest.approx(k / n)


def test_sector_follows_functie(hand):
    responses, _ = hand
    r = responses.respondents.set_index("respondent")
    assert r.loc["9", "sector_stated"] == "onderwijs"
    assert r.loc["9", "sector"] == "jeugdhulp"
    assert r["sector"].value_counts().to_dict() == {"jeugdhulp": 6, "onderwijs": 4}


def test_yes_no_item(hand):
    _, f = hand
    # T1_1: onderwijs Ja 1,2,4 / Nee 3; jeugdhulp Ja 5,6,7,9,10 / Nee 8.
    check(f, "mdo_aanwezig", "onderwijs", F.SHARE, "1", 3, 4)
    check(f, "mdo_aanwezig", "onderwijs", F.SHARE, "2", 1, 4)
    check(f, "mdo_aanwezig", "jeugdhulp", F.SHARE, "1", 5, 6)
    check(f, "mdo_aanwezig", "totaal", F.SHARE, "1", 8, 10)
    check(f, "mdo_aanwezig", "totaal", F.POSITIVE, "1", 8, 10)
    check(f, "mdo_aanwezig", "totaal", F.NONRESPONSE, "", 0, 10)


def test_coverage_item_with_no_answer_code(hand):
    _, f = hand
    # T2_1: onderwijs Overal 1, meerderheid 4, deel 2, nergens 3; jeugdhulp Overal 5,6, meerderheid 7,9,
    # deel 8, respondent 10 code 99 = geen antwoord.
    for code, k in {"1": 1, "2": 1, "3": 1, "4": 1}.items():
        check(f, "vast_contactpersoon", "onderwijs", F.SHARE, code, k, 4)
    for code, k in {"1": 2, "2": 2, "3": 1, "4": 0}.items():
        check(f, "vast_contactpersoon", "jeugdhulp", F.SHARE, code, k, 5)
    check(f, "vast_contactpersoon", "onderwijs", F.POSITIVE, "1+2", 2, 4)
    check(f, "vast_contactpersoon", "jeugdhulp", F.POSITIVE, "1+2", 4, 5)
    check(f, "vast_contactpersoon", "jeugdhulp", F.NONRESPONSE, "", 1, 6)
    check(f, "vast_contactpersoon", "onderwijs", F.NONRESPONSE, "", 0, 4)
    # Mirrored (each sector asked about the other): two statements, so no totaal (6 of 9 would pool them).
    assert not ((f["item"] == "vast_contactpersoon") & (f["group"] == "totaal")).any()


def test_top2_is_counted_then_rounded_once(hand):
    _, f = hand
    # T2_4 totaal: helemaal eens 3 (1,5,9), eens 3 (2,6,8), neutraal 1, oneens 1, helemaal oneens 1; n = 9
    # (respondent 4 left it blank). Rounded separately 33% + 33% = 66%; counted first 6/9 = 67%.
    from monitor_aoj import dutch as fmt

    check(f, "snellere_inzet", "totaal", F.SHARE, "1", 3, 9)
    check(f, "snellere_inzet", "totaal", F.SHARE, "2", 3, 9)
    top2 = fig(f, "snellere_inzet", "totaal", F.POSITIVE, "1+2")
    assert (top2["k"], top2["n"]) == (6, 9)
    assert fmt.pct(top2["value"]) == "67%"
    check(f, "snellere_inzet", "onderwijs", F.POSITIVE, "1+2", 2, 3)
    check(f, "snellere_inzet", "onderwijs", F.NONRESPONSE, "", 1, 4)
    check(f, "snellere_inzet", "jeugdhulp", F.SHARE, "5", 1, 6)


def test_mark_mean_is_pooled_and_insufficient_share(hand):
    _, f = hand
    # T3_1: onderwijs 7,5,6,8 -> 26/4 = 6,5; jeugdhulp 8,7,4,9,6,7 -> 41/6 = 6,833; totaal 67/10 = 6,7
    # (the mean of the two sector means would be 6,667: totaal is pooled, not averaged).
    assert fig(f, "rapportcijfer", "onderwijs", F.MEAN)["value"] == pytest.approx(6.5)
    assert fig(f, "rapportcijfer", "jeugdhulp", F.MEAN)["value"] == pytest.approx(41 / 6)
    total = fig(f, "rapportcijfer", "totaal", F.MEAN)
    assert (total["value"], total["n"]) == (pytest.approx(6.7), 10)
    # Onvoldoende (5 or lower): respondent 2 (5) and respondent 7 (4).
    check(f, "rapportcijfer", "onderwijs", F.INSUFFICIENT, "<=5", 1, 4)
    check(f, "rapportcijfer", "jeugdhulp", F.INSUFFICIENT, "<=5", 1, 6)
    check(f, "rapportcijfer", "totaal", F.INSUFFICIENT, "<=5", 2, 10)
    check(f, "rapportcijfer", "totaal", F.SHARE, "7", 3, 10)


def test_filtered_item_uses_the_filtered_base(hand):
    _, f = hand
    # T4_2 is asked only of those with T4_1 = Ja: onderwijs 1,2,4 (Ja, Nee, Ja); jeugdhulp 5,6,7,9,10
    # (Ja, Ja, Nee, Ja, 99).
    check(f, "preventie_afstemming", "onderwijs", F.POSITIVE, "1", 2, 3)
    check(f, "preventie_afstemming", "jeugdhulp", F.POSITIVE, "1", 3, 4)
    check(f, "preventie_afstemming", "totaal", F.POSITIVE, "1", 5, 7)
    check(f, "preventie_afstemming", "jeugdhulp", F.NONRESPONSE, "", 1, 5)
    check(f, "preventie_afstemming", "totaal", F.NONRESPONSE, "", 1, 8)


def test_dont_know_counts_in_the_base(hand):
    _, f = hand
    # T5_1: onderwijs Ja 1,4 / Nee 2 / Weet 3; jeugdhulp Ja 5,7,9,10 / Nee 8 / Weet 6.
    check(f, "evaluatie_gezamenlijk", "onderwijs", F.SHARE, "3", 1, 4)
    check(f, "evaluatie_gezamenlijk", "onderwijs", F.POSITIVE, "1", 2, 4)
    check(f, "evaluatie_gezamenlijk", "jeugdhulp", F.POSITIVE, "1", 4, 6)
    check(f, "evaluatie_gezamenlijk", "totaal", F.SHARE, "2", 2, 10)
    check(f, "evaluatie_gezamenlijk", "totaal", F.SHARE, "3", 2, 10)


def test_background_counts_state_their_base(hand):
    _, f = hand
    # Functie: jeugdhulp has two leerplichtambtenaren (7 and 9) of 6; of all 10 that is 2.
    check(f, "functie", "jeugdhulp", F.COUNT, "14", 2, 6)
    check(f, "functie", "totaal", F.COUNT, "14", 2, 10)
    check(f, "functie", "onderwijs", F.COUNT, "1", 1, 4)
    # Schooltype vo (3): 1,2,4 (onderwijs), 5,6,9 (jeugdhulp).
    check(f, "schooltype", "onderwijs", F.COUNT, "3", 3, 4)
    check(f, "schooltype", "totaal", F.COUNT, "3", 6, 10)
    check(f, "sector", "totaal", F.COUNT, "onderwijs", 4, 10)


def test_items_not_in_the_export_have_no_figures(hand):
    _, f = hand
    assert "mdo_ouders" not in set(f["item"])
    assert "extra_jg_coach_preventief" not in set(f["item"])


def test_open_answers_are_kept_as_typed(hand):
    responses, _ = hand
    o = responses.open_answers
    assert sorted(o["text"]) == ["Korte lijnen houden", "Vaker samen om tafel"]
    assert set(o["sector"]) == {"onderwijs", "jeugdhulp"}
