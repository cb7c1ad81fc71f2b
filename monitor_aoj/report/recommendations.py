"""The Conclusie and the Aanbevelingen: each point there by an explicit rule, and saying why it is there.

Strengths (STRENGTH), weak points (WEAK), the largest significant sector gaps, significant drops since the previous
wave (DECLINE_POINTS, DECLINE_MARK), what respondents name most in their own words, and the signals to discuss;
at most MAX_POINTS of each. The summary (summary.key_messages) picks its messages by these same rules.
"""

from __future__ import annotations

from monitor_aoj import dutch as fmt
from monitor_aoj.figures import schema as F
from monitor_aoj.report.cells import Cell, Comparison
from monitor_aoj.report.narrative import mark_summary, sector_comparison
from monitor_aoj.report.open_answer_text import mention, mentions
from monitor_aoj.report.phrases import ABOUT_OTHER, FILTERED, SECTOR_PHRASE, join, ordinal
from monitor_aoj.report.tables import ItemTable
from monitor_aoj.report.trend_sentences import trend_change
from monitor_aoj.report.word_rule import (
    EPS,
    SIGNAL,
    SIGNAL_MARKS,
    SIGNAL_POINTS,
    SIGNAL_WORDS,
    SIGNIFICANT,
    gap_words,
    kind_of,
    printed,
    printed_difference,
    signed_change,
)

STRENGTH = 0.80  # an item where at least this share of all respondents is positive is a strength to keep
WEAK = 0.60  # below this share an item is a point of attention
DECLINE_POINTS, DECLINE_MARK = 0.10, 0.5  # a drop since the previous wave of at least this much is named
MAX_POINTS = 3


def headline(table: ItemTable) -> Cell | None:
    """The item's figure of all respondents (the mean mark, or the positive share) when it is shown."""
    row = table.mean if table.mean is not None else table.positive
    cell = row.cells.get(F.TOTAAL) if row is not None else None
    return cell if cell is not None and cell.shown else None


def conclusion(region_name: str, wave: int, earlier: tuple[int, ...], sizes: dict[str, int],
               tables: list[ItemTable], mark_sentences: list[str]) -> list[str]:
    """The Conclusie: who took part, the overall mark, how many statements most respondents endorse.

    Args:
        region_name: the region's name as the report shows it.
        wave: the report's wave (a year).
        earlier: the waves the region held before this one, with data here or only declared; () for the first.
        sizes: respondents per sector and in total (tables.sector_sizes).
        tables: the display tables of the report's closed items, in report order (tables.item_tables).
        mark_sentences: the mark's trend, benchmark and reference sentences, said after the mark ("" left out).

    Returns:
        Two or three Dutch paragraphs (plain text).
    """
    first = (f"De Monitor Aansluiting Onderwijs Jeugd heeft de samenwerking tussen onderwijs en jeugdhulp in de regio "
             f"{region_name} in {wave} in kaart gebracht")
    first += (f", voor de {ordinal(len(earlier) + 1)} keer (eerder in {join([str(w) for w in earlier])})."
              if earlier else ".")
    first += (f" {fmt.integer(sizes[F.TOTAAL])} professionals hebben de vragenlijst ingevuld: "
              f"{fmt.integer(sizes[F.JEUGDHULP])} uit de jeugdhulp en {fmt.integer(sizes[F.ONDERWIJS])} uit het "
              "onderwijs.")
    paragraphs = [first]
    marks = [t for t in tables if t.mean is not None]
    if marks:
        paragraphs.append(" ".join(s for s in [mark_summary(marks[0])] + mark_sentences if s))
    scored = [(t, c) for t in tables if t.mean is None and (c := headline(t)) is not None]
    if scored:
        # One set of items, one count, one noun: the statements and questions with a headline share (the mark
        # has its own paragraph above), and the sector comparison counted over the very same items.
        count = len(scored)
        majority = sum(1 for _, c in scored if c.figure > 0.5)
        tested = [t.sector_test for t, _ in scored if t.sector_test is not None and t.sector_test.tested]
        significant = sum(1 for test in tested if test.significant)
        items = fmt.noun(count, "stelling of vraag", "stellingen en vragen")
        which = f"alle {count}" if majority == count and count > 1 else f"{majority} van de {count}"
        text = (f"Op {which} {items} antwoordt een meerderheid van alle respondenten positief.")
        if not tested:
            text += (" Een vergelijking tussen onderwijs en jeugdhulp was niet mogelijk: in een van beide sectoren "
                     "waren te weinig respondenten.")
        else:
            untested = count - len(tested)
            if significant:
                text += (f" Bij {significant} van deze {count} {items} verschillen onderwijs en "
                         "jeugdhulp statistisch significant.")
            else:
                text += (f" Bij geen van deze {count} {items} is een statistisch significant verschil "
                         "tussen onderwijs en jeugdhulp.")
            if untested:
                text += (f" Bij {untested} daarvan waren in een sector te weinig respondenten om te "
                         "vergelijken.")
        paragraphs.append(text)
    return paragraphs


def _base(table: ItemTable, cell: Cell, bases: dict[str, str] | None) -> str:
    """'van alle respondenten ... (n = 68)', or for a follow-up asked only after a filter question its real base:
    'van de 45 respondenten die ... (filtervraag)'."""
    phrase = (bases or {}).get(table.item.id)
    if phrase:
        return (f"van de {fmt.integer(cell.n)} respondenten die deze vervolgvraag beantwoordden (alleen gesteld aan "
                f"wie {phrase} antwoordde: {FILTERED})")
    return "van alle respondenten"


def _base_n(table: ItemTable, cell: Cell, bases: dict[str, str] | None) -> str:
    """' (n = 68)' after a figure of all respondents; nothing after a follow-up's, whose base _base names."""
    return "" if (bases or {}).get(table.item.id) else f" (n = {fmt.integer(cell.n)})"


def judged(tables: list[ItemTable], bases: dict[str, str] | None = None
           ) -> list[tuple[ItemTable, Cell, str, str, str]]:
    """(table, headline cell, name, whose, n) of every statement the strength and attention rules judge: the
    figure of all respondents (or of a filtered follow-up's smaller base, _base); for a mirrored item, which has
    no totaal, each sector's own statement apart."""
    out = []
    for t in tables:
        if t.mean is not None:
            continue
        if not t.item.per_sector:
            cell = headline(t)
            if cell is not None:
                out.append((t, cell, t.item.short, _base(t, cell, bases), _base_n(t, cell, bases)))
            continue
        for g in (F.ONDERWIJS, F.JEUGDHULP):
            cell = t.positive.cells.get(g) if t.positive is not None else None
            if cell is not None and cell.shown:
                out.append((t, cell, f"{t.item.short} ({g} {ABOUT_OTHER[g]})",
                            f"van de respondenten {SECTOR_PHRASE[g]}", f" (n = {fmt.integer(cell.n)})"))
    return out


def strengths(tables: list[ItemTable], bases: dict[str, str] | None = None) -> list[str]:
    """Items where at least STRENGTH of all respondents is positive, highest first (a mirrored item: per sector).
    bases: filtered_bases."""
    scored = sorted((j for j in judged(tables, bases) if j[1].figure >= STRENGTH), key=lambda j: -j[1].figure)
    return [f"{name}: {fmt.pct(c.value)} {whose} antwoordt '{t.positive_row.label}'{n}."
            for t, c, name, whose, n in scored[:MAX_POINTS]]


def weak_points(tables: list[ItemTable], bases: dict[str, str] | None = None) -> list[str]:
    """The lowest-scoring statements (below WEAK positive), lowest first, at most MAX_POINTS."""
    low = sorted((j for j in judged(tables, bases) if j[1].figure < WEAK), key=lambda j: j[1].figure)
    return [f"Laag: {name}. Slechts {fmt.pct(c.value)} {whose} antwoordt '{t.positive_row.label}'{n}."
            for t, c, name, whose, n in low[:MAX_POINTS]]


def gap_points(tables: list[ItemTable]) -> list[str]:
    """The largest significant differences between the sectors, largest first, at most MAX_POINTS."""
    gaps = [(t, t.sector_test.diff) for t in tables if t.sector_test is not None and t.sector_test.significant
            and t.sector_test.diff is not None]
    return [f"Verschil tussen de sectoren: {t.item.short}. {sector_comparison(t)}"
            for t, _ in sorted(gaps, key=lambda g: -abs(g[1]))[:MAX_POINTS]]


def significant_changes(trends: list, wave: int) -> list[tuple]:
    """(row, previous wave, then, now, printed change) of every change since the previous wave that is comparable
    (no status) and statistically significant: the only changes the report calls a rise or a drop."""
    found = []
    for row in trends:
        earlier = sorted(w for w in row.changes if w < wave)
        if not earlier or row.status.get(earlier[-1]) != "":
            continue
        change = trend_change(row, wave, earlier[-1])
        if change is None:
            continue
        then, now, cmp, shown = change
        if kind_of(cmp, shown, row.is_mark) == SIGNIFICANT:
            found.append((row, earlier[-1], then, now, shown))
    return found


def drop_points(trends: list, wave: int) -> list[str]:
    """The largest significant drops since the previous wave of at least DECLINE_POINTS (DECLINE_MARK for the
    mark, as printed), at most MAX_POINTS. A drop that is not significant is never named here; a large one is a
    signal (see signals)."""
    drops = [d for d in significant_changes(trends, wave)
             if d[4] <= -(DECLINE_MARK if d[0].is_mark else DECLINE_POINTS) + EPS]
    # Marks and shares have different units: rank each drop by how far it passes its own limit.
    drops.sort(key=lambda d: d[4] / (DECLINE_MARK if d[0].is_mark else DECLINE_POINTS))
    return [f"Gedaald sinds {previous}: {row.item.short} (van {printed(then, row.is_mark)} naar "
            f"{printed(now, row.is_mark)}, {signed_change(shown, row.is_mark)}, statistisch significant)."
            for row, previous, then, now, shown in drops[:MAX_POINTS]]


def attention_points(tables: list[ItemTable], trends: list, wave: int,
                     bases: dict[str, str] | None = None) -> list[str]:
    """Points of attention, each by an explicit rule: the lowest-scoring items (weak_points), the largest
    significant differences between the sectors (gap_points) and the largest significant drops since the
    previous wave (drop_points). What respondents ask for themselves is open_answer_points.

    Args:
        tables: the display tables of the report's closed items (tables.item_tables).
        trends: the trend rows of all respondents (comparison_rows.trend_rows).
        wave: the report's wave (a year).
        bases: item id -> the answer that led to a follow-up (phrases.filtered_bases); None: no follow-ups.

    Returns:
        Dutch sentences, at most MAX_POINTS of each kind, in the order above; each gives its figures.
    """
    return weak_points(tables, bases) + gap_points(tables) + drop_points(trends, wave)


def open_answer_points(questions: list) -> list[str]:
    """Per open question its most mentioned sub-themes (at most MAX_POINTS, 'x van de n'), for the
    recommendations: what the respondents ask for in their own words."""
    points = []
    for question in questions:
        found = mentions(question)[:MAX_POINTS]
        if found:
            points.append(f"{question.item.short}: {join([mention(*m) for m in found])}.")
    return points


def signals(tables: list[ItemTable], trends: list, wave: int, with_p: bool = True) -> list[str]:
    """Every SIGNAL of the report (sector, change since an earlier wave), largest gap first, each worded as
    uncertain with its numbers and its p before the correction. The benchmark is not tested, so it has none."""
    found: list[tuple[float, bool, str, Comparison]] = []
    for t in tables:
        is_mark = t.mean is not None
        head = t.mean if is_mark else t.positive
        a = head.cells.get(F.JEUGDHULP) if head is not None else None
        b = head.cells.get(F.ONDERWIJS) if head is not None else None
        if a is None or b is None or not a.shown or not b.shown:
            continue
        shown = printed_difference(a, b, is_mark)
        if t.sector_test is not None and kind_of(t.sector_test, shown, is_mark) == SIGNAL:  # None: untested
            found.append((shown, is_mark, f"{t.item.short}: jeugdhulp {printed(a, is_mark)}, onderwijs "
                                          f"{printed(b, is_mark)}", t.sector_test))
    for row in trends:
        for earlier in sorted(w for w in row.changes if w < wave):
            change = trend_change(row, wave, earlier) if row.status.get(earlier) == "" else None
            if change is not None and kind_of(change[2], change[3], row.is_mark) == SIGNAL:
                then, now, cmp, shown = change
                found.append((shown, row.is_mark, f"{row.item.short}: {printed(then, row.is_mark)} in {earlier}, "
                                                  f"nu {printed(now, row.is_mark)}", cmp))
    # Marks and shares in one order: by how far each passes its own signal bound.
    found.sort(key=lambda f: -abs(f[0]) / (SIGNAL_MARKS if f[1] else SIGNAL_POINTS))
    # The body of the report names no p-values (with_p=False); the appendix and the tests keep them.
    return [f"{what} ({gap_words(shown, is_mark)}" + (f"; {fmt.p_value(cmp.p)} vóór correctie" if with_p else "")
            + f"): {SIGNAL_WORDS}." for shown, is_mark, what, cmp in found]


def signals_to_discuss(tables: list[ItemTable], trends: list, wave: int) -> list[str]:
    """The Aanbevelingen's "Signalen om te bespreken": the MAX_POINTS largest signals, without p-values (the body
    of the report names none)."""
    return signals(tables, trends, wave, with_p=False)[:MAX_POINTS]
