"""The Bestuurlijke samenvatting and the short text under each theme's chart.

Nothing is chosen here by a rule of its own: the key messages are the first points of the recommendations'
rules (recommendations), the theme text uses the same judged figures, and the mark is said as narrative says it.
"""

from __future__ import annotations

from monitor_aoj import dutch as fmt
from monitor_aoj.report.comparison_rows import TrendRow
from monitor_aoj.report.narrative import mark_summary
from monitor_aoj.report.open_answer_text import mention, mentions
from monitor_aoj.report.phrases import join
from monitor_aoj.report.recommendations import (
    MAX_POINTS,
    gap_points,
    headline,
    judged,
    signals,
    significant_changes,
    strengths,
    weak_points,
)
from monitor_aoj.report.tables import ItemTable
from monitor_aoj.report.trend_sentences import trend_sentence
from monitor_aoj.report.word_rule import printed, signed_change, size_word

MAX_MESSAGES = 5  # key messages in the summary, at most


def _changes_worded(trends: list, wave: int) -> list[str]:
    """The significant changes of the statements since the previous wave, largest first, in words (the mark's
    change stands beside the mark, mark_overview)."""
    found = sorted((d for d in significant_changes(trends, wave) if not d[0].is_mark),
                   key=lambda d: -abs(d[4]))
    return [f"Sinds {previous} {'gestegen' if shown > 0 else 'gedaald'}: {row.item.short} (van "
            f"{printed(then, row.is_mark)} naar {printed(now, row.is_mark)}, {signed_change(shown, row.is_mark)}, "
            "statistisch significant)." for row, previous, then, now, shown in found if size_word(shown, row.is_mark)]


def key_messages(tables: list[ItemTable], trends: list, wave: int, questions: list,
                 bases: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """Three to five key messages for the summary as (kind, sentence), each chosen by the same rules as the
    recommendations: the strongest ("sterk") and the weakest ("zwak") statement, the most mentioned sub-themes of
    the open questions ("open"), the biggest significant change since the previous wave ("verandering"), the
    largest significant sector gap ("verschil") and the largest signal, worded as uncertain ("signaal").

    Args:
        tables: the display tables of the report's closed items (tables.item_tables).
        trends: the trend rows of all respondents (comparison_rows.trend_rows).
        wave: the report's wave (a year).
        questions: the report's open questions (tables.OpenQuestion), in report order.
        bases: item id -> the answer that led to a follow-up (phrases.filtered_bases); None: no follow-ups.

    Returns:
        (kind, Dutch sentence) pairs, kind one of the words above. Fewer when the rules find fewer; never more
        than MAX_MESSAGES, in this order of priority.
    """
    messages = []
    strong = strengths(tables, bases)
    if strong:
        messages.append(("sterk", f"Sterkste punt: {strong[0]}"))
    weak = weak_points(tables, bases)
    if weak:
        messages.append(("zwak", f"Zwakste punt: {weak[0][len('Laag: '):]}"))
    found = sorted(((q, m) for q in questions for m in mentions(q)[:1]), key=lambda qm: -qm[1][1] / qm[1][2])
    if found:
        listed = join([f"{mention(*m)} bij '{q.item.short}'" for q, m in found[:MAX_POINTS]])
        messages.append(("open", f"In de open antwoorden noemen respondenten het vaakst: {listed}."))
    changes = _changes_worded(trends, wave)
    if changes:
        messages.append(("verandering", changes[0]))
    gaps = gap_points(tables)
    if gaps:
        messages.append(("verschil", gaps[0]))
    found_signals = signals(tables, trends, wave, with_p=False)
    if found_signals:
        messages.append(("signaal", f"Signaal: {found_signals[0]}"))
    return messages[:MAX_MESSAGES]


def theme_summary(tables: list[ItemTable], bases: dict[str, str] | None = None) -> list[str]:
    """Two or three sentences under a theme's overview chart: how many statements a majority endorses, the
    highest and the lowest, and the sectors (the largest significant gap, or that none is significant). The mark
    is not on the chart's percentage axis, so its figure is said here."""
    sentences = []
    marks = [t for t in tables if t.mean is not None]
    for t in marks:
        cell = headline(t)
        if cell is not None:
            sentences.append(f"Alle respondenten samen geven de samenwerking gemiddeld een {fmt.decimal(cell.value)} "
                             f"(n = {fmt.integer(cell.n)}).")
    scored = judged(tables, bases)
    if len(scored) == 1:
        t, c, name, whose, n = scored[0]
        sentences.append(f"{name}: {fmt.pct(c.value)} {whose} antwoordt '{t.positive_row.label}'{n}.")
    elif scored:
        majority = sum(1 for j in scored if j[1].figure > 0.5)
        ranked = sorted(scored, key=lambda j: -j[1].figure)
        (_, high, high_name, _, _), (_, low, low_name, _, _) = ranked[0], ranked[-1]
        which = f"alle {len(scored)}" if majority == len(scored) else f"{majority} van de {len(scored)}"
        sentences.append(f"Op {which} stellingen antwoordt een meerderheid positief. Het "
                         f"hoogst scoort '{high_name}' ({fmt.pct(high.value)}), het laagst "
                         f"'{low_name}' ({fmt.pct(low.value)}).")
    tested = [t for t in tables if t.sector_test is not None and t.sector_test.tested]
    gaps = gap_points(tables)
    if gaps:
        sentences.append(gaps[0][len("Verschil tussen de sectoren: "):])
    elif tested:
        where = "bij deze vraag geen" if len(tested) == 1 else "bij geen van deze vragen een"
        sentences.append(f"Tussen onderwijs en jeugdhulp is {where} statistisch significant verschil.")
    return sentences


def mark_overview(table: ItemTable | None, trend: TrendRow | None, wave: int) -> str:
    """The mark in the summary: per sector and all respondents, and against the previous wave by the word rule."""
    if table is None:
        return ""
    text = mark_summary(table)
    if trend is not None:
        text += " " + trend_sentence(trend, wave)
    return text.strip()
