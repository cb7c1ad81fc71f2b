"""The sentences under each statement: its headline figure, the sectors compared, and what it is set beside.

Chosen by rule from the display tables (tables.ItemTable, comparison_rows.BenchmarkRow): every number in a
sentence comes from a Cell; a sentence never states a number it did not get from there. How a difference may be
worded is the word rule's (word_rule); the change since an earlier wave is trend_sentences'.
"""

from __future__ import annotations

from monitor_aoj import dutch as fmt
from monitor_aoj.dutch import HIDDEN, lower_first
from monitor_aoj.figures import schema as F
from monitor_aoj.report.cells import Cell
from monitor_aoj.report.comparison_rows import BenchmarkRow
from monitor_aoj.report.phrases import ABOUT_OTHER, FILTERED, SECTOR_PHRASE, capital, join
from monitor_aoj.report.tables import ItemTable
from monitor_aoj.report.word_rule import (
    DISTRIBUTION,
    EPS,
    SIGNIFICANT,
    STRIKING_POINTS,
    gap_words,
    kind_of,
    printed,
    printed_difference,
    printed_value,
    size_word,
    uncertain_words,
)

MIRRORED_INTRO = "Elke sector kreeg hier een eigen stelling, over de andere sector."
MIRRORED_APART = ("Dit zijn twee verschillende stellingen: daarom staat er geen totaal en zijn de sectoren niet met "
                  "elkaar vergeleken.")


def _share(cell: Cell | None) -> str:
    """'45% (n = 40)', or the words for a hidden figure."""
    if cell is None or not cell.shown:
        return HIDDEN
    return f"{fmt.pct(cell.value)} (n = {fmt.integer(cell.n)})"


def item_summary(table: ItemTable, base: str = "") -> str:
    """The headline figure of an item in words: per sector and for all respondents; for a mirrored item
    (Item.per_sector) what each sector answered about the other, and why there is no totaal.

    Args:
        table: the item's display table of one region and wave (tables.item_table).
        base: for an item asked only after a filter question, the answer that led to it
            (phrases.filtered_bases); the text then names that smaller base. "" for every other item.

    Returns:
        Dutch sentences, each figure with its base ("45% (n = 40)"); a hidden figure is said to be hidden
        (dutch.HIDDEN), never given. "" when the item has no headline figure.
    """
    if table.item.per_sector:
        text = _per_sector_summary(table)
        if base and text:
            text = f"Deze vraag is alleen gesteld aan wie {base} antwoordde ({FILTERED}). " + text
        return text
    if table.mean is not None:
        return mark_summary(table)
    pos = table.positive
    if pos is None:
        return ""
    label = pos.label
    asked = [g for g in (F.JEUGDHULP, F.ONDERWIJS) if table.n.get(g, 0) != 0]  # None: hidden, still named
    shown = [g for g in asked if (c := pos.cells.get(g)) is not None and c.shown]
    parts = [f"{_share(pos.cells.get(g))} van de respondenten {SECTOR_PHRASE[g]}" for g in shown]
    total = pos.cells.get(F.TOTAAL)
    # Two sectors are two subjects: "45% ... en 60% ... antwoorden"; one sector: "antwoordt".
    verb = "antwoorden" if len(parts) > 1 else "antwoordt"
    sentence = " en ".join(parts) + f" {verb} '{label}'." if parts else ""
    hidden = [g for g in asked if g not in shown]
    if hidden:
        which = " en ".join(SECTOR_PHRASE[g] for g in hidden)
        sentence += (" " if sentence else "") + (
            f"Het antwoord van de respondenten {which} is {HIDDEN}." if len(hidden) == 1 else
            f"De antwoorden van de respondenten {which} zijn {HIDDEN}.")
    if total is not None and total.shown:
        together = "die respondenten" if base else "alle respondenten"
        # Without a sector figure before it, "dat" would point at nothing: name the answer.
        sentence += (f" Over {together} samen is dat {_share(total)}." if parts else
                     f" Van {together} samen antwoordt {_share(total)} '{label}'.")
    if not sentence:
        return ""
    sentence = sentence[0].upper() + sentence[1:]
    if base:
        sentence = f"Deze vraag is alleen gesteld aan wie {base} antwoordde ({FILTERED}). " + sentence
    return sentence


def _per_sector_summary(table: ItemTable) -> str:
    """'Over de jeugdhulp antwoordt 45% (n = 40) van de respondenten uit het onderwijs ...' per sector."""
    is_mark = table.mean is not None
    head = table.mean if is_mark else table.positive
    if head is None:
        return ""
    sentences = [MIRRORED_INTRO]
    for g in (F.ONDERWIJS, F.JEUGDHULP):
        cell = head.cells.get(g)
        if cell is None or table.n.get(g, 0) == 0:
            continue
        if not cell.shown:
            sentences.append(f"Het antwoord van de respondenten {SECTOR_PHRASE[g]} {ABOUT_OTHER[g]} is {HIDDEN}.")
        elif is_mark:
            sentences.append(f"De respondenten {SECTOR_PHRASE[g]} geven {ABOUT_OTHER[g]} gemiddeld een "
                             f"{fmt.decimal(cell.value)} (n = {fmt.integer(cell.n)}).")
        else:
            sentences.append(f"{capital(ABOUT_OTHER[g])} antwoordt {_share(cell)} van de respondenten "
                             f"{SECTOR_PHRASE[g]} '{head.label}'.")
    return " ".join(sentences + [MIRRORED_APART])


def mark_summary(table: ItemTable) -> str:
    """The mean mark per sector and of all respondents, and the share with an insufficient mark per sector."""
    mean, low = table.mean, table.insufficient
    if mean is None:
        raise ValueError(f"{table.item.id} has no mean mark: mark_summary is for the rapportcijfer")
    parts = []
    for g in (F.JEUGDHULP, F.ONDERWIJS):
        cell = mean.cells.get(g)
        if cell is not None and cell.shown:
            parts.append(f"de respondenten {SECTOR_PHRASE[g]} geven gemiddeld een {fmt.decimal(cell.value)} "
                         f"(n = {fmt.integer(cell.n)})")
    text = " en ".join(parts)
    text = (text[0].upper() + text[1:] + ".") if text else ""
    total = mean.cells.get(F.TOTAAL)
    if total is not None and total.shown:
        text += f" Alle respondenten samen geven gemiddeld een {fmt.decimal(total.value)} (n = {fmt.integer(total.n)})."
    if low is not None:
        shares = [f"{fmt.pct(low.cells[g].value)} {SECTOR_PHRASE[g]}" for g in (F.JEUGDHULP, F.ONDERWIJS)
                  if g in low.cells and low.cells[g].shown]
        if shares:
            text += f" Een {low.label} geeft {' en '.join(shares)}."
    return text


def sector_comparison(table: ItemTable) -> str:
    """How jeugdhulp and onderwijs compare on the headline figure, by the word rule (word_rule.kind_of).

    Args:
        table: the item's display table (tables.item_table); its sector_test is the test of the whole
            distribution of the answers, corrected for the number of tests.

    Returns:
        One or two Dutch sentences: a size word and a direction only for a significant difference, otherwise the
        two figures, their printed gap and "geen aantoonbaar verschil" (or the signal words). "" when the item has
        no sector test or a sector figure is missing; a sentence that there are too few respondents when one is
        suppressed.
    """
    test = table.sector_test
    is_mark = table.mean is not None
    head = table.mean if is_mark else table.positive
    if head is None or test is None:
        return ""
    a, b = head.cells.get(F.JEUGDHULP), head.cells.get(F.ONDERWIJS)
    if a is None or b is None or not a.shown or not b.shown or not test.tested:
        return "Voor een vergelijking tussen onderwijs en jeugdhulp zijn te weinig respondenten." if (
            a is not None and b is not None and (a.suppressed or b.suppressed)) else ""
    shown = printed_difference(a, b, is_mark)
    kind = kind_of(test, shown, is_mark)
    size = size_word(shown, is_mark)
    if kind == SIGNIFICANT and size is not None:
        (high, high_cell), (low, low_cell) = sorted(((F.JEUGDHULP, a), (F.ONDERWIJS, b)),
                                                    key=lambda gc: -gc[1].figure)
        numbers = f"({printed(high_cell, is_mark)} tegen {printed(low_cell, is_mark)}, {gap_words(shown, is_mark)})"
        if is_mark:
            text = (f"De respondenten {SECTOR_PHRASE[high]} geven gemiddeld een {size} hoger cijfer dan die "
                    f"{SECTOR_PHRASE[low]} {numbers}")
        else:
            text = (f"De respondenten {SECTOR_PHRASE[high]} antwoorden {size} vaker '{head.label}' dan die "
                    f"{SECTOR_PHRASE[low]} {numbers}")
        return text + f"; {DISTRIBUTION}."
    if shown == 0:
        # Equal as printed: no gap to size, and "0 procentpunt verschil" reads as a misprint.
        text = (f"Jeugdhulp en onderwijs geven gemiddeld hetzelfde cijfer (beide {printed(a, is_mark)})" if is_mark
                else f"Jeugdhulp en onderwijs antwoorden even vaak '{head.label}' (beide {printed(a, is_mark)})")
        if kind == SIGNIFICANT:
            return text + ". De verdeling van alle antwoorden verschilt wel statistisch significant."
        return text + "."
    # The summary sentence before this one already says what the figures mean; here only the comparison.
    text = f"Tussen jeugdhulp ({printed(a, is_mark)}) en onderwijs ({printed(b, is_mark)}): {gap_words(shown, is_mark)}"
    if kind == SIGNIFICANT:  # significant on the whole distribution, but the headline figures barely differ
        return text + ". De verdeling van alle antwoorden verschilt wel statistisch significant."
    return text + f", {uncertain_words(kind)}."


def striking(table: ItemTable) -> str:
    """'Opvallend is dat ...': only for a single answer category on which the sectors differ by STRIKING_POINTS
    or more (as printed), and only when the sector test is significant. Otherwise nothing."""
    test = table.sector_test
    if test is None or not test.significant or table.mean is not None:
        return ""
    best = None
    # The headline (positive) share is already compared; "opvallend" points at another answer.
    positive = set(table.positive.category.split("+")) if table.positive is not None else set()
    for row in table.rows:
        if row.category in positive:
            continue
        a, b = row.cells.get(F.JEUGDHULP), row.cells.get(F.ONDERWIJS)
        if a is None or b is None or not a.shown or not b.shown:
            continue
        gap = abs(printed_difference(a, b, False))
        if gap >= STRIKING_POINTS - EPS and (best is None or gap > best[0]):
            best = (gap, row, a, b)
    if best is None:
        return ""
    _, row, a, b = best
    (high, hc), (low, lc) = sorted(((F.JEUGDHULP, a), (F.ONDERWIJS, b)), key=lambda gc: -gc[1].figure)
    return (f"Opvallend is dat {fmt.pct(hc.value)} van de respondenten {SECTOR_PHRASE[high]} "
            f"'{lower_first(row.label)}' antwoordt, tegen {fmt.pct(lc.value)} {SECTOR_PHRASE[low]}.")


def benchmark_sentence(row: BenchmarkRow) -> str:
    """The other regions in this input beside the item: their equal-weight mean and range, and that it is not
    tested (comparisons.BENCHMARK_NOT_TESTED). Only called for items that have such a comparison."""
    if row.others.value is None:
        return ""
    mean = printed_value(row.others.value, row.is_mark)
    against = row.comparison.against
    if row.regions == 1:
        return f"In {against} is dit {mean} (n = {fmt.integer(row.others.n)}; niet getoetst)."
    low, high = printed_value(row.lowest, row.is_mark), printed_value(row.highest, row.is_mark)
    # "van 95% tot 95%" is no range: equal as printed, say so.
    spread = f"in elke regio {low}" if low == high else f"van {low} tot {high}"
    return f"In {against} is dit gemiddeld {mean} ({spread}; niet getoetst)."


REFERENCE_GROUP_PHRASE = {F.TOTAAL: "", F.ONDERWIJS: " voor het onderwijs", F.JEUGDHULP: " voor de jeugdhulp"}


def reference_sentence(references: dict, item_id: str, own: Cell | None) -> str:
    """The reference values of an item (from references.references_for), with their source; never a verdict.

    Shown only beside a figure of the region that is shown itself."""
    if own is None or not own.shown:
        return ""
    found = [references[(item_id, g)] for g in (F.TOTAAL, F.ONDERWIJS, F.JEUGDHULP) if (item_id, g) in references]
    parts = [(f"gemiddeld een {fmt.decimal(r.value)}" if r.is_mark else fmt.pct(r.value))
             + f"{REFERENCE_GROUP_PHRASE[r.group]} volgens {r.source}" for r in found]
    if not parts:
        return ""
    return f"Ter vergelijking, als referentiewaarde (niet getoetst): {join(parts)}."
