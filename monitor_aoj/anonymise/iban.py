"""IBANs in open text: every country's length (ISO 13616) and the mod-97 check, so that only real ones are replaced.

Spaces or hyphens between groups of four are allowed, as IBANs are printed; an IBAN holds a phone number's ten
digits, so the Anonymiser replaces IBANs before any other number.
"""

from __future__ import annotations

import re

# ISO 13616 IBAN lengths per country: the SWIFT registry plus the countries that use IBANs outside it.
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27, "BR": 29,
    "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
    "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
    "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29,
    "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24,
    "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
    "YE": 30,
    # French overseas territories use the French format; these African and other countries use IBANs nationally.
    "BL": 27, "GF": 27, "GP": 27, "MF": 27, "MQ": 27, "NC": 27, "PF": 27, "PM": 27, "RE": 27, "TF": 27, "WF": 27,
    "YT": 27, "AO": 25, "BF": 28, "BJ": 28, "CF": 27, "CG": 27, "CI": 28, "CM": 27, "CV": 25, "DZ": 26, "GA": 27,
    "GQ": 27, "GW": 25, "IR": 26, "KM": 27, "MA": 28, "MG": 27, "ML": 28, "MZ": 25, "NE": 28, "SN": 28, "TD": 27,
    "TG": 28,
}
IBAN_START = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}")
_IBAN_SEPARATORS = frozenset(" \u00a0-")


def _iban_valid(compact: str) -> bool:
    """The ISO 13616 check: country code and check digits moved to the end, letters as 10..35, mod 97 is 1."""
    if not 2 <= int(compact[2:4]) <= 98:
        return False
    bban = compact[4:]
    if sum(c.isdigit() for c in bban) * 2 < len(bban):
        return False  # every country's account part is mostly digits; words that pass mod 97 are not
    number = "".join(str(int(c, 36)) for c in bban + compact[:4])
    return int(number) % 97 == 1


def _iban_end(text: str, start: int) -> int | None:
    """The end of a valid IBAN starting at start (country code, check digits), or None.

    Spaces (or hyphens) are allowed between groups of four, as IBANs are printed, or not at all; letters may be in
    lower case. A country outside the table counts only when typed compactly in capitals with a valid check."""
    country = text[start:start + 2].upper()
    length = IBAN_LENGTHS.get(country)
    chars: list[str] = []
    ends: list[int] = []  # text position after each character
    i, n = start, len(text)
    limit = length or 34
    while len(chars) < limit and i < n:
        c = text[i]
        if c.isascii() and c.isalnum():
            chars.append(c.upper())
            i += 1
            ends.append(i)
        elif (length and c in _IBAN_SEPARATORS and len(chars) % 4 == 0 and i + 1 < n and text[i + 1].isascii()
              and text[i + 1].isalnum()):
            i += 1
        else:
            break
    if length:
        if len(chars) != length or (i < n and text[i].isascii() and text[i].isalnum()):
            return None
        return ends[-1] if _iban_valid("".join(chars)) else None
    typed = text[start:start + len(chars)]
    if not typed.isupper() or len(chars) < 15 or (i < n and text[i].isascii() and text[i].isalnum()):
        return None
    return ends[-1] if _iban_valid("".join(chars)) else None


def iban_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every valid IBAN in the text, left to right."""
    spans: list[tuple[int, int]] = []
    pos = 0
    while True:
        m = IBAN_START.search(text, pos)
        if m is None:
            return spans
        end = _iban_end(text, m.start())
        if end is None:
            pos = m.start() + 1
        else:
            spans.append((m.start(), end))
            pos = end
