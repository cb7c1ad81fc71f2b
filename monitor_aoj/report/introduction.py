"""The text of the introduction: who ran the monitor, who took part, the themes, and how the report is built.

The Leeswijzer is made from the sections that actually follow (reading_guide), and says once why the mirrored
items stand per sector only (mirrored_note).
"""

from __future__ import annotations

from monitor_aoj import dutch as fmt
from monitor_aoj.dutch import lower_first, number_word
from monitor_aoj.figures import schema as F
from monitor_aoj.report.phrases import capital, join, ordinal

# When no earlier wave is in the input and the region did not state its history (`eerdere_metingen`), the
# report cannot know whether this is the first time, so it says only what it does not compare with.
NO_EARLIER_IN_INPUT = ("Gegevens van een eerdere meting in de regio zitten niet in deze rapportage, dus dit rapport "
                       "vergelijkt niet met eerdere jaren.")


def introduction(region_name: str, commissioner: str, fieldwork: str, wave: int,
                 earlier_waves: tuple[int, ...], municipalities: tuple[str, ...] = (),
                 held_without_data: tuple[int, ...] | None = None) -> str:
    """The opening paragraph: who ran the monitor, when, where, and which time it is.

    Args:
        region_name: the region's name as the report shows it.
        commissioner: who ran the monitor (`opdrachtgever` in regios.yaml); "" names the region instead.
        fieldwork: when the survey ran, in words (`veldwerk`); "" gives the wave instead.
        wave: the report's wave (a year).
        earlier_waves: this region's waves before `wave` whose data is in the input (they have trend figures).
        municipalities: the region's municipalities (`gemeenten`), in the order to name them; () names none.
        held_without_data: waves before `wave` the region held without data here (`eerdere_metingen` in
            regios.yaml); None when the region did not say, and then "de eerste keer" is never claimed.

    Returns:
        One Dutch paragraph (plain text).
    """
    when = f"in {fieldwork}" if fieldwork else f"in {wave}"
    who = commissioner or f"De regio {region_name}"
    where = f" (gemeente{'' if len(municipalities) == 1 else 'n'} {join(list(municipalities))})" if (
        municipalities) else ""
    text = (f"{who} heeft {when} de Monitor Aansluiting Onderwijs Jeugd (AOJ) uitgevoerd in de regio "
            f"{region_name}{where}. De monitor geeft inzicht in de aansluiting tussen het onderwijs- en "
            "jeugdhulpaanbod en in de kwaliteit van de samenwerking tussen onderwijs en jeugdhulp.")
    without = tuple(held_without_data or ())
    held = sorted(set(earlier_waves) | set(without))
    if held:
        text += (f" Dit is de {ordinal(len(held) + 1)} keer dat de monitor in de regio wordt uitgevoerd "
                 f"(eerder in {join([str(w) for w in held])}).")
        if without:
            which = "de meting" if len(without) == 1 else "de metingen"
            text += (f" De gegevens van {which} in {join([str(w) for w in without])} zitten niet in deze "
                     f"rapportage; voor {'die meting' if len(without) == 1 else 'die metingen'} zijn geen "
                     "trendcijfers beschikbaar.")
    elif held_without_data is not None:  # the region stated that it held no earlier wave
        text += " Dit is de eerste keer dat de monitor in de regio wordt uitgevoerd."
    else:
        text += " " + NO_EARLIER_IN_INPUT
    return text


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
                     f"{lower_first(l1)} en {fmt.pct(c2.value)} {lower_first(l2)}.")
    if reclassified:
        text += (f" {capital(number_word(reclassified))} respondent{'' if reclassified == 1 else 'en'} die een "
                 "andere sector "
                 f"aankruiste{'' if reclassified == 1 else 'n'}, {'telt' if reclassified == 1 else 'tellen'} mee bij "
                 "de sector van de functie (bijvoorbeeld een leerplichtambtenaar bij de jeugdhulp).")
    return text


def results_intro(themes: list[tuple[int, str]], extras: list[str]) -> str:
    """'In het onderzoek staan vijf thema's centraal: ...' with the count and numbers taken from the sections."""
    listed = "; ".join(f"{number}. {title}" for number, title in themes)
    text = (f"In het onderzoek staat één thema centraal: {listed}." if len(themes) == 1 else
            f"In het onderzoek staan {number_word(len(themes))} thema's centraal: {listed}.")
    if extras:
        text += (f" Daarnaast {'is' if len(extras) == 1 else 'zijn'} in deze regio {number_word(len(extras))} "
                 f"extra vra{'ag' if len(extras) == 1 else 'gen'} gesteld: {join([lower_first(e) for e in extras])}.")
    return text


def reading_guide(sections: list[str]) -> str:
    """The Leeswijzer, made from the list of sections that actually follow, in their order."""
    return ("Het rapport is zo opgebouwd: " + join([lower_first(s) for s in sections]) + ".")


def mirrored_note(items: list, other_regions: bool = True, with_trends: bool = True) -> str:
    """The Leeswijzer's word on the mirrored items of this report (Item.per_sector); "" when there are none.
    other_regions: whether the report compares with other regions at all (otherwise it says so once, and this
    note does not mention them); with_trends: whether it has earlier waves to compare with."""
    if not items:
        return ""
    names = join([f"'{it.short}'" for it in items])
    one = len(items) == 1
    without = ["zonder totaal", "zonder toets op het verschil tussen de sectoren"]
    if other_regions:
        without.append("zonder vergelijking met andere regio's")
    return (f"{'De stelling' if one else 'De stellingen'} {names} {'is' if one else 'zijn'} gespiegeld: het onderwijs "
            "kreeg de stelling over de jeugdhulp, de jeugdhulp dezelfde stelling over het onderwijs. Dat zijn twee "
            f"verschillende stellingen. Daarom {'staat die' if one else 'staan die'} alleen per sector in het rapport: "
            f"{join(without)}." + (" De ontwikkeling sinds een eerdere meting staat ook per sector, en is niet "
                                    "getoetst." if with_trends else ""))
