"""Stage 7a, render: the HTML report of one region and wave.

One self-contained file: styles inline, plotly.js inline once (never from a CDN), chart specs as one JSON
block. Jinja2 autoescapes everything, so text from an export can never become markup.
"""

from __future__ import annotations

import json
import platform
from functools import lru_cache

import jinja2

from monitor_aoj import __version__, charts, comparisons, narrative, statistics
from monitor_aoj import figures as F
from monitor_aoj import format as fmt
from monitor_aoj.comparisons import BENCHMARK_NOT_TESTED, BENCHMARK_POOLING, NO_BENCHMARK, comparison_group
from monitor_aoj.outputs import TEMPLATES
from monitor_aoj.references import REFERENCE_RULE, references_for
from monitor_aoj.tables import (GROUP_LABELS, ReportInput, background_table, benchmark_rows, item_table,
                                nonresponse_range, open_question, responses, sector_sizes, sector_trend_rows,
                                theme_items, trend_rows)



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
    env.globals["group_label"] = GROUP_LABELS
    return env


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def _json_for_script(value: object) -> str:
    # Inside <script>, "</" would end the element; escape "<" so no text can break out.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _headline(table):
    """The region's own headline cell (all respondents): the mean mark, or the positive share."""
    row = table.mean if table.mean is not None else table.positive
    return row.cells.get(F.TOTAAL) if row is not None else None


def _benchmark_missing(tables, benchmarks: dict, wave: int, minimum: int) -> str:
    """One sentence for the items of this report that no other region asked: they are left out of the chapter.
    A mirrored item (Item.per_sector) is never compared with other regions; the Leeswijzer says why."""
    missing = [t.item.short for t in tables if t.item.id not in benchmarks and not t.item.per_sector]
    if not benchmarks or not missing:
        return ""
    which = f"de vraag '{missing[0]}'" if len(missing) == 1 else f"{len(missing)} vragen"
    return (f"Voor {which} heeft geen andere regio in deze rapportage in {wave} dezelfde vraag gesteld aan minstens "
            f"{minimum} respondenten; {'die vraag staat' if len(missing) == 1 else 'die staan'} niet in de tabel.")


def _reference_rows(tables, references: dict) -> list[dict]:
    """Per item and group with a reference value: the region's own figure beside it, in report order."""
    rows = []
    for table in tables:
        own = table.mean if table.mean is not None else table.positive
        for group in (F.TOTAAL, F.ONDERWIJS, F.JEUGDHULP):
            ref = references.get((table.item.id, group))
            if ref is not None and own is not None:
                rows.append({"item": table.item, "group": group, "own": own.cells.get(group), "reference": ref})
    return rows


def _open_question(figs, opens, item):
    if opens is None:
        return None
    quiet = frozenset(code for i, code in opens.unquotable if i == item.id)
    reviewed = opens.review_by_item().get(item.id, {}).get("reviewed", 0)
    question = open_question(figs, opens.quotes, item, quiet, reviewed=reviewed)
    if question is None:
        return None
    return {"question": question, "sentences": narrative.open_question_summary(question),
            "coding_note": narrative.coding_note(question)}


def build_context(data: ReportInput) -> dict:
    """Everything the template shows, in report order. The template only lays it out."""
    q = data.questionnaire
    figs = data.figures
    charts_by_id: dict[str, dict] = {}
    trends = {r.item.id: r for r in trend_rows(data.history, q, data.wave)}
    sector_trends: dict[str, list] = {}  # mirrored items: no totaal, a trend row per sector
    for r in sector_trend_rows(data.history, q, data.wave):
        sector_trends.setdefault(r.item.id, []).append(r)
    trend_waves = sorted({int(w) for w in data.history["wave"]}) if len(data.history) else [data.wave]
    benchmarks = {r.item.id: r for r in benchmark_rows(figs, q)}
    references = references_for(q, data.references, data.wave,
                                frozenset(dict(data.region.export(data.wave).mapping.scales)))
    chapter_items = {c.item for c in q.chapters}
    opens = data.open_answers
    bases = narrative.filtered_bases(q)

    themes, tables = [], []
    for theme in q.themes:
        blocks = []
        for item in theme_items(q, figs, theme.id):
            table = item_table(figs, item)
            if table is None:
                continue
            tables.append(table)
            block = {"item": item, "table": table, "chart": f"grafiek-{item.id}",
                     "sentences": [s for s in (
                         narrative.item_summary(table, bases.get(item.id, "")), narrative.sector_comparison(table),
                         narrative.striking(table),
                         narrative.reference_sentence(references, item.id, _headline(table)),
                         narrative.trend_sentence(trends[item.id], data.wave) if item.id in trends else
                         narrative.sector_trend_sentence(sector_trends.get(item.id, []), data.wave),
                         narrative.benchmark_sentence(benchmarks[item.id]) if item.id in benchmarks
                         else "") if s],
                     "trend_chart": None}
            charts_by_id[block["chart"]] = charts.item_chart(table)
            # Only the mark gets its own trend line here; the other items share one chart per theme in the
            # Ontwikkeling chapter, which keeps the printed report short.
            if item.id in trends and table.mean is not None:
                line = charts.trend_line(trends[item.id], trend_waves)
                if line is not None:
                    block["trend_chart"] = f"trend-{item.id}"
                    charts_by_id[block["trend_chart"]] = line
            blocks.append(block)
        opened = [o for o in (_open_question(figs, opens, it)
                              for it in theme_items(q, figs, theme.id, open_items=True) if it.id not in chapter_items)
                  if o is not None]
        if blocks or opened:
            themes.append({"theme": theme, "id": f"thema-{theme.id}", "questions": blocks, "open_questions": opened})
    trend_charts = []
    for t in themes:
        lines = charts.trend_lines([trends[b["item"].id] for b in t["questions"] if b["item"].id in trends],
                                   trend_waves)
        if lines is not None and data.earlier_waves:
            chart_id = f"trend-{t['id']}"
            charts_by_id[chart_id] = lines
            trend_charts.append({"id": chart_id, "title": f"{t['theme'].number}. {t['theme'].title}"})
    chapters = []
    for chapter in q.chapters:
        found = _open_question(figs, opens, q.item(chapter.item)) if q.has_item(chapter.item) else None
        if found is not None:
            chapters.append({"id": f"hoofdstuk-{chapter.item}", "title": chapter.title, **found})

    sizes = sector_sizes(figs)
    functies = background_table(figs, "functie")
    # A theme of regional extra questions only is not one of the monitor's themes; the questionnaire marks them.
    items_of = {t["id"]: [b["item"] for b in t["questions"]] + [o["question"].item for o in t["open_questions"]]
                for t in themes}
    regular = [t for t in themes if not all(it.regional for it in items_of[t["id"]])]
    extras = [it.short for t in themes for it in items_of[t["id"]] if it.regional]
    benchmark_chart = charts.benchmark_dots(list(benchmarks.values()))
    if benchmark_chart is not None:
        charts_by_id["grafiek-benchmark"] = benchmark_chart
    mark_table = next((t for t in tables if t.mean is not None), None)
    mark_sentences = []
    if mark_table is not None:
        item_id = mark_table.item.id
        mark_sentences = [narrative.trend_sentence(trends[item_id], data.wave) if item_id in trends else "",
                          narrative.benchmark_sentence(benchmarks[item_id]) if item_id in benchmarks else "",
                          narrative.reference_sentence(references, item_id, _headline(mark_table))]
    suggestions = []
    recommended = {c.item for c in q.chapters if c.recommend}
    for chapter in chapters:
        question = chapter["question"]
        if question.item.id in recommended:
            rows = [r for r in question.rows if r.category != "overig" and r.category not in question.quiet]
            total = [(r.label, r.cells.get(F.TOTAAL)) for r in rows]
            suggestions += sorted(((label, c.k, c.n) for label, c in total if c is not None and c.shown and c.k),
                                  key=lambda s: -s[1])

    # The sections after the Leeswijzer, in order: the TOC and the Leeswijzer are both made from this list.
    sections = [("resultaten", "Onderzoeksresultaten")]
    sections += [(t["id"], f"{t['theme'].number}. {t['theme'].title}") for t in themes]
    sections += [(c["id"], c["title"]) for c in chapters]
    if data.earlier_waves:
        sections.append(("trends", f"Ontwikkeling sinds {data.earlier_waves[0]}"))
    reference_rows = _reference_rows(tables, references)
    # The chapter is there only when there is something to compare with; "no other region" is said once, in
    # the Verantwoording.
    comparison_title = ("Vergelijking met andere regio's" if benchmarks else
                        "Vergelijking met referentiewaarden" if reference_rows else "")
    if comparison_title:
        sections.append(("benchmark", comparison_title))
    sections += [("conclusie", "Conclusie"),
                 ("aanbevelingen", "Aanbevelingen"), ("verantwoording", "Verantwoording")]
    guide = ["de onderzoeksresultaten per thema"]
    guide += [c["title"] for c in chapters]
    if data.earlier_waves:
        guide.append(f"de ontwikkeling sinds {data.earlier_waves[0]}")
    if comparison_title:
        guide.append("de " + comparison_title[0].lower() + comparison_title[1:])
    guide += ["de conclusie", "de aanbevelingen",
              "tot slot de verantwoording van de werkwijze"]
    # Waves held before this one, with data here or only declared (eerdere_metingen): "voor de derde keer".
    held_without_data = data.region.held_without_data_before(data.wave)
    held_before = tuple(sorted(set(data.earlier_waves) | set(held_without_data or ())))
    return {
        "title": "Onderzoeksresultaten Monitor Aansluiting Onderwijs Jeugd",
        "region": data.region,
        "wave": data.wave,
        "introduction": narrative.introduction(data.region.name, data.region.commissioner,
                                               data.region.export(data.wave).fieldwork, data.wave, data.earlier_waves,
                                               data.region.municipalities, held_without_data),
        "respondents_text": narrative.respondents(
            sizes, functies, data.accounting.reclassified,
            frozenset(str(c.code) for c in q.background.functie.choices if c.other)),
        "reading_guide": narrative.reading_guide(guide),
        "mirrored_note": narrative.mirrored_note([t.item for t in tables if t.item.per_sector], bool(benchmarks),
                                                 bool(data.earlier_waves)),
        "method_note": narrative.method_note(sizes, responses(sizes, data.region.export(data.wave)),
                                             data.minimum_base),
        "method": {"alpha": statistics.ALPHA, "power": statistics.POWER, "share": statistics.DETECTABLE_SHARE},
        "results_intro": narrative.results_intro([(t["theme"].number, t["theme"].title) for t in regular], extras),
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
        "has_benchmark_chart": benchmark_chart is not None,
        "comparison_title": comparison_title,
        "benchmark_group": comparison_group(max((r.regions for r in benchmarks.values()), default=0) or 1),
        "benchmark_pooling": BENCHMARK_POOLING,
        "benchmark_not_tested": BENCHMARK_NOT_TESTED,
        "benchmark_missing": _benchmark_missing(tables, benchmarks, data.wave, data.minimum_base),
        "no_benchmark": NO_BENCHMARK.format(wave=data.wave, minimum=data.minimum_base),
        "reference_rows": reference_rows,
        "reference_rule": REFERENCE_RULE,
        "conclusion": narrative.conclusion(data.region.name, data.wave, held_before, sizes, tables,
                                           [s for s in mark_sentences if s]),
        "strengths": narrative.strengths(tables, bases),
        "attention": narrative.attention_points(tables, list(trends.values()), data.wave, suggestions, bases),
        "signals": narrative.signals(tables, list(trends.values()), data.wave),
        "word_rule": narrative.word_rule(),
        "family": comparisons.family_size(figs),
        "alpha": statistics.ALPHA,
        "decline": (narrative.DECLINE_POINTS, narrative.DECLINE_MARK),
        "points": {"strength": narrative.STRENGTH, "weak": narrative.WEAK, "most": narrative.MAX_POINTS},
        "rxc": _rxc(figs),
        "nonresponse": nonresponse_range(figs),
        "nonresponse_sentence": narrative.nonresponse_sentence(nonresponse_range(figs)),
        "minimum_base": data.minimum_base,
        "replacements": _replacements(opens),
        "review": _review_status(opens),
        "review_rule": narrative.review_rule(),
        # For the summary: one sentence when the coding of an open question should be reviewed, else "".
        "review_advice": narrative.review_advice([o["question"] for t in themes for o in t["open_questions"]]
                                                 + [c["question"] for c in chapters]),
        "max_quotes": data.max_quotes,
        "version": __version__,
        "python_version": platform.python_version(),
        "questionnaire_file": q.source.name,
        "groups": F.SECTOR_GROUPS,
        "chart_json": _json_for_script(charts_by_id),
        "chart_count": len(charts_by_id),
        "plotly_js": _plotly_js(),
    }


def _rxc(figs) -> dict:
    """How the r x c test was computed in this report: its constants and how often it was exact or sampled."""
    tests = figs.loc[figs["statistic"] == F.SECTOR_TEST, "test"]
    return {"exact_tables": statistics.EXACT_TABLES, "resamples": statistics.RESAMPLES,
            "exact": int((tests == statistics.FREEMAN_HALTON).sum()),
            "sampled": int((tests == statistics.FREEMAN_HALTON_PERMUTATION).sum())}


# Per kind of replaced data: (one, more than one), so that a count of 1 reads "1 naam", not "1 namen".
KIND_LABELS = {"naam": ("naam", "namen"), "organisatie": ("naam van een organisatie of school",
                                                         "namen van organisaties of scholen"),
               "e-mail": ("e-mailadres", "e-mailadressen"), "telefoonnummer": ("telefoonnummer", "telefoonnummers"),
               "postcode": ("postcode", "postcodes"), "adres": ("adres", "adressen"),
               "bsn": ("BSN-achtig nummer", "BSN-achtige nummers"), "website": ("webadres", "webadressen"),
               "iban": ("bankrekeningnummer (IBAN)", "bankrekeningnummers (IBAN)"),
               "datum": ("geboortedatum", "geboortedata"), "kenteken": ("kenteken", "kentekens"),
               "nummer": ("KvK-, leerling- of studentnummer", "KvK-, leerling- of studentnummers")}


def _replacements(opens) -> list[tuple[str, int]]:
    """The anonymiser's counts per kind, in Dutch words (singular for a count of 1), in a fixed order."""
    counts = opens.replacement_counts() if opens is not None else {}
    return [(fmt.noun(counts[kind], *KIND_LABELS[kind]), counts[kind]) for kind in KIND_LABELS if kind in counts]


def _review_status(opens) -> dict[str, int]:
    return opens.review_status() if opens is not None else {"total": 0, "reviewed": 0, "changed": 0}


def render_report(data: ReportInput) -> str:
    template = _environment().get_template("rapport.html.j2")
    return template.render(**build_context(data))
