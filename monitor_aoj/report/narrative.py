"""Dutch sentences chosen by rule from the Figures (through the display tables).

Every number in a sentence comes from a Cell; a sentence never states a number it did not get from there.
"""

from __future__ import annotations

from monitor_aoj import dutch as fmt
from monitor_aoj.dutch import number_word
from monitor_aoj.figures import schema as F
from monitor_aoj.figures.statistics import ALPHA, detectable_difference
from monitor_aoj.report.cells import Cell, Comparison
from monitor_aoj.report.tables import ItemTable

SECTOR_PHRASE = {F.ONDERWIJS: "uit het onderwijs", F.JEUGDHULP: "uit de jeugdhulp"}
# A mirrored item asks each sector about the other one (questionnaire: a text per sector, Item.per_sector).
ABOUT_OTHER = {F.ONDERWIJS: "over de jeugdhulp", F.JEUGDHULP: "over het onderwijs"}
SECTOR_NAME = {F.ONDERWIJS: "het onderwijs", F.JEUGDHULP: "de jeugdhulp"}
MIRRORED_INTRO = "Elke sector kreeg hier een eigen stelling, over de andere sector."
MIRRORED_APART = ("Dit zijn twee verschillende stellingen: daarom staat er geen totaal en zijn de sectoren niet met "
                  "elkaar vergeleken.")


# A hidden figure: its own group may be large enough, but showing it would give away a smaller one.
HIDDEN = "niet getoond (te weinig respondenten, in deze of een andere groep)"


def _share(cell: Cell | None) -> str:
    if cell is None or not cell.shown:
        return HIDDEN
    return f"{fmt.pct(cell.value)} (n = {fmt.integer(cell.n)})"


def item_summary(table: ItemTable, base: str = "") -> str:
    """One sentence with the headline figure of an item per sector and for all respondents; for a mirrored item
    what each sector answered about the other, and why there is no totaal. base: for an item asked only after a
    filter question, the answer that led to it (filtered_bases); the text then names that smaller base."""
    if table.item.per_sector:
        text = _per_sector_summary(table)
        if base and text:
            text = f"Deze vraag is alleen gesteld aan wie {base} antwoordde ({FILTERED}). " + text
        return text
    if table.mean is not None:
        return _mark_summary(table)
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
            sentences.append(f"{_capital(ABOUT_OTHER[g])} antwoordt {_share(cell)} van de respondenten "
                             f"{SECTOR_PHRASE[g]} '{head.label}'.")
    return " ".join(sentences + [MIRRORED_APART])


def mirrored_note(items: list, other_regions: bool = True, with_trends: bool = True) -> str:
    """The Leeswijzer's word on the mirrored items of this report (Item.per_sector); "" when there are none.
    other_regions: whether the report compares with other regions at all (otherwise it says so once, and this
    note does not mention them); with_trends: whether it has earlier waves to compare with."""
    if not items:
        return ""
    names = _join([f"'{it.short}'" for it in items])
    one = len(items) == 1
    without = ["zonder totaal", "zonder toets op het verschil tussen de sectoren"]
    if other_regions:
        without.append("zonder vergelijking met andere regio's")
    return (f"{'De stelling' if one else 'De stellingen'} {names} {'is' if one else 'zijn'} gespiegeld: het onderwijs "
            "kreeg de stelling over de jeugdhulp, de jeugdhulp dezelfde stelling over het onderwijs. Dat zijn twee "
            f"verschillende stellingen. Daarom {'staat die' if one else 'staan die'} alleen per sector in het rapport: "
            f"{_join(without)}." + (" De ontwikkeling sinds een eerdere meting staat ook per sector, en is niet "
                                    "getoetst." if with_trends else ""))


def sector_trend_sentence(rows: list, wave: int) -> str:
    """A mirrored item against the previous wave, per sector (rows: tables.sector_trend_rows of this item).
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
        change = _shown_difference(now, then, row.is_mark)
        now_words = (f"nu ook {_value(now, row.is_mark)}" if change == 0 else
                     f"nu {_value(now, row.is_mark)} ({_gap(change, row.is_mark)})")
        parts.append(f"in {SECTOR_NAME[row.group]} {_value(then, row.is_mark)} (n = {fmt.integer(then.n)}), "
                     f"{now_words}")
    if not parts:
        return ""
    return f"In {previous} was dit {_join(parts)}. Per sector is de verandering niet getoetst."


def _mark_summary(table: ItemTable) -> str:
    mean, low = table.mean, table.insufficient
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


ORDINALS = {1: "eerste", 2: "tweede", 3: "derde", 4: "vierde", 5: "vijfde", 6: "zesde", 7: "zevende", 8: "achtste"}


def ordinal(number: int) -> str:
    return ORDINALS.get(number, f"{number}e")


# When no earlier wave is in the input and the region did not state its history (`eerdere_metingen`), the
# report cannot know whether this is the first time, so it says only what it does not compare with.
NO_EARLIER_IN_INPUT = ("Gegevens van een eerdere meting in de regio zitten niet in deze rapportage, dus dit rapport "
                       "vergelijkt niet met eerdere jaren.")


def introduction(region_name: str, commissioner: str, fieldwork: str, wave: int,
                 earlier_waves: tuple[int, ...], municipalities: tuple[str, ...] = (),
                 held_without_data: tuple[int, ...] | None = None) -> str:
    """The opening paragraph: who ran the monitor, when, where, and which time it is.

    earlier_waves: this region's waves before `wave` whose data is in the input (they have trend figures).
    held_without_data: waves before `wave` the region held without data here (`eerdere_metingen` in
    regios.yaml); None when the region did not say, and then "de eerste keer" is never claimed."""
    when = f"in {fieldwork}" if fieldwork else f"in {wave}"
    who = commissioner or f"De regio {region_name}"
    where = f" (gemeente{'' if len(municipalities) == 1 else 'n'} {_join(list(municipalities))})" if (
        municipalities) else ""
    text = (f"{who} heeft {when} de Monitor Aansluiting Onderwijs Jeugd (AOJ) uitgevoerd in de regio "
            f"{region_name}{where}. De monitor geeft inzicht in de aansluiting tussen het onderwijs- en "
            "jeugdhulpaanbod en in de kwaliteit van de samenwerking tussen onderwijs en jeugdhulp.")
    without = tuple(held_without_data or ())
    held = sorted(set(earlier_waves) | set(without))
    if held:
        text += (f" Dit is de {ordinal(len(held) + 1)} keer dat de monitor in de regio wordt uitgevoerd "
                 f"(eerder in {_join([str(w) for w in held])}).")
        if without:
            which = "de meting" if len(without) == 1 else "de metingen"
            text += (f" De gegevens van {which} in {_join([str(w) for w in without])} zitten niet in deze "
                     f"rapportage; voor {'die meting' if len(without) == 1 else 'die metingen'} zijn geen "
                     "trendcijfers beschikbaar.")
    elif held_without_data is not None:  # the region stated that it held no earlier wave
        text += " Dit is de eerste keer dat de monitor in de regio wordt uitgevoerd."
    else:
        text += " " + NO_EARLIER_IN_INPUT
    return text


def _join(words: list[str]) -> str:
    """'a', 'a en b', 'a, b en c'."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " en " + words[-1]


# (lower bound of the share, words). Checked from the top; the numbers are always given beside the words.
FREQUENCY_WORDS = (
    (0.90, "vrijwel alle respondenten"),
    (0.80, "een grote meerderheid"),
    (0.70, "ongeveer driekwart"),
    (0.60, "ongeveer twee derde"),
    (0.50, "iets meer dan de helft"),
    (0.45, "bijna de helft"),
    (0.37, "ruim een derde"),
    (0.30, "ongeveer een derde"),
    (0.20, "ongeveer een kwart"),
    (0.10, "een klein deel"),
)


def frequency(k: int, n: int) -> str:
    """Words for 'k of n respondents', chosen by rule: 'bijna de helft', never more than the numbers say."""
    if n <= 0 or k <= 0:
        return "niemand"
    if k == n:
        return "de enige respondent" if n == 1 else "alle respondenten"
    if k == 1:
        return "één respondent"
    share = k / n
    if 2 * k == n:
        return "de helft"
    for bound, words in FREQUENCY_WORDS:
        if share >= bound:
            return words
    return "enkele respondenten"


def subtheme_sentence(label: str, k: int, n: int) -> str:
    """'Bijna de helft (9 van de 20) noemt J&G coaches.'"""
    words = frequency(k, n)
    verb = "noemen" if words in ("alle respondenten", "enkele respondenten") else "noemt"
    # Lower-case the label's first letter, but not in an abbreviation such as "J&G coaches".
    return f"{words[0].upper()}{words[1:]} ({k} van de {n}) {verb} {_lower(label)}."


def open_question_summary(question) -> list[str]:
    """A sentence per sub-theme that at least MIN_MENTIONS respondents mention, most mentioned first."""
    return [subtheme_sentence(label, k, n) for label, k, n in mentions(question)]


# --- comparisons in words: one rule -----------------------------------------------------------------------------
#
# Every difference the report describes is one of three kinds, decided by `kind_of` and nowhere else:
# - SIGNIFICANT: corrected p below ALPHA (the verdict comparisons.adjust sets). Only this kind gets a size word
#   (SIZE_POINTS / SIZE_MARKS) and a direction ("flink vaker", "iets hoger", "gedaald").
# - SIGNAL: not significant, but a gap of at least SIGNAL_POINTS (SIGNAL_MARKS for a mark) with a p below
#   SIGNAL_RAW_P before the correction. Worded as uncertain (SIGNAL_WORDS), without a direction, and listed for
#   discussion in the recommendations.
# - NO_DIFFERENCE: every other difference. The numbers and NO_DIFFERENCE_WORDS, without a direction.
# A difference is always the difference of the figures as printed (format.shown_difference). The Verantwoording
# prints this rule from these constants (word_rule).

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
_EPS = 1e-9


def size_word(diff: float, is_mark: bool = False) -> str | None:
    """'veel', 'flink' or 'iets'; None when the difference is too small to call a difference at all.

    Judged on the difference as the reader sees it (whole percentage points, marks to one decimal), so that
    "100% tegen 80%" is 20 points and "veel", whatever the unrounded fractions were. Only a significant
    difference gets this word (see kind_of)."""
    shown = float(fmt.round_half_up(diff, 1)) if is_mark else int(fmt.round_half_up(diff, scale=100)) / 100
    for bound, word in SIZE_MARKS if is_mark else SIZE_POINTS:
        if abs(shown) >= bound - _EPS:
            return word
    return None


def kind_of(cmp: Comparison | None, shown: float | None, is_mark: bool) -> str:
    """SIGNIFICANT, SIGNAL or NO_DIFFERENCE for a tested difference.

    cmp: the test (its verdict holds the corrected p against ALPHA, cmp.p the raw p); shown: the printed
    difference (fraction or mark points, format.shown_difference). Untested comparisons are NO_DIFFERENCE."""
    if cmp is None or shown is None or not cmp.tested:
        return NO_DIFFERENCE
    if cmp.significant:
        return SIGNIFICANT
    bound = SIGNAL_MARKS if is_mark else SIGNAL_POINTS
    if cmp.p is not None and cmp.p < SIGNAL_RAW_P and abs(shown) >= bound - _EPS:
        return SIGNAL
    return NO_DIFFERENCE


def _gap(shown: float, is_mark: bool) -> str:
    """'15 procentpunt verschil': the size without a sign or a direction."""
    size = fmt.mark_points(abs(shown), signed=False) if is_mark else fmt.points(abs(shown), signed=False)
    return f"{size} verschil"


def _signed(shown: float, is_mark: bool) -> str:
    return fmt.mark_points(shown) if is_mark else fmt.points(shown)


def _uncertain(kind: str) -> str:
    return SIGNAL_WORDS if kind == SIGNAL else NO_DIFFERENCE_WORDS


def _shown_difference(a: Cell, b: Cell, is_mark: bool) -> float:
    """The difference between two figures as they are printed: 100% and 80% differ by 20 points."""
    return fmt.shown_difference(a.value, b.value, is_mark)


def _value(cell: Cell, is_mark: bool) -> str:
    return fmt.decimal(cell.value) if is_mark else fmt.pct(cell.value)


def word_rule() -> list[str]:
    """The word rule in Dutch, for the Verantwoording, from the constants above (and ALPHA)."""
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


def sector_comparison(table: ItemTable) -> str:
    """How jeugdhulp and onderwijs compare on the headline figure, by the word rule (kind_of): a size word and a
    direction only for a significant difference; otherwise the numbers and "geen aantoonbaar verschil"."""
    test = table.sector_test
    is_mark = table.mean is not None
    head = table.mean if is_mark else table.positive
    if head is None or test is None:
        return ""
    a, b = head.cells.get(F.JEUGDHULP), head.cells.get(F.ONDERWIJS)
    if a is None or b is None or not a.shown or not b.shown or not test.tested:
        return "Voor een vergelijking tussen onderwijs en jeugdhulp zijn te weinig respondenten." if (
            a is not None and b is not None and (a.suppressed or b.suppressed)) else ""
    shown = _shown_difference(a, b, is_mark)
    kind = kind_of(test, shown, is_mark)
    size = size_word(shown, is_mark)
    if kind == SIGNIFICANT and size is not None:
        (high, high_cell), (low, low_cell) = sorted(((F.JEUGDHULP, a), (F.ONDERWIJS, b)),
                                                    key=lambda gc: -gc[1].value)
        numbers = f"({_value(high_cell, is_mark)} tegen {_value(low_cell, is_mark)}, {_gap(shown, is_mark)})"
        if is_mark:
            text = (f"De respondenten {SECTOR_PHRASE[high]} geven gemiddeld een {size} hoger cijfer dan die "
                    f"{SECTOR_PHRASE[low]} {numbers}")
        else:
            text = (f"De respondenten {SECTOR_PHRASE[high]} antwoorden {size} vaker '{head.label}' dan die "
                    f"{SECTOR_PHRASE[low]} {numbers}")
        return text + f"; {DISTRIBUTION}."
    if shown == 0:
        # Equal as printed: no gap to size, and "0 procentpunt verschil" reads as a misprint.
        text = (f"Jeugdhulp en onderwijs geven gemiddeld hetzelfde cijfer (beide {_value(a, is_mark)})" if is_mark
                else f"Jeugdhulp en onderwijs antwoorden even vaak '{head.label}' (beide {_value(a, is_mark)})")
        if kind == SIGNIFICANT:
            return text + ". De verdeling van alle antwoorden verschilt wel statistisch significant."
        return text + "."
    # The summary sentence before this one already says what the figures mean; here only the comparison.
    text = f"Tussen jeugdhulp ({_value(a, is_mark)}) en onderwijs ({_value(b, is_mark)}): {_gap(shown, is_mark)}"
    if kind == SIGNIFICANT:  # significant on the whole distribution, but the headline figures barely differ
        return text + ". De verdeling van alle antwoorden verschilt wel statistisch significant."
    return text + f", {_uncertain(kind)}."


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
        gap = abs(_shown_difference(a, b, False))
        if gap >= STRIKING_POINTS - _EPS and (best is None or gap > best[0]):
            best = (gap, row, a, b)
    if best is None:
        return ""
    _, row, a, b = best
    (high, hc), (low, lc) = sorted(((F.JEUGDHULP, a), (F.ONDERWIJS, b)), key=lambda gc: -gc[1].value)
    return (f"Opvallend is dat {fmt.pct(hc.value)} van de respondenten {SECTOR_PHRASE[high]} '{_lower(row.label)}' "
            f"antwoordt, tegen {fmt.pct(lc.value)} {SECTOR_PHRASE[low]}.")


def _verdict_words(cmp: Comparison, shown: float, is_mark: bool) -> str:
    """After 'was dit 52% (n = 33), nu 82%: ' -- the rest of a trend or benchmark comparison by the word rule."""
    kind = kind_of(cmp, shown, is_mark)
    if kind != SIGNIFICANT:
        return f"{_gap(shown, is_mark)}, {_uncertain(kind)}"
    size = size_word(shown, is_mark)
    if size is None or shown == 0:
        return f"een klein verschil ({_signed(shown, is_mark)}), wel statistisch significant"
    return f"{size} {'hoger' if shown > 0 else 'lager'} ({_signed(shown, is_mark)}, statistisch significant)"


def _trend_change(row, wave: int, earlier: int) -> tuple | None:
    """(then, now, comparison, printed difference) of an item between an earlier wave and this one; None when
    there is no tested change to describe."""
    then, now, cmp = row.points.get(earlier), row.points.get(wave), row.changes.get(earlier)
    if then is None or now is None or not then.shown or not now.shown or cmp is None or cmp.diff is None:
        return None
    return then, now, cmp, fmt.shown_difference(now.value, then.value, row.is_mark)


def trend_sentence(row, wave: int) -> str:
    """The item against the previous wave of the region (and the first, when there are more), by the word rule:
    'In 2018 was dit 52% (n = 33), nu 82%: veel hoger (+30 procentpunt, statistisch significant).'"""
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
        change = _trend_change(row, wave, previous)
        if change is None:
            return ""
        text = _trend_words(row, previous, *change)
    first = earlier[0]
    if first != previous and row.status.get(first) == F.NOT_COMPARABLE:
        # Where "Sinds <first>" would stand, the reader learns why it does not.
        text += f" Met {first} is dit niet te vergelijken: {row.notes.get(first) or 'de vraag was anders'}."
    change = _trend_change(row, wave, first) if first != previous and row.status.get(first) == "" else None
    if change is not None:
        text += " " + _trend_words(row, first, *change)
    return text


def _trend_words(row, earlier: int, then: Cell, now: Cell, cmp: Comparison, shown: float) -> str:
    """'In 2018 was dit 52% (n = 33), nu 82%: ...' by the word rule; equal figures as printed get their own words
    (no '0 procentpunt verschil')."""
    if shown == 0:
        return f"In {earlier} was dit ook {_value(then, row.is_mark)} (n = {then.n}), evenveel als nu."
    return (f"In {earlier} was dit {_value(then, row.is_mark)} (n = {then.n}), nu {_value(now, row.is_mark)}: "
            f"{_verdict_words(cmp, shown, row.is_mark)}.")


def _figure(value: float | None, is_mark: bool) -> str:
    return fmt.decimal(value) if is_mark else fmt.pct(value)


def benchmark_sentence(row) -> str:
    """The other regions in this input beside the item: their equal-weight mean and range, and that it is not
    tested (comparisons.BENCHMARK_NOT_TESTED). Only called for items that have such a comparison."""
    if row.others.value is None:
        return ""
    mean = _figure(row.others.value, row.is_mark)
    against = row.comparison.against
    if row.regions == 1:
        return f"In {against} is dit {mean} (n = {fmt.integer(row.others.n)}; niet getoetst)."
    low, high = _figure(row.lowest, row.is_mark), _figure(row.highest, row.is_mark)
    # "van 95% tot 95%" is no range: equal as printed, say so.
    spread = f"in elke regio {low}" if low == high else f"van {low} tot {high}"
    return f"In {against} is dit gemiddeld {mean} ({spread}; niet getoetst)."


def signals(tables: list[ItemTable], trends: list, wave: int, with_p: bool = True) -> list[str]:
    """Every SIGNAL of the report (sector, change since an earlier wave), largest gap first, each worded as
    uncertain with its numbers and its p before the correction. The benchmark is not tested, so it has none."""
    found = []
    for t in tables:
        is_mark = t.mean is not None
        head = t.mean if is_mark else t.positive
        a = head.cells.get(F.JEUGDHULP) if head is not None else None
        b = head.cells.get(F.ONDERWIJS) if head is not None else None
        if a is None or b is None or not a.shown or not b.shown:
            continue
        shown = _shown_difference(a, b, is_mark)
        if kind_of(t.sector_test, shown, is_mark) == SIGNAL:
            found.append((shown, is_mark, f"{t.item.short}: jeugdhulp {_value(a, is_mark)}, onderwijs "
                                          f"{_value(b, is_mark)}", t.sector_test))
    for row in trends:
        for earlier in sorted(w for w in row.changes if w < wave):
            change = _trend_change(row, wave, earlier) if row.status.get(earlier) == "" else None
            if change is not None and kind_of(change[2], change[3], row.is_mark) == SIGNAL:
                then, now, cmp, shown = change
                found.append((shown, row.is_mark, f"{row.item.short}: {_value(then, row.is_mark)} in {earlier}, "
                                                  f"nu {_value(now, row.is_mark)}", cmp))
    # Marks and shares in one order: by how far each passes its own signal bound.
    found.sort(key=lambda f: -abs(f[0]) / (SIGNAL_MARKS if f[1] else SIGNAL_POINTS))
    # The body of the report names no p-values (with_p=False); the appendix and the tests keep them.
    return [f"{what} ({_gap(shown, is_mark)}" + (f"; {fmt.p_value(cmp.p)} vóór correctie" if with_p else "")
            + f"): {SIGNAL_WORDS}." for shown, is_mark, what, cmp in found]


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
    return f"Ter vergelijking, als referentiewaarde (niet getoetst): {_join(parts)}."


# --- the respondents, the order of the report ---------------------------------------------------------------------


def respondents(sizes: dict[str, int], functies: list, reclassified: int, other: frozenset[str] = frozenset()
                ) -> str:
    """Counts per sector and the largest functions, each share with its base stated."""
    text = (f"In totaal hebben {fmt.integer(sizes[F.TOTAAL])} professionals de vragenlijst ingevuld: "
            f"{fmt.integer(sizes[F.JEUGDHULP])} {'werkt' if sizes[F.JEUGDHULP] == 1 else 'werken'} in de jeugdhulp en "
            f"{fmt.integer(sizes[F.ONDERWIJS])} in het onderwijs.")
    for group, phrase in ((F.ONDERWIJS, "in het onderwijs"), (F.JEUGDHULP, "in de jeugdhulp")):
        cells = [(r.label, r.cells.get(group)) for r in functies if r.category not in other]
        cells = [(label, c) for label, c in cells if c is not None and c.shown and (c.k or 0) > 0]
        cells.sort(key=lambda lc: -(lc[1].k or 0))
        if len(cells) >= 2 and sizes[group] > 0:
            (l1, c1), (l2, c2) = cells[:2]
            text += (f" Van de {fmt.integer(sizes[group])} respondenten {phrase} is {fmt.pct(c1.value)} "
                     f"{_lower(l1)} en {fmt.pct(c2.value)} {_lower(l2)}.")
    if reclassified:
        text += (f" {_capital(number_word(reclassified))} respondent{'' if reclassified == 1 else 'en'} die een "
                 "andere sector "
                 f"aankruiste{'' if reclassified == 1 else 'n'}, {'telt' if reclassified == 1 else 'tellen'} mee bij "
                 "de sector van de functie (bijvoorbeeld een leerplichtambtenaar bij de jeugdhulp).")
    return text


def _lower(label: str) -> str:
    """'Mentor' -> 'mentor', '(Jeugd)hulpverlener' -> '(jeugd)hulpverlener'; 'J&G coach' and 'JGZ' keep their
    capitals (format.lower_first)."""
    return fmt.lower_first(label)


def _capital(text: str) -> str:
    return text[0].upper() + text[1:]


def results_intro(themes: list[tuple[int, str]], extras: list[str]) -> str:
    """'In het onderzoek staan vijf thema's centraal: ...' with the count and numbers taken from the sections."""
    listed = "; ".join(f"{number}. {title}" for number, title in themes)
    text = (f"In het onderzoek staat één thema centraal: {listed}." if len(themes) == 1 else
            f"In het onderzoek staan {number_word(len(themes))} thema's centraal: {listed}.")
    if extras:
        text += (f" Daarnaast {'is' if len(extras) == 1 else 'zijn'} in deze regio {number_word(len(extras))} "
                 f"extra vra{'ag' if len(extras) == 1 else 'gen'} gesteld: {_join([_lower(e) for e in extras])}.")
    return text


def nonresponse_sentence(span: tuple[float, float] | None) -> str:
    """The Verantwoording's word on item non-response (span: tables.nonresponse_range, lowest and highest share
    of all respondents who skipped a question they were asked). A range only when its ends differ as printed."""
    if span is None:
        return ""
    low, high = span
    tail = "van de respondenten die de vraag kregen de vraag over; bij elke tabel staat hoeveel precies."
    if high <= 0:
        return "Geen enkele respondent sloeg een vraag over die hij of zij kreeg."
    if fmt.pct(high) == "0%":
        return f"Per vraag sloeg minder dan 1% {tail}"
    if fmt.pct(low) == fmt.pct(high):
        return f"Bij elke vraag sloeg {fmt.pct(high)} {tail}"
    return f"Per vraag sloeg {fmt.pct(low)} tot {fmt.pct(high)} {tail}"


SELF_SELECTED = ("Wie de vragenlijst invulde, heeft daar zelf voor gekozen: de respondenten zijn niet door loting "
                 "gekozen. De marges en toetsen in dit rapport doen alsof de respondenten een willekeurige greep uit "
                 "alle professionals in de regio zijn. Deden vooral mensen met een uitgesproken mening mee, dan zeggen "
                 "de marges daar niets over.")


def response_sentence(rates: list) -> str:
    """How many of the invited professionals took part (rates: tables.responses), or that it is not known."""
    if not rates:
        return ("Hoeveel professionals zijn uitgenodigd, is niet opgegeven; daarom staat hier geen "
                "responspercentage.")
    parts, apart = [], []
    for r in rates:
        if r.group == F.TOTAAL:
            continue
        if r.invited is None:
            apart.append(f"Voor {SECTOR_NAME[r.group]} is niet opgegeven hoeveel professionals zijn uitgenodigd.")
        elif r.rate is None:
            apart.append(f"Voor {SECTOR_NAME[r.group]} is de respons niet te berekenen: er deden meer professionals "
                         f"mee ({fmt.integer(r.respondents)}) dan er volgens de configuratie waren uitgenodigd "
                         f"({fmt.integer(r.invited)}).")
        elif not parts:
            parts.append(f"In {SECTOR_NAME[r.group]} vulden {fmt.integer(r.respondents)} van de "
                         f"{fmt.integer(r.invited)} uitgenodigde professionals de vragenlijst in ({fmt.pct(r.rate)})")
        else:
            parts.append(f"in {SECTOR_NAME[r.group]} {fmt.integer(r.respondents)} van de {fmt.integer(r.invited)} "
                         f"({fmt.pct(r.rate)})")
    text = ", ".join(parts) + "." if parts else ""
    total = next((r for r in rates if r.group == F.TOTAAL and r.rate is not None), None)
    if total is not None and len(parts) == 2:
        text += f" Samen is dat een respons van {fmt.pct(total.rate)}."
    return " ".join(s for s in [text] + apart if s)


def detectable_sentence(sizes: dict[str, int], minimum_base: int = 1) -> str:
    """The smallest difference between the sectors these group sizes can show (statistics.detectable_difference,
    in whole points, from the respondents per sector); with a sector below the minimum base no difference is
    tested at all, and the note says that instead."""
    n1, n2 = sizes.get(F.ONDERWIJS, 0), sizes.get(F.JEUGDHULP, 0)
    if n1 <= 0 or n2 <= 0:
        return ""
    if min(n1, n2) < minimum_base:
        return (f"Met {fmt.counted(n1, 'respondent', 'respondenten')} uit het onderwijs en {fmt.integer(n2)} uit "
                f"de jeugdhulp zijn de "
                f"sectoren in dit rapport niet met elkaar vergeleken: daarvoor zijn per sector minstens "
                f"{fmt.integer(minimum_base)} respondenten nodig.")
    points = fmt.percent_number(float(detectable_difference(n1, n2)))
    return (f"Met {fmt.counted(n1, 'respondent', 'respondenten')} uit het onderwijs en {fmt.integer(n2)} uit de "
            "jeugdhulp is een "
            f"verschil tussen de sectoren pas vanaf ongeveer {points} procentpunt met redelijke zekerheid aan te "
            "tonen. Kleinere verschillen kunnen er wel zijn, maar zijn met deze aantallen niet van toeval te "
            "onderscheiden. "
            "Bij vragen die minder mensen beantwoordden, moet een verschil nog groter zijn om het aan te tonen.")


def method_note(sizes: dict[str, int], rates: list, minimum_base: int = 1) -> str:
    """The Leeswijzer's short note on what the numbers can and cannot say, for a lay reader."""
    return " ".join(s for s in (SELF_SELECTED, response_sentence(rates), detectable_sentence(sizes, minimum_base))
                    if s)


def reading_guide(sections: list[str]) -> str:
    """The Leeswijzer, made from the list of sections that actually follow, in their order."""
    return ("Het rapport is zo opgebouwd: " + _join([_lower(s) for s in sections]) + ".")


# --- conclusion and recommendations: by rule, each point says why it is there -------------------------------------

STRENGTH = 0.80  # an item where at least this share of all respondents is positive is a strength to keep
WEAK = 0.60  # below this share an item is a point of attention
DECLINE_POINTS, DECLINE_MARK = 0.10, 0.5  # a drop since the previous wave of at least this much is named
MAX_POINTS = 3


def _headline(table: ItemTable) -> Cell | None:
    row = table.mean if table.mean is not None else table.positive
    cell = row.cells.get(F.TOTAAL) if row is not None else None
    return cell if cell is not None and cell.shown else None


def conclusion(region_name: str, wave: int, earlier: tuple[int, ...], sizes: dict[str, int],
               tables: list[ItemTable], mark_sentences: list[str]) -> list[str]:
    """Paragraphs: who took part, the overall mark, how many statements most respondents endorse."""
    first = (f"De Monitor Aansluiting Onderwijs Jeugd heeft de samenwerking tussen onderwijs en jeugdhulp in de regio "
             f"{region_name} in {wave} in kaart gebracht")
    first += (f", voor de {ordinal(len(earlier) + 1)} keer (eerder in {_join([str(w) for w in earlier])})."
              if earlier else ".")
    first += (f" {fmt.integer(sizes[F.TOTAAL])} professionals hebben de vragenlijst ingevuld: "
              f"{fmt.integer(sizes[F.JEUGDHULP])} uit de jeugdhulp en {fmt.integer(sizes[F.ONDERWIJS])} uit het "
              "onderwijs.")
    paragraphs = [first]
    marks = [t for t in tables if t.mean is not None]
    if marks:
        paragraphs.append(" ".join(s for s in [_mark_summary(marks[0])] + mark_sentences if s))
    scored = [(t, _headline(t)) for t in tables if t.mean is None]
    scored = [(t, c) for t, c in scored if c is not None]
    if scored:
        # One set of items, one count, one noun: the statements and questions with a headline share (the mark
        # has its own paragraph above), and the sector comparison counted over the very same items.
        count = len(scored)
        majority = sum(1 for _, c in scored if c.value > 0.5)
        tested = [t for t, _ in scored if t.sector_test is not None and t.sector_test.tested]
        significant = sum(1 for t in tested if t.sector_test.significant)
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


FILTERED = "filtervraag"  # the word the report uses for a follow-up's smaller base


def _base(table: ItemTable, cell: Cell, bases: dict[str, str] | None) -> str:
    """'van alle respondenten ... (n = 68)', or for a follow-up asked only after a filter question its real base:
    'van de 45 respondenten die ... (filtervraag)'."""
    phrase = (bases or {}).get(table.item.id)
    if phrase:
        return (f"van de {fmt.integer(cell.n)} respondenten die deze vervolgvraag beantwoordden (alleen gesteld aan "
                f"wie {phrase} antwoordde: {FILTERED})")
    return "van alle respondenten"


def _base_n(table: ItemTable, cell: Cell, bases: dict[str, str] | None) -> str:
    return "" if (bases or {}).get(table.item.id) else f" (n = {fmt.integer(cell.n)})"


def filtered_bases(q) -> dict[str, str]:
    """Item id -> the answer that led to it, for every item asked only after a filter question
    (questionnaire.Item.filter): "op 'Gezamenlijke aandacht voor preventie' 'ja'"."""
    out = {}
    for item in q.items:
        if item.filter is None or not q.has_item(item.filter.item):
            continue
        source = q.item(item.filter.item)
        labels = []
        for code in item.filter.codes:
            try:
                labels.append(f"'{_lower(source.scale.label(code))}'")
            except KeyError:
                labels.append(str(code))
        out[item.id] = f"op '{source.short}' {' of '.join(labels)}"
    return out


def _judged(tables: list[ItemTable], bases: dict[str, str] | None = None
            ) -> list[tuple[ItemTable, Cell, str, str, str]]:
    """(table, headline cell, name, whose, n) of every statement the strength and attention rules judge: the
    figure of all respondents (or of a filtered follow-up's smaller base, _base); for a mirrored item, which has
    no totaal, each sector's own statement apart."""
    out = []
    for t in tables:
        if t.mean is not None:
            continue
        if not t.item.per_sector:
            cell = _headline(t)
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
    scored = sorted((j for j in _judged(tables, bases) if j[1].value >= STRENGTH), key=lambda j: -j[1].value)
    return [f"{name}: {fmt.pct(c.value)} {whose} antwoordt '{t.positive.label}'{n}."
            for t, c, name, whose, n in scored[:MAX_POINTS]]


def weak_points(tables: list[ItemTable], bases: dict[str, str] | None = None) -> list[str]:
    """The lowest-scoring statements (below WEAK positive), lowest first, at most MAX_POINTS."""
    low = sorted((j for j in _judged(tables, bases) if j[1].value < WEAK), key=lambda j: j[1].value)
    return [f"Laag: {name}. Slechts {fmt.pct(c.value)} {whose} antwoordt '{t.positive.label}'{n}."
            for t, c, name, whose, n in low[:MAX_POINTS]]


def gap_points(tables: list[ItemTable]) -> list[str]:
    """The largest significant differences between the sectors, largest first, at most MAX_POINTS."""
    gaps = [t for t in tables if t.sector_test is not None and t.sector_test.significant
            and t.sector_test.diff is not None]
    return [f"Verschil tussen de sectoren: {t.item.short}. {sector_comparison(t)}"
            for t in sorted(gaps, key=lambda t: -abs(t.sector_test.diff))[:MAX_POINTS]]


def _significant_changes(trends: list, wave: int) -> list[tuple]:
    """(row, previous wave, then, now, printed change) of every change since the previous wave that is comparable
    (no status) and statistically significant: the only changes the report calls a rise or a drop."""
    found = []
    for row in trends:
        earlier = sorted(w for w in row.changes if w < wave)
        if not earlier or row.status.get(earlier[-1]) != "":
            continue
        change = _trend_change(row, wave, earlier[-1])
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
    drops = [d for d in _significant_changes(trends, wave)
             if d[4] <= -(DECLINE_MARK if d[0].is_mark else DECLINE_POINTS) + _EPS]
    # Marks and shares have different units: rank each drop by how far it passes its own limit.
    drops.sort(key=lambda d: d[4] / (DECLINE_MARK if d[0].is_mark else DECLINE_POINTS))
    return [f"Gedaald sinds {previous}: {row.item.short} (van {_value(then, row.is_mark)} naar "
            f"{_value(now, row.is_mark)}, {_signed(shown, row.is_mark)}, statistisch significant)."
            for row, previous, then, now, shown in drops[:MAX_POINTS]]


def attention_points(tables: list[ItemTable], trends: list, wave: int,
                     bases: dict[str, str] | None = None) -> list[str]:
    """Points of attention, each by an explicit rule: the lowest-scoring items (weak_points), the largest
    significant differences between the sectors (gap_points) and the largest significant drops since the
    previous wave (drop_points). What respondents ask for themselves is open_answer_points."""
    return weak_points(tables, bases) + gap_points(tables) + drop_points(trends, wave)


# --- open answers: the most mentioned sub-themes, one rule for the body, the summary and the recommendations ------

MIN_MENTIONS = 2  # a sub-theme named by fewer respondents is not singled out in the text


def mentions(question) -> list[tuple[str, int, int]]:
    """(label, k, n) of every sub-theme of an open question (tables.OpenQuestion) that at least MIN_MENTIONS
    respondents mention, most mentioned first; "Overig" and the quiet sub-themes are never named."""
    rows = [r for r in question.rows if r.category != "overig" and r.category not in question.quiet]
    found = [(r.label, c.k, c.n) for r in rows if (c := r.cells.get(F.TOTAAL)) is not None and c.shown
             and (c.k or 0) >= MIN_MENTIONS]
    return sorted(found, key=lambda m: -m[1])


def _mention(label: str, k: int, n: int) -> str:
    return f"{_lower(label)} ({k} van de {n})"


def open_answer_points(questions: list) -> list[str]:
    """Per open question its most mentioned sub-themes (at most MAX_POINTS, 'x van de n'), for the
    recommendations: what the respondents ask for in their own words."""
    points = []
    for question in questions:
        found = mentions(question)[:MAX_POINTS]
        if found:
            points.append(f"{question.item.short}: {_join([_mention(*m) for m in found])}.")
    return points


# --- the Bestuurlijke samenvatting and the short text per theme -----------------------------------------------------

MAX_MESSAGES = 5  # key messages in the summary, at most


def _changes_worded(trends: list, wave: int) -> list[str]:
    """The significant changes of the statements since the previous wave, largest first, in words (the mark's
    change stands beside the mark, mark_overview)."""
    found = sorted((d for d in _significant_changes(trends, wave) if not d[0].is_mark),
                   key=lambda d: -abs(d[4]))
    return [f"Sinds {previous} {'gestegen' if shown > 0 else 'gedaald'}: {row.item.short} (van "
            f"{_value(then, row.is_mark)} naar {_value(now, row.is_mark)}, {_signed(shown, row.is_mark)}, "
            "statistisch significant)." for row, previous, then, now, shown in found if size_word(shown, row.is_mark)]


def key_messages(tables: list[ItemTable], trends: list, wave: int, questions: list,
                 bases: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """Three to five key messages for the summary as (kind, sentence), each chosen by the same rules as the
    recommendations: the strongest ("sterk") and the weakest ("zwak") statement, the most mentioned sub-themes of
    the open questions ("open"), the biggest significant change since the previous wave ("verandering"), the
    largest significant sector gap ("verschil") and the largest signal, worded as uncertain ("signaal"). Fewer
    when the rules find fewer; never more than MAX_MESSAGES, in this order of priority."""
    messages = []
    strong = strengths(tables, bases)
    if strong:
        messages.append(("sterk", f"Sterkste punt: {strong[0]}"))
    weak = weak_points(tables, bases)
    if weak:
        messages.append(("zwak", f"Zwakste punt: {weak[0][len('Laag: '):]}"))
    found = sorted(((q, m) for q in questions for m in mentions(q)[:1]), key=lambda qm: -qm[1][1] / qm[1][2])
    if found:
        listed = _join([f"{_mention(*m)} bij '{q.item.short}'" for q, m in found[:MAX_POINTS]])
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
        cell = _headline(t)
        if cell is not None:
            sentences.append(f"Alle respondenten samen geven de samenwerking gemiddeld een {fmt.decimal(cell.value)} "
                             f"(n = {fmt.integer(cell.n)}).")
    judged = _judged(tables, bases)
    if len(judged) == 1:
        t, c, name, whose, n = judged[0]
        sentences.append(f"{name}: {fmt.pct(c.value)} {whose} antwoordt '{t.positive.label}'{n}.")
    elif judged:
        majority = sum(1 for j in judged if j[1].value > 0.5)
        ranked = sorted(judged, key=lambda j: -j[1].value)
        (_, high, high_name, _, _), (_, low, low_name, _, _) = ranked[0], ranked[-1]
        which = f"alle {len(judged)}" if majority == len(judged) else f"{majority} van de {len(judged)}"
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


def mark_overview(table: ItemTable | None, trend, wave: int) -> str:
    """The mark in the summary: per sector and all respondents, and against the previous wave by the word rule."""
    if table is None:
        return ""
    text = _mark_summary(table)
    if trend is not None:
        text += " " + trend_sentence(trend, wave)
    return text.strip()


# --- open answers: how sure the coding is ---------------------------------------------------------------------------

# A coordinator's review of the coding is advised for an open question when at least this share of its answers
# fits no sub-theme ("Overig"), or when none of its answers was reviewed. Written once; the Verantwoording prints it.
REVIEW_OTHER_SHARE = 0.25
REVIEW_COMMAND = "monitor-aoj beoordeling"


def open_answered(question, per_sector: bool = True) -> str:
    """How many respondents answered an open question (tables.OpenQuestion), per sector if asked and shown; a
    hidden total says so instead of a number."""
    total = question.n.get(F.TOTAAL)
    if total is None:
        return "Te weinig respondenten gaven een antwoord om aantallen of subthema's te tonen."
    said = f"{fmt.counted(total, 'respondent', 'respondenten')} {'gaf' if total == 1 else 'gaven'} een antwoord"
    if not per_sector:
        return said + "."
    onderwijs, jeugdhulp = question.n.get(F.ONDERWIJS), question.n.get(F.JEUGDHULP)
    if onderwijs is None or jeugdhulp is None:
        return said + " (per sector te weinig om te tonen)."
    return said + f": {fmt.integer(onderwijs)} uit het onderwijs en {fmt.integer(jeugdhulp)} uit de jeugdhulp."


def coding_note(question) -> str:
    """One sentence under an open question (tables.OpenQuestion): how many answers fit no sub-theme ("Overig")
    and whether a coordinator reviewed the coding. "" when the number of answers is hidden."""
    n, other = question.answers, question.other
    if not n:
        return ""
    if other is None:
        first = "Hoeveel antwoorden in geen subthema passen, is niet getoond (te weinig antwoorden)"
    elif other == 0:
        first = ("Het enige antwoord past in minstens één subthema" if n == 1 else
                 f"Alle {fmt.integer(n)} antwoorden passen in minstens één subthema")
    elif n == 1:
        first = "Het enige antwoord past in geen subthema (Overig)"
    else:
        first = (f"{fmt.integer(other)} van de {fmt.counted(n, 'antwoord', 'antwoorden')} "
                 f"({fmt.pct(other / n)}) {'past' if other == 1 else 'passen'} in geen subthema (Overig)")
    reviewed = question.reviewed
    if reviewed <= 0:
        second = "de indeling is (nog) niet door een coördinator nagekeken"
    elif reviewed >= n:
        second = ("een coördinator heeft de indeling nagekeken" if n == 1 else
                  "een coördinator heeft de indeling van alle antwoorden nagekeken")
    else:
        second = (f"een coördinator heeft de indeling van {fmt.integer(reviewed)} van de "
                  f"{fmt.counted(n, 'antwoord', 'antwoorden')} nagekeken")
    return f"{first}; {second}."


def review_advised(question) -> bool:
    """The rule (REVIEW_OTHER_SHARE): much in Overig, or nothing reviewed. Hidden counts advise nothing."""
    if not question.answers:
        return False
    share = question.other_share
    return question.reviewed == 0 or (share is not None and share >= REVIEW_OTHER_SHARE - _EPS)


def review_rule() -> str:
    """The rule for advising a review, in Dutch, for the Verantwoording (from REVIEW_OTHER_SHARE)."""
    return (f"Het rapport raadt aan dat een coördinator de indeling van een open vraag nakijkt (met "
            f"'{REVIEW_COMMAND}') als {fmt.pct(REVIEW_OTHER_SHARE)} of meer van de antwoorden in geen subthema past "
            "(Overig), of als nog geen enkel antwoord van die vraag is nagekeken.")


def review_advice(questions: list) -> str:
    """One sentence for the summary when a review of the coding is advised for any open question (review_advised);
    "" otherwise. questions: tables.OpenQuestion of the report, in report order."""
    advised = [q for q in questions if review_advised(q)]
    if not advised:
        return ""
    unreviewed = [q for q in advised if q.reviewed == 0]
    high = [q for q in advised if q.other_share is not None and q.other_share >= REVIEW_OTHER_SHARE - _EPS]
    parts = []
    if unreviewed:
        names = _join([f"'{q.item.short}'" for q in unreviewed])
        parts.append(f"de indeling van {'de open vraag' if len(unreviewed) == 1 else 'de open vragen'} {names} "
                     "is nog niet door een coördinator nagekeken")
    if high:
        listed = _join([f"'{q.item.short}' ({fmt.pct(q.other_share)})" for q in high])
        parts.append(f"bij {listed} past een groot deel van de antwoorden in geen subthema (Overig)")
    return (f"Laat een coördinator de indeling van de open antwoorden nakijken ('{REVIEW_COMMAND}'): "
            f"{'; '.join(parts)}.")
