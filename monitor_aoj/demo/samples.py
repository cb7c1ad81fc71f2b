"""Fictional but realistic survey answers: four regions x three waves, as professionals in them tend to answer.

Seeded, so the same seed gives the same answers. Columns, codes and labels come from the questionnaires; this
module only knows how professionals in a fictional region tend to answer. Its Dutch texts (open answers, names,
streets) are data, in sample_texts.yaml; sample_files writes the answers as exports. The regions, people and
organisations are invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from monitor_aoj.definitions.questionnaire import Questionnaire, Scale
from monitor_aoj.definitions.yaml_reader import load_yaml

DEFAULT_SEED = 20210325


@dataclass(frozen=True)
class WaveSpec:
    n: int
    format: str  # "spss", "csv" or "excel"
    values: str  # "codes" or "labels": what the survey tool exported
    fieldwork: str
    extras: tuple[str, ...] = ()
    tool: str = ""  # a survey tool's layout (demo.tool_exports.LAYOUTS): its own codes, labels and a mapping
    invited: tuple[tuple[str, int], ...] = ()  # `uitgenodigd` per sector, for the response rate; () = not known


@dataclass(frozen=True)
class RegionProfile:
    id: str
    name: str
    commissioner: str
    municipalities: tuple[str, ...]
    organisations: tuple[str, ...]
    share_onderwijs: float
    level: dict[int, float]  # how well cooperation goes in this region per wave (logit shift)
    waves: dict[int, WaveSpec] = field(default_factory=dict)


REGIONS = (
    RegionProfile(
        id="lindewaard",
        name="Lindewaard",
        commissioner="Samenwerkingsverband VO Lindewaard",
        municipalities=("Lindewaard", "Oosterveen", "Kraaiendam"),
        organisations=("Stichting Jeugdhulp Lindewaard", "Het Baken College", "Lyceum De Linde",
                       "Wijkteam Oosterveen"),
        share_onderwijs=0.46,
        level={2016: -0.35, 2018: 0.0, 2021: 0.25},
        waves={
            2016: WaveSpec(44, "spss", "codes", "maart 2016"),
            2018: WaveSpec(52, "spss", "codes", "maart 2018"),
            2021: WaveSpec(61, "spss", "codes", "maart 2021",
                           ("extra_jg_coach_preventief", "extra_verzuim_stap_open"),
                           invited=(("onderwijs", 64), ("jeugdhulp", 80))),
        },
    ),
    RegionProfile(
        id="beekdal-noord",
        name="Beekdal-Noord",
        commissioner="Samenwerkingsverband Passend Onderwijs Beekdal-Noord",
        municipalities=("Beekdal", "Wolderbroek", "Heemsloot", "Ravensweerd"),
        organisations=("Jeugdteam Beekdal", "Sint-Joriscollege", "OBS De Regenboog", "Zorgcentrum De Wilgen"),
        share_onderwijs=0.52,
        level={2016: 0.10, 2018: 0.20, 2021: -0.10},
        waves={
            2016: WaveSpec(86, "csv", "codes", "april 2016"),
            2018: WaveSpec(104, "csv", "labels", "april 2018"),
            2021: WaveSpec(117, "csv", "labels", "april 2021",
                           ("extra_jg_coach_preventief", "extra_verzuim_stap_open"),
                           invited=(("onderwijs", 140), ("jeugdhulp", 95))),
        },
    ),
    RegionProfile(
        id="polderrijk",
        name="Polderrijk",
        commissioner="Gemeente Polderrijk, afdeling Onderzoek en Statistiek",
        municipalities=("Polderrijk", "Nieuw-Zuiderland"),
        organisations=("Praktijkschool Polderrijk", "Jeugdhulp Zuiderland", "Kindcentrum De Grutto"),
        share_onderwijs=0.40,
        level={2016: -0.20, 2018: -0.25, 2021: -0.30},
        waves={
            2016: WaveSpec(31, "excel", "labels", "mei 2016"),
            2018: WaveSpec(36, "excel", "labels", "mei 2018"),
            2021: WaveSpec(43, "csv", "labels", "mei 2021", tool="qualtrics"),
        },
    ),
    RegionProfile(
        id="duinhoven",
        name="Duinhoven",
        commissioner="Samenwerkingsverband Duinhoven e.o.",
        municipalities=("Duinhoven", "Zandvoorde-Oost", "Helmstrand"),
        organisations=("Kustcollege Duinhoven", "Jeugd en Gezin Duinhoven", "SBO De Vuurtoren"),
        share_onderwijs=0.48,
        level={2016: 0.0, 2018: 0.15, 2021: 0.45},
        waves={
            2016: WaveSpec(58, "csv", "codes", "maart 2016"),
            2018: WaveSpec(49, "excel", "labels", "maart 2018", ("extra_thuiszitters_overleg",)),
            2021: WaveSpec(72, "spss", "codes", "maart 2021", tool="spss"),
        },
    ),
)

# How likely a positive answer is across regions (logit), and how much more positive jeugdhulp is.
ITEM_PROFILE: dict[str, tuple[float, float]] = {
    "mdo_aanwezig": (3.2, 0.2),
    "mdo_ouders": (1.2, 0.3),
    "mdo_jongeren": (0.8, 0.2),
    "mdo_afspraken_aanbod": (2.2, 0.3),
    "mdo_mandaat": (0.5, 0.1),
    "afstemming_wijkteam": (1.5, 0.2),
    "privacy_afspraken_bekend": (2.5, 0.2),
    "zicht_inzet_jeugdhulp": (0.4, 0.5),
    "kindveiligheid_meldcode": (0.2, 0.8),
    "vast_contactpersoon": (0.6, 0.8),
    "school_in_gezinsplan": (-0.3, 0.6),
    "verzuim_afstemming": (0.5, 0.1),
    "snellere_inzet": (0.9, 1.1),
    "rapportcijfer": (0.0, 0.5),
    "preventie_signalen": (1.6, 0.1),
    "preventie_afstemming": (0.5, 0.2),
    "evaluatie_gezamenlijk": (0.4, 0.7),
    "scholing_gezamenlijk": (0.8, 0.8),
    "feedback_benut": (0.7, 0.8),
    "extra_jg_coach_preventief": (1.3, 0.3),
    "extra_thuiszitters_overleg": (0.9, 0.2),
}
DONT_KNOW = {"onderwijs": 0.14, "jeugdhulp": 0.08}
NONRESPONSE = 0.03
OPEN_RESPONSE = {"verbetering_open": 0.65, "preventie_stap_open": 0.55, "trots_open": 0.6,
                 "zicht_toelichting_open": 0.35, "extra_verzuim_stap_open": 0.5}

FUNCTIE_WEIGHTS = {
    "onderwijs": {1: 0.34, 2: 0.16, 3: 0.16, 4: 0.18, 5: 0.10, 20: 0.06},
    "jeugdhulp": {11: 0.22, 12: 0.20, 13: 0.16, 14: 0.12, 15: 0.10, 16: 0.08, 17: 0.06, 20: 0.06},
}
SCHOOLTYPE_WEIGHTS = {1: 0.22, 2: 0.08, 3: 0.40, 4: 0.07, 5: 0.08, 6: 0.15}

_TEXTS = load_yaml(Path(__file__).with_name("sample_texts.yaml"), "de teksten van de voorbeelddata")
# Open answers per question, with {placeholders} filled per region (personal_details).
OPEN_TEXTS: dict[str, list[str]] = _TEXTS["open_antwoorden"]
OTHER_FUNCTIE: dict[str, list[str]] = _TEXTS["andere_functie"]  # per sector: 'Anders, namelijk' answers
STREETS: list[str] = _TEXTS["straten"]
FIRST_NAMES: list[str] = _TEXTS["voornamen"]
SURNAMES: list[str] = _TEXTS["achternamen"]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _answer(rng: np.random.Generator, scale: Scale, latent: np.ndarray, sector: np.ndarray,
            dont_know: bool) -> np.ndarray:
    """Draw a code per respondent from a latent positive-ness (logit scale)."""
    n = len(latent)
    if scale.kind == "cijfer":
        mark = np.rint(6.5 + 0.9 * latent / 1.5 + rng.normal(0, 1.0, n))
        return np.clip(mark, scale.minimum, scale.maximum).astype(int)
    cats = [c.code for c in scale.categories if not c.dont_know]
    if len(cats) == 2:
        pos = scale.positive[0]
        neg = next(c for c in cats if c != pos)
        codes = np.where(rng.random(n) < _sigmoid(latent), pos, neg)
    else:
        # Ordinal: a logistic latent cut into equal-width bands; the first categories are the positive ones.
        score = latent + rng.logistic(0, 1, n)
        k = len(cats)
        cuts = np.linspace(1.8, -1.8, k - 1)
        idx = np.sum(score[:, None] < cuts[None, :], axis=1)
        codes = np.array(cats)[idx]
    if dont_know and scale.dont_know_codes:
        p = np.where(sector == "onderwijs", DONT_KNOW["onderwijs"], DONT_KNOW["jeugdhulp"])
        codes = np.where(rng.random(n) < p, scale.dont_know_codes[0], codes)
    return codes


def _bsn(rng: np.random.Generator) -> str:
    """A nine-digit number that passes the BSN eleven-test, as a real one would."""
    while True:
        digits = [int(d) for d in rng.integers(0, 10, 9)]
        digits[0] = digits[0] or 1
        if (sum(d * w for d, w in zip(digits[:8], range(9, 1, -1))) - digits[8]) % 11 == 0:
            return "".join(map(str, digits))


def _postcode(rng: np.random.Generator) -> str:
    letters = "ABCDEFGHJKLMNPRSTVWXZ"
    while True:
        pair = letters[rng.integers(len(letters))] + letters[rng.integers(len(letters))]
        if pair not in ("SA", "SD", "SS"):  # never issued in the Netherlands
            return f"{rng.integers(1000, 9999)} {pair}"


def personal_details(rng: np.random.Generator, region: RegionProfile) -> dict[str, str]:
    """Invented personal details to fill an answer template with; the anonymiser must remove every one of
    them ("plaats", a municipality, is not personal and may stay)."""
    first = FIRST_NAMES[rng.integers(len(FIRST_NAMES))]
    last = SURNAMES[rng.integers(len(SURNAMES))]
    return {
        "naam": f"{first} {last}",
        "achternaam": last[0].upper() + last[1:],
        "org": region.organisations[rng.integers(len(region.organisations))],
        "tel": f"06-{rng.integers(10_000_000, 99_999_999)}",
        "tel_vast": f"0{rng.integers(10, 99)}-{rng.integers(1_000_000, 9_999_999)}",
        "email": f"{first.lower()}.{last.split()[-1].lower()}@{region.id}-jeugd.nl",
        "url": f"https://www.{region.id}-samenwerkt.nl/aanpak",
        "adres": f"{STREETS[rng.integers(len(STREETS))]} {rng.integers(1, 150)}",
        "postcode": _postcode(rng),
        "plaats": region.municipalities[rng.integers(len(region.municipalities))],
        "bsn": _bsn(rng),
    }


def _fill(text: str, rng: np.random.Generator, region: RegionProfile) -> str:
    return text.format(**personal_details(rng, region))


def generate_wave(q: Questionnaire, region: RegionProfile, wave: int, rng: np.random.Generator) -> pd.DataFrame:
    """One region-wave of fictional answers, drawn from the region's level in that wave and ITEM_PROFILE.

    Args:
        q: the questionnaire of the wave (its columns, codes and filters).
        region: the fictional region; region.waves[wave] gives the number of respondents and the extra items.
        wave: the year.
        rng: the random stream; the same stream state gives the same frame.

    Returns:
        One row per respondent, in the questionnaire's column names: respondent number, sector, functie (with
        'anders, namelijk' text), schooltype, and one column per item asked: codes as floats (blanks NaN; the
        'niet van toepassing' code where a filter kept the question away), open answers as text ("" when
        skipped, {placeholders} filled with invented personal details).

    Raises:
        KeyError: the region has no such wave, or an item without a profile here.
    """
    spec = region.waves[wave]
    n = spec.n
    bg = q.background
    sector = np.where(rng.random(n) < region.share_onderwijs, "onderwijs", "jeugdhulp")
    sector_code = {c.sector: c.code for c in bg.sector.choices}
    functie_codes = {c.code for c in bg.functie.choices}
    functie = np.empty(n, dtype=int)
    for s in ("onderwijs", "jeugdhulp"):
        weights = {k: v for k, v in FUNCTIE_WEIGHTS[s].items() if k in functie_codes}
        codes, p = np.array(list(weights)), np.array(list(weights.values()))
        mask = sector == s
        functie[mask] = rng.choice(codes, size=mask.sum(), p=p / p.sum())
    other = [OTHER_FUNCTIE[s][rng.integers(4)] if f == 20 else "" for s, f in zip(sector, functie)]
    # Some leerplichtambtenaren and J&G coaches work at a school and tick "onderwijs"; by their functie they
    # count as jeugdhulp (the pipeline reclassifies them and says so).
    stated = np.where(np.isin(functie, [12, 14]) & (rng.random(n) < 0.25), "onderwijs", sector)
    st_codes, st_p = np.array(list(SCHOOLTYPE_WEIGHTS)), np.array(list(SCHOOLTYPE_WEIGHTS.values()))
    schooltype = rng.choice(st_codes, size=n, p=st_p)
    person = rng.normal(0, 0.6, n)
    start = 1 if wave != 2016 else 1001
    data: dict[str, object] = {
        bg.respondent_column: np.arange(start, start + n),
        bg.sector.column: np.array([sector_code[s] for s in stated]),
        bg.functie.column: functie,
        bg.functie.other_column: other,
        bg.schooltype.column: schooltype,
    }
    given: dict[str, np.ndarray] = {}
    na_code = next((m.code for m in q.missing if m.kind == "niet_van_toepassing"), None)
    for item in q.items_for(spec.extras):
        if item.is_open:
            pool = OPEN_TEXTS[item.id]
            answered = rng.random(n) < OPEN_RESPONSE[item.id]
            data[item.column] = [
                _fill(pool[rng.integers(len(pool))], rng, region) if a else "" for a in answered
            ]
            continue
        base, sector_gap = ITEM_PROFILE[item.id]
        latent = base + region.level[wave] + np.where(sector == "jeugdhulp", sector_gap / 2, -sector_gap / 2) + person
        codes = _answer(rng, item.closed_scale, latent, sector, dont_know=True).astype(float)
        codes[rng.random(n) < NONRESPONSE] = np.nan  # item non-response
        if item.filter is not None:
            eligible = np.isin(given[item.filter.item], item.filter.codes)
            codes[~eligible] = na_code if na_code is not None else np.nan
        given[item.id] = codes
        data[item.column] = codes
    return pd.DataFrame(data)
