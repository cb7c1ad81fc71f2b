"""What the numbers can and cannot say, in words: self-selection, the response, the smallest detectable
difference between the sectors, item non-response and what the validation checked (the Leeswijzer's method note
and the Verantwoording).
"""

from __future__ import annotations

from monitor_aoj import dutch as fmt
from monitor_aoj.figures import schema as F
from monitor_aoj.figures.statistics import detectable_difference
from monitor_aoj.ingest.validation.catalogue import CHECKS, Check
from monitor_aoj.report.phrases import SECTOR_NAME, join
from monitor_aoj.report.tables import Response

SELF_SELECTED = ("Wie de vragenlijst invulde, heeft daar zelf voor gekozen: de respondenten zijn niet door loting "
                 "gekozen. De marges en toetsen in dit rapport doen alsof de respondenten een willekeurige greep uit "
                 "alle professionals in de regio zijn. Deden vooral mensen met een uitgesproken mening mee, dan zeggen "
                 "de marges daar niets over.")


def response_sentence(rates: list[Response]) -> str:
    """How many of the invited professionals took part (rates: tables.responses), or that it is not known."""
    if not rates:
        return ("Hoeveel professionals zijn uitgenodigd, is niet opgegeven; daarom staat hier geen "
                "responspercentage.")
    parts: list[str] = []
    apart: list[str] = []
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
    """The Leeswijzer's short note on what the numbers can and cannot say, for a lay reader.

    Args:
        sizes: respondents per sector and in total (tables.sector_sizes).
        rates: the response per group (tables.responses); [] when the number invited is not configured.
        minimum_base: the smallest base a figure is shown for (`minimum_basis`); below it in a sector, the sectors
            are not compared at all.

    Returns:
        Plain Dutch text: that the respondents chose themselves, the response, and the smallest difference
        between the sectors these numbers can show (statistics.detectable_difference, in whole points).
    """
    return " ".join(s for s in (SELF_SELECTED, response_sentence(rates), detectable_sentence(sizes, minimum_base))
                    if s)


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


def checks_sentence() -> str:
    """The Verantwoording's sentences on what each export was checked for and what a fault does, from the
    validation catalogue (the checks with `checked_for`: those that set a cell or a whole row aside)."""
    def named(checks: list[Check]) -> list[str]:  # in catalogue order, the same words once
        return list(dict.fromkeys(check.checked_for for check in checks))

    cells = named([check for check in CHECKS.values() if check.cell])
    rows = named([check for check in CHECKS.values() if check.quarantine])
    return (f"Voordat er cijfers zijn gemaakt, is de export gecontroleerd op {join(cells + rows)}. Bij "
            f"{join(cells, 'of')} telt alleen dat antwoord niet mee; bij de andere fouten is de hele rij niet gebruikt "
            "maar apart gezet (quarantaine), met de reden erbij.")
