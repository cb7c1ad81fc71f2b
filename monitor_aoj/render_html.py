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
                                open_question, sector_sizes, theme_items, trend_rows)

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
    opens = data.open_answers
    quotes = opens.quotes if opens is not None else None
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
        open_questions = []
        for item in theme_items(q, figs, theme.id, open_items=True):
            quiet = frozenset(code for i, code in opens.unquotable if i == item.id) if opens is not None else frozenset()
            question = open_question(figs, quotes, item, quiet) if quotes is not None else None
            if question is not None:
                open_questions.append({"question": question, "sentences": narrative.open_question_summary(question)})
        if items or open_questions:
            themes.append({"theme": theme, "questions": items, "open_questions": open_questions})
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
        "replacements": _replacements(opens),
        "review": _review_status(opens),
        "max_quotes": data.max_quotes,
        "version": __version__,
        "groups": F.SECTOR_GROUPS,
        "chart_json": _json_for_script(chart_specs),
        "plotly_js": _plotly_js(),
    }


KIND_LABELS = {"naam": "namen", "organisatie": "namen van organisaties of scholen", "e-mail": "e-mailadressen",
               "telefoonnummer": "telefoonnummers", "postcode": "postcodes", "adres": "adressen",
               "bsn": "BSN-achtige nummers", "website": "webadressen"}


def _replacements(opens) -> list[tuple[str, int]]:
    """What the anonymiser replaced in this region and wave: counts per kind, never the content."""
    if opens is None or opens.replacements.empty:
        return []
    totals = opens.replacements.groupby("kind")["count"].sum()
    return [(KIND_LABELS.get(kind, kind), int(totals[kind])) for kind in KIND_LABELS if kind in totals]


def _review_status(opens) -> dict[str, int]:
    if opens is None or opens.answers.empty:
        return {"total": 0, "reviewed": 0, "changed": 0}
    a = opens.answers
    return {"total": len(a), "reviewed": int(a["reviewed"].sum()), "changed": int(a["changed"].sum())}


def render_report(data: ReportInput) -> str:
    template = _environment().get_template("rapport.html.j2")
    return template.render(**build_context(data))
