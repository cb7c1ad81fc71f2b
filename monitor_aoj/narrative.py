"""Stage 6, narrative: Dutch sentences chosen by rule from the Figures (through the display tables).

Every number in a sentence comes from a Cell; a sentence never states a number it did not get from there.
"""

from __future__ import annotations

from monitor_aoj import figures as F
from monitor_aoj import format as fmt
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
             for g in (F.JEUGDHULP, F.ONDERWIJS) if table.n.get(g, 0) > 0]
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
            text += f" Een onvoldoende (5 of lager) geeft {' en '.join(shares)}."
    return text


ORDINALS = {1: "eerste", 2: "tweede", 3: "derde", 4: "vierde", 5: "vijfde", 6: "zesde", 7: "zevende", 8: "achtste"}


def ordinal(number: int) -> str:
    return ORDINALS.get(number, f"{number}e")


def introduction(region_name: str, commissioner: str, fieldwork: str, wave: int,
                 earlier_waves: tuple[int, ...]) -> str:
    when = f"in {fieldwork}" if fieldwork else f"in {wave}"
    who = commissioner or f"De regio {region_name}"
    text = (f"{who} heeft {when} de Monitor Aansluiting Onderwijs Jeugd (AOJ) uitgevoerd in de regio "
            f"{region_name}. De monitor geeft inzicht in de aansluiting tussen het onderwijs- en jeugdhulpaanbod en "
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
