"""What the name finder knows: the first names and surnames in data/, and the words around names.

The lists mark a name that is also an ordinary word with `*` (not alone at the start of a sentence) or `**` (never
alone); the word tables say which words are never names (STOP, ORGLIKE), which come before names (titles,
tussenvoegsels, triggers) and which look like initials but are abbreviations.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from monitor_aoj.anonymise.folding import fold

DATA = Path(__file__).parent / "data"

STOP = frozenset("""
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
ORGLIKE = re.compile(
    r"jeugd|zorg|school|scholen|college|lyceum|gemeente|team|centrum|stichting|hulp|onderwijs|praktijk|instituut|"
    r"afdeling|bureau|kliniek|poli|gezin|dienst|coach|overleg|leerplicht|opvang|kantoor|vereniging|platform|"
    r"netwerk|loket|academie|universiteit|hogeschool|verband|ministerie|inspectie|rechtbank|politie|huisarts|"
    r"consulent|begeleid|pedagog|kunde|werker")

TITLES = re.compile(
    r"(?i:(?:mevr|mw|dhr|mr|dr|drs|ir|ing|prof|mnr|mijnh)\.[ \t\u00a0]*"
    r"|(?:mevrouw|mevr|mw|meneer|mijnheer|dhr|de[ \t\u00a0]+heer|juffrouw|juf|meester|dokter|collega|collega's)"
    r"[ \t\u00a0]+)")
TITLE_START = (r"mevr\.|mw\.|dhr\.|mr\.|dr\.|drs\.|ir\.|ing\.|prof\.|mnr\.|mijnh\.|"
                r"(?:mevrouw|mevr|mw|meneer|mijnheer|dhr|de[ \t\u00a0]+heer|juffrouw|juf|meester|dokter|collega|"
                r"collega's)(?![\w'])")

# Tussenvoegsels. Name-like ones may stand between a first name (or title) and any capitalised surname;
# prepositional ones ("in de", "op de") only before a surname that is in the list.
_TV_NAMELIKE = ("van der", "van den", "van de", "van het", "van 't", "in 't", "op 't", "op den", "uit den", "van",
                "de", "den", "der", "ter", "ten", "te", "'t", "el", "al", "ait", "aït", "abou", "abu", "ben", "bin",
                "ibn", "le", "la", "du", "da", "di", "dos", "das", "del", "della", "von", "vom", "zu", "d'")
TV_PREPOSITIONAL = ("in de", "in den", "in het", "op de", "op ten", "uit de", "uit het", "aan de", "aan den",
                     "aan het", "bij de", "onder de", "over de", "voor de")
TV_ALL = _TV_NAMELIKE + TV_PREPOSITIONAL
# Before an unknown capitalised word on their own ("van der Zwaag", "ter Horst") these are almost always a name.
TV_STRONG = frozenset({"van der", "van den", "ter", "ten", "van 't", "in 't", "op 't", "op den", "uit den"})
# Written with a capital, these start an Arabic surname on their own ("El Khatib", "Ait Taleb").
TV_ARABIC = frozenset({"el", "al", "ait", "aït", "abou", "abu", "bin", "ibn"})
TV_WORDS = frozenset(w for tv in TV_ALL for w in tv.split())


# Words after which a (possibly ambiguous) first name or surname is a person: "met Roos", "collega Bas".
TRIGGERS = frozenset({"collega", "collega's", "met", "van", "bij", "aan", "door", "voor", "naar", "via", "heet",
                       "genaamd", "namens", "groet", "groeten", "gr", "juf", "meester", "mevrouw", "meneer", "dhr",
                       "mw", "mevr", "tegen"})
# For words that are mostly ordinary words ("Frans", "Max"), "voor Frans" is a school subject: fewer triggers.
STRONG_TRIGGERS = frozenset({"collega", "collega's", "met", "heet", "genaamd", "namens", "groet", "groeten", "gr"})
ARTICLES = frozenset({"de", "het", "een", "den", "der", "des", "'t"})
# Letter groups that look like initials but are abbreviations ("N.B. Ouders ...").
ABBREVIATIONS = frozenset({"nb", "ps", "zsm", "oa", "ipv", "tav", "mbt", "ivm", "ed", "ea", "vd", "bv", "nv", "cq",
                            "dwz", "aub", "svp", "iom", "muv", "tzt", "zoz", "pm", "am", "nl", "eo", "vs"})
# Words before a single capital letter with a dot that make it a label, not an initial ("groep A. Daarna").
LABEL_WORDS = frozenset({"groep", "plan", "optie", "bijlage", "niveau", "vitamine", "klas", "fase", "type", "stap",
                          "route", "punt", "categorie", "variant", "model", "vraag", "item", "deel", "paragraaf",
                          "hoofdstuk", "artikel", "lid", "blok", "zone", "leerjaar", "scenario", "versie", "bijl",
                          "profiel", "lokaal", "gebouw", "vleugel", "afdeling", "graad", "kolom", "rij"})


@dataclass(frozen=True)
class Surname:
    """How a surname is listed in achternamen.txt."""

    tvs: frozenset[str]  # tussenvoegsels it is listed with; "" if it is also listed without one
    level: int  # 0: counts alone anywhere; 1: not alone at the start of a sentence; 2: never alone


@dataclass(frozen=True)
class NameLists:
    """The two lists of data/, keyed by the folded name."""

    first: dict[str, int]  # folded first name -> level (0, 1, 2 as for surnames)
    surnames: dict[str, Surname]  # folded core ("vries") -> how it is listed


def _read_list(filename: str) -> list[tuple[str, int]]:
    entries = []
    for raw in (DATA / filename).read_text(encoding="utf-8").splitlines():
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
    while i < len(words) - 1 and fold(words[i]) in TV_WORDS:
        i += 1
    return " ".join(fold(w) for w in words[:i]), " ".join(words[i:])


@lru_cache(maxsize=1)
def load_name_lists() -> NameLists:
    """The first names and surnames of data/, read once per process."""
    first: dict[str, int] = {}
    for name, level in _read_list("voornamen.txt"):
        k = fold(name)
        first[k] = max(level, first.get(k, 0))
    tvs: dict[str, set[str]] = {}
    levels: dict[str, int] = {}
    for entry, level in _read_list("achternamen.txt"):
        tv, core = _split_surname(entry)
        k = fold(core)
        tvs.setdefault(k, set()).add(tv)
        levels[k] = max(level, levels.get(k, 0))
    surnames = {k: Surname(frozenset(v), levels[k]) for k, v in tvs.items()}
    return NameLists(first, surnames)


def name_list_sizes() -> tuple[int, int]:
    """Number of distinct first names and surnames in the lists (for documentation and tests)."""
    lists = load_name_lists()
    return len(lists.first), len(lists.surnames)
