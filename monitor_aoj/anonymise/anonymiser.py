"""Anonymise open survey answers: replace personal details by placeholders before anything reaches an output.

A quoted name or phone number in a report read by aldermen is a privacy incident, so the rules lean towards
recall; they stay rule-based (no model) so that a coordinator can read why something was replaced. Order matters:
web addresses before e-mail (an address may hold an "@"), IBANs before every other number (an IBAN holds a phone
number's ten digits), labelled numbers (KvK, leerlingnummer) and dates of birth before phone numbers and BSN (eight
digits), phone numbers before BSN-like numbers (a phone number holds nine digits), BSN before postcodes, numbers
before names, configured organisations before person names (an organisation may be named after a person).

Everything replaced is marked in the working text by one private-use character per kind, so no later rule can
match inside a placeholder; the markers become "[naam]" and friends at the very end. All other text is kept
exactly as typed: HTML, formulas and emoji are the renderer's business, not ours.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

KINDS = ("naam", "organisatie", "e-mail", "telefoonnummer", "postcode", "adres", "bsn", "website", "iban", "datum",
         "kenteken", "nummer")
PLACEHOLDERS = {kind: f"[{kind}]" for kind in KINDS}

_DATA = Path(__file__).parent / "data"

# Supplementary private-use characters: never typed by respondents, not letters, digits or word characters.
_MARK = {kind: chr(0xF0000 + i) for i, kind in enumerate(KINDS)}
_UNMARK = {ord(mark): PLACEHOLDERS[kind] for kind, mark in _MARK.items()}


@dataclass(frozen=True)
class Anonymised:
    text: str  # the answer with every personal detail replaced by its placeholder
    counts: dict[str, int]  # kind -> number of replacements made (only kinds with count > 0)


# --- folding: case- and accent-insensitive comparison --------------------------------------------------------------

# Letters that do not decompose under NFD but are typed without their stroke or dot as often as with it.
_FOLD_SPECIAL = {"ı": "i", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "’": "'", "‘": "'"}


@lru_cache(maxsize=None)
def _fold_char(c: str) -> str:
    """One character to its lower-case base letter ('' for a lone combining accent)."""
    if c in _FOLD_SPECIAL:
        return _FOLD_SPECIAL[c]
    base = unicodedata.normalize("NFD", c)[0]
    if unicodedata.combining(base):
        return ""
    low = base.lower()
    return low if len(low) == 1 else base


class _FoldTable(dict):
    """str.translate table that computes (and caches) the folding of any character on first use."""

    def __missing__(self, code: int) -> str:
        value = _fold_char(chr(code))
        self[code] = value
        return value


_FOLD = _FoldTable()


def _key(word: str) -> str:
    return word.translate(_FOLD)


def _latin(pred: Callable[[str], bool]) -> str:
    chars = [chr(c) for c in (*range(0x41, 0x250), *range(0x1E00, 0x1F00)) if pred(chr(c))]
    return "".join(chars)


_UPPERS = _latin(str.isupper)
_LOWERS = _latin(str.islower)
_UP = f"[{_UPPERS}]"
_L = r"(?:[^\W\d_]|[\u0300-\u036f])"  # a letter, or an accent in decomposed text
_SP = r"[ \t\u00a0]"  # a space within a line: names and numbers do not run across lines
_UPPER_RE = re.compile(f"[{_UPPERS}]")
_LOWER_RE = re.compile(f"[{_LOWERS}]")


@lru_cache(maxsize=1)
def _variant_classes() -> dict[str, str]:
    """Folded letter -> a regex character class of every Latin letter that folds to it."""
    groups: dict[str, set[str]] = {}
    for code in (*range(0x20, 0x250), *range(0x1E00, 0x1F00)):
        c = chr(code)
        if c.isalpha():
            f = _fold_char(c)
            if len(f) == 1:
                groups.setdefault(f, set()).add(c)
    return {f: "[" + "".join(re.escape(c) for c in sorted(cs)) + "]" for f, cs in groups.items()}


def _phrase_pattern(phrase: str) -> str:
    """A configured name as a regex that ignores case and accents and treats spaces and hyphens alike."""
    classes = _variant_classes()
    parts: list[str] = []
    for c in phrase.strip():
        if c.isspace() or c in "-‐‑–":
            if parts and parts[-1] == r"[\s\-‐‑–]+":
                continue
            parts.append(r"[\s\-‐‑–]+")
        elif c in "'’‘":
            parts.append("['’‘]")
        else:
            cls = classes.get(_fold_char(c))
            parts.append((cls or re.escape(c)) + r"[\u0300-\u036f]*")
    return "".join(parts)


def _phrases_regex(phrases: Iterable[str]) -> re.Pattern[str] | None:
    # Longest first: at one position the alternation takes the first alternative that matches.
    unique = {_key(" ".join(p.split())): p for p in phrases if p and p.strip()}
    if not unique:
        return None
    ordered = sorted(unique.values(), key=lambda p: (-len(_key(p)), _key(p)))
    alternation = "|".join(_phrase_pattern(p) for p in ordered)
    return re.compile(rf"(?<!\w)(?:{alternation})(?![\w\u0300-\u036f])")


# --- web addresses, e-mail, numbers ---------------------------------------------------------------------------------

_URL = re.compile(r"(?i)(?<![\w@.\-/])(?:https?://|www\.)[^\s<>\"'`\[\]{}|\\^]+")
_EMAIL = re.compile(
    r"(?i)(?<![\w.+\-%])[\w.+\-%]+(?:@|[ \t]?[\[(]at[\])][ \t]?)[\w\-]+(?:\.[\w\-]+)*\.[a-z]{2,}(?![\w])")
# A bare domain ("jeugdhulp-lindewaard.nl/aanpak"); only common top-level domains, to spare "zo.Nu" typos.
_DOMAIN = re.compile(
    r"(?<![\w@.\-/])(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+(?i:nl|com|org|net|eu|be|info|io)"
    r"(?![\w\-])(?:/[^\s<>\"'`\[\]{}|\\^]*)?")

# Between two digits of a phone number: a space, dot, hyphen or slash, ") " after an area code, or " - ".
_PSEP = r"(?:[ \t\u00a0.\-/–]|\)[ \t\u00a0]?|[ \t\u00a0][-–/][ \t\u00a0])?"
_PHONE = re.compile(
    r"(?<![\w+])(?:"
    # 0800 / 0900 / 0906 / 0909 service numbers: four or seven digits after the prefix
    r"0[89]0[069](?:[ \t\u00a0.\-]?\d){4}(?:(?:[ \t\u00a0.\-]?\d){3})?(?!\d)"
    # Dutch numbers: 0, (0, +31, 0031 or +31(0), then nine digits (area code or 6, and subscriber)
    r"|(?:(?:\+[ \t]?|00[ \t]?)31[ \t\u00a0.\-]?(?:\([ \t]?0[ \t]?\)[ \t\u00a0.\-]?)?|\([ \t]?0|0)"
    rf"\d(?:{_PSEP}\d){{8}}(?!\d)"
    # other international numbers
    r"|(?:\+|00)[ \t]?[1-9]\d{0,2}(?:[ \t\u00a0.\-/()]{0,2}\d){6,12}(?!\d)"
    r")")
# A date with a time or count after it can have ten digits starting with 0: "06-12-2021 14".
_DATE_START = re.compile(r"\(?0[1-9][-./](?:0?[1-9]|1[0-2])[-./](?:19|20)\d{2}(?!\d)")

_BSN = re.compile(
    r"(?<![\w+])(?<!\d[.,\-/])"
    r"(?:\d{9}|\d{8}|\d{3}[ .]\d{3}[ .]\d{3}|\d{4}\.\d{2}\.\d{3})"
    r"(?!\w)(?![.,\-/]\d)")
_MONEY_BEFORE = re.compile(r"(?:€|eur|euro)[ \t\u00a0]*\Z", re.I)
_MONEY_AFTER = re.compile(r"[ \t\u00a0]*(?:€|eur|euro|mln|miljoen)\b", re.I)

_POSTCODE = re.compile(r"(?<![\w.,\-/€])[1-9]\d{3}([ \t\u00a0]?)([A-Za-z]{2})(?!\w)")
# Two-letter words and abbreviations that follow a year or count far more often than a postcode's letters do.
_SHORT_WORDS = frozenset(
    "en of in op is te om al er ik je we ze na nu zo ja de af as ga ge ha he id ie la ma me mi ne oh ok pa re ta "
    "to tv uw wc ex co bv ca cq dl eo ev nl ol pm ps vs nr vd jr mn wo vo po so bo mr dr st km kg cm mm ml mg gb mb kb "
    "kw pk uu xl an at by it no or us be do go if me my up ad".split())
_POSTCODE_NEVER = frozenset({"sa", "sd", "ss"})  # letter pairs Dutch postcodes do not use
# School-type abbreviations after a year ("in 2021 PO en VO") are far more common than postcodes with these letters.
_CAPS_ABBREVIATIONS = frozenset({"po", "vo", "so", "wo", "bo", "ok", "tv", "nl"})

_STREET_ANY = ("straatweg|straatje|straat|laan|weg|pleintje|plein|singel|gracht|kade|dijk|hof|pad|steeg|dreef|markt|"
               "park|baan|wal|erf|boulevard")
_STREET_SAFE = "straatje|straat|laan|pleintje|plein|singel|gracht|kade|steeg|dreef|boulevard"
_HOUSE = (r"(?!(?:19|20)\d\d(?!\d))[1-9]\d{0,3}"
          r"(?:[ \t]?[-/][ \t]?\d{1,4}|[ \t]?-?[a-zA-Z](?![\w])|[ \t](?:hs|bis|zw|rd|bg|I{1,3})(?![\w]))?(?!\d)")
_STREET_TV = r"(?:van[ \t]+der|van[ \t]+den|van[ \t]+de|van|de|der|den|het|'t|ter|ten)"
_ADDRESS = re.compile(
    rf"(?<![\w'’\-])(?P<lead>(?:{_UP}{_L}*{_SP}+(?:{_STREET_TV}{_SP}+)?){{0,2}})"
    rf"(?:{_UP}{_L}*?(?i:{_STREET_ANY})|[a-z]{_L}*?(?:{_STREET_SAFE}))"
    rf"{_SP}?{_HOUSE}"
    # "Laan van Meerdervoort 12": the street type first
    rf"|(?<![\w'’\-])(?P<lead2>)(?:Laan|Plein|Kade|Weg|Hof|Singel|Gracht|Dijk){_SP}+"
    rf"(?:van{_SP}+der|van{_SP}+den|van{_SP}+de|van|de|der|den|het|'t){_SP}+{_UP}{_L}*(?:{_SP}{_UP}{_L}*)?{_SP}+{_HOUSE}")
_ADDRESS_HINT = re.compile(rf"(?i:{_STREET_ANY}){_SP}?[1-9]|(?:Laan|Plein|Kade|Weg|Hof|Singel|Gracht|Dijk){_SP}")
_PLACE_AFTER = re.compile(rf",?{_SP}+{_UP}[{_LOWERS}]")
_DIGIT = re.compile(r"\d")
_URL_HINT = re.compile(r"(?i)www\.|://")
_AT_WORD = re.compile(r"(?i)[\[(]at[\])]")
_DOMAIN_HINT = re.compile(r"\.(?i:nl|com|org|net|eu|be|info|io)(?![\w\-])")
# Ordinary words with a street suffix, followed by a count more often than by a house number.
_NOT_STREET = re.compile(r"(?i:onderweg|halverweg|halfweg|leerweg|loopbaan|arbeidsmarkt|woningmarkt|zorgmarkt|"
                         r"leerpad|zorgpad|ontwikkelpad|zijpad)\b")
_PART_SPLIT = re.compile(r"[-\s\u00a0]+")
_LEAD_WORD = re.compile(rf"{_UP}{_L}*{_SP}+")

# --- IBANs, dates of birth, licence plates, labelled numbers ---------------------------------------------------------

# ISO 13616 IBAN lengths per country: the SWIFT registry plus the countries that use IBANs outside it.
_IBAN_LENGTHS = {
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
_IBAN_START = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}")
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
    length = _IBAN_LENGTHS.get(country)
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


def _iban_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    while True:
        m = _IBAN_START.search(text, pos)
        if m is None:
            return spans
        end = _iban_end(text, m.start())
        if end is None:
            pos = m.start() + 1
        else:
            spans.append((m.start(), end))
            pos = end


# Dates. A date is only personal next to a birth word or a child; "op 12 maart hebben we overlegd" stays.
_D = r"(?:0?[1-9]|[12]\d|3[01])"
_M = r"(?:0?[1-9]|1[0-2])"
_Y4 = r"(?:19|20)\d\d"
_MONTH = (r"(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
          r"jan|febr|feb|mrt|maa|apr|jun|jul|aug|sept|sep|okt|oct|nov|dec)(?![^\W\d_])\.?")
_DSP = r"[ \t\u00a0]"
_DATE_FULL_FORMS = (rf"{_D}[-./]{_M}[-./]{_Y4}"
                    rf"|{_Y4}[-./]{_M}[-./]{_D}"
                    rf"|{_D}(?:e|ste|de)?(?:{_DSP}+|-){_MONTH}(?:{_DSP}*,)?(?:{_DSP}+|-){_Y4}")
# Only after a birth word: also without a year, with a two-digit year, or as eight digits.
_DATE_BIRTH_FORMS = (rf"{_DATE_FULL_FORMS}"
                     rf"|{_D}[-./]{_M}[-./]\d\d"
                     r"|(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])(?:19|20)\d\d"
                     r"|(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
                     rf"|{_D}(?:e|ste|de)?(?:{_DSP}+|-){_MONTH}"
                     rf"|{_MONTH}{_DSP}+{_Y4}"
                     rf"|{_D}[-./]{_M}")
_DATE_EDGE_BEFORE = r"(?<![\w.\-/])"
_DATE_EDGE_AFTER = r"(?![\w\u0300-\u036f])(?![.\-/]\d)"
_DATE_FULL = re.compile(rf"(?i){_DATE_EDGE_BEFORE}(?:{_DATE_FULL_FORMS}){_DATE_EDGE_AFTER}")
_BIRTH_WORD = (r"geboren|geboortedatum|geboortedag|geboorte-datum|geboorte[ \t]datum|geb\.?[ \t]?datum|geb\.?"
               r"|d\.o\.b\.?|dob")
# A birth word, then a few linking words ("geboren op", "zijn geboortedatum is", "geb.:"), then the date.
_DATE_AFTER_BIRTH = re.compile(
    rf"(?i)(?<![^\W\d_])(?:{_BIRTH_WORD})(?![^\W\d_])"
    rf"(?:[\s:=,(]*(?:op|is|was|in|per|de|d\.d\.)(?![^\W\d_]))*[\s:=,(]*"
    rf"(?P<date>{_DATE_EDGE_BEFORE}(?:{_DATE_BIRTH_FORMS}){_DATE_EDGE_AFTER})")
_DATE_BEFORE_BIRTH = re.compile(
    rf"(?i)(?P<date>{_DATE_EDGE_BEFORE}(?:{_DATE_FULL_FORMS}))[ \t\u00a0,]*\(?(?:geboren|geb\.)(?![^\W\d_])")
_BIRTH_HINT = re.compile(r"(?i)geb|dob|d\.o\.b")
# Words for a child or pupil: a full date near one, with a year that makes a child of it, is a date of birth.
_CHILD = re.compile(
    r"(?i)(?<![^\W\d_])(?:leerling|leerlinge|kind|kindje|jongere|jongen|meisje|zoon|zoontje|dochter|dochtertje|"
    r"broer|broertje|zus|zusje|pupil|student|studente|cliënt|client|baby|peuter|kleuter|puber|tiener)"
    r"(?![^\W\d_])")
_CHILD_WINDOW = 60  # characters before the date, within the same sentence
_SENTENCE_BREAK = re.compile(r"[!?\n]|\.(?=[ \t\u00a0]+[^\W\d_])")
_YEAR_IN = re.compile(r"(?:19|20)\d\d")
# Ages 3..27 in the year of the answer: a child or young person. Younger dates are mostly meetings ("de leerling is
# op 12-03-2025 besproken"), so they stay.
CHILD_AGES = (3, 27)

# Dutch licence plates: the sidecodes 1 to 14 (X a letter, 9 a digit).
_SIDECODES = ("XX-99-99", "99-99-XX", "99-XX-99", "XX-99-XX", "XX-XX-99", "99-XX-XX", "99-XXX-9", "9-XXX-99",
              "XX-999-X", "X-999-XX", "XXX-99-X", "X-99-XXX", "9-XX-999", "999-XX-9")


def _sidecode_pattern(separator: str, letter: str) -> str:
    def one(code: str) -> str:
        return separator.join("".join(letter if c == "X" else r"\d" for c in part) for part in code.split("-"))
    return "|".join(one(c) for c in _SIDECODES)


# Unlabelled: capitals and hyphens, as on the plate. After "kenteken": also lower case, spaces or nothing between.
_PLATE = re.compile(rf"(?<![\w\-])(?:{_sidecode_pattern('-', '[A-Z]')})(?![\w\-])")
_PLATE_LABELLED = re.compile(
    r"(?i)(?<![^\W\d_])kenteken(?:nummer|plaat)?(?![^\W\d_])(?:[ \t\u00a0:=]*(?:is|was|nr\.?)(?![^\W\d_]))*"
    rf"[ \t\u00a0:=]*(?P<plate>(?<![\w\-])(?:{_sidecode_pattern('[- ]?', '[A-Za-z]')})(?![\w\-]))")
_PLATE_HINT = re.compile(r"[A-Z]-\d|\d-[A-Z]|(?i:kenteken)")

# KvK numbers and pupil/student numbers, only after their label: "KvK 12345678", "leerlingnummer: 123456".
_LABEL_TAIL = r"(?:[ \t\u00a0]*-?[ \t\u00a0]*(?:nummer|nr\.?|no\.?))?"
_LABEL_LINK = r"(?:[ \t\u00a0:=#.]*(?:is|was)(?![^\W\d_]))?[ \t\u00a0:=#]*"
_KVK = re.compile(
    rf"(?i)(?<![^\W\d_])(?:kvk|k\.v\.k\.?|kamer[ \t\u00a0]+van[ \t\u00a0]+koophandel){_LABEL_TAIL}(?![^\W\d_])"
    rf"{_LABEL_LINK}(?P<number>(?<![\w.])\d(?:[ .]?\d){{7}})(?![\w])(?![.,]\d)")
_PUPIL_NUMBER = re.compile(
    r"(?i)(?<![^\W\d_])(?:leerling|leerlingen|lln|ll|student|studenten|deelnemer|onderwijs)"
    rf"(?:[ \t\u00a0]*-?[ \t\u00a0]*)(?:nummer|nr\.?)(?![^\W\d_]){_LABEL_LINK}"
    r"(?P<number>(?<![\w.])(?:[A-Za-z]{1,2}-?)?\d{4,10})(?![\w])(?![.,]\d)")
_NUMBER_HINT = re.compile(r"(?i)kvk|k\.v\.k|koophandel|nummer|nr")


# --- person names ----------------------------------------------------------------------------------------------------

_STOP = frozenset("""
de het een en of maar want dus ook als dan toen nu daarna daarom hierdoor daardoor verder soms vaak altijd nooit
niet geen wel ik jij je u hij zij ze wij we jullie mijn zijn haar ons onze hun uw die dat dit deze wat wie waar
wanneer hoe waarom welke welk er hier daar met van voor naar bij in op aan uit over onder door om tot tegen na
zonder tussen binnen buiten sinds tijdens vanuit via per is was zijn waren heb hebben had hadden kan kunnen kon
moet moeten moest zou zouden wordt worden werd mag mogen wil willen ga gaan gaat komt komen doe doen doet zie
zien neem neemt bel mail laat maak geef graag goed prima beter meer minder veel weinig erg heel zeer echt nog
al reeds eerst eerder later vandaag gisteren morgen vorig vorige volgende laatst onlangs steeds elke ieder iedere
alle allemaal iedereen niemand niets iets alles sommige andere anders zelf samen vooral ook zoals bijvoorbeeld
bv bijv etc enz nvt tip opmerking vraag antwoord ja nee oke ok helaas bedankt dank groeten groet hallo beste
hoi hey nb ps ter info zake plaatse behoeve opzichte aanzien beschikking
school scholen onderwijs gemeente gemeenten jeugdhulp jeugdzorg jeugd wijkteam wijkteams leerplicht
leerplichtambtenaar ouders ouder leerling leerlingen jongere jongeren kind kinderen gezin gezinnen mentor
mentoren docent docenten leerkracht leerkrachten directeur directie intern begeleider zorgcoördinator
zorgcoordinator coach coaches jeugdarts jeugdverpleegkundige gezinscoach hulpverlener hulpverleners
hulpverlening zorg team overleg samenwerking hulp aanpak werkwijze ondersteuning passend traject trajecten
wachtlijst wachtlijsten wachttijd wachttijden verzuim thuiszitters thuiszitter preventie signalering beleid
regio provincie rijk landelijk samenwerkingsverband consulent consulenten orthopedagoog psycholoog
opvoedpoli veilig thuis raad kinderbescherming rechtbank politie huisarts ggd ggz cjg jgz wmo sbo vso mbo hbo
vmbo havo vwo mdo zat iop opp ib po vo so wo bo ot jb gi jgt pgb oke stichting basisschool
maandag dinsdag woensdag donderdag vrijdag zaterdag zondag januari februari maart april mei juni juli augustus
september oktober november december jan feb mrt apr aug sep sept okt nov dec
nederland nederlands nederlandse frans franse duits duitse engels engelse spaans turks turkse arabisch
marokkaans marokkaanse surinaams europa god heer here
tel telefoon telefoonnummer mobiel nummer email mail adres website zie contact contactpersoon
volgens gelukkig momenteel inmiddels binnenkort afgelopen vanwege ondanks omdat hoewel zodat zodra nadat voordat
terwijl indien mits tenzij wellicht misschien eigenlijk natuurlijk uiteraard zeker juist enkel alleen slechts
daarnaast bovendien tevens slotte kortom overigens echter toch namelijk immers vanaf richting rondom rond dankzij
conform inclusief behalve succes complimenten hulde top fijn mooi jammer lastig moeilijk
""".split())

# Words that name an organisation or a role rather than a person; an unknown word containing one is no name.
_ORGLIKE = re.compile(
    r"jeugd|zorg|school|scholen|college|lyceum|gemeente|team|centrum|stichting|hulp|onderwijs|praktijk|instituut|"
    r"afdeling|bureau|kliniek|poli|gezin|dienst|coach|overleg|leerplicht|opvang|kantoor|vereniging|platform|"
    r"netwerk|loket|academie|universiteit|hogeschool|verband|ministerie|inspectie|rechtbank|politie|huisarts|"
    r"consulent|begeleid|pedagog|kunde|werker")

_TITLES = re.compile(
    r"(?i:(?:mevr|mw|dhr|mr|dr|drs|ir|ing|prof|mnr|mijnh)\.[ \t\u00a0]*"
    r"|(?:mevrouw|mevr|mw|meneer|mijnheer|dhr|de[ \t\u00a0]+heer|juffrouw|juf|meester|dokter|collega|collega's)"
    r"[ \t\u00a0]+)")
_TITLE_START = (r"mevr\.|mw\.|dhr\.|mr\.|dr\.|drs\.|ir\.|ing\.|prof\.|mnr\.|mijnh\.|"
                r"(?:mevrouw|mevr|mw|meneer|mijnheer|dhr|de[ \t\u00a0]+heer|juffrouw|juf|meester|dokter|collega|"
                r"collega's)(?![\w'])")

# Tussenvoegsels. Name-like ones may stand between a first name (or title) and any capitalised surname;
# prepositional ones ("in de", "op de") only before a surname that is in the list.
_TV_NAMELIKE = ("van der", "van den", "van de", "van het", "van 't", "in 't", "op 't", "op den", "uit den", "van",
                "de", "den", "der", "ter", "ten", "te", "'t", "el", "al", "ait", "aït", "abou", "abu", "ben", "bin",
                "ibn", "le", "la", "du", "da", "di", "dos", "das", "del", "della", "von", "vom", "zu", "d'")
_TV_PREPOSITIONAL = ("in de", "in den", "in het", "op de", "op ten", "uit de", "uit het", "aan de", "aan den",
                     "aan het", "bij de", "onder de", "over de", "voor de")
_TV_ALL = _TV_NAMELIKE + _TV_PREPOSITIONAL
# Before an unknown capitalised word on their own ("van der Zwaag", "ter Horst") these are almost always a name.
_TV_STRONG = frozenset({"van der", "van den", "ter", "ten", "van 't", "in 't", "op 't", "op den", "uit den"})
# Written with a capital, these start an Arabic surname on their own ("El Khatib", "Ait Taleb").
_TV_ARABIC = frozenset({"el", "al", "ait", "aït", "abou", "abu", "bin", "ibn"})
_TV_WORDS = frozenset(w for tv in _TV_ALL for w in tv.split())


def _tv_alternation() -> str:
    def one(tv: str) -> str:
        return r"[ \t\u00a0]+".join(re.escape(w).replace("'", "['’]") for w in tv.split())
    return "|".join(one(tv) for tv in sorted(_TV_ALL, key=len, reverse=True))


_TV_ALT = _tv_alternation()
_TV = re.compile(rf"(?i:{_TV_ALT})(?:{_SP}+|(?<=['’]){_SP}*)")
_CAPWORD = rf"{_UP}(?:['’]{_UP})?{_L}*"  # Jansen, JANSEN, D'Souza, O'Brien, Şahin
# One name token, hyphenated parts included: "Jansen-de Vries", "Anne-Marie", "Jeugd-GGZ".
_NAME_TOKEN = re.compile(
    rf"{_CAPWORD}(?:-(?:(?i:van{_SP}+der|van{_SP}+den|van{_SP}+de|van|de|den|der|ter|ten|el|al){_SP}+)?{_CAPWORD})*"
    r"(?![\w\u0300-\u036f])")
_INITIALS = re.compile(rf"(?:(?:{_UP}|Th|Ch|Chr|Ph|IJ|Ij|Tj|Sj)\.{_SP}?){{1,4}}")
_WS = re.compile(rf"{_SP}+")
_CAND = re.compile(
    rf"(?<![\w'’\-])(?:(?={_UP})|(?=(?i:{_TITLE_START}))|(?=(?i:{_TV_ALT}){_SP}+{_UP}))")
_CAND_CAPS = re.compile(r"(?<![\w'’\-])(?=[^\W\d_])")
_PREV_WORD = re.compile(r"(?<![^\W\d_])([^\W\d_]+(?:['’]s)?)([\s,:;]*)\Z")
_PRECEDING = re.compile(rf"(?<![\w'’\-])((?:{_CAPWORD}{_SP}+){{1,2}})\Z")
_MONTH_CONTEXT = re.compile(r"\.?[ \t\u00a0]*\d")
_NUMBER_BEFORE = re.compile(r"\d[ \t\u00a0]*\Z")
_SENTENCE_OPENERS = frozenset(" \t\u00a0\"'“”‘’„«»([{*•·–—-")
_SENTENCE_ENDS = frozenset(".!?:;\n\r>…=+|")
# Words after which a (possibly ambiguous) first name or surname is a person: "met Roos", "collega Bas".
_TRIGGERS = frozenset({"collega", "collega's", "met", "van", "bij", "aan", "door", "voor", "naar", "via", "heet",
                       "genaamd", "namens", "groet", "groeten", "gr", "juf", "meester", "mevrouw", "meneer", "dhr",
                       "mw", "mevr", "tegen"})
# For words that are mostly ordinary words ("Frans", "Max"), "voor Frans" is a school subject: fewer triggers.
_STRONG_TRIGGERS = frozenset({"collega", "collega's", "met", "heet", "genaamd", "namens", "groet", "groeten", "gr"})
_ARTICLES = frozenset({"de", "het", "een", "den", "der", "des", "'t"})
# Letter groups that look like initials but are abbreviations ("N.B. Ouders ...").
_ABBREVIATIONS = frozenset({"nb", "ps", "zsm", "oa", "ipv", "tav", "mbt", "ivm", "ed", "ea", "vd", "bv", "nv", "cq",
                            "dwz", "aub", "svp", "iom", "muv", "tzt", "zoz", "pm", "am", "nl", "eo", "vs"})
# Words before a single capital letter with a dot that make it a label, not an initial ("groep A. Daarna").
_LABEL_WORDS = frozenset({"groep", "plan", "optie", "bijlage", "niveau", "vitamine", "klas", "fase", "type", "stap",
                          "route", "punt", "categorie", "variant", "model", "vraag", "item", "deel", "paragraaf",
                          "hoofdstuk", "artikel", "lid", "blok", "zone", "leerjaar", "scenario", "versie", "bijl",
                          "profiel", "lokaal", "gebouw", "vleugel", "afdeling", "graad", "kolom", "rij"})


@dataclass(frozen=True)
class _Surname:
    tvs: frozenset[str]  # tussenvoegsels it is listed with; "" if it is also listed without one
    level: int  # 0: counts alone anywhere; 1: not alone at the start of a sentence; 2: never alone


@dataclass(frozen=True)
class _NameLists:
    first: dict[str, int]  # folded first name -> level (0, 1, 2 as for surnames)
    surnames: dict[str, _Surname]  # folded core ("vries") -> how it is listed


def _read_list(filename: str) -> list[tuple[str, int]]:
    entries = []
    for raw in (_DATA / filename).read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        level = 0
        if line.endswith("**"):
            level, line = 2, line[:-2].strip()
        elif line.endswith("*"):
            level, line = 1, line[:-1].strip()
        entries.append((unicodedata.normalize("NFC", " ".join(line.split())), level))
    return entries


def _split_surname(entry: str) -> tuple[str, str]:
    """'van den Berg' -> ('van den', 'Berg'); 'El Amrani' -> ('el', 'Amrani'); 'Jansen' -> ('', 'Jansen')."""
    words = entry.split()
    i = 0
    while i < len(words) - 1 and _key(words[i]) in _TV_WORDS:
        i += 1
    return " ".join(_key(w) for w in words[:i]), " ".join(words[i:])


@lru_cache(maxsize=1)
def _name_lists() -> _NameLists:
    first: dict[str, int] = {}
    for name, level in _read_list("voornamen.txt"):
        k = _key(name)
        first[k] = max(level, first.get(k, 0))
    tvs: dict[str, set[str]] = {}
    levels: dict[str, int] = {}
    for entry, level in _read_list("achternamen.txt"):
        tv, core = _split_surname(entry)
        k = _key(core)
        tvs.setdefault(k, set()).add(tv)
        levels[k] = max(level, levels.get(k, 0))
    surnames = {k: _Surname(frozenset(v), levels[k]) for k, v in tvs.items()}
    return _NameLists(first, surnames)


def name_list_sizes() -> tuple[int, int]:
    """Number of distinct first names and surnames in the lists (for documentation and tests)."""
    lists = _name_lists()
    return len(lists.first), len(lists.surnames)


def _is_strict(word: str, caps: bool) -> bool:
    """In a text in capitals, or for a word in capitals, every word looks like a name: only the lists count."""
    return caps or (len(word) > 1 and word.isupper())


class _NameFinder:
    """Finds person names by rules around titles, initials, tussenvoegsels and the name lists."""

    def __init__(self, lists: _NameLists):
        self.first = lists.first
        self.surnames = lists.surnames
        # The same capitalised words come back in every answer: look each one up once.
        self.first_level = lru_cache(maxsize=1 << 16)(self._first_level)
        self.surname = lru_cache(maxsize=1 << 16)(self._surname)

    # -- lookups ----------------------------------------------------------------------------------------------------

    @staticmethod
    def _parts(word: str) -> list[str]:
        key = _key(word)
        if "-" not in key and " " not in key:
            return [key]
        return [p for p in _PART_SPLIT.split(key) if p]

    def _first_level(self, word: str, caps: bool = False) -> int | None:
        """The list level of a first name (also "Anne-Marie", possessive "Anouks"), None if it is none."""
        if not caps and 1 < len(word) <= 3 and word.isupper():
            return None  # "BO", "EVA" in normal text: more likely an abbreviation
        k = _key(word)
        if k in self.first:
            return self.first[k]
        parts = self._parts(word)
        if len(parts) > 1 and parts[0] in self.first:
            return self.first[parts[0]]
        if k.endswith("s") and k[:-1] in self.first and self.first[k[:-1]] == 0:
            return 0
        return None

    def _surname(self, word: str, caps: bool = False) -> _Surname | None:
        """How a surname core is listed ("Jansen", "Jansen-de Vries", possessive "Jansens"), None if not."""
        if not caps and 1 < len(word) <= 3 and word.isupper():
            return None
        k = _key(word)
        if k in self.surnames:
            return self.surnames[k]
        parts = self._parts(word)
        if len(parts) > 1:
            found = [self.surnames[p] for p in parts if p in self.surnames]
            if found:
                return _Surname(frozenset({""}), min(s.level for s in found))
        if k.endswith("s") and k[:-1] in self.surnames and self.surnames[k[:-1]].level == 0:
            return self.surnames[k[:-1]]
        return None

    def known(self, word: str, caps: bool = False) -> bool:
        return self.first_level(word, caps) is not None or self.surname(word, caps) is not None

    def acceptable(self, word: str, strict: bool, *, acronyms: bool = False) -> bool:
        """Whether a capitalised word may be part of a name in a position where a name is expected."""
        if self.known(word, strict):
            return True
        if strict:
            return False
        parts = self._parts(word)
        if not parts or any(p in _STOP or _ORGLIKE.search(p) for p in parts):
            return False
        if word.isupper() and len(word) > 1:
            return acronyms and len(word) >= 3
        return True

    def tv_fits(self, tv: str, word: str, strict: bool, *, after_name: bool) -> bool:
        """Whether tussenvoegsel + word form a surname. after_name: a first name, title or initials came before."""
        info = self.surname(word, strict)
        if info is not None and (tv in info.tvs or (after_name and info.level < 2)):
            return True
        if tv in _TV_PREPOSITIONAL:
            return False
        if after_name and not strict:
            return self.acceptable(word, strict)
        if tv in _TV_STRONG:
            return self.acceptable(word, False) if not strict else _key(word) not in _STOP
        return False

    # -- context ----------------------------------------------------------------------------------------------------

    @staticmethod
    def sentence_start(text: str, p: int) -> bool:
        i = p - 1
        while i >= 0 and text[i] in _SENTENCE_OPENERS:
            i -= 1
        return i < 0 or text[i] in _SENTENCE_ENDS

    @staticmethod
    def previous_word(text: str, p: int) -> tuple[str, str]:
        """The word before position p, lower case, and what separates it from p."""
        m = _PREV_WORD.search(text, max(0, p - 40), p)
        if not m:
            return "", ""
        return _key(m.group(1)), m.group(2)

    def triggered(self, text: str, p: int, *, strong: bool = False) -> bool:
        word, _ = self.previous_word(text, p)
        return word in (_STRONG_TRIGGERS if strong else _TRIGGERS)

    def after_article(self, text: str, p: int) -> bool:
        word, sep = self.previous_word(text, p)
        return word in _ARTICLES and sep.strip() == ""

    # -- parsing ----------------------------------------------------------------------------------------------------

    def _tv_then_word(self, text: str, k: int, strict: bool, after_name: bool) -> int | None:
        tv = _TV.match(text, k)
        if not tv:
            return None
        w = _NAME_TOKEN.match(text, tv.end())
        if not w:
            return None
        tv_key = " ".join(_key(x) for x in tv.group().split())
        return w.end() if self.tv_fits(tv_key, w.group(), strict, after_name=after_name) else None

    def extend(self, text: str, end: int, caps: bool) -> int:
        """After a first name: more given names, then a tussenvoegsel and surname. Returns the new end."""
        for _ in range(3):
            ws = _WS.match(text, end)
            if not ws:
                break
            k = ws.end()
            w = _NAME_TOKEN.match(text, k)
            strict = _is_strict(w.group(), caps) if w else caps
            done = self._tv_then_word(text, k, strict, after_name=True)
            if done:
                return done
            if w and self.acceptable(w.group(), strict):
                end = w.end()
                continue
            break
        return end

    def after_title(self, text: str, j: int, caps: bool) -> int | None:
        """A title ends at j: optional initials, then a name. Returns the end of the name or None."""
        k = j
        ini = _INITIALS.match(text, k)
        if ini and _key(ini.group()).replace(".", "").replace(" ", "") not in _ABBREVIATIONS:
            k = ini.end()
        w = _NAME_TOKEN.match(text, k)
        strict = _is_strict(w.group(), caps) if w else caps
        done = self._tv_then_word(text, k, strict, after_name=True)
        if done:
            return done
        if not w:
            return None
        word = w.group()
        if self.known(word, strict):
            return self.extend(text, w.end(), caps)
        if strict:
            # In capitals only the word right after the title: "MEVROUW KORTEWEG BELDE" keeps "BELDE".
            key = _key(word)
            return w.end() if key not in _STOP and key not in _TV_WORDS and not _ORGLIKE.search(key) else None
        if self.acceptable(word, False, acronyms=True):
            return self.extend(text, w.end(), caps)
        return None

    def at(self, text: str, p: int, caps: bool, prev_end: int) -> tuple[int, int] | None:
        """The name span found at word start p, or None."""
        title = _TITLES.match(text, p)
        if title:
            end = self.after_title(text, title.end(), caps)
            return (title.end(), end) if end else None

        ini = _INITIALS.match(text, p)
        if ini:
            span = self._initials(text, p, ini, caps)
            if span:
                return span

        tv_end = self._standalone_tv(text, p, caps)
        if tv_end:
            return self._absorb(text, p, prev_end, caps), tv_end

        w = _NAME_TOKEN.match(text, p)
        if not w:
            return None
        word = w.group()
        strict = _is_strict(word, caps)

        level = self.first_level(word, caps)
        if level is not None:
            end = self.extend(text, w.end(), caps)
            if end > w.end() or self._alone_ok(text, p, w.end(), level, strict, first=True):
                return p, end

        info = self.surname(word, caps)
        if info is not None and self._alone_ok(text, p, w.end(), info.level, strict):
            return self._absorb(text, p, prev_end, caps), w.end()
        return None

    def _initials(self, text: str, p: int, ini: re.Match[str], caps: bool) -> tuple[int, int] | None:
        letters = _key(ini.group()).replace(".", "").replace(" ", "")
        if letters in _ABBREVIATIONS:
            return None
        k = ini.end()
        w = _NAME_TOKEN.match(text, k)
        strict = _is_strict(w.group(), caps) if w else caps
        done = self._tv_then_word(text, k, strict, after_name=True)
        if done:
            return p, done
        if not w:
            return None
        word = w.group()
        if self.known(word, strict):
            return p, w.end()
        if len(letters) == 1 and self.previous_word(text, p)[0] in _LABEL_WORDS:
            return None
        key = _key(word)
        if strict:
            return (p, w.end()) if key not in _STOP and not _ORGLIKE.search(key) else None
        return (p, w.end()) if self.acceptable(word, False) else None

    def _standalone_tv(self, text: str, p: int, caps: bool) -> int | None:
        tv = _TV.match(text, p)
        if not tv:
            return None
        nxt = _NAME_TOKEN.match(text, tv.end())
        if not nxt:
            return None
        tv_text = tv.group()
        tv_key = " ".join(_key(x) for x in tv_text.split())
        strict = _is_strict(nxt.group(), caps)
        if self.tv_fits(tv_key, nxt.group(), strict, after_name=False):
            return nxt.end()
        # "El Khatib", "Ait Taleb": an Arabic article with a capital starts a surname.
        if (tv_key in _TV_ARABIC and tv_text[0].isupper() and not strict
                and self.acceptable(nxt.group(), False)):
            return nxt.end()
        return None

    def _alone_ok(self, text: str, p: int, end: int, level: int, strict: bool, *, first: bool = False) -> bool:
        """Whether a listed name without anything around it counts as a name here."""
        if not first and self.after_article(text, p):
            return False  # "aan de Dijk", "op de Post": a thing, not a person
        if level == 0:
            return True
        if first and (_MONTH_CONTEXT.match(text, end) or _NUMBER_BEFORE.search(text, max(0, p - 4), p)):
            return False  # "15 Jan 2021", "jan. 2021"
        if self.triggered(text, p, strong=level == 2):
            return True
        if level == 2 or strict:
            return False
        return not self.sentence_start(text, p) and not self.after_article(text, p)

    def _absorb(self, text: str, s: int, prev_end: int, caps: bool) -> int:
        """Include unknown capitalised words right before a surname: "Sjoerdje Jansen"."""
        if caps or s <= prev_end:
            return s
        m = _PRECEDING.search(text, max(prev_end, s - 80), s)
        if not m:
            return s
        start = s
        for w in reversed(list(_LEAD_WORD.finditer(text, m.start(1), s))):
            word = w.group().strip()
            if _key(word) in _TV_WORDS or not self.acceptable(word, _is_strict(word, caps)):
                break
            start = w.start()
        return start

    def spans(self, text: str, caps: bool) -> list[tuple[int, int]]:
        cand = _CAND_CAPS if caps else _CAND
        found: list[tuple[int, int]] = []
        pos = 0
        while True:
            m = cand.search(text, pos)
            if m is None:
                return found
            p = m.start()
            span = self.at(text, p, caps, found[-1][1] if found else 0)
            if span:
                found.append(span)
                pos = span[1]
            else:
                pos = p + 1


@lru_cache(maxsize=1)
def _finder() -> _NameFinder:
    # One per process: the lists and the per-word lookup caches are shared by every region's anonymiser.
    return _NameFinder(_name_lists())


# --- the anonymiser ---------------------------------------------------------------------------------------------------


def _is_caps_text(text: str) -> bool:
    upper = len(_UPPER_RE.findall(text))
    if upper < 4:
        return False
    lower = len(_LOWER_RE.findall(text))
    return lower <= 0.1 * (upper + lower)


class Anonymiser:
    """Replaces personal details in one open answer at a time; build once per region, call per answer."""

    def __init__(self, organisations: Iterable[str] = (), names: Iterable[str] = ()):
        """organisations: organisation/school names from the region config (replace by [organisatie]);
        names: extra person names to always replace (e.g. from config)."""
        self._organisations = _phrases_regex(organisations)
        self._names = _phrases_regex(names)
        self._finder = _finder()

    def __call__(self, text: str | None, *, year: int | None = None) -> Anonymised:
        """None, '' or whitespace-only gives Anonymised('', {}).

        year: when the answer was given (the wave); a date near a child counts as a date of birth if it makes the
        child CHILD_AGES old in that year. Without it, the current year."""
        if text is None or not text.strip():
            return Anonymised("", {})
        counts: dict[str, int] = {}

        def mark(kind: str) -> str:
            counts[kind] = counts.get(kind, 0) + 1
            return _MARK[kind]

        def url(m: re.Match[str]) -> str:
            # Punctuation right after an address belongs to the sentence, a ")" only if the address has no "(".
            found = m.group()
            end = len(found)
            while end > 4 and (found[end - 1] in ".,;:!?'\"" or (found[end - 1] == ")" and "(" not in found[:end])):
                end -= 1
            return mark("website") + found[end:]

        # Cheap checks first: most answers hold no digit, "@" or web address, and these patterns are the slow ones.
        if _URL_HINT.search(text):
            text = _URL.sub(url, text)
        if "@" in text or _AT_WORD.search(text):
            text = _EMAIL.sub(lambda m: mark("e-mail"), text)
        if _DOMAIN_HINT.search(text):
            text = _DOMAIN.sub(lambda m: mark("website"), text)
        caps = _is_caps_text(text)
        digits = _DIGIT.search(text) is not None

        if digits:
            text = self._numbers_and_dates(text, mark, year)

        def phone(m: re.Match[str]) -> str:
            found = m.group()
            if _DATE_START.match(found):
                return found
            if found.startswith("(") and ")" not in found:
                return "(" + mark("telefoonnummer")  # "(06-12345678, ...": the bracket belongs to the sentence
            return mark("telefoonnummer")

        if digits:
            text = _PHONE.sub(phone, text)

        def bsn(m: re.Match[str]) -> str:
            found = m.group()
            before = m.string[max(0, m.start() - 6):m.start()]
            if _MONEY_BEFORE.search(before) or _MONEY_AFTER.match(m.string, m.end()):
                return found
            if len(found) == 8 and _looks_like_date(found):
                return found
            return mark("bsn")

        if digits:
            text = _BSN.sub(bsn, text)

        def address(m: re.Match[str]) -> str:
            found = m.group()
            if _NOT_STREET.match(found):
                return found
            lead = m.group("lead") or ""
            keep = 0
            for w in _LEAD_WORD.finditer(lead):
                k = _key(w.group().strip())
                if k in _STOP and k not in _TV_WORDS:
                    keep = w.end()
                else:
                    break
            return found[:keep] + mark("adres")

        if digits and _ADDRESS_HINT.search(text):
            text = _ADDRESS.sub(address, text)

        def postcode(m: re.Match[str]) -> str:
            space, letters = m.group(1), m.group(2)
            low = letters.lower()
            if low in _POSTCODE_NEVER:
                return m.group()
            if letters.isupper() and space:
                # "2021 EN Haarlem" and "9325 TV Oosterveen" are postcodes (a place follows); "in 2021 EN 2022"
                # (capitals) is a year and "2021 PO en VO" a school type.
                year = 1950 <= int(m.group()[:4]) <= 2050
                place = _PLACE_AFTER.match(m.string, m.end()) is not None
                ok = place or (low not in _CAPS_ABBREVIATIONS and not (year and low in _SHORT_WORDS))
            else:
                ok = low not in _SHORT_WORDS
            return mark("postcode") if ok else m.group()

        if digits:
            text = _POSTCODE.sub(postcode, text)

        if self._organisations is not None:
            text = self._organisations.sub(lambda m: mark("organisatie"), text)

        spans = self._finder.spans(text, caps)
        if spans:
            pieces, last = [], 0
            for s, e in spans:
                pieces += [text[last:s], mark("naam")]
                last = e
            pieces.append(text[last:])
            text = "".join(pieces)

        if self._names is not None:
            text = self._names.sub(lambda m: mark("naam"), text)

        return Anonymised(text.translate(_UNMARK), counts)


    @staticmethod
    def _numbers_and_dates(text: str, mark: Callable[[str], str], year: int | None) -> str:
        """IBANs, labelled KvK and pupil numbers, dates of birth and licence plates."""
        def replace_group(pattern: re.Pattern[str], group: str, kind: str, source: str) -> str:
            return pattern.sub(lambda m: m.group()[:m.start(group) - m.start()] + mark(kind)
                               + m.group()[m.end(group) - m.start():], source)

        if _IBAN_START.search(text):
            spans = _iban_spans(text)
            if spans:
                pieces, last = [], 0
                for s, e in spans:
                    pieces += [text[last:s], mark("iban")]
                    last = e
                pieces.append(text[last:])
                text = "".join(pieces)
        if _NUMBER_HINT.search(text):
            text = replace_group(_KVK, "number", "nummer", text)
            text = replace_group(_PUPIL_NUMBER, "number", "nummer", text)
        if _BIRTH_HINT.search(text):
            text = replace_group(_DATE_AFTER_BIRTH, "date", "datum", text)
            text = replace_group(_DATE_BEFORE_BIRTH, "date", "datum", text)
        if _CHILD.search(text):
            reference = year if year is not None else _dt.date.today().year
            youngest, oldest = reference - CHILD_AGES[0], reference - CHILD_AGES[1]

            def near_child(m: re.Match[str]) -> str:
                born = int(_YEAR_IN.search(m.group()).group())  # type: ignore[union-attr]
                if not oldest <= born <= youngest:
                    return m.group()
                before = m.string[max(0, m.start() - _CHILD_WINDOW):m.start()]
                breaks = list(_SENTENCE_BREAK.finditer(before))
                if breaks:
                    before = before[breaks[-1].end():]
                return mark("datum") if _CHILD.search(before) else m.group()

            text = _DATE_FULL.sub(near_child, text)
        if _PLATE_HINT.search(text):
            text = replace_group(_PLATE_LABELLED, "plate", "kenteken", text)
            text = _PLATE.sub(lambda m: mark("kenteken"), text)
        return text


def _looks_like_date(digits: str) -> bool:
    """ddmmyyyy or yyyymmdd: an eight-digit date is not a BSN."""
    def valid(d: int, m: int, y: int) -> bool:
        return 1 <= d <= 31 and 1 <= m <= 12 and 1900 <= y <= 2099
    return (valid(int(digits[:2]), int(digits[2:4]), int(digits[4:]))
            or valid(int(digits[6:]), int(digits[4:6]), int(digits[:4])))
