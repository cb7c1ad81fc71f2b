"""The patterns for details that are not names: web and e-mail addresses, phone numbers, BSN, postcodes, street
addresses, dates of birth, licence plates and labelled numbers (KvK, leerlingnummer).

Each `*_HINT` pattern is a cheap test that the slow pattern can match at all; the Anonymiser uses them in its order.
"""

from __future__ import annotations

import re

from monitor_aoj.anonymise.folding import LETTER, LOWERS, SPACE, UPPER

# --- web and e-mail addresses, phone numbers, BSN, postcodes, street addresses ----------------------------------------

URL = re.compile(r"(?i)(?<![\w@.\-/])(?:https?://|www\.)[^\s<>\"'`\[\]{}|\\^]+")
EMAIL = re.compile(
    r"(?i)(?<![\w.+\-%])[\w.+\-%]+(?:@|[ \t]?[\[(]at[\])][ \t]?)[\w\-]+(?:\.[\w\-]+)*\.[a-z]{2,}(?![\w])")
# A bare domain ("jeugdhulp-lindewaard.nl/aanpak"); only common top-level domains, to spare "zo.Nu" typos.
DOMAIN = re.compile(
    r"(?<![\w@.\-/])(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+(?i:nl|com|org|net|eu|be|info|io)"
    r"(?![\w\-])(?:/[^\s<>\"'`\[\]{}|\\^]*)?")

# Between two digits of a phone number: a space, dot, hyphen or slash, ") " after an area code, or " - ".
_PSEP = r"(?:[ \t\u00a0.\-/–]|\)[ \t\u00a0]?|[ \t\u00a0][-–/][ \t\u00a0])?"
PHONE = re.compile(
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
DATE_START = re.compile(r"\(?0[1-9][-./](?:0?[1-9]|1[0-2])[-./](?:19|20)\d{2}(?!\d)")

BSN = re.compile(
    r"(?<![\w+])(?<!\d[.,\-/])"
    r"(?:\d{9}|\d{8}|\d{3}[ .]\d{3}[ .]\d{3}|\d{4}\.\d{2}\.\d{3})"
    r"(?!\w)(?![.,\-/]\d)")
MONEY_BEFORE = re.compile(r"(?:€|eur|euro)[ \t\u00a0]*\Z", re.I)
MONEY_AFTER = re.compile(r"[ \t\u00a0]*(?:€|eur|euro|mln|miljoen)\b", re.I)

POSTCODE = re.compile(r"(?<![\w.,\-/€])[1-9]\d{3}([ \t\u00a0]?)([A-Za-z]{2})(?!\w)")
# Two-letter words and abbreviations that follow a year or count far more often than a postcode's letters do.
SHORT_WORDS = frozenset(
    "en of in op is te om al er ik je we ze na nu zo ja de af as ga ge ha he id ie la ma me mi ne oh ok pa re ta "
    "to tv uw wc ex co bv ca cq dl eo ev nl ol pm ps vs nr vd jr mn wo vo po so bo mr dr st km kg cm mm ml mg gb mb kb "
    "kw pk uu xl an at by it no or us be do go if me my up ad".split())
POSTCODE_NEVER = frozenset({"sa", "sd", "ss"})  # letter pairs Dutch postcodes do not use
# School-type abbreviations after a year ("in 2021 PO en VO") are far more common than postcodes with these letters.
CAPS_ABBREVIATIONS = frozenset({"po", "vo", "so", "wo", "bo", "ok", "tv", "nl"})

_STREET_ANY = ("straatweg|straatje|straat|laan|weg|pleintje|plein|singel|gracht|kade|dijk|hof|pad|steeg|dreef|markt|"
               "park|baan|wal|erf|boulevard")
_STREET_SAFE = "straatje|straat|laan|pleintje|plein|singel|gracht|kade|steeg|dreef|boulevard"
_HOUSE = (r"(?!(?:19|20)\d\d(?!\d))[1-9]\d{0,3}"
          r"(?:[ \t]?[-/][ \t]?\d{1,4}|[ \t]?-?[a-zA-Z](?![\w])|[ \t](?:hs|bis|zw|rd|bg|I{1,3})(?![\w]))?(?!\d)")
_STREET_TV = r"(?:van[ \t]+der|van[ \t]+den|van[ \t]+de|van|de|der|den|het|'t|ter|ten)"
ADDRESS = re.compile(
    rf"(?<![\w'’\-])(?P<lead>(?:{UPPER}{LETTER}*{SPACE}+(?:{_STREET_TV}{SPACE}+)?){{0,2}})"
    rf"(?:{UPPER}{LETTER}*?(?i:{_STREET_ANY})|[a-z]{LETTER}*?(?:{_STREET_SAFE}))"
    rf"{SPACE}?{_HOUSE}"
    # "Laan van Meerdervoort 12": the street type first
    rf"|(?<![\w'’\-])(?P<lead2>)(?:Laan|Plein|Kade|Weg|Hof|Singel|Gracht|Dijk){SPACE}+"
    rf"(?:van{SPACE}+der|van{SPACE}+den|van{SPACE}+de|van|de|der|den|het|'t){SPACE}+"
    rf"{UPPER}{LETTER}*(?:{SPACE}{UPPER}{LETTER}*)?{SPACE}+{_HOUSE}")
ADDRESS_HINT = re.compile(rf"(?i:{_STREET_ANY}){SPACE}?[1-9]|(?:Laan|Plein|Kade|Weg|Hof|Singel|Gracht|Dijk){SPACE}")
PLACE_AFTER = re.compile(rf",?{SPACE}+{UPPER}[{LOWERS}]")
DIGIT = re.compile(r"\d")
URL_HINT = re.compile(r"(?i)www\.|://")
AT_WORD = re.compile(r"(?i)[\[(]at[\])]")
DOMAIN_HINT = re.compile(r"\.(?i:nl|com|org|net|eu|be|info|io)(?![\w\-])")
# Ordinary words with a street suffix, followed by a count more often than by a house number.
NOT_STREET = re.compile(r"(?i:onderweg|halverweg|halfweg|leerweg|loopbaan|arbeidsmarkt|woningmarkt|zorgmarkt|"
                         r"leerpad|zorgpad|ontwikkelpad|zijpad)\b")


LEAD_WORD = re.compile(rf"{UPPER}{LETTER}*{SPACE}+")


# --- dates of birth, licence plates, labelled numbers -----------------------------------------------------------------

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
DATE_FULL = re.compile(rf"(?i){_DATE_EDGE_BEFORE}(?:{_DATE_FULL_FORMS}){_DATE_EDGE_AFTER}")
_BIRTH_WORD = (r"geboren|geboortedatum|geboortedag|geboorte-datum|geboorte[ \t]datum|geb\.?[ \t]?datum|geb\.?"
               r"|d\.o\.b\.?|dob")
# A birth word, then a few linking words ("geboren op", "zijn geboortedatum is", "geb.:"), then the date.
DATE_AFTER_BIRTH = re.compile(
    rf"(?i)(?<![^\W\d_])(?:{_BIRTH_WORD})(?![^\W\d_])"
    rf"(?:[\s:=,(]*(?:op|is|was|in|per|de|d\.d\.)(?![^\W\d_]))*[\s:=,(]*"
    rf"(?P<date>{_DATE_EDGE_BEFORE}(?:{_DATE_BIRTH_FORMS}){_DATE_EDGE_AFTER})")
DATE_BEFORE_BIRTH = re.compile(
    rf"(?i)(?P<date>{_DATE_EDGE_BEFORE}(?:{_DATE_FULL_FORMS}))[ \t\u00a0,]*\(?(?:geboren|geb\.)(?![^\W\d_])")
BIRTH_HINT = re.compile(r"(?i)geb|dob|d\.o\.b")
# Words for a child or pupil: a full date near one, with a year that makes a child of it, is a date of birth.
CHILD = re.compile(
    r"(?i)(?<![^\W\d_])(?:leerling|leerlinge|kind|kindje|jongere|jongen|meisje|zoon|zoontje|dochter|dochtertje|"
    r"broer|broertje|zus|zusje|pupil|student|studente|cliënt|client|baby|peuter|kleuter|puber|tiener)"
    r"(?![^\W\d_])")
CHILD_WINDOW = 60  # characters before the date, within the same sentence
SENTENCE_BREAK = re.compile(r"[!?\n]|\.(?=[ \t\u00a0]+[^\W\d_])")
YEAR_IN = re.compile(r"(?:19|20)\d\d")
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
PLATE = re.compile(rf"(?<![\w\-])(?:{_sidecode_pattern('-', '[A-Z]')})(?![\w\-])")
PLATE_LABELLED = re.compile(
    r"(?i)(?<![^\W\d_])kenteken(?:nummer|plaat)?(?![^\W\d_])(?:[ \t\u00a0:=]*(?:is|was|nr\.?)(?![^\W\d_]))*"
    rf"[ \t\u00a0:=]*(?P<plate>(?<![\w\-])(?:{_sidecode_pattern('[- ]?', '[A-Za-z]')})(?![\w\-]))")
PLATE_HINT = re.compile(r"[A-Z]-\d|\d-[A-Z]|(?i:kenteken)")

# KvK numbers and pupil/student numbers, only after their label: "KvK 12345678", "leerlingnummer: 123456".
_LABEL_TAIL = r"(?:[ \t\u00a0]*-?[ \t\u00a0]*(?:nummer|nr\.?|no\.?))?"
_LABEL_LINK = r"(?:[ \t\u00a0:=#.]*(?:is|was)(?![^\W\d_]))?[ \t\u00a0:=#]*"
KVK = re.compile(
    rf"(?i)(?<![^\W\d_])(?:kvk|k\.v\.k\.?|kamer[ \t\u00a0]+van[ \t\u00a0]+koophandel){_LABEL_TAIL}(?![^\W\d_])"
    rf"{_LABEL_LINK}(?P<number>(?<![\w.])\d(?:[ .]?\d){{7}})(?![\w])(?![.,]\d)")
PUPIL_NUMBER = re.compile(
    r"(?i)(?<![^\W\d_])(?:leerling|leerlingen|lln|ll|student|studenten|deelnemer|onderwijs)"
    rf"(?:[ \t\u00a0]*-?[ \t\u00a0]*)(?:nummer|nr\.?)(?![^\W\d_]){_LABEL_LINK}"
    r"(?P<number>(?<![\w.])(?:[A-Za-z]{1,2}-?)?\d{4,10})(?![\w])(?![.,]\d)")
NUMBER_HINT = re.compile(r"(?i)kvk|k\.v\.k|koophandel|nummer|nr")


def looks_like_date(digits: str) -> bool:
    """ddmmyyyy or yyyymmdd: an eight-digit date is not a BSN."""
    def valid(d: int, m: int, y: int) -> bool:
        return 1 <= d <= 31 and 1 <= m <= 12 and 1900 <= y <= 2099
    return (valid(int(digits[:2]), int(digits[2:4]), int(digits[4:]))
            or valid(int(digits[6:]), int(digits[4:6]), int(digits[:4])))
