"""Stage 7a, render: the HTML report of one region and wave.

One self-contained file: styles inline, plotly.js inline once (never from a CDN), chart specs as one JSON
block. Jinja2 autoescapes everything, so text from an export can never become markup.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import jinja2

from monitor_aoj import __version__, charts, narrative
from monitor_aoj import figures as F
from monitor_aoj import format as fmt
from monitor_aoj.tables import (GROUP_LABELS, ReportInput, background_table, benchmark_rows, item_table,
                                sector_sizes, theme_items, trend_rows)

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(pct=fmt.pct, decimal=fmt.decimal, integer=fmt.integer, datum=fmt.date, points=fmt.points,
                       pct_interval=fmt.pct_interval, mark_interval=fmt.mark_interval, p_value=fmt.p_value,
                       mark_points=fmt.mark_points)
    env.globals["group_label"] = GROUP_LABELS
    return env


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def _json_for_script(value: object) -> str:
    # Inside <script>, "</" would end the element; escape "<" so no text can break out.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def build_context(data: ReportInput) -> dict:
    q = data.questionnaire
    figs = data.figures
    chart_specs: dict[str, dict] = {}
    themes = []
    for theme in q.themes:
        items = []
        for item in theme_items(q, figs, theme.id):
            table = item_table(figs, item)
            if table is None:
                continue
            chart_id = f"grafiek-{item.id}"
            chart_specs[chart_id] = charts.item_chart(table)
            items.append({"item": item, "table": table, "chart_id": chart_id,
                          "summary": narrative.item_summary(table)})
        if items:
            themes.append({"theme": theme, "questions": items})
    sizes = sector_sizes(figs)
    return {
        "title": "Onderzoeksresultaten Monitor Aansluiting Onderwijs Jeugd",
        "region": data.region,
        "wave": data.wave,
        "introduction": narrative.introduction(data.region.name, data.region.commissioner,
                                               data.region.export(data.wave).fieldwork, data.wave, data.earlier_waves),
        "report_date": data.report_date,
        "earlier_waves": data.earlier_waves,
        "sizes": sizes,
        "functies": background_table(figs, "functie"),
        "schooltypes": background_table(figs, "schooltype"),
        "themes": themes,
        "files": data.files,
        "accounting": data.accounting,
        "trends": trend_rows(data.history, q, data.wave),
        "trend_waves": sorted({int(w) for w in data.history["wave"]}) if len(data.history) else [data.wave],
        "benchmarks": benchmark_rows(figs, q),
        "minimum_base": data.minimum_base,
        "version": __version__,
        "groups": F.SECTOR_GROUPS,
        "chart_json": _json_for_script(chart_specs),
        "plotly_js": _plotly_js(),
    }


def render_report(data: ReportInput) -> str:
    template = _environment().get_template("rapport.html.j2")
    return template.render(**build_context(data))
