"""Fictional but realistic sample exports: four regions x three waves, in the shapes real users send.

Seeded, so the same seed gives the same answers. Columns, codes and labels come from the questionnaires; this
module only knows how professionals in a fictional region tend to answer. The regions, people and
organisations are invented.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from monitor_aoj.definitions.questionnaire import Questionnaire, Scale

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
OTHER_FUNCTIE = {
    "onderwijs": ["Zorgcoördinator", "Orthopedagoog", "Remedial teacher", "Decaan"],
    "jeugdhulp": ["Jongerenwerker", "Gezinscoach", "Ambulant begeleider", "Beleidsmedewerker jeugd"],
}
SCHOOLTYPE_WEIGHTS = {1: 0.22, 2: 0.08, 3: 0.40, 4: 0.07, 5: 0.08, 6: 0.15}

# Open answers: realistic Dutch texts per question, with {placeholders} filled per region.
OPEN_TEXTS: dict[str, list[str]] = {
    "verbetering_open": [
        "Meer capaciteit van de J&G coaches op school, nu moeten we soms weken wachten voordat er iemand kan "
        "aansluiten.",
        "Als er meer J&G coaches zouden zijn, kunnen zij een actievere rol spelen bij vastgelopen trajecten.",
        "Duidelijkheid over wie wanneer betrokken moet zijn. Nu zitten er soms te veel en soms te weinig mensen aan "
        "tafel.",
        "Heldere afspraken over rollen, taken en verantwoordelijkheden tussen school, wijkteam en jeugdhulp.",
        "Bij multiproblematiek is een regiehouder vanuit de gemeente nodig, nu voelt niemand zich eigenaar.",
        "Jeugdhulp zou standaard het initiatief moeten nemen om school te betrekken bij het behandelplan.",
        "Betere terugkoppeling vanuit de jeugdhulp. Wij horen vaak niet of een traject gestopt is.",
        "Hulpverlening stopt soms zonder overdracht of overleg met school. Dat moet echt anders.",
        "Kortere wachttijden bij de specialistische jeugdhulp, leerlingen zitten nu maanden thuis.",
        "De wachtlijsten bij de jeugd-GGZ zijn te lang, waardoor problemen op school groter worden.",
        "Een vast aanspreekpunt per school vanuit het wijkteam zou veel schelen.",
        "Vaker elkaar ontmoeten, bijvoorbeeld een keer per jaar een gezamenlijke studiemiddag.",
        "Meer kennis bij de jeugdhulp van wat een school wel en niet kan bieden.",
        "Duidelijke afspraken over privacy, zodat we informatie sneller mogen delen met toestemming van ouders.",
        "Minder wisselingen van hulpverleners, elke keer opnieuw kennismaken kost veel tijd.",
        "Ik zou graag zien dat {org} vaker aansluit bij het zorgadviesteam.",
        "Neem contact op met mevrouw {naam} van {org}, zij weet precies hoe het beter kan: {tel}.",
        "Het zorgadviesteam kan beter bij ons op locatie vergaderen ({adres}, {postcode} {plaats}), dan sluit de "
        "jeugdhulp vaker aan.",
        "Bij leerling {bsn} ging de overdracht mis; dat soort dossiers moet sneller naar het wijkteam.",
        "Geen idee.",
        "Niets, het gaat goed zo.",
    ],
    "preventie_stap_open": [
        "Meer inzet van de J&G coaches, zodat ze vaker op school aanwezig zijn.",
        "Uitbreiding van de uren van de J&G coach, nu is er maar één ochtend per week.",
        "Jeugd-GGZ op school versterken, zodat basisdiagnostiek snel kan plaatsvinden.",
        "Een laagdrempelig gesprek voor leerlingen zonder beschikking en zonder dat ouders direct worden ingelicht.",
        "Jongerenwerk op school, als laagdrempelige plek om even te praten.",
        "Mentoren meer kennis geven van de sociale kaart, zodat ze beter kunnen doorverwijzen.",
        "Een betere warme overdracht vanuit het primair onderwijs naar het vo.",
        "Snel contact met ouders bij de eerste signalen.",
        "Wachttijden bij jeugdhulp terugdringen, nu wordt het probleem groter terwijl we wachten.",
        "Eerder signaleren in de klas en mentoren daarin trainen.",
        "Meer preventieve groepstrainingen, bijvoorbeeld faalangst- en weerbaarheidstraining.",
        "Mail gerust naar {email} voor ons plan van aanpak.",
        "Meer inloopspreekuren van de J&G coach, zoals nu al op de {adres} in {plaats}. Bel {naam} ({tel_vast}).",
        "Weet ik niet.",
    ],
    "trots_open": [
        "Het multidisciplinair overleg werkt goed: ouders, leerling, school en jeugdhulp zitten samen aan tafel.",
        "De korte lijnen met de J&G coach op onze school. Binnen een week is er contact met het gezin.",
        "De snelle inzet van de J&G coach heeft bij een leerling schooluitval voorkomen.",
        "Een thuiszittende leerling gaat na een gezamenlijk plan van school en jeugdhulp weer naar school.",
        "Samen met de jeugdarts een opbouwprogramma gemaakt, waardoor het verzuim sterk is afgenomen.",
        "De samenwerking met {org} rondom een leerling die vastliep: grote betrokkenheid en een integraal plan.",
        "Het project waarin hulpverlening binnen de school wordt geboden, leerlingen hoeven niet meer weg.",
        "Laagdrempelig contact tussen school, leerplicht en wijkteam.",
        "Goede afstemming met het wijkteam om gezamenlijk doelen te stellen.",
        "Het tweewekelijkse overleg over thuiszitters met leerplicht en de consulent passend onderwijs.",
        "Mijn collega {naam} heeft een mooie driehoek neergezet tussen gezin, school en hulpverlening.",
        "Vorig jaar met dhr. {achternaam} een gezamenlijke scholing georganiseerd, dat smaakt naar meer.",
        "Wij zijn trots op onze aanpak; zie {url} voor de werkwijze.",
        "Het inlooppunt aan de {adres} ({postcode} {plaats}) waar ouders en jongeren zonder afspraak binnenlopen.",
    ],
    "zicht_toelichting_open": [
        "Als ouders of leerling niet melden dat er jeugdhulp is, weten wij als school vaak van niets.",
        "Ik heb zicht op de leerlingen die met mij besproken worden, maar niet op hulp die buiten school om loopt.",
        "Er zijn grote verschillen in de betrokkenheid van hulpverleners bij de trajecten van jongeren.",
        "Bij plaatsing vragen we altijd of er hulpverlening in het gezin is, zo houden we zicht.",
        "Vanuit de gemeente wordt zelden contact met school gezocht over een leerling.",
    ],
    "extra_verzuim_stap_open": [
        "De aanpak van ziekteverzuim uitbreiden naar alle scholen en patronen van verzuim bespreekbaar maken.",
        "Geoorloofd verzuim is vaak net zo zorgelijk als ongeoorloofd verzuim en moet meer aandacht krijgen.",
        "De samenwerking tussen jeugdhulp, leerplicht en onderwijs rond verzuim verbeteren.",
        "Eerder de jeugdarts inzetten bij langdurig ziekteverzuim.",
        "Jongeren een maatje of coach bieden als steun in de rug.",
        "Mentoren versterken in het vroeg signaleren van verzuim.",
    ],
}
STREETS = ["Schoolstraat", "Kerkweg", "Molenlaan", "Dorpsstraat", "Stationsplein", "Beukenlaan"]
FIRST_NAMES = ["Anouk", "Sanne", "Mohammed", "Fatima", "Jeroen", "Ingrid", "Pieter", "Yasmina", "Kees", "Lotte"]
SURNAMES = ["de Vries", "Jansen", "Bakker", "Visser", "El Amrani", "van Dijk", "Smit", "de Boer", "Yilmaz", "Mulder"]


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
    """One region-wave as a frame of codes (ints), blanks as NaN, open answers as text."""
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
        codes = _answer(rng, item.scale, latent, sector, dont_know=True).astype(float)
        codes[rng.random(n) < NONRESPONSE] = np.nan  # item non-response
        if item.filter is not None:
            eligible = np.isin(given[item.filter.item], item.filter.codes)
            codes[~eligible] = na_code if na_code is not None else np.nan
        given[item.id] = codes
        data[item.column] = codes
    return pd.DataFrame(data)


def _label_frame(frame: pd.DataFrame, q: Questionnaire, extras: tuple[str, ...]) -> pd.DataFrame:
    """Replace codes by labels, as many survey tools export them."""
    out = frame.copy()
    bg = q.background
    for bq in (bg.sector, bg.functie, bg.schooltype):
        out[bq.column] = frame[bq.column].map({c.code: c.label for c in bq.choices})
    missing = {m.code: m.label for m in q.missing}
    for item in q.items_for(extras):
        if item.is_open:
            continue
        labels = {code: item.scale.label(code) for code in item.scale.codes} if item.scale.kind != "cijfer" else {}
        out[item.column] = frame[item.column].map(
            lambda v: "" if pd.isna(v) else missing.get(int(v)) or labels.get(int(v), str(int(v))))
    return out


def _extra_columns(frame: pd.DataFrame, rng: np.random.Generator, wave: int, fieldwork_month: int) -> pd.DataFrame:
    """Columns every survey tool adds: start time and duration (with decimals)."""
    n = len(frame)
    day = rng.integers(1, 28, n)
    hour = rng.integers(8, 18, n)
    minute = rng.integers(0, 60, n)
    extra = pd.DataFrame({
        "startdatum": [f"{d:02d}-{fieldwork_month:02d}-{wave} {h:02d}:{m:02d}" for d, h, m in zip(day, hour, minute)],
        "duur_min": np.round(rng.gamma(4.0, 3.2, n), 1),
    })
    return pd.concat([frame, extra], axis=1)


MONTHS = {"januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6}


def write_sample(folder: Path, questionnaires: dict[int, Questionnaire], seed: int = DEFAULT_SEED,
                 regions: tuple[RegionProfile, ...] = REGIONS) -> list[Path]:
    """Write every sample export and the regios.yaml that describes them."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    written = []
    for region in regions:
        for wave, spec in region.waves.items():
            q = questionnaires[wave]
            codes = generate_wave(q, region, wave, rng)
            frame = _extra_columns(codes, rng, wave, MONTHS[spec.fieldwork.split()[0]])
            path = folder / _file_name(region, wave, spec)
            if spec.tool:
                # As the survey tool writes it, with the mapping a coordinator would keep beside it.
                from monitor_aoj.demo.tool_exports import koppeling_yaml, write_tool_export

                tool = write_tool_export(frame, q, spec.tool, folder, path.stem, spec.extras, seed=wave)
                mapping = folder / _mapping_name(region, wave)
                mapping.write_text(koppeling_yaml(tool.koppeling), encoding="utf-8")
                written += [*tool.files, mapping]
                continue
            if spec.format == "spss":
                _write_sav(path, frame, q, spec.extras)
            else:
                values = _label_frame(frame, q, spec.extras) if spec.values == "labels" else frame
                if spec.format == "csv":
                    _write_dutch_csv(path, values)
                else:
                    _write_xlsx(path, values)
            written.append(path)
    config = folder / "regios.yaml"
    config.write_text(region_config_text(regions), encoding="utf-8")
    written.append(config)
    return written


def _file_name(region: RegionProfile, wave: int, spec: WaveSpec) -> str:
    ext = {"spss": "sav", "csv": "csv", "excel": "xlsx"}[spec.format]
    return f"{region.id}_{wave}.{ext}"


def _mapping_name(region: RegionProfile, wave: int) -> str:
    return f"{region.id}_{wave}.koppeling.yaml"


# The column with the date of answering, as each survey tool names it (see demo.tool_exports).
TOOL_DATE_COLUMN = {"qualtrics": "StartDate", "spss": "datum"}


def _write_sav(path: Path, frame: pd.DataFrame, q: Questionnaire, extras: tuple[str, ...]) -> None:
    import pyreadstat

    bg = q.background
    labels = {bg.respondent_column: "Respondentnummer", bg.sector.column: "In welke sector werkt u?",
              bg.functie.column: "Wat is uw functie?", bg.functie.other_column: "Anders, namelijk",
              bg.schooltype.column: "Met welk schooltype werkt u vooral?", "startdatum": "Startdatum",
              "duur_min": "Invulduur in minuten"}
    value_labels: dict[str, dict[float, str]] = {}
    measure: dict[str, str] = {}
    missing_ranges: dict[str, list] = {}
    for bq in (bg.sector, bg.functie, bg.schooltype):
        value_labels[bq.column] = {float(c.code): c.label for c in bq.choices}
        measure[bq.column] = "nominal"
    missing = {float(m.code): m.label for m in q.missing}
    for item in q.items_for(extras):
        labels[item.column] = item.text()[:255]
        if item.is_open:
            measure[item.column] = "nominal"
            continue
        if item.scale.kind == "cijfer":
            value_labels[item.column] = dict(missing)
            measure[item.column] = "scale"
        else:
            value_labels[item.column] = {float(c): item.scale.label(c) for c in item.scale.codes} | missing
            measure[item.column] = "ordinal" if item.scale.kind == "ordinaal" else "nominal"
        missing_ranges[item.column] = [float(m.code) for m in q.missing]
    frame = frame.copy()
    for item in q.items_for(extras):
        if not item.is_open:
            # SPSS users mark item non-response with the "geen antwoord" code, not a blank.
            no_answer = next((m.code for m in q.missing if m.kind == "geen_antwoord"), None)
            if no_answer is not None:
                frame[item.column] = frame[item.column].fillna(float(no_answer))
    pyreadstat.write_sav(
        frame, str(path), column_labels=[labels.get(c, c) for c in frame.columns],
        variable_value_labels=value_labels, missing_ranges=missing_ranges, variable_measure=measure,
    )


def _write_dutch_csv(path: Path, frame: pd.DataFrame) -> None:
    # What Dutch Excel writes for "CSV (puntkomma's gescheiden)": ';', decimal comma, Windows-1252.
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].map(
                lambda v: "" if pd.isna(v) else (str(int(v)) if float(v).is_integer() and col != "duur_min"
                                                 else f"{v:.1f}".replace(".", ",")))
    text = out.to_csv(sep=";", index=False, lineterminator="\r\n")
    path.write_bytes(text.encode("cp1252"))


def _write_xlsx(path: Path, frame: pd.DataFrame) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Antwoorden"
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([None if (isinstance(v, float) and math.isnan(v)) or v == "" else
                      (int(v) if isinstance(v, float) and v.is_integer() else v) for v in row])
    book.properties.creator = "Enquêtetool"
    book.save(path)


def region_config_text(regions: tuple[RegionProfile, ...] = REGIONS) -> str:
    """The regios.yaml for the sample data, with comments that show users how to describe their own."""
    lines = [
        "# Welke exportbestanden horen bij welke regio en meting?",
        "# Paden van bestanden zijn relatief aan deze map. Zie de README voor uitleg per veld.",
        "# Dit bestand hoort bij de fictieve voorbeelddata (monitor-aoj voorbeelddata).",
        "",
        "instellingen:",
        "  minimum_basis: 5              # onder dit aantal respondenten geen percentage voor een groep",
        "  rapport_bij_quarantaine: ja   # ook rapporteren als er rijen in quarantaine staan",
        "  waarschuwing_non_respons: 0.2 # waarschuwen als meer dan 20% een vraag overslaat",
        "",
        "regios:",
    ]
    for region in regions:
        lines += [
            f"  - id: {region.id}",
            f"    naam: {region.name}",
            f"    opdrachtgever: {region.commissioner}",
            f"    gemeenten: [{', '.join(region.municipalities)}]",
            "    # Namen die in open antwoorden worden vervangen door [organisatie]",
            f"    organisaties: [{', '.join(region.organisations)}]",
            "    metingen:",
        ]
        for wave, spec in region.waves.items():
            lines += [
                f"      - jaar: {wave}",
                f"        bestand: {_file_name(region, wave, spec)}",
                f"        veldwerk: {spec.fieldwork}",
                f"        datum_kolom: {TOOL_DATE_COLUMN.get(spec.tool, 'startdatum')}   # het jaar van elke rij moet "
                "het jaar van de meting zijn",
            ]
            if spec.tool:
                lines.append(f"        koppeling: {_mapping_name(region, wave)}   # kolommen en antwoorden van de "
                             "enquêtetool")
            if spec.values == "codes" and spec.format != "spss" and not spec.tool:
                # A file of bare numbers says nothing of their meaning: the user confirms they are ours.
                lines.append("        codes: vragenlijst        # de getallen in dit bestand zijn de codes van de "
                             "vragenlijst")
            if spec.extras:
                lines.append(f"        extra_vragen: [{', '.join(spec.extras)}]")
            if spec.invited:
                counts = ", ".join(f"{sector}: {n}" for sector, n in spec.invited)
                lines.append(f"        uitgenodigd: {{{counts}}}"
                             "   # aantal uitgenodigde professionals (voor de respons)")
    return "\n".join(lines) + "\n"
