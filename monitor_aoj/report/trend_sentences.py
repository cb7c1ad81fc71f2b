"""The sentences on change: an item against the earlier waves of the region, by the word rule (word_rule).

A change of all respondents is tested and may get a size and a direction when significant; a mirrored item's
change per sector is given, never tested, and says so.
"""

from __future__ import annotations

from monitor_aoj import dutch as fmt
from monitor_aoj.figures import schema as F
from monitor_aoj.report.cells import Cell, Comparison
from monitor_aoj.report.comparison_rows import TrendRow
from monitor_aoj.report.phrases import SECTOR_NAME, join
from monitor_aoj.report.word_rule import (
    SIGNIFICANT,
    gap_words,
    kind_of,
    printed,
    printed_difference,
    signed_change,
    size_word,
    uncertain_words,
)


def _verdict_words(cmp: Comparison, shown: float, is_mark: bool) -> str:
    """After 'was dit 52% (n = 33), nu 82%: ' -- the rest of a trend or benchmark comparison by the word rule."""
    kind = kind_of(cmp, shown, is_mark)
    if kind != SIGNIFICANT:
        return f"{gap_words(shown, is_mark)}, {uncertain_words(kind)}"
    size = size_word(shown, is_mark)
    if size is None or shown == 0:
        return f"een klein verschil ({signed_change(shown, is_mark)}), wel statistisch significant"
    return f"{size} {'hoger' if shown > 0 else 'lager'} ({signed_change(shown, is_mark)}, statistisch significant)"


def trend_change(row: TrendRow, wave: int, earlier: int) -> tuple[Cell, Cell, Comparison, float] | None:
    """(then, now, comparison, printed difference) of an item between an earlier wave and this one; None when
    there is no tested change to describe."""
    then, now, cmp = row.points.get(earlier), row.points.get(wave), row.changes.get(earlier)
    if then is None or now is None or not then.shown or not now.shown or cmp is None or cmp.diff is None:
        return None
    return then, now, cmp, printed_difference(now, then, row.is_mark)


def trend_sentence(row: TrendRow, wave: int) -> str:
    """The item against the previous wave of the region (and the first, when there are more), by the word rule:
    'In 2018 was dit 52% (n = 33), nu 82%: veel hoger (+30 procentpunt, statistisch significant).'

    Args:
        row: the item's trend row of all respondents (comparison_rows.trend_rows); its changes are tested and
            corrected for the number of tests.
        wave: the report's wave (a year); only waves before it are compared with.

    Returns:
        One or two Dutch sentences; for a wave the question was not asked in, or not comparably, the reason
        instead of figures. "" when there is no earlier wave or no change to describe.
    """
    earlier = sorted(w for w in row.status if w < wave)
    if not earlier:
        return ""
    previous = earlier[-1]
    status = row.status.get(previous, "")
    if status == F.NOT_ASKED:
        text = f"In {previous} werd deze vraag niet gesteld."
    elif status == F.NOT_COMPARABLE:
        text = f"Met {previous} is dit niet te vergelijken: {row.notes.get(previous) or 'de vraag was anders'}."
    else:
        change = trend_change(row, wave, previous)
        if change is None:
            return ""
        text = _trend_words(row, previous, *change)
    first = earlier[0]
    if first != previous and row.status.get(first) == F.NOT_COMPARABLE:
        # Where "Sinds <first>" would stand, the reader learns why it does not.
        text += f" Met {first} is dit niet te vergelijken: {row.notes.get(first) or 'de vraag was anders'}."
    change = trend_change(row, wave, first) if first != previous and row.status.get(first) == "" else None
    if change is not None:
        text += " " + _trend_words(row, first, *change)
    return text


def _trend_words(row: TrendRow, earlier: int, then: Cell, now: Cell, cmp: Comparison, shown: float) -> str:
    """'In 2018 was dit 52% (n = 33), nu 82%: ...' by the word rule; equal figures as printed get their own words
    (no '0 procentpunt verschil')."""
    if shown == 0:
        return f"In {earlier} was dit ook {printed(then, row.is_mark)} (n = {then.n}), evenveel als nu."
    return (f"In {earlier} was dit {printed(then, row.is_mark)} (n = {then.n}), nu {printed(now, row.is_mark)}: "
            f"{_verdict_words(cmp, shown, row.is_mark)}.")


def sector_trend_sentence(rows: list, wave: int) -> str:
    """A mirrored item against the previous wave, per sector (rows: comparison_rows.sector_trend_rows of it).
    Per sector a change is given, never tested (comparisons._trends), so by the word rule it gets the numbers and
    the gap, no size or direction word, and says that it is not tested."""
    if not rows:
        return ""
    earlier = sorted(w for w in rows[0].status if w < wave)
    if not earlier:
        return ""
    previous = earlier[-1]
    status = rows[0].status.get(previous, "")
    if status == F.NOT_ASKED:
        return f"In {previous} werd deze vraag niet gesteld."
    if status == F.NOT_COMPARABLE:
        return f"Met {previous} is dit niet te vergelijken: {rows[0].notes.get(previous) or 'de vraag was anders'}."
    parts = []
    for row in rows:
        then, now = row.points.get(previous), row.points.get(wave)
        if then is None or now is None or not then.shown or not now.shown:
            continue
        # Untested, so by the word rule: the two printed figures and their gap, no sign and no direction word.
        change = printed_difference(now, then, row.is_mark)
        now_words = (f"nu ook {printed(now, row.is_mark)}" if change == 0 else
                     f"nu {printed(now, row.is_mark)} ({gap_words(change, row.is_mark)})")
        parts.append(f"in {SECTOR_NAME[row.group]} {printed(then, row.is_mark)} (n = {fmt.integer(then.n)}), "
                     f"{now_words}")
    if not parts:
        return ""
    return f"In {previous} was dit {join(parts)}. Per sector is de verandering niet getoetst."
