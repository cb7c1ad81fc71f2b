"""A report depends only on its own wave and the waves before it (issue 11, point 2).

Adding a 2024 export to an input with 2016, 2018 and 2021 must leave the 2016, 2018 and 2021 reports and
workbooks byte for byte as they were: same trend rows, same tests, same corrected p-values.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd
import pytest

from monitor_aoj.demo import sample_files, samples
from monitor_aoj.figures import schema as F
from monitor_aoj.figures.comparisons import trend_pairs
from monitor_aoj.pipeline import Paths, run

from conftest import QUESTIONNAIRES
from later_wave import LATER, add_later_wave, questionnaires_with_later_wave

REGIONS = samples.REGIONS[:2]  # an SPSS region and a csv region, so the benchmark has another region too
REGION = REGIONS[0].id
EARLIER = (2016, 2018, 2021)
REPORT_DATE = dt.date(2026, 11, 29)  # reports carry their date; the same date for both runs


def test_each_wave_is_compared_with_the_one_before_and_the_first():
    assert trend_pairs([2016]) == []
    assert trend_pairs([2016, 2018]) == [(2016, 2018)]
    assert trend_pairs([2016, 2018, 2021]) == [(2016, 2018), (2018, 2021), (2016, 2021)]
    assert trend_pairs([2016, 2018, 2021, 2024]) == [(2016, 2018), (2018, 2021), (2021, 2024), (2016, 2021),
                                                     (2016, 2024)]
    # Whatever comes later, the pairs ending in a wave stay the same.
    for later in ([2024], [2024, 2027]):
        assert {p for p in trend_pairs([2016, 2018, 2021] + later) if p[1] <= 2021} == set(
            trend_pairs([2016, 2018, 2021]))


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The pipeline on one sample input, then on the same input with a 2024 wave added (one region's reports)."""
    root = tmp_path_factory.mktemp("later")
    from monitor_aoj.definitions.questionnaire_reader import load_questionnaires

    before_in = root / "invoer"
    sample_files.write_sample(before_in, load_questionnaires(QUESTIONNAIRES), regions=REGIONS)
    questionnaires = questionnaires_with_later_wave(QUESTIONNAIRES, root / "vragenlijsten")
    after_in = add_later_wave(before_in, root / "invoer_2024", questionnaires, regions=REGIONS)
    before = run(Paths(before_in, QUESTIONNAIRES, root / "uit"), region=REGION, report_date=REPORT_DATE)
    after = run(Paths(after_in, questionnaires, root / "uit_2024"), region=REGION, report_date=REPORT_DATE)
    return root, before, after


@pytest.mark.slow
def test_adding_a_later_wave_leaves_the_earlier_reports_byte_identical(runs):
    root, before, after = runs
    assert len(before.reports) == 3 and len(after.reports) == 4
    for wave in EARLIER:
        for ext in ("html", "xlsx"):
            name = f"{REGION}/{wave}/monitor-aoj_{REGION}_{wave}.{ext}"
            assert (root / "uit_2024" / name).read_bytes() == (root / "uit" / name).read_bytes(), name


@pytest.mark.slow
def test_the_later_report_compares_with_its_previous_and_first_wave(runs):
    root, _, _ = runs
    html = (root / "uit_2024" / REGION / str(LATER) / f"monitor-aoj_{REGION}_{LATER}.html").read_text("utf-8")
    assert f"Verandering 2021–{LATER}" in html and f"Verandering 2016–{LATER}" in html
    assert "In 2016 was dit" in html
    said = "De meting van 2024 wordt vergeleken met de meting ervoor (2021) en met de eerste (2016)."
    assert said in " ".join(html.split())
    earlier = (root / "uit" / REGION / "2021" / f"monitor-aoj_{REGION}_2021.html").read_text("utf-8")
    assert "Verandering 2016–2021" in earlier and "In 2016 was dit" in earlier


def test_later_wave_keeps_every_earlier_trend_row_and_p_value(questionnaires, tmp_path):
    """The same on the Figures table, quicker: every row of 2016-2021, corrected p-values included."""
    from monitor_aoj.definitions.questionnaire_reader import load_questionnaires
    from monitor_aoj.definitions.regions import load_config
    from monitor_aoj.ingest.read import read_export
    from monitor_aoj.ingest.responses import build_responses
    from monitor_aoj.pipeline import figures_for

    def figures(folder, qs):
        config = load_config(folder, qs)
        raws = [read_export(e, qs[e.wave]) for e in config.exports]
        return figures_for(build_responses(raws, qs), qs, config.settings.minimum_base)

    regions = samples.REGIONS[:1]
    sample_files.write_sample(tmp_path / "a", questionnaires, regions=regions)
    q_later = questionnaires_with_later_wave(QUESTIONNAIRES, tmp_path / "q")
    add_later_wave(tmp_path / "a", tmp_path / "b", q_later, regions=regions)
    before = figures(tmp_path / "a", questionnaires)
    after = figures(tmp_path / "b", load_questionnaires(q_later))
    trends = before[before["statistic"] == F.TREND]
    assert set(trends.loc[trends["wave"] == 2021, "compare_to"]) == {"2016", "2018"}
    assert trends["p_adjusted"].notna().any()
    key = ["region", "wave", "item", "group_type", "partition", "group", "statistic", "category", "compare_to"]
    mine = after[after["wave"] <= 2021].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(before.sort_values(key).reset_index(drop=True), mine)
    assert set(after.loc[(after["statistic"] == F.TREND) & (after["wave"] == LATER), "compare_to"]) == {"2016", "2021"}


def test_items_first_asked_later_do_not_reach_an_earlier_report(questionnaires, tmp_path):
    """2021 brings items 2016 and 2018 did not have (and a region's extra questions): with 2021 added, the 2018
    report's own figures and trend history are the same rows as without it (no 'niet gevraagd' rows appear)."""
    import yaml

    from monitor_aoj.definitions.regions import load_config
    from monitor_aoj.ingest.read import read_export
    from monitor_aoj.ingest.responses import build_responses
    from monitor_aoj.pipeline import figures_for
    from monitor_aoj.report_workers import _up_to

    def report_rows(folder):
        config = load_config(folder, questionnaires)
        raws = [read_export(e, questionnaires[e.wave]) for e in config.exports]
        figs = figures_for(build_responses(raws, questionnaires), questionnaires, config.settings.minimum_base)
        region = config.regions[0].id
        key = ["wave", "item", "group_type", "partition", "group", "statistic", "category", "compare_to"]
        return [part.sort_values(key).reset_index(drop=True) for part in _up_to(figs, region, 2018)]

    regions = samples.REGIONS[:1]
    sample_files.write_sample(tmp_path / "met", questionnaires, regions=regions)
    shutil.copytree(tmp_path / "met", tmp_path / "zonder")
    config = yaml.safe_load((tmp_path / "zonder" / "regios.yaml").read_text(encoding="utf-8"))
    for region in config["regios"]:
        region["metingen"] = [m for m in region["metingen"] if m["jaar"] < 2021]
    (tmp_path / "zonder" / "regios.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    with_2021, without = report_rows(tmp_path / "met"), report_rows(tmp_path / "zonder")
    new_items = set(with_2021[1]["item"]) ^ set(without[1]["item"])
    assert not new_items
    for a, b in zip(with_2021, without):
        pd.testing.assert_frame_equal(a, b)
