"""Issue 14: the display tables of a report are built once, in one pass over its figures, and the HTML report,
the Word document and the workbook read the same objects."""

from __future__ import annotations

import dataclasses
import math

import pytest

from monitor_aoj.figures import schema as F
from monitor_aoj.report.comparison_rows import sector_trend_rows, trend_rows
from monitor_aoj.report.tables import item_table, item_tables

from test_method import report_input, sample  # noqa: F401 (sample: the sample's figures, a fixture)


@pytest.fixture(scope="module")
def data(sample, questionnaires):
    config, figs = sample
    return report_input(config, figs, questionnaires, "beekdal-noord", 2021)


def closed(data):
    return [it for it in data.questionnaire.items if not it.is_open]


def test_one_pass_gives_what_one_item_at_a_time_gives(data):
    one_by_one = {it.id: item_table(data.figures, it) for it in closed(data)}
    tables = item_tables(data.figures, closed(data))
    assert tables == {k: v for k, v in one_by_one.items() if v is not None}
    assert list(tables) == [k for k, v in one_by_one.items() if v is not None]  # questionnaire order
    assert len(tables) >= 10 and any(t.mean is not None for t in tables.values())


def test_every_cell_is_its_row_of_the_figures(data):
    figs = data.figures
    shares = figs[figs["statistic"] == F.SHARE]
    checked = 0
    for item_id, table in item_tables(figs, closed(data)).items():
        mine = shares[shares["item"] == item_id]
        orders = [int(mine.loc[mine["category"] == r.category, "order"].iloc[0]) for r in table.rows]
        assert orders == sorted(orders)  # scale order
        for row in table.rows:
            for group, cell in row.cells.items():
                rec = mine[(mine["category"] == row.category) & (mine["group"] == group)].iloc[0]
                assert cell.suppressed == bool(rec["suppressed"])
                if math.isnan(rec["value"]):
                    assert cell.value is None
                else:
                    assert cell.value == rec["value"] and cell.k == rec["k"] and cell.n == rec["n"]
                checked += 1
    assert checked > 100


def test_a_report_builds_its_tables_once(data):
    assert data.item_tables is data.item_tables
    assert data.trends is data.trends and data.sector_trends is data.sector_trends
    assert data.benchmarks is data.benchmarks
    assert data.trends == trend_rows(data.history, data.questionnaire, data.wave)
    assert data.sector_trends == sector_trend_rows(data.history, data.questionnaire, data.wave)
    # Kept beside the input, not in it: a copy made from its fields builds its own.
    assert "item_tables" not in data.__dict__
    copy = dataclasses.replace(data, figures=data.figures.copy())
    assert copy.item_tables is not data.item_tables and copy.item_tables == data.item_tables
