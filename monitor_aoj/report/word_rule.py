"""The word rule: how the report may word a difference (sector against sector, wave against wave).

Every difference the report describes is one of three kinds, decided by `kind_of` and nowhere else:
- SIGNIFICANT: corrected p below ALPHA (the verdict comparisons.adjust sets). Only this kind gets a size word
  (SIZE_POINTS / SIZE_MARKS) and a direction ("flink vaker", "iets hoger", "gedaald").
- SIGNAL: not significant, but a gap of at least SIGNAL_POINTS (SIGNAL_MARKS for a mark) with a p below
  SIGNAL_RAW_P before the correction. Worded as uncertain (SIGNAL_WORDS), without a direction, and listed for
  discussion in the recommendations.
- NO_DIFFERENCE: every other difference. The numbers and NO_DIFFERENCE_WORDS, without a direction.
A difference is always the difference of the figures as printed (dutch.shown_difference). The Verantwoording
prints this rule from these constants (word_rule).
"""

from __future__ import annotations

from monitor_aoj import dutch as fmt
from monitor_aoj.figures.statistics import ALPHA
from monitor_aoj.report.cells import Cell, Comparison

# Size of a difference in percentage points (as a fraction) and in mark points, checked from the top.
SIZE_POINTS = ((0.20, "veel"), (0.10, "flink"), (0.05, "iets"))
SIZE_MARKS = ((1.0, "veel"), (0.5, "flink"), (0.2, "iets"))
SIGNIFICANT, SIGNAL, NO_DIFFERENCE = "significant", "signaal", "geen_verschil"
# A signal is a gap that would be called "veel" were it significant: 20 points for a share, and for the 1-10
# mark the 1 point at which SIZE_MARKS says "veel". One bound per scale, taken from the size words, so a reader
# meets one idea ("zo groot dat het 'veel' zou heten") and the two can never drift apart.
SIGNAL_POINTS = SIZE_POINTS[0][0]
SIGNAL_MARKS = SIZE_MARKS[0][0]
SIGNAL_RAW_P = 0.05
NO_DIFFERENCE_WORDS = "geen aantoonbaar verschil"
SIGNAL_WORDS = "mogelijk een signaal om te bespreken, geen aantoonbaar verschil"
# The sector test looks at the whole distribution of the answers (see statistics.py), not just one share.
DISTRIBUTION = "de antwoorden in de twee sectoren verschillen statistisch significant"
# "Opvallend" (another answer than the headline) needs a significant sector test and this gap.
STRIKING_POINTS = SIZE_POINTS[0][0]
EPS = 1e-9  # a bound is reached when a figure falls short of it by float noise only


def size_word(diff: float, is_mark: bool = False) -> str | None:
    """'veel', 'flink' or 'iets'; None when the difference is too small to call a difference at all.

    Judged on the difference as the reader sees it (whole percentage points, marks to one decimal), so that
    "100% tegen 80%" is 20 points and "veel", whatever the unrounded fractions were. Only a significant
    difference gets this word (see kind_of)."""
    shown = float(fmt.round_half_up(diff, 1)) if is_mark else int(fmt.round_half_up(diff, scale=100)) / 100
    for bound, word in SIZE_MARKS if is_mark else SIZE_POINTS:
        if abs(shown) >= bound - EPS:
            return word
    return None


def kind_of(cmp: Comparison | None, shown: float | None, is_mark: bool) -> str:
    """SIGNIFICANT, SIGNAL or NO_DIFFERENCE for a tested difference: the one place that decides how a difference
    may be worded (see the module docstring).

    Args:
        cmp: the test; its verdict holds the corrected p against ALPHA (statistics.ALPHA), cmp.p the raw p.
            None, or untested (no corrected p), is NO_DIFFERENCE.
        shown: the printed difference (dutch.shown_difference): a fraction for a share (0.15 is 15 points),
            mark points for a mark; None is NO_DIFFERENCE.
        is_mark: whether the figures are 1-10 marks (the bound SIGNAL_MARKS instead of SIGNAL_POINTS).

    Returns:
        SIGNIFICANT, SIGNAL or NO_DIFFERENCE (the string constants of this module).
    """
    if cmp is None or shown is None or not cmp.tested:
        return NO_DIFFERENCE
    if cmp.significant:
        return SIGNIFICANT
    bound = SIGNAL_MARKS if is_mark else SIGNAL_POINTS
    if cmp.p is not None and cmp.p < SIGNAL_RAW_P and abs(shown) >= bound - EPS:
        return SIGNAL
    return NO_DIFFERENCE


def gap_words(shown: float, is_mark: bool) -> str:
    """'15 procentpunt verschil': the size without a sign or a direction."""
    size = fmt.mark_points(abs(shown), signed=False) if is_mark else fmt.points(abs(shown), signed=False)
    return f"{size} verschil"


def signed_change(shown: float, is_mark: bool) -> str:
    """'+15 procentpunt' or '+0,6 punt': the size with its sign."""
    return fmt.mark_points(shown) if is_mark else fmt.points(shown)


def uncertain_words(kind: str) -> str:
    """The words for a difference that is not significant: SIGNAL_WORDS or NO_DIFFERENCE_WORDS."""
    return SIGNAL_WORDS if kind == SIGNAL else NO_DIFFERENCE_WORDS


def printed_difference(a: Cell, b: Cell, is_mark: bool) -> float:
    """The difference between two figures as they are printed: 100% and 80% differ by 20 points. Both cells are
    shown (callers check Cell.shown); ValueError otherwise."""
    shown = fmt.shown_difference(a.value, b.value, is_mark)
    if shown is None:
        raise ValueError("a printed difference needs two figures")
    return shown


def printed(cell: Cell, is_mark: bool) -> str:
    """A figure as the report prints it: '45%', or '7,2' for a mark."""
    return printed_value(cell.value, is_mark)


def printed_value(value: float | None, is_mark: bool) -> str:
    """printed, for a bare value (a fraction, or a mean mark)."""
    return fmt.decimal(value) if is_mark else fmt.pct(value)


def word_rule() -> list[str]:
    """The word rule in Dutch, for the Verantwoording, printed from the constants of this module and ALPHA.

    Returns:
        Five paragraphs (plain text, no markup): significance and size words, what an insignificant difference
        gets, the signal, printed differences, and "opvallend".
    """
    def pts(x: float) -> str:
        return fmt.integer(round(x * 100))

    (big, w_big), (mid, w_mid), (small, w_small) = SIZE_POINTS
    (m_big, _), (m_mid, _), (m_small, _) = SIZE_MARKS
    return [
        f"Een verschil heet alleen statistisch significant als de gecorrigeerde p-waarde kleiner is dan "
        f"{fmt.decimal(ALPHA, 2)}. Alleen dan staat er een woord voor de grootte en de richting: bij "
        f"{pts(small)} tot {pts(mid)} procentpunt \"{w_small}\", bij {pts(mid)} tot {pts(big)} \"{w_mid}\" en bij "
        f"{pts(big)} of meer \"{w_big}\" (bij het rapportcijfer: {fmt.decimal(m_small)}, {fmt.decimal(m_mid)} en "
        f"{fmt.decimal(m_big)} punt), bijvoorbeeld \"flink vaker\" of \"iets hoger\".",
        f"Is een verschil niet significant, dan staan alleen de cijfers en het verschil er, met de woorden "
        f"\"{NO_DIFFERENCE_WORDS}\"; er staat dan nooit hoger, lager, vaker, gestegen of gedaald.",
        f"Een signaal is een verschil van {pts(SIGNAL_POINTS)} procentpunt of meer (bij het rapportcijfer "
        f"{fmt.decimal(SIGNAL_MARKS)} punt of meer: de grens van \"{w_big}\") met een p-waarde onder "
        f"{fmt.decimal(SIGNAL_RAW_P, 2)} vóór de correctie, dat na de correctie niet significant is. Zo'n verschil "
        f"heet \"{SIGNAL_WORDS}\" en staat bij de aanbevelingen onder Signalen om te bespreken.",
        "Elk verschil in de tekst en de tabellen is het verschil tussen de afgeronde cijfers zoals ze er staan: "
        "68% tegen 53% is 15 procentpunt.",
        f"\"Opvallend\" staat er alleen bij een ander antwoord dan het hoofdcijfer waarop de sectoren "
        f"{pts(STRIKING_POINTS)} procentpunt of meer verschillen, en alleen als de sectoren significant verschillen.",
    ]
