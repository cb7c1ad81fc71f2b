"""Stage 6, narrative: Dutch sentences chosen by rule from the Figures (through the display tables).

Every number in a sentence comes from a Cell; a sentence never states a number it did not get from there.
"""

from __future__ import annotations

from monitor_aoj import figures as F
from monitor_aoj import format as fmt
from monitor_aoj.format import number_word
from monitor_aoj.tables import Cell, ItemTable

SECTOR_PHRASE = {F.ONDERWIJS: "uit het onderwijs", F.JEUGDHULP: "uit de jeugdhulp"}


def _share(cell: Cell | None) -> str:
    if cell is None or not cell.shown:
        return "niet te tonen (te weinig respondenten)"
    return f"{fmt.pct(cell.value)} (n = {fmt.integer(cell.n)})"


def item_summary(table: ItemTable) -> str:
    """One sentence with the headline figure of an item per sector and for all respondents."""
    if table.mean is not None:
        return _mark_summary(table)
    pos = table.positive
    if pos is None:
        return ""
    label = pos.label
    parts = [f"{_share(pos.cells.get(g))} van de respondenten {SECTOR_PHRASE[g]}"
             for g in (F.JEUGDHULP, F.ONDERWIJS) if table.n.get(g, 0) != 0]  # None: hidden, still named
    total = pos.cells.get(F.TOTAAL)
    sentence = " en ".join(parts) + f" antwoordt '{label}'."
    if total is not None and total.shown:
        sentence += f" Over alle respondenten samen is dat {_share(total)}."
    return sentence[0].upper() + sentence[1:]


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


def introduction(region_name: str, commissioner: str, fieldwork: str, wave: int,
                 earlier_waves: tuple[int, ...], municipalities: tuple[str, ...] = ()) -> str:
    when = f"in {fieldwork}" if fieldwork else f"in {wave}"
    who = commissioner or f"De regio {region_name}"
    where = f" (gemeente{'' if len(municipalities) == 1 else 'n'} {_join(list(municipalities))})" if (
        municipalities) else ""
    text = (f"{who} heeft {when} de Monitor Aansluiting Onderwijs Jeugd (AOJ) uitgevoerd in de regio "
            f"{region_name}{where}. De monitor geeft inzicht in de aansluiting tussen het onderwijs- en jeugdhulpaanbod en "
            "in de kwaliteit van de samenwerking tussen onderwijs en jeugdhulp.")
    if earlier_waves:
        earlier = _join([str(w) for w in earlier_waves])
        text += (f" Dit is de {ordinal(len(earlier_waves) + 1)} keer dat de monitor in de regio wordt uitgevoerd "
                 f"(eerder in {earlier}).")
    else:
        text += " Dit is de eerste keer dat de monitor in de regio wordt uitgevoerd."
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
    shown = label[0].lower() + label[1:] if label[1:2].islower() else label
    return f"{words[0].upper()}{words[1:]} ({k} van de {n}) {verb} {shown}."


def open_question_summary(question) -> list[str]:
    """A sentence per sub-theme that at least two respondents mention, most mentioned first ("Overig" last)."""
    rows = [r for r in question.rows if r.category != "overig" and r.category not in question.quiet]
    total = [(r, r.cells.get(F.TOTAAL)) for r in rows]
    shown = [(r, c) for r, c in total if c is not None and c.shown and (c.k or 0) >= 2]
    shown.sort(key=lambda rc: -(rc[1].k or 0))
    return [subtheme_sentence(r.label, c.k, c.n) for r, c in shown]


# --- comparisons in words ---------------------------------------------------------------------------------------

# Size of a difference in percentage points (as a fraction) and in mark points, checked from the top.
SIZE_POINTS = ((0.20, "veel"), (0.10, "flink"), (0.05, "iets"))
SIZE_MARKS = ((1.0, "veel"), (0.5, "flink"), (0.2, "iets"))
CHANCE = "maar bij deze aantallen respondenten kan dat verschil op toeval berusten"
REAL = "dit verschil is statistisch significant"
# The sector test looks at the whole distribution of the answers (see statistics.py), not just one share.
DISTRIBUTION = "de antwoorden in de twee sectoren verschillen statistisch significant"
def size_word(diff: float, is_mark: bool = False) -> str | None:
    """'veel', 'flink' or 'iets'; None when the difference is too small to call a difference at all.

    Judged on the difference as the reader sees it (whole percentage points, marks to one decimal), so that
    "100% tegen 80%" is 20 points and "veel", whatever the unrounded fractions were."""
    shown = float(fmt.round_half_up(diff, 1)) if is_mark else int(fmt.round_half_up(diff, scale=100)) / 100
    for bound, word in SIZE_MARKS if is_mark else SIZE_POINTS:
        if abs(shown) >= bound - 1e-9:
            return word
    return None


def _shown_difference(a: Cell, b: Cell, is_mark: bool) -> float:
    """The difference between two figures as they are printed: 100% and 80% differ by 20 points."""
    if is_mark:
        return float(fmt.round_half_up(a.value, 1) - fmt.round_half_up(b.value, 1))
    return (fmt.percent_number(a.value) - fmt.percent_number(b.value)) / 100


def _value(cell: Cell, is_mark: bool) -> str:
    return fmt.decimal(cell.value) if is_mark else fmt.pct(cell.value)


def sector_comparison(table: ItemTable) -> str:
    """How jeugdhulp and onderwijs compare on the headline figure, in words that follow the size of the
    difference and whether it is significant. Never 'iets' for a large gap, never a real difference without
    a significant test."""
    test = table.sector_test
    is_mark = table.mean is not None
    head = table.mean if is_mark else table.positive
    if head is None or test is None:
        return ""
    a, b = head.cells.get(F.JEUGDHULP), head.cells.get(F.ONDERWIJS)
    if a is None or b is None or not a.shown or not b.shown or not test.tested:
        return "Voor een vergelijking tussen onderwijs en jeugdhulp zijn te weinig respondenten." if (
            a is not None and b is not None and (a.suppressed or b.suppressed)) else ""
    size = size_word(_shown_difference(a, b, is_mark), is_mark)
    (high, high_cell), (low, low_cell) = sorted(((F.JEUGDHULP, a), (F.ONDERWIJS, b)),
                                                key=lambda gc: -gc[1].value)
    if size is None:
        if is_mark:
            text = (f"Jeugdhulp en onderwijs geven gemiddeld vrijwel hetzelfde cijfer ({_value(a, True)} en "
                    f"{_value(b, True)}).")
        else:
            text = (f"Jeugdhulp en onderwijs antwoorden vrijwel even vaak '{head.label}' ({_value(a, False)} en "
                    f"{_value(b, False)}).")
        return text + (" De verdeling van alle antwoorden verschilt wel statistisch significant."
                       if test.significant else "")
    if is_mark:
        text = (f"De respondenten {SECTOR_PHRASE[high]} geven gemiddeld een {size} hoger cijfer dan die "
                f"{SECTOR_PHRASE[low]} ({_value(high_cell, True)} tegen {_value(low_cell, True)})")
    else:
        text = (f"De respondenten {SECTOR_PHRASE[high]} antwoorden {size} vaker '{head.label}' dan die "
                f"{SECTOR_PHRASE[low]} ({_value(high_cell, False)} tegen {_value(low_cell, False)})")
    return text + (f"; {DISTRIBUTION}." if test.significant else f", {CHANCE}.")


def striking(table: ItemTable) -> str:
    """'Opvallend is dat ...': only for a single answer category on which the sectors differ by 20 points or
    more, and only when the sector test is significant. Otherwise nothing."""
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
        gap = abs(a.value - b.value)
        if gap >= 0.20 and (best is None or gap > best[0]):
            best = (gap, row, a, b)
    if best is None:
        return ""
    _, row, a, b = best
    (high, hc), (low, lc) = sorted(((F.JEUGDHULP, a), (F.ONDERWIJS, b)), key=lambda gc: -gc[1].value)
    return (f"Opvallend is dat {fmt.pct(hc.value)} van de respondenten {SECTOR_PHRASE[high]} '{row.label.lower()}' "
            f"antwoordt, tegen {fmt.pct(lc.value)} {SECTOR_PHRASE[low]}.")


def _change(cmp, is_mark: bool) -> str:
    return fmt.mark_points(cmp.diff) if is_mark else fmt.points(cmp.diff)


def trend_sentence(row, wave: int) -> str:
    """The item against the previous wave of the region (and the first, when there are more)."""
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
        point, cmp = row.points.get(previous), row.changes.get(previous)
        if point is None or not point.shown or cmp is None or cmp.diff is None:
            return ""
        then = fmt.decimal(point.value) if row.is_mark else fmt.pct(point.value)
        size = size_word(cmp.diff, row.is_mark)
        if size is None:
            text = f"In {previous} was dit {then} (n = {point.n}): vrijwel gelijk."
        else:
            direction = "hoger" if cmp.diff > 0 else "lager"
            verdict = "statistisch significant" if cmp.significant else "mogelijk toeval"
            text = (f"In {previous} was dit {then} (n = {point.n}); nu is het {size} {direction} "
                    f"({_change(cmp, row.is_mark)}, {verdict}).")
    first = earlier[0]
    cmp = row.changes.get(first)
    if first != previous and cmp is not None and cmp.diff is not None and row.status.get(first) == "":
        if size_word(cmp.diff, row.is_mark) is None:
            text += f" Sinds {first} vrijwel gelijk."
        else:
            verdict = "statistisch significant" if cmp.significant else "mogelijk toeval"
            text += f" Sinds {first}: {_change(cmp, row.is_mark)} ({verdict})."
    return text


def benchmark_sentence(row, wave: int) -> str:
    cmp = row.comparison
    if cmp.verdict == F.NO_COMPARISON:
        return f"Geen andere regio heeft deze vraag in {wave} gesteld."
    if row.others.value is None:
        return ""
    others = fmt.decimal(row.others.value) if row.is_mark else fmt.pct(row.others.value)
    against = cmp.against or "de andere regio's"
    text = f"In {against} samen is dit {others} (n = {fmt.integer(row.others.n)})"
    if cmp.diff is None:
        return text + "."
    size = size_word(cmp.diff, row.is_mark)
    if size is None:
        return text + ": vrijwel gelijk."
    direction = "hoger" if cmp.diff > 0 else "lager"
    verdict = REAL if cmp.significant else "dat verschil kan op toeval berusten"
    return text + f"; deze regio scoort {size} {direction} ({_change(cmp, row.is_mark)}), {verdict}."


def reference_sentence(reference, mark: Cell | None) -> str:
    if reference is None or mark is None or not mark.shown:
        return ""
    return f"Ter vergelijking: {reference.source} gaf gemiddeld een {fmt.decimal(reference.value)}."


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
                 f"aankruiste{'' if reclassified == 1 else 'n'}, telt{'' if reclassified == 1 else 'en'} mee bij de "
                 "sector van de functie (bijvoorbeeld een leerplichtambtenaar bij de jeugdhulp).")
    return text


def _lower(label: str) -> str:
    """'Mentor' -> 'mentor', but 'J&G coach' and 'JGZ' keep their capitals."""
    return label[0].lower() + label[1:] if label[1:2].islower() else label


def _capital(text: str) -> str:
    return text[0].upper() + text[1:]


def results_intro(themes: list[tuple[int, str]], extras: list[str]) -> str:
    """'In het onderzoek staan vijf thema's centraal: ...' with the count and numbers taken from the sections."""
    listed = "; ".join(f"{number}. {title}" for number, title in themes)
    text = f"In het onderzoek staan {number_word(len(themes))} thema's centraal: {listed}."
    if extras:
        text += (f" Daarnaast {'is' if len(extras) == 1 else 'zijn'} in deze regio {number_word(len(extras))} "
                 f"extra vra{'ag' if len(extras) == 1 else 'gen'} gesteld: {_join([_lower(e) for e in extras])}.")
    return text


def reading_guide(sections: list[str]) -> str:
    """The Leeswijzer, made from the list of sections that actually follow, in their order."""
    return ("Het rapport is zo opgebouwd: " + _join([s[0].lower() + s[1:] if s[1:2].islower() else s
                                                      for s in sections]) + ".")


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
        majority = sum(1 for _, c in scored if c.value > 0.5)
        tested = [t for t in tables if t.sector_test is not None and t.sector_test.tested]
        significant = sum(1 for t in tested if t.sector_test.significant)
        text = (f"Op {majority} van de {len(scored)} stellingen en vragen antwoordt een meerderheid van alle "
                "respondenten positief.")
        if not tested:
            text += (" Een vergelijking tussen onderwijs en jeugdhulp was niet mogelijk: in een van beide sectoren "
                     "waren te weinig respondenten.")
        elif significant:
            text += (f" Bij {significant} van de {len(tested)} {'vraag' if len(tested) == 1 else 'vragen'} "
                     "verschillen onderwijs en jeugdhulp statistisch significant.")
        else:
            text += " Tussen onderwijs en jeugdhulp is bij geen enkele vraag een statistisch significant verschil."
        paragraphs.append(text)
    return paragraphs


def strengths(tables: list[ItemTable]) -> list[str]:
    """Items where at least 80% of all respondents is positive, highest first."""
    scored = [(t, _headline(t)) for t in tables if t.mean is None]
    scored = sorted(((t, c) for t, c in scored if c is not None and c.value >= STRENGTH), key=lambda tc: -tc[1].value)
    return [f"{t.item.short}: {fmt.pct(c.value)} van alle respondenten antwoordt '{t.positive.label}' "
            f"(n = {c.n})." for t, c in scored[:MAX_POINTS]]


def attention_points(tables: list[ItemTable], trends: list, wave: int, suggestions: list[tuple[str, int, int]]
                     ) -> list[str]:
    """Points of attention, each by an explicit rule: the lowest-scoring items (below 60% positive), the largest
    significant differences between the sectors, the largest drops since the previous wave (10 points or 0,5 mark
    point or more) and the most mentioned improvement suggestions."""
    points = []
    scored = [(t, _headline(t)) for t in tables if t.mean is None]
    low = sorted(((t, c) for t, c in scored if c is not None and c.value < WEAK), key=lambda tc: tc[1].value)
    for t, c in low[:MAX_POINTS]:
        points.append(f"Laag: {t.item.short}. Slechts {fmt.pct(c.value)} van alle respondenten antwoordt "
                      f"'{t.positive.label}' (n = {c.n}).")
    gaps = [t for t in tables if t.sector_test is not None and t.sector_test.significant
            and t.sector_test.diff is not None]
    for t in sorted(gaps, key=lambda t: -abs(t.sector_test.diff))[:MAX_POINTS]:
        points.append(f"Verschil tussen de sectoren: {t.item.short}. {sector_comparison(t)}")
    drops = []
    for row in trends:
        earlier = sorted(w for w in row.changes if w < wave)
        if not earlier:
            continue
        cmp = row.changes[earlier[-1]]
        limit = DECLINE_MARK if row.is_mark else DECLINE_POINTS
        shown = float(fmt.round_half_up(cmp.diff, 1)) if row.is_mark and cmp.diff is not None else (
            int(fmt.round_half_up(cmp.diff, scale=100)) / 100 if cmp.diff is not None else None)
        if shown is not None and shown <= -limit + 1e-9:
            drops.append((row, earlier[-1], cmp))
    # Marks and shares have different units: rank each drop by how far it passes its own limit.
    drops.sort(key=lambda d: d[2].diff / (DECLINE_MARK if d[0].is_mark else DECLINE_POINTS))
    for row, previous, cmp in drops[:MAX_POINTS]:
        verdict = "statistisch significant" if cmp.significant else "mogelijk toeval"
        points.append(f"Gedaald sinds {previous}: {row.item.short} ({_change(cmp, row.is_mark)}, {verdict}).")
    named = [(label, k, n) for label, k, n in suggestions if k >= 2][:2]
    if named:
        listed = _join([f"{label[0].lower() + label[1:] if label[1:2].islower() else label} ({k} van de {n})"
                        for label, k, n in named])
        points.append(f"Meest genoemde verbetervoorstellen: {listed}.")
    return points
