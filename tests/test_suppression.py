"""Minimum base: a hidden figure cannot be shown, and cannot be worked out from what is shown.

The hand-count data with a minimum base of 5: onderwijs has 4 respondents (hidden), jeugdhulp 6 (hidden as well,
or totaal minus jeugdhulp would give onderwijs away), totaal 10 (shown).
"""

from __future__ import annotations

import pandas as pd
import pytest

from monitor_aoj.definitions.regions import load_config
from monitor_aoj.figures import schema as F
from monitor_aoj.figures.suppression import UNIT
from monitor_aoj.ingest.read import read_export
from monitor_aoj.ingest.responses import build_responses
from monitor_aoj.pipeline import figures_for

from conftest import DATA, SAMPLES

HIDDEN_COLUMNS = ["k", "value", "ci_low", "ci_high"]


def figures(folder, questionnaires, minimum):
    config = load_config(folder, questionnaires)
    raws = [read_export(e, questionnaires[e.wave]) for e in config.exports]
    return figures_for(build_responses(raws, questionnaires), questionnaires, minimum)


@pytest.fixture(scope="module")
def small(questionnaires):
    return figures(DATA / "handtelling", questionnaires, 5)


@pytest.fixture(scope="module", params=[5, 12])
def sample(request, questionnaires, sample_figures):
    config, figs = sample_figures
    if request.param == config.settings.minimum_base:  # the sample's own minimum: the session's figures
        return figs, request.param
    return figures(SAMPLES, questionnaires, request.param), request.param


def rows(figs, item, group, statistic):
    return figs[(figs["item"] == item) & (figs["group"] == group) & (figs["statistic"] == statistic)]


def test_both_sectors_hidden_totaal_shown(small):
    for statistic in (F.SHARE, F.POSITIVE, F.NONRESPONSE):
        for group in (F.ONDERWIJS, F.JEUGDHULP):
            part = rows(small, "mdo_aanwezig", group, statistic)
            assert part["suppressed"].all(), (statistic, group)
            assert part[HIDDEN_COLUMNS].isna().all().all(), (statistic, group)
            # Who were asked is not secret; who answered is (asked minus answered gives the non-response).
            assert part["n"].notna().all() if statistic == F.NONRESPONSE else part["n"].isna().all()
    total = rows(small, "mdo_aanwezig", F.TOTAAL, F.POSITIVE).iloc[0]
    assert (total["k"], total["n"], total["suppressed"]) == (8, 10, False)


def test_mark_mean_and_insufficient_hidden_too(small):
    for statistic in (F.MEAN, F.INSUFFICIENT):
        part = rows(small, "rapportcijfer", F.ONDERWIJS, statistic)
        assert part["suppressed"].all() and part["value"].isna().all() and part["ci_low"].isna().all()


def test_no_test_for_a_hidden_group(small):
    tests = small[small["statistic"] == F.SECTOR_TEST]
    assert (tests["verdict"] == F.NOT_TESTED).all()
    assert tests[["diff", "p_value", "p_adjusted"]].isna().all().all()


def test_breakdown_of_a_hidden_sector_is_hidden(small):
    part = small[(small["group_type"] == "functie") & small["partition"].isin([F.ONDERWIJS, F.JEUGDHULP])]
    assert len(part) and part["suppressed"].all() and part["value"].isna().all()


def test_the_hidden_value_cannot_be_derived_from_totaal_minus_the_other_sector(small):
    for statistic in (F.SHARE, F.POSITIVE):
        shown = small[(small["statistic"] == statistic) & ~small["suppressed"]]
        for (item, category), part in shown.groupby(["item", "category"]):
            groups = set(part["group"])
            if F.TOTAAL in groups:
                # totaal with exactly one sector would give the other away
                assert (F.ONDERWIJS in groups) == (F.JEUGDHULP in groups), (item, category)


def test_outputs_show_nothing_for_hidden_groups(tmp_path):
    import shutil
    import subprocess
    import sys

    import openpyxl

    from conftest import QUESTIONNAIRES, ROOT
    from htmltables import tables

    shutil.copy(DATA / "handtelling" / "handtelling.csv", tmp_path)
    (tmp_path / "regios.yaml").write_text(
        "instellingen:\n  minimum_basis: 5\nregios:\n  - id: klein\n    metingen:\n"
        "      - {jaar: 2021, bestand: handtelling.csv, codes: vragenlijst}\n", encoding="utf-8")
    out = tmp_path / "uit"
    subprocess.run([sys.executable, "-m", "monitor_aoj", "rapport", "--invoer", str(tmp_path), "--uitvoer", str(out),
                    "--vragenlijsten", str(QUESTIONNAIRES)], cwd=ROOT, capture_output=True, timeout=300)
    html = (out / "klein" / "2021" / "monitor-aoj_klein_2021.html").read_text(encoding="utf-8")
    table = tables(html)["tabel-mdo_aanwezig"]
    header = table[0]
    answers = [row for row in table if row[0] in ("Ja", "Nee")]
    assert len(answers) == 2
    for row in answers:
        assert row[header.index("Onderwijs")] == "n.b." and row[header.index("Jeugdhulp")] == "n.b."
        assert row[header.index("Totaal")].endswith("%")
    sheet = openpyxl.load_workbook(out / "klein" / "2021" / "monitor-aoj_klein_2021.xlsx")["Alle cijfers"]
    head = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if row[head.index("Onderdrukt")] == "ja":
            assert all(row[head.index(c)] is None for c in ("Aantal (k)", "Waarde", "95%-BI onder", "95%-BI boven",
                                                             "Verschil", "p-waarde"))


def test_n_zero_and_n_one(questionnaires, tmp_path):
    """One jeugdhulp respondent, nobody from onderwijs, minimum base 1: n = 1 is shown with its interval,
    n = 0 shows nothing and nothing is tested."""
    source = (DATA / "handtelling" / "handtelling.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "een.csv").write_text("\n".join([source[0], source[5]]) + "\n", encoding="utf-8")
    (tmp_path / "regios.yaml").write_text(
        "instellingen:\n  minimum_basis: 1\nregios:\n  - id: een\n    metingen:\n"
        "      - {jaar: 2021, bestand: een.csv, codes: vragenlijst}\n", encoding="utf-8")
    figs = figures(tmp_path, questionnaires, 1)
    one = rows(figs, "mdo_aanwezig", F.JEUGDHULP, F.POSITIVE).iloc[0]
    assert (one["k"], one["n"], one["value"]) == (1, 1, 1.0)
    assert one["ci_low"] == pytest.approx(0.2065, abs=1e-4) and one["ci_high"] == 1.0
    zero = rows(figs, "mdo_aanwezig", F.ONDERWIJS, F.POSITIVE).iloc[0]
    assert zero["n"] == 0 and pd.isna(zero["value"]) and pd.isna(zero["ci_low"]) and not zero["suppressed"]
    mean = rows(figs, "rapportcijfer", F.JEUGDHULP, F.MEAN).iloc[0]
    assert mean["value"] == 8 and pd.isna(mean["ci_low"])  # one mark: a mean, no interval
    test = figs[(figs["statistic"] == F.SECTOR_TEST) & (figs["item"] == "mdo_aanwezig")].iloc[0]
    assert test["verdict"] == F.NOT_TESTED and pd.isna(test["p_value"])
    assert not (figs["statistic"] == F.BENCHMARK).any()  # the only region: no comparison (the report says so once)


def _whole_of(partition: str, group_type: str) -> tuple[str, str, str]:
    """(partition, group_type, group) of the whole a member belongs to."""
    if partition == F.TOTAAL:
        return "", "totaal", F.TOTAAL
    return F.TOTAAL, "sector", partition


def unit_rows(spec):
    """Figures rows for one item: (group_type, group, partition, k, n) -> a positive share per unit."""
    rows = [{"region": "r", "wave": 2021, "theme": "t", "item": "x", "group_type": gt, "group": g, "partition": p,
             "statistic": F.POSITIVE, "category": "1", "label": "ja", "order": -1, "k": k, "n": n,
             "value": k / n if n else float("nan")} for gt, g, p, k, n in spec]
    return F.conform(pd.DataFrame(rows))


def hidden_groups(figs):
    return set(figs.loc[figs["suppressed"], "group"])


def test_two_small_members_hidden_together_still_need_the_minimum():
    # Jeugdhulp 39 of 49; functies 20 + 25 shown would leave the two small ones (3 and 1) at 4 of 4.
    from monitor_aoj.figures.suppression import suppress

    figs = suppress(unit_rows([
        ("totaal", F.TOTAAL, "", 60, 80), ("sector", F.ONDERWIJS, F.TOTAAL, 21, 31),
        ("sector", F.JEUGDHULP, F.TOTAAL, 39, 49),
        ("functie", "functie:11", F.JEUGDHULP, 15, 20), ("functie", "functie:12", F.JEUGDHULP, 20, 25),
        ("functie", "functie:17", F.JEUGDHULP, 3, 3), ("functie", "functie:20", F.JEUGDHULP, 1, 1)]), 5)
    assert {"functie:17", "functie:20", "functie:11"} <= hidden_groups(figs)
    assert "functie:12" not in hidden_groups(figs)


def test_a_hidden_sector_hides_the_breakdowns_that_cross_it():
    # 3 onderwijs respondents; the 43 in jeugdhulp left schooltype empty: "niet ingevuld" would be jeugdhulp.
    from monitor_aoj.figures.suppression import suppress

    figs = suppress(unit_rows([
        ("totaal", F.TOTAAL, "", 45, 46), ("sector", F.ONDERWIJS, F.TOTAAL, 3, 3),
        ("sector", F.JEUGDHULP, F.TOTAAL, 42, 43),
        ("schooltype", "schooltype:", F.TOTAAL, 42, 43), ("schooltype", "schooltype:3", F.TOTAAL, 3, 3)]), 5)
    assert {F.ONDERWIJS, F.JEUGDHULP, "schooltype:", "schooltype:3"} <= hidden_groups(figs)
    assert F.TOTAAL not in hidden_groups(figs)


def test_a_group_as_large_as_a_hidden_one_in_another_breakdown_is_hidden():
    from monitor_aoj.figures.suppression import suppress

    figs = suppress(unit_rows([
        ("totaal", F.TOTAAL, "", 50, 60), ("sector", F.ONDERWIJS, F.TOTAAL, 20, 30),
        ("sector", F.JEUGDHULP, F.TOTAAL, 30, 30),
        ("functie", "functie:11", F.JEUGDHULP, 18, 21), ("functie", "functie:12", F.JEUGDHULP, 6, 6),
        ("functie", "functie:17", F.JEUGDHULP, 3, 3),
        ("schooltype", "schooltype:1", F.TOTAAL, 6, 6), ("schooltype", "schooltype:3", F.TOTAAL, 44, 54)]), 5)
    # functie 17 (3) is hidden, functie 12 (6) with it; schooltype 1 also has 6 respondents: perhaps the same.
    assert {"functie:17", "functie:12", "schooltype:1"} <= hidden_groups(figs)


def test_no_whole_ever_gives_its_hidden_members_away(sample):
    figs, minimum = sample
    base = figs[figs["statistic"].isin([F.SHARE, F.POSITIVE, F.MEAN, F.COUNT])]
    units = base.groupby(UNIT, as_index=False).agg(n=("n", "max"), hidden=("suppressed", "all"))
    status = {tuple(u[:6]): u.hidden for u in units.itertuples(index=False)}
    checked = 0
    for (region, wave, item, partition, group_type), part in units[units["partition"] != ""].groupby(
            ["region", "wave", "item", "partition", "group_type"]):
        whole = (region, wave, item) + _whole_of(partition, group_type)
        filled = part[part["n"] > 0]
        if status.get(whole, False):
            assert filled["hidden"].all(), whole  # a hidden whole hides its members
        else:
            secret = filled[filled["hidden"]]
            # none hidden, or at least two that together reach the minimum, or every member
            assert len(secret) == 0 or len(secret) == len(filled) or (
                len(secret) >= 2 and secret["n"].sum() >= minimum), (whole, group_type)
        assert (part.loc[part["n"].between(1, minimum - 1), "hidden"]).all()
        checked += 1
    assert checked > 500


def test_hidden_units_have_no_numbers_anywhere(sample):
    figs, _ = sample
    hidden = figs[figs["suppressed"]]
    assert len(hidden) > 0
    assert hidden[HIDDEN_COLUMNS].isna().all().all()
    trends = figs[(figs["statistic"] == F.TREND) & figs["suppressed"]]
    assert trends[["diff", "p_value"]].isna().all().all()


def test_benchmark_pools_only_regions_with_enough_respondents(questionnaires):
    # Polderrijk 2016 has 31 respondents: below a minimum base of 40 it stays out of every pool.
    figs = figures(SAMPLES, questionnaires, 40)
    bench = figs[(figs["statistic"] == F.BENCHMARK) & (figs["wave"] == 2016) & (figs["item"] == "mdo_aanwezig")]
    lind = bench[bench["region"] == "lindewaard"].iloc[0]
    others = figs[(figs["statistic"] == F.POSITIVE) & (figs["wave"] == 2016) & (figs["item"] == "mdo_aanwezig")
                  & (figs["group"] == F.TOTAAL) & figs["region"].isin(["beekdal-noord", "duinhoven"])]
    assert lind["compare_to"] == "de twee andere regio's in deze rapportage"
    # Each region weighted equally: the mean of their own figures; k counts the regions.
    assert (lind["k"], lind["n"]) == (2, others["n"].sum())
    assert lind["value"] == pytest.approx(others["value"].mean())
    assert (lind["ci_low"], lind["ci_high"]) == (others["value"].min(), others["value"].max())
    polder = bench[bench["region"] == "polderrijk"].iloc[0]
    assert polder["verdict"] == F.NOT_TESTED and pd.isna(polder["diff"])  # its own figure is hidden


def test_a_region_smaller_than_the_minimum_gets_a_report_and_does_not_stop_the_others(tmp_path):
    import subprocess
    import sys

    from conftest import QUESTIONNAIRES, ROOT

    lines = (DATA / "handtelling" / "handtelling.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "klein.csv").write_text("\n".join(lines[:5]) + "\n", encoding="utf-8")  # 4 respondents
    (tmp_path / "groot.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "regios.yaml").write_text(
        "regios:\n  - id: klein\n    metingen:\n      - {jaar: 2021, bestand: klein.csv, codes: vragenlijst}\n"
        "  - id: groot\n    metingen:\n      - {jaar: 2021, bestand: groot.csv, codes: vragenlijst}\n",
        encoding="utf-8")
    out = tmp_path / "uit"
    proc = subprocess.run([sys.executable, "-m", "monitor_aoj", "rapport", "--invoer", str(tmp_path), "--uitvoer",
                           str(out), "--vragenlijsten", str(QUESTIONNAIRES)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr
    small = (out / "klein" / "2021" / "monitor-aoj_klein_2021.html").read_text(encoding="utf-8")
    assert (out / "groot" / "2021" / "monitor-aoj_groot_2021.html").exists()
    assert "4 professionals" in small
    from htmltables import tables

    for row in tables(small)["tabel-mdo_aanwezig"]:
        if row[0] in ("Ja", "Nee"):  # onderwijs 4 and totaal 4: hidden; jeugdhulp 0: nothing to show
            assert row[1:] == ["n.b.", "–", "n.b."]
