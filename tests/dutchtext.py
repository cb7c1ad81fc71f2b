"""Checks on generated Dutch text: typography, singular/plural after a count, impossible ranges, verb forms.

Independent of monitor_aoj on purpose: it reads the visible text of a report (or any sentence) and judges it
against a few fixed lists, so a fix in the generator cannot also change what the check expects.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import html as lxml_html

# Elements whose visible text is checked. Quotes of respondents (ul.citaten) and code (hashes) are theirs, not
# ours, and are left out.
ELEMENTS = ("p", "li", "td", "th", "caption", "figcaption", "h1", "h2", "h3", "h4")
# Cells of a table hold numbers and short labels ("n.b.", "ja"), not sentences: no capital needed there.
NOT_SENTENCES = ("td",)

# Abbreviations that end in a full stop without ending a sentence.
ABBREVIATIONS = ("o.a.", "bijv.", "d.w.z.", "e.o.", "n.b.", "i.p.v.", "nr.", "m.b.t.", "t.a.v.", "z.g.a.n.", "enz.",
                 "etc.", "incl.", "excl.", "ca.", "evt.", "resp.", "vs.")
# Noun: (singular, plural). A count of 1 (or "één") takes the singular, any other count the plural.
NOUNS = {
    "respondent": "respondenten", "vraag": "vragen", "antwoord": "antwoorden", "naam": "namen",
    "regio": "regio's", "toets": "toetsen", "stelling": "stellingen", "thema": "thema's", "subthema": "subthema's",
    "rij": "rijen", "meting": "metingen", "professional": "professionals", "adres": "adressen",
    "postcode": "postcodes", "telefoonnummer": "telefoonnummers", "e-mailadres": "e-mailadressen",
    "webadres": "webadressen", "nummer": "nummers", "fout": "fouten", "waarschuwing": "waarschuwingen",
    "bestand": "bestanden", "tabel": "tabellen", "gemeente": "gemeenten", "sector": "sectoren", "groep": "groepen",
    "citaat": "citaten", "kenteken": "kentekens", "geboortedatum": "geboortedata", "bankrekeningnummer":
    "bankrekeningnummers", "hertrekking": "hertrekkingen", "categorie": "categorieën", "deelnemer": "deelnemers",
    "school": "scholen", "keer": "keren",
}
# Nouns written the same after any count in Dutch prose ("3 keer", "20 procentpunt").
SAME_AFTER_ANY = {"keer"}
NUMBER_WORDS = {"één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9,
                "tien": 10, "elf": 11, "twaalf": 12}
# Verb forms that are not Dutch: made by gluing a plural ending to an irregular past tense.
BAD_VERBS = ("gafen", "gafden", "gaafden", "geefden", "telten", "kreegen", "kreegden", "vondden", "deeden",
             "koosden", "kozden", "werdden", "zijnden", "hebten")

_COUNT_NOUN = re.compile(r"(?<![\d,.\-])\b(\d+|" + "|".join(NUMBER_WORDS) + r")\s+"
                         r"(?:(?:[A-Z]+-achtige?|extra|andere|open|gespiegelde|verschillende|uitgenodigde|gebruikte)"
                         r"\s+)?([a-zë'\-]+)", re.I)
_RANGE = re.compile(r"(-?\d+(?:,\d+)?)\s*(%|procentpunt|punt)?\s+tot\s+(-?\d+(?:,\d+)?)\s*(%|procentpunt|punt)?")
_DASH_RANGE = re.compile(r"(?<![\d,])(\d+(?:,\d+)?)–(\d+(?:,\d+)?)%?")
_MISSING_SPACE = re.compile(r"[a-zë)\]%'][.!?;:][A-Z]|[a-zë]{2},[A-Za-z]")


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _count(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


def split_sentences(text: str) -> list[str]:
    """Sentences of a text: split after '.', '!' or '?' and a space, but not after an abbreviation."""
    pieces = re.split(r"(?<=[.!?])\s+", " ".join(text.split()))
    out: list[str] = []
    for piece in pieces:
        if out and out[-1].lower().endswith(ABBREVIATIONS):
            out[-1] += " " + piece
        else:
            out.append(piece)
    return [s for s in out if s]


def problems(sentence: str, sentence_start: bool = True) -> list[str]:
    """What is wrong with one sentence (empty: nothing found). sentence_start: whether it should begin with a
    capital (a table cell need not)."""
    found = []
    if "  " in sentence:
        found.append("dubbele spatie")
    for m in _MISSING_SPACE.finditer(sentence):
        context = sentence[max(0, m.start() - 6):m.end() + 1]
        if not re.search(r"https?:|www\.|\.(?:html|yaml|csv|xlsx|sav|pdf|docx|md)\b", context):
            found.append(f"geen spatie na leesteken: '{context}'")
    if re.search(r"\s[.,;:!?](?:\s|$)", sentence):
        found.append("spatie voor leesteken")
    if re.search(r"\.\s+\.|(?<!\.)\.\.(?!\.)", sentence):
        found.append("dubbele punt ('. .' of '..')")
    if re.search(r"\(\s*\)", sentence):
        found.append("lege haakjes")
    for m in _COUNT_NOUN.finditer(sentence):
        number, noun = _count(m.group(1)), m.group(2).lower()
        if number is None or (m.group(1).isdigit() and len(m.group(1)) == 4 and m.group(1)[:2] in ("19", "20")):
            continue  # a year, not a count
        plural_of = {p: s for s, p in NOUNS.items()}
        if number == 1 and noun in plural_of and plural_of[noun] not in SAME_AFTER_ANY | {noun}:
            found.append(f"enkelvoud na 1: '{m.group(0)}'")
        elif number == 1 and noun == "keren":
            found.append(f"enkelvoud na 1: '{m.group(0)}'")
        elif number != 1 and noun in NOUNS and noun not in SAME_AFTER_ANY:
            found.append(f"meervoud na {m.group(1)}: '{m.group(0)}'")
    for m in _RANGE.finditer(sentence):
        low, high = _number(m.group(1)), _number(m.group(3))
        if low >= high:
            found.append(f"onmogelijk bereik: '{m.group(0)}'")
    for m in _DASH_RANGE.finditer(sentence):
        if _number(m.group(1)) > _number(m.group(2)):
            found.append(f"onmogelijk bereik: '{m.group(0)}'")
    for verb in BAD_VERBS:
        if re.search(rf"\b{verb}\b", sentence, re.I):
            found.append(f"geen Nederlands werkwoord: '{verb}'")
    if sentence_start:
        first = re.sub(r"^[\s'\"“‘(\[•–-]+", "", sentence)
        if first[:1].islower() and not re.match(r"(?:[a-z]\s*=|e\.o\.|z\d|monitor_aoj|'s\b|n\.b\.|"
                                                r"[\w.-]+\.(?:csv|xlsx?|sav|yaml|txt|html)\b)", first):
            found.append("begint met een kleine letter")
    return found


def visible_texts(page: str) -> list[tuple[str, str]]:
    """(tag, visible text) of every checked element of a report, without quotes of respondents and code."""
    root = lxml_html.fromstring(page)
    for drop in root.xpath("//ul[contains(@class, 'citaten')] | //code | //script | //style | //q"):
        drop.drop_tree()
    out = []
    for el in root.iter(*ELEMENTS):
        text = " ".join(el.text_content().split())
        if text:
            out.append((el.tag, text))
    return out


def report_problems(page: str) -> list[str]:
    """Every problem in the visible text of one report: 'tag: problem -- sentence'."""
    out = []
    for tag, text in visible_texts(page):
        for sentence in split_sentences(text):
            for problem in problems(sentence, sentence_start=tag not in NOT_SENTENCES):
                out.append(f"{tag}: {problem} -- {sentence[:160]}")
    return out


def folder_problems(folder: Path) -> dict[str, list[str]]:
    """report file name -> its problems, for every report under folder (region/wave/monitor-aoj_*.html)."""
    return {path.name: report_problems(path.read_text(encoding="utf-8"))
            for path in sorted(Path(folder).glob("*/*/monitor-aoj_*.html"))}
