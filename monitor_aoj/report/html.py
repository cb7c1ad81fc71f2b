"""The HTML report of one region and wave.

One self-contained file: styles inline, charts as inline SVG (charts.py), no script at all. Jinja2 autoescapes
everything, so text from an export can never become markup; the coordinator's own Markdown is rendered with raw
HTML off for the same reason.

Order: title page, Bestuurlijke samenvatting, contents, introduction, one overview chart per theme, development,
comparison, conclusion and recommendations; then the appendix "Tabellen per vraag" with every figure per statement,
and the Verantwoording. p-values and test names stand only in the appendix and the Verantwoording.
"""

from __future__ import annotations

import platform
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import jinja2
import pandas as pd

from monitor_aoj import __version__
from monitor_aoj import dutch as fmt
from monitor_aoj.definitions.references import REFERENCE_RULE, references_for
from monitor_aoj.dutch import GROUP_LABELS, HIDDEN, HIDDEN_LEGEND, HIDDEN_MARK, REPLACED_KIND_LABELS, VERDICT_LABELS
from monitor_aoj.figures import comparisons, statistics
from monitor_aoj.figures import schema as F
from monitor_aoj.figures.comparisons import BENCHMARK_NOT_TESTED, BENCHMARK_POOLING, NO_BENCHMARK, comparison_group
from monitor_aoj.outputs import TEMPLATES
from monitor_aoj.report import (
    charts,
    introduction,
    method_notes,
    narrative,
    open_answer_text,
    phrases,
    recommendations,
    summary,
    trend_sentences,
    word_rule,
)
from monitor_aoj.report.cells import Cell
from monitor_aoj.report.chart_drawing import Chart
from monitor_aoj.report.markup import bases_unbroken, coordinator_html
from monitor_aoj.report.model import ReportInput
from monitor_aoj.report.tables import (
    ItemTable,
    OpenQuestion,
    background_table,
    nonresponse_range,
    open_question,
    responses,
    sector_sizes,
    theme_items,
)

if TYPE_CHECKING:
    from monitor_aoj.definitions.questionnaire import Item
    from monitor_aoj.open_answers.answers import OpenAnswers

Context = dict[str, Any]  # what a template reads: names of the template -> values of any kind


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
                       mark_points=fmt.mark_points, difference=fmt.difference)
    # The labels of coded values and the words for a hidden figure, from the one table in dutch.py.
    env.globals.update(group_label=GROUP_LABELS, verdict_label=VERDICT_LABELS, hidden=HIDDEN, hidden_mark=HIDDEN_MARK,
                       hidden_legend=HIDDEN_LEGEND)
    env.globals["answered"] = open_answer_text.open_answered
    return env


# Quotes per open question in the body (the appendix has them all): enough to hear the respondents' voice.
BODY_QUOTES = 2


def _headline(table: ItemTable) -> Cell | None:
    """The region's own headline cell (all respondents): the mean mark, or the positive share."""
    row = table.mean if table.mean is not None else table.positive
    return row.cells.get(F.TOTAAL) if row is not None else None


def _benchmark_missing(tables: list[ItemTable], benchmarks: dict, wave: int, minimum: int) -> str:
    """One sentence for the items of this report that no other region asked: they are left out of the chapter.
    A mirrored item (Item.per_sector) is never compared with other regions; the Leeswijzer says why."""
    missing = [t.item.short for t in tables if t.item.id not in benchmarks and not t.item.per_sector]
    if not benchmarks or not missing:
        return ""
    which = f"de vraag '{missing[0]}'" if len(missing) == 1 else f"{len(missing)} vragen"
    return (f"Voor {which} heeft geen andere regio in deze rapportage in {wave} dezelfde vraag gesteld aan minstens "
            f"{minimum} respondenten; {'die vraag staat' if len(missing) == 1 else 'die staan'} niet in de tabel.")


def _reference_rows(tables: list[ItemTable], references: dict) -> list[dict]:
    """Per item and group with a reference value: the region's own figure beside it, in report order."""
    rows = []
    for table in tables:
        own = table.mean if table.mean is not None else table.positive
        for group in (F.TOTAAL, F.ONDERWIJS, F.JEUGDHULP):
            ref = references.get((table.item.id, group))
            if ref is not None and own is not None:
                rows.append({"item": table.item, "group": group, "own": own.cells.get(group), "reference": ref})
    return rows


def _open_question(figs: pd.DataFrame, opens: OpenAnswers | None, item: Item) -> Context | None:
    if opens is None:
        return None
    quiet = frozenset(code for i, code in opens.unquotable if i == item.id)
    reviewed = opens.review_by_item().get(item.id, {}).get("reviewed", 0)
    question = open_question(figs, opens.quotes, item, quiet, reviewed=reviewed)
    if question is None:
        return None
    return {"question": question, "sentences": open_answer_text.open_question_summary(question),
            "top": open_answer_text.open_question_summary(question)[:recommendations.MAX_POINTS],
            "body_quotes": _body_quotes(question),
            "note": open_answer_text.coding_note(question)}  # the "Overig" share and the review status


def _body_quotes(question: OpenQuestion) -> list[str]:
    """At most BODY_QUOTES quotes for the body: one from each of the most mentioned sub-themes in turn."""
    labels = {r.label: r.category for r in question.rows}
    pools = [list(question.quotes.get(labels[label], ())) for label, _, _ in open_answer_text.mentions(question)]
    chosen: list[str] = []
    while len(chosen) < BODY_QUOTES and any(pools):
        for pool in pools:
            if pool and len(chosen) < BODY_QUOTES:
                chosen.append(pool.pop(0))
    return chosen


def build_context(data: ReportInput) -> dict:
    """Everything the template shows, in report order. The template only lays it out.

    "charts" is the list of chart_drawing.Chart in the order they stand in the report (the Word document and the chart
    folder use the same list)."""
    q = data.questionnaire
    figs = data.figures
    report_charts: list[Chart] = []
    trends = {r.item.id: r for r in data.trends}
    sector_trends: dict[str, list] = {}  # mirrored items: no totaal, a trend row per sector
    for r in data.sector_trends:
        sector_trends.setdefault(r.item.id, []).append(r)
    trend_waves = sorted({int(w) for w in data.history["wave"]}) if len(data.history) else [data.wave]
    benchmarks = {r.item.id: r for r in data.benchmarks}
    references = references_for(q, data.references, data.wave,
                                frozenset(dict(data.region.export(data.wave).mapping.scales)))
    chapter_items = {c.item for c in q.chapters}
    opens = data.open_answers
    bases = phrases.filtered_bases(q)

    themes: list[Context] = []
    tables: list[ItemTable] = []
    for theme in q.themes:
        blocks: list[Context] = []
        for item in theme_items(q, figs, theme.id):
            table = data.item_tables.get(item.id)
            if table is None:
                continue
            tables.append(table)
            # Everything per statement goes to the appendix; the theme links to it.
            blocks.append({"item": item, "table": table,
                           "sentences": [s for s in (
                               narrative.item_summary(table, bases.get(item.id, "")),
                               narrative.sector_comparison(table), narrative.striking(table),
                               narrative.reference_sentence(references, item.id, _headline(table)),
                               trend_sentences.trend_sentence(trends[item.id], data.wave) if item.id in trends else
                               trend_sentences.sector_trend_sentence(sector_trends.get(item.id, []), data.wave),
                               narrative.benchmark_sentence(benchmarks[item.id]) if item.id in benchmarks
                               else "") if s]})
        opened = [o for o in (_open_question(figs, opens, it)
                              for it in theme_items(q, figs, theme.id, open_items=True) if it.id not in chapter_items)
                  if o is not None]
        if blocks or opened:
            theme_id = f"thema-{theme.id}"
            title = f"{theme.number}. {theme.title}"
            overview = charts.theme_overview(f"grafiek-{theme_id}", f"{title}: percentage positief per stelling, "
                                             "onderwijs en jeugdhulp", [b["table"] for b in blocks])
            if overview is not None:
                report_charts.append(overview)
            themes.append({"theme": theme, "id": theme_id, "title": title, "questions": blocks,
                           "open_questions": opened, "chart": overview,
                           "sentences": summary.theme_summary([b["table"] for b in blocks], bases)})
    chapters: list[Context] = []
    for chapter in q.chapters:
        found = _open_question(figs, opens, q.item(chapter.item)) if q.has_item(chapter.item) else None
        if found is not None:
            chapters.append({"id": f"hoofdstuk-{chapter.item}", "title": chapter.title, **found})

    trend_charts = []
    mark_table = next((t for t in tables if t.mean is not None), None)
    if data.earlier_waves:
        if mark_table is not None and mark_table.item.id in trends:
            line = charts.mark_trend("grafiek-trend-rapportcijfer", "Gemiddeld rapportcijfer per meting, alle "
                                     "respondenten (met 95%-betrouwbaarheidsinterval)", trends[mark_table.item.id],
                                     trend_waves)
            if line is not None:
                trend_charts.append(line)
        for t in themes:
            lines = charts.theme_trends(f"grafiek-trend-{t['id']}", f"{t['title']}: percentage positief per meting, "
                                        "alle respondenten",
                                        [trends[b["item"].id] for b in t["questions"] if b["item"].id in trends],
                                        trend_waves)
            if lines is not None:
                trend_charts.append(lines)
    report_charts += trend_charts

    sizes = sector_sizes(figs)
    functies = background_table(figs, "functie")
    # A theme of regional extra questions only is not one of the monitor's themes; the questionnaire marks them.
    items_of = {t["id"]: [b["item"] for b in t["questions"]] + [o["question"].item for o in t["open_questions"]]
                for t in themes}
    regular = [t for t in themes if not all(it.regional for it in items_of[t["id"]])]
    extras = [it.short for t in themes for it in items_of[t["id"]] if it.regional]
    benchmark_chart = charts.benchmark_dots("grafiek-benchmark", "Deze regio naast de andere regio's: percentage "
                                            "positief, alle respondenten", list(benchmarks.values()))
    if benchmark_chart is not None:
        report_charts.append(benchmark_chart)
    mark_sentences = []
    if mark_table is not None:
        item_id = mark_table.item.id
        mark_sentences = [trend_sentences.trend_sentence(trends[item_id], data.wave) if item_id in trends else "",
                          narrative.benchmark_sentence(benchmarks[item_id]) if item_id in benchmarks else "",
                          narrative.reference_sentence(references, item_id, _headline(mark_table))]
    questions = [o["question"] for t in themes for o in t["open_questions"]] + [c["question"] for c in chapters]

    reference_rows = _reference_rows(tables, references)
    # The chapter is there only when there is something to compare with; "no other region" is said once, in
    # the Verantwoording.
    comparison_title = ("Vergelijking met andere regio's" if benchmarks else
                        "Vergelijking met referentiewaarden" if reference_rows else "")
    # The sections of the body after the introduction, in order: the TOC and the Leeswijzer are made from it.
    sections = [(t["id"], t["title"]) for t in themes]
    sections += [(c["id"], c["title"]) for c in chapters]
    if data.earlier_waves:
        sections.append(("trends", f"Ontwikkeling sinds {data.earlier_waves[0]}"))
    if comparison_title:
        sections.append(("benchmark", comparison_title))
    sections += [("conclusie", "Conclusie"), ("aanbevelingen", "Aanbevelingen")]
    guide = ["de onderzoeksresultaten per thema"]
    guide += [c["title"] for c in chapters]
    if data.earlier_waves:
        guide.append(f"de ontwikkeling sinds {data.earlier_waves[0]}")
    if comparison_title:
        guide.append("de " + comparison_title[0].lower() + comparison_title[1:])
    guide += ["de conclusie en de aanbevelingen", "een bijlage met alle tabellen per vraag",
              "tot slot de verantwoording van de werkwijze"]
    # Waves held before this one, with data here or only declared (eerdere_metingen): "voor de derde keer".
    held_without_data = data.region.held_without_data_before(data.wave)
    held_before = tuple(sorted(set(data.earlier_waves) | set(held_without_data or ())))
    export = data.region.export(data.wave)
    trend_list = list(trends.values())
    return {
        "title": "Onderzoeksresultaten Monitor Aansluiting Onderwijs Jeugd",
        "region": data.region,
        "wave": data.wave,
        "summary": {
            "mark": summary.mark_overview(mark_table, trends.get(mark_table.item.id) if mark_table else None,
                                          data.wave),
            "messages": summary.key_messages(tables, trend_list, data.wave, questions, bases),
            # One sentence when the coding of an open question should be reviewed (open_answer_text.review_advised).
            "review_advice": open_answer_text.review_advice(questions),
            "coordinator": coordinator_html(export.summary) if export.summary is not None else None,
            "coordinator_file": export.summary_file,
        },
        "introduction": introduction.introduction(data.region.name, data.region.commissioner,
                                                  export.fieldwork, data.wave, data.earlier_waves,
                                                  data.region.municipalities, held_without_data),
        "respondents_text": introduction.respondents(
            sizes, functies, data.accounting.reclassified,
            frozenset(str(c.code) for c in q.background.functie.choices if c.other)),
        "reading_guide": introduction.reading_guide(guide),
        "mirrored_note": introduction.mirrored_note([t.item for t in tables if t.item.per_sector], bool(benchmarks),
                                                    bool(data.earlier_waves)),
        "method_note": method_notes.method_note(sizes, responses(sizes, export), data.minimum_base),
        "method": {"alpha": statistics.ALPHA, "power": statistics.POWER, "share": statistics.DETECTABLE_SHARE},
        "results_intro": introduction.results_intro([(t["theme"].number, t["theme"].title) for t in regular], extras),
        "report_date": data.report_date,
        "earlier_waves": data.earlier_waves,
        "sizes": sizes,
        "functies": functies,
        "schooltypes": background_table(figs, "schooltype"),
        "themes": themes,
        "chapters": chapters,
        "sections": sections,
        "files": data.files,
        "accounting": data.accounting,
        # In questionnaire order; a mirrored item with a row per sector.
        "trends": [r for it in q.items for r in ([trends[it.id]] if it.id in trends else sector_trends.get(it.id, []))],
        "trend_waves": trend_waves,
        "trend_charts": trend_charts,
        "benchmarks": list(benchmarks.values()),
        "benchmark_chart": benchmark_chart,
        "comparison_title": comparison_title,
        "benchmark_group": comparison_group(max((r.regions for r in benchmarks.values()), default=0) or 1),
        "benchmark_pooling": BENCHMARK_POOLING,
        "benchmark_not_tested": BENCHMARK_NOT_TESTED,
        "benchmark_missing": _benchmark_missing(tables, benchmarks, data.wave, data.minimum_base),
        "no_benchmark": NO_BENCHMARK.format(wave=data.wave, minimum=data.minimum_base),
        "reference_rows": reference_rows,
        "reference_rule": REFERENCE_RULE,
        "conclusion": recommendations.conclusion(data.region.name, data.wave, held_before, sizes, tables,
                                                 [s for s in mark_sentences if s]),
        "strengths": recommendations.strengths(tables, bases),
        "attention": recommendations.attention_points(tables, trend_list, data.wave, bases),
        "mentioned": recommendations.open_answer_points(questions),
        "signals": recommendations.signals_to_discuss(tables, trend_list, data.wave),
        "word_rule": word_rule.word_rule(),
        "family": comparisons.family_size(figs),
        "alpha": statistics.ALPHA,
        "decline": (recommendations.DECLINE_POINTS, recommendations.DECLINE_MARK),
        "points": {"strength": recommendations.STRENGTH, "weak": recommendations.WEAK,
                   "most": recommendations.MAX_POINTS, "mentions": open_answer_text.MIN_MENTIONS,
                   "messages": summary.MAX_MESSAGES},
        "body_quotes": BODY_QUOTES,
        "rxc": _rxc(figs),
        "nonresponse": nonresponse_range(figs),
        "nonresponse_sentence": method_notes.nonresponse_sentence(nonresponse_range(figs)),
        "checks_sentence": method_notes.checks_sentence(),
        "minimum_base": data.minimum_base,
        "replacements": _replacements(opens),
        "review": _review_status(opens),
        "review_rule": open_answer_text.review_rule(),
        "max_quotes": data.max_quotes,
        "version": __version__,
        "python_version": platform.python_version(),
        "questionnaire_file": q.source.name,
        "groups": F.SECTOR_GROUPS,
        "charts": report_charts,
    }


def _rxc(figs: pd.DataFrame) -> dict:
    """How the r x c test was computed in this report: its constants and how often it was exact or sampled."""
    tests = figs.loc[figs["statistic"] == F.SECTOR_TEST, "test"]
    return {"exact_tables": statistics.EXACT_TABLES, "resamples": statistics.RESAMPLES,
            "exact": int((tests == statistics.FREEMAN_HALTON).sum()),
            "sampled": int((tests == statistics.FREEMAN_HALTON_PERMUTATION).sum())}


def _replacements(opens: OpenAnswers | None) -> list[tuple[str, int]]:
    """The anonymiser's counts per kind, in Dutch words (singular for a count of 1), in a fixed order."""
    counts = opens.replacement_counts() if opens is not None else {}
    return [(fmt.noun(counts[kind], *REPLACED_KIND_LABELS[kind]), counts[kind]) for kind in REPLACED_KIND_LABELS
            if kind in counts]


def _review_status(opens: OpenAnswers | None) -> dict[str, int]:
    return opens.review_status() if opens is not None else {"total": 0, "reviewed": 0, "changed": 0}


def render(data: ReportInput) -> tuple[str, list[Chart]]:
    """The HTML report of one region and wave and its charts, from one build (build_context), so that the HTML,
    the Word document and the chart folder always show the same figures.

    Args:
        data: the report input of one region and wave (report.model.ReportInput): its suppressed Figures table and the
            item tables, trends, benchmarks and open answers built from it.

    Returns:
        (html, charts): html is one self-contained page (styles inline, charts as inline SVG, no script), text
        from an export escaped; charts are the chart_drawing.Chart objects in the order they stand in the report
        (for docx.render_docx and the chart folder).

    Raises:
        jinja2.TemplateError: a template is missing or uses a name the context lacks (StrictUndefined): a fault
            in the templates, not in the data.
        ValueError: a chart id with other characters than a-z, 0-9 and - (chart_drawing.make_chart).
    """
    context = build_context(data)
    html = _environment().get_template("rapport.html.j2").render(**context)
    return bases_unbroken(html), context["charts"]


def render_report(data: ReportInput) -> str:
    """The HTML report of one region and wave, as one self-contained string."""
    return render(data)[0]
