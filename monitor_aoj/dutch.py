"""Dutch notation for numbers and dates, in one place: 32%, 6,8, 1.234, 25 mei 2021; and the labels table: the
Dutch words for the coded values of the Figures table (groups, statistics, verdicts) that every renderer prints.

Rounding is half up (as people and Excel round), applied once, when a number is shown.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeGuard

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal

from monitor_aoj.figures import schema as F

LOCALE = "nl_NL"
MISSING = "–"  # shown where no number can be given
PERCENT_POINT, MARK_POINT = "procentpunt", "punt"  # the unit of a difference of shares, of marks

# --- the labels table: the Dutch label of each coded value, for the HTML, workbook, Word and PDF alike ---------
# Groups (the "group" and "partition" columns): the sectors and all respondents.
GROUP_LABELS = {F.ONDERWIJS: "Onderwijs", F.JEUGDHULP: "Jeugdhulp", F.TOTAAL: "Totaal"}
# Groups that are not a sector, functie or schooltype.
OTHER_GROUP_LABELS = {F.OTHER_REGIONS: "Andere regio's", F.SECTORS_COMPARED: "Jeugdhulp tegenover onderwijs"}
# The background counts (indicators: theme "achtergrond", item the background question): no questionnaire theme.
BACKGROUND_LABELS = {"achtergrond": "Achtergrond", "sector": "Sector", "functie": "Functie",
                     "schooltype": "Schooltype"}
STATISTIC_LABELS = {
    F.SHARE: "aandeel",
    F.POSITIVE: "samengevoegd (positief)",
    F.MEAN: "gemiddelde",
    F.INSUFFICIENT: "onvoldoende",
    F.NONRESPONSE: "geen antwoord",
    F.COUNT: "aantal respondenten",
    F.TREND_POINT: "trendpunt",
    F.TREND: "verandering",
    F.BENCHMARK: "andere regio's: gemiddelde (k = aantal regio's, BI-kolommen = laagste en hoogste)",
    F.SECTOR_TEST: "verschil sectoren",
    F.SUBTHEME: "subthema (open vraag)",
}
VERDICT_LABELS = {
    F.SIGNIFICANT: "significant",
    F.NOT_SIGNIFICANT: "niet significant",
    F.NOT_TESTED: "niet getoetst",
    F.NOT_ASKED: "niet gevraagd",
    F.NOT_COMPARABLE: "niet vergelijkbaar",
    F.NO_COMPARISON: "geen vergelijking",
}
# A hidden (suppressed) figure, named alike in every output. What suppression counts is a base of respondents (who
# answered the question), so the words say "respondenten"; a group large enough itself is hidden when showing it
# would give a smaller one away (figures.suppression), hence "in deze of een andere groep".
HIDDEN = "niet getoond: te weinig respondenten in deze of een andere groep"  # in a sentence or a note
HIDDEN_MARK = "n.b."  # where the figure would stand: a table cell, the label of a bar
HIDDEN_LEGEND = f'Waar "{HIDDEN_MARK}" staat, is het cijfer {HIDDEN}.'  # explains the mark, in the same words
# The anonymiser's kinds of replaced data: (one, more than one), so that a count of 1 reads "1 naam", not "1 namen".
REPLACED_KIND_LABELS = {
    "naam": ("naam", "namen"),
    "organisatie": ("naam van een organisatie of school", "namen van organisaties of scholen"),
    "e-mail": ("e-mailadres", "e-mailadressen"), "telefoonnummer": ("telefoonnummer", "telefoonnummers"),
    "postcode": ("postcode", "postcodes"), "adres": ("adres", "adressen"),
    "bsn": ("BSN-achtig nummer", "BSN-achtige nummers"), "website": ("webadres", "webadressen"),
    "iban": ("bankrekeningnummer (IBAN)", "bankrekeningnummers (IBAN)"),
    "datum": ("geboortedatum", "geboortedata"), "kenteken": ("kenteken", "kentekens"),
    "nummer": ("KvK-, leerling- of studentnummer", "KvK-, leerling- of studentnummers"),
}


def _is_figure(value: object) -> TypeGuard[float]:
    """A number to print, not missing (None, pd.NA or NaN). Callers hand over figures: what is not missing is a
    number (a Python or numpy int or float), which is all the TypeGuard says."""
    return not (value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)))


def round_half_up(value: float, digits: int = 0, scale: int = 1) -> Decimal:
    """Round value * scale half up. The shortest decimal form (repr) is scaled exactly, so that
    57/200 = 0.285 becomes 28.5% and rounds to 29%, not 28% as 0.285 * 100 = 28.4999... would."""
    exact = Decimal(repr(float(value))) * scale
    return exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def percent_number(fraction: float) -> int:
    """The whole percentage shown for a fraction: 0.315789 -> 32."""
    return int(round_half_up(fraction, scale=100))


def pct(fraction: object) -> str:
    """0.3158 -> '32%'."""
    if not _is_figure(fraction):
        return MISSING
    return f"{format_decimal(percent_number(fraction), locale=LOCALE)}%"


def points(diff: object, signed: bool = True) -> str:
    """A difference of two fractions in percentage points: 0.22 -> '+22 procentpunt'."""
    if not _is_figure(diff):
        return MISSING
    number = int(round_half_up(diff, scale=100))
    sign = "+" if signed and number > 0 else ""
    return f"{sign}{format_decimal(number, locale=LOCALE)} {PERCENT_POINT}"


def shown_difference(a: object, b: object, is_mark: bool = False) -> float | None:
    """a minus b as the reader can compute it from the printed figures: shares (fractions) in whole
    percentages, so 0.684 and 0.526 (68% and 53%) differ by 0.15; marks to one decimal (7,0 and 6,9 differ by
    0.1). None when either is missing. The report and the workbook print this, never the unrounded difference,
    so "68% tegen 53%" always comes with "15 procentpunt"."""
    if not _is_figure(a) or not _is_figure(b):
        return None
    if is_mark:
        return float(round_half_up(float(a), 1) - round_half_up(float(b), 1))
    return (percent_number(float(a)) - percent_number(float(b))) / 100


def difference(a: object, b: object, is_mark: bool = False, signed: bool = True) -> str:
    """The printed difference a minus b: '+15 procentpunt' or '+0,1 punt' (see shown_difference)."""
    diff = shown_difference(a, b, is_mark)
    return mark_points(diff, signed) if is_mark else points(diff, signed)


def decimal(value: object, digits: int = 1) -> str:
    """6.4068 -> '6,4'."""
    if not _is_figure(value):
        return MISSING
    rounded = round_half_up(float(value), digits)
    return format_decimal(rounded, format="#,##0." + "0" * digits if digits else "#,##0", locale=LOCALE)


def integer(value: object) -> str:
    """1234 -> '1.234'."""
    if not _is_figure(value):
        return MISSING
    return format_decimal(int(value), locale=LOCALE)


def date(day: dt.date) -> str:
    """2021-05-25 -> '25 mei 2021'."""
    return format_date(day, format="long", locale=LOCALE)


def pct_interval(low: object, high: object) -> str:
    """A 95% interval of a share: '18–50%'."""
    if not _is_figure(low) or not _is_figure(high):
        return MISSING
    return f"{percent_number(low)}–{percent_number(high)}%"


def mark_interval(low: object, high: object) -> str:
    """A 95% interval of a mean mark: '5,8–6,6'."""
    if not _is_figure(low) or not _is_figure(high):
        return MISSING
    return f"{decimal(low)}–{decimal(high)}"


def p_value(p: object) -> str:
    """'p = 0,012', and 'p < 0,001' for the smallest values."""
    if not _is_figure(p):
        return MISSING
    if float(p) < 0.001:
        return "p < 0,001"
    return f"p = {decimal(p, 3)}"


def mark_points(diff: object, signed: bool = True) -> str:
    """A difference of two mean marks: 0.36 -> '+0,4 punt'."""
    if not _is_figure(diff):
        return MISSING
    rounded = round_half_up(diff, 1)
    if rounded == 0:
        return f"0,0 {MARK_POINT}"
    sign = "+" if signed and rounded > 0 else ""
    return f"{sign}{decimal(float(rounded))} {MARK_POINT}"


NUMBER_WORDS = {1: "één", 2: "twee", 3: "drie", 4: "vier", 5: "vijf", 6: "zes", 7: "zeven", 8: "acht", 9: "negen",
                10: "tien", 11: "elf", 12: "twaalf"}


def row_list(rows: list) -> str:
    """'3, 8, 12 en nog 4': rows named in a message, without flooding it."""
    shown = ", ".join(str(r) for r in rows[:8])
    return shown + (f" en nog {len(rows) - 8}" if len(rows) > 8 else "")


def number_word(n: int) -> str:
    """Small numbers in words, as Dutch prose writes them: 5 -> 'vijf'; larger ones stay digits."""
    return NUMBER_WORDS.get(n, str(n))


def noun(count: int, singular: str, plural: str) -> str:
    """The noun that goes with a count in Dutch: the singular for exactly 1, else the plural ('0 vragen')."""
    return singular if count == 1 else plural


def counted(count: int, singular: str, plural: str) -> str:
    """A count with its noun: 1 -> '1 naam', 3 -> '3 namen' (the count as dutch.integer writes it)."""
    return f"{integer(count)} {noun(count, singular, plural)}"


def lower_first(label: str) -> str:
    """A label from the questionnaire or a codebook inside a sentence: its first letter in lower case, unless the
    word is an abbreviation or a name written so ('J&G coach', 'JGZ', 'M@ZL'). A leading bracket is skipped:
    '(Jeugd)hulpverlener' -> '(jeugd)hulpverlener'. The rule: lower the first letter only when the character after
    it is a lower-case letter."""
    for i, ch in enumerate(label):
        if ch.isalpha():
            nxt = label[i + 1:i + 2]
            return label[:i] + ch.lower() + label[i + 1:] if nxt.isalpha() and nxt.islower() else label
    return label
