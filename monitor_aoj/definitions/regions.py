"""The region configuration (`regios.yaml` beside the exports): which file belongs to which region and wave.

A new region or a new export is a change in this file, never in code.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from monitor_aoj.definitions.config_fields import (
    as_list,
    inside_folder,
    invited_counts,
    known_keys,
    setting_number,
    yes_no_field,
)
from monitor_aoj.definitions.questionnaire import Questionnaire
from monitor_aoj.definitions.references import ReferenceValue, load_references
from monitor_aoj.definitions.summary_text import SUMMARY_NAME, read_summary
from monitor_aoj.definitions.yaml_reader import load_yaml
from monitor_aoj.errors import ConfigError
from monitor_aoj.ingest.mapping import MAPPING_KEYS, ExportMapping, parse_mapping

CONFIG_NAME = "regios.yaml"
# Region ids become folder names in output/: only plain lower-case names are allowed.
REGION_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
FORMATS = ("spss", "csv", "excel")
EXTENSION_FORMAT = {".sav": "spss", ".zsav": "spss", ".csv": "csv", ".txt": "csv", ".xlsx": "excel"}
MAX_FILE_MB = 200.0  # default of `max_bestandsgrootte_mb`: a larger export is refused before it is read
# An `eerdere_metingen` year below this is a typo, not a wave: the monitor's pilot ran in 2014/2015.
FIRST_PLAUSIBLE_YEAR = 2010


@dataclass(frozen=True)
class Settings:
    minimum_base: int = 5  # below this many respondents a group gets no percentage
    report_with_quarantine: bool = True  # still write reports when some rows were quarantined
    nonresponse_warning: float = 0.20  # warn when an item's share of non-response is higher
    max_quotes: int = 3  # at most this many quotes per sub-theme of an open question
    max_file_mb: float = MAX_FILE_MB  # an export file larger than this (in MB) is not read
    reference_file: Path | None = None  # `referentie`: reference values (references.py), inside the input folder


@dataclass(frozen=True)
class ExportFile:
    """One export: a region's responses for one wave."""

    region: str
    wave: int
    path: Path
    format: str  # one of FORMATS
    fieldwork: str = ""  # e.g. "maart 2021", shown in the report
    extras: tuple[str, ...] = ()  # regional extra items asked in this wave
    mapping: ExportMapping = ExportMapping()  # columns, answers and scale variants of this export
    encoding: str = ""  # csv only; empty means: detect (UTF-8, else cp1252)
    sheet: str = ""  # excel only; empty means: the sheet whose header matches the questionnaire best
    date_column: str = ""  # column with the date of answering; its year must be the wave
    region_column: str = ""  # column naming the region of each row, for exports of several regions
    omitted: tuple[str, ...] = ()  # item ids this region left out in this wave (`weglaten`): not asked
    max_file_mb: float = MAX_FILE_MB  # Settings.max_file_mb of its regios.yaml; read_export refuses larger files
    invited: tuple[tuple[str, int], ...] = ()  # `uitgenodigd`: (sector, professionals invited); for the response
    summary_file: str = ""  # the coordinator's own text for this region and wave (SUMMARY_NAME), in the input folder
    summary: str | None = None  # its Markdown; None when the file is not there

    def invited_in(self, sector: str) -> int | None:
        """How many professionals of a sector were invited (`uitgenodigd`), or None when not configured."""
        return dict(self.invited).get(sector)


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    commissioner: str = ""  # who ran the monitor, for the introduction
    municipalities: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()  # names to anonymise in open answers
    exports: tuple[ExportFile, ...] = ()
    # `eerdere_metingen`: every wave the region held whose data is not in this input, ascending. None: not
    # stated, so nobody knows whether the region held the monitor before its first wave with data.
    held_without_data: tuple[int, ...] | None = None

    def waves(self) -> tuple[int, ...]:
        return tuple(sorted(e.wave for e in self.exports))

    def held_without_data_before(self, wave: int) -> tuple[int, ...] | None:
        """The waves before `wave` the region held without data in this input (ascending); None when the
        region did not state its earlier waves (`eerdere_metingen` absent)."""
        if self.held_without_data is None:
            return None
        return tuple(w for w in self.held_without_data if w < wave)

    def export(self, wave: int) -> ExportFile:
        for e in self.exports:
            if e.wave == wave:
                return e
        raise KeyError(wave)


@dataclass(frozen=True)
class RegionConfig:
    source: Path
    settings: Settings
    regions: tuple[Region, ...] = field(default_factory=tuple)
    references: tuple[ReferenceValue, ...] = ()  # from Settings.reference_file, checked against the questionnaires

    def region(self, region_id: str) -> Region:
        for r in self.regions:
            if r.id == region_id:
                return r
        raise KeyError(region_id)

    @property
    def exports(self) -> tuple[ExportFile, ...]:
        return tuple(e for r in self.regions for e in r.exports)


def load_config(folder: Path, questionnaires: Mapping[int, Questionnaire] | None = None) -> RegionConfig:
    """Read `regios.yaml` from the input folder: the settings, the regions and their exports per wave.

    Args:
        folder: the input folder (`--invoer`) holding regios.yaml. Every file named in it (exports, `koppeling`,
            `referentie`, `eigen_vragen`) is relative to this folder and must lie inside it.
        questionnaires: wave -> questionnaire, with the regions' own questions added (with_own_questions). With
            them every wave must have a questionnaire, `extra_vragen`, `weglaten` and the column mappings are
            checked against it, and the reference values are read; None reads the file without those checks.

    Returns:
        RegionConfig: the settings (defaults for what the file leaves out), the regions in the order of the file,
        each with its exports sorted by wave (with the coordinator's summary text, SUMMARY_NAME, when there is
        one), and the reference values.

    Raises:
        ConfigError: in Dutch, naming the file and the place in it: the folder or regios.yaml is missing, the
            YAML is broken, a key is unknown, a value is invalid (a region id that is no folder name, a year, a
            format, a setting out of range, a path outside the input folder), a region or wave is listed twice,
            or one export serves several regions or waves without a column that tells them apart.
    """
    folder = Path(folder)
    path = folder / CONFIG_NAME
    if not folder.is_dir():
        raise ConfigError(f"De invoermap {folder} bestaat niet. Geef met --invoer de map met uw exports en "
                          f"{CONFIG_NAME}.")
    if not path.is_file():
        raise ConfigError(
            f"In {folder} staat geen {CONFIG_NAME}. Dat bestand zegt welke export bij welke regio en meting "
            "hoort; zie de README voor een voorbeeld. Staan uw exports in een andere map, geef die dan met --invoer."
        )
    raw = load_yaml(path, "Het bestand") or {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{path.name}: verwacht de onderdelen 'instellingen' en 'regios'.")
    settings = _settings(raw.get("instellingen") or {}, path)
    regions = tuple(_region(r, i, folder, path, questionnaires, settings)
                    for i, r in enumerate(raw.get("regios") or []))
    if not regions:
        raise ConfigError(f"{path.name}: er staat geen enkele regio onder 'regios'.")
    ids = [r.id for r in regions]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ConfigError(f"{path.name}: deze regio's staan er twee keer in: {', '.join(dupes)}")
    _shared_files(regions, path)
    references = (load_references(settings.reference_file, questionnaires)
                  if settings.reference_file is not None and questionnaires is not None else ())
    return RegionConfig(source=path, settings=settings, regions=regions, references=references)


def _shared_files(regions: tuple[Region, ...], path: Path) -> None:
    """One file under several entries would count its rows twice, unless a column tells them apart: a region
    column between regions, a date column between the waves of one region."""
    uses: dict[Path, list[ExportFile]] = {}
    for export in (e for r in regions for e in r.exports):
        uses.setdefault(export.path.resolve(), []).append(export)
    for file, exports in uses.items():
        if len(exports) < 2:
            continue
        where = ", ".join(f"regio '{e.region}' meting {e.wave}" for e in exports)
        if len({e.region for e in exports}) > 1 and not all(e.region_column for e in exports):
            raise ConfigError(
                f"{path.name}: {file.name} staat bij {where}. Dan telt elke rij in elke regio mee. Geef bij elk van "
                "deze metingen 'regio_kolom' op (de kolom die per rij de regio noemt), of maak per regio een bestand.")
        waves = [(e.region, e.wave) for e in exports]
        if len(set(waves)) < len(waves) or (len({w for _, w in waves}) > 1 and not all(e.date_column for e in exports)):
            raise ConfigError(
                f"{path.name}: {file.name} staat bij {where}. Dan telt elke rij in elke meting mee. Geef bij elk van "
                "deze metingen 'datum_kolom' op (de kolom met de invuldatum), of maak per meting een bestand.")


SETTING_KEYS = {"minimum_basis", "rapport_bij_quarantaine", "waarschuwing_non_respons", "max_citaten",
                "max_bestandsgrootte_mb", "referentie"}
REGION_KEYS = {"id", "naam", "opdrachtgever", "gemeenten", "organisaties", "metingen", "weglaten", "eigen_vragen",
               "eerdere_metingen"}
INVITED = "uitgenodigd"  # per wave: professionals invited per sector, {onderwijs: 120, jeugdhulp: 80}
EXPORT_KEYS = {"jaar", "bestand", "formaat", "veldwerk", "extra_vragen", "codering", "werkblad", "datum_kolom",
               "regio_kolom", "koppeling", "weglaten", INVITED, *MAPPING_KEYS}


def _settings(raw: dict[str, Any], path: Path) -> Settings:
    if not isinstance(raw, dict):
        raise ConfigError(f"{path.name}: 'instellingen' is een lijst 'naam: waarde'.")
    known_keys(raw, SETTING_KEYS, f"{path.name}, instellingen")
    defaults = Settings()
    minimum = setting_number(raw, "minimum_basis", defaults.minimum_base, int, "een heel getal, bijvoorbeeld 5", path)
    warning = setting_number(raw, "waarschuwing_non_respons", defaults.nonresponse_warning, float,
                      "een aandeel tussen 0 en 1, bijvoorbeeld 0.2", path)
    max_quotes = setting_number(raw, "max_citaten", defaults.max_quotes, int, "een heel getal, bijvoorbeeld 3", path)
    max_file_mb = setting_number(raw, "max_bestandsgrootte_mb", defaults.max_file_mb, float,
                          "een getal in megabyte, bijvoorbeeld 200", path)
    if minimum < 1:
        raise ConfigError(f"{path.name}, instellingen: minimum_basis moet minstens 1 zijn.")
    if max_quotes < 0:
        raise ConfigError(f"{path.name}, instellingen: max_citaten kan niet negatief zijn.")
    if not 0 < warning <= 1:
        raise ConfigError(f"{path.name}, instellingen: waarschuwing_non_respons is een aandeel tussen 0 en 1.")
    if not max_file_mb > 0:
        raise ConfigError(f"{path.name}, instellingen: max_bestandsgrootte_mb moet groter zijn dan 0 (in megabyte, "
                          "bijvoorbeeld 200).")
    return Settings(
        minimum_base=minimum,
        report_with_quarantine=yes_no_field(raw.get("rapport_bij_quarantaine", defaults.report_with_quarantine),
                                     f"{path.name}, instellingen, rapport_bij_quarantaine"),
        nonresponse_warning=warning,
        max_quotes=max_quotes,
        max_file_mb=max_file_mb,
        reference_file=(inside_folder(path.parent, raw["referentie"], f"{path.name}, instellingen, referentie")
                        if raw.get("referentie") else None),
    )


def _region(raw: Any, index: int, folder: Path, path: Path,
            questionnaires: Mapping[int, Questionnaire] | None, settings: Settings = Settings()) -> Region:
    if not isinstance(raw, dict):
        raise ConfigError(f"{path.name}: regio nummer {index + 1} is geen lijst met velden.")
    rid = str(raw.get("id", ""))
    known_keys(raw, REGION_KEYS, f"{path.name}, regio '{rid or index + 1}'")
    if not REGION_ID.match(rid):
        raise ConfigError(
            f"{path.name}: regio nummer {index + 1} heeft id '{rid}'. Een id bestaat uit kleine letters, cijfers "
            "en streepjes (bijvoorbeeld 'noord-kennemerland'); het wordt de mapnaam in output/."
        )
    region_omit = as_list(raw.get("weglaten"), f"{path.name}, regio '{rid}', weglaten")
    exports = []
    for j, m in enumerate(raw.get("metingen") or []):
        where = f"{path.name}, regio '{rid}', meting {j + 1}"
        if not isinstance(m, dict) or "jaar" not in m or "bestand" not in m:
            raise ConfigError(f"{where}: elke meting heeft een 'jaar' en een 'bestand'.")
        known_keys(m, EXPORT_KEYS, where)
        try:
            wave = int(m["jaar"])
        except (TypeError, ValueError):
            raise ConfigError(f"{where}: jaar '{m['jaar']}' is geen jaartal.") from None
        if questionnaires is not None and wave not in questionnaires:
            raise ConfigError(
                f"{where}: voor meting {wave} is geen vragenlijst. Beschikbaar: "
                f"{', '.join(str(w) for w in sorted(questionnaires))}."
            )
        file = inside_folder(folder, m["bestand"], f"{where}, bestand")
        fmt = str(m.get("formaat") or EXTENSION_FORMAT.get(file.suffix.lower(), ""))
        if fmt not in FORMATS:
            raise ConfigError(
                f"{where}: van bestand '{m['bestand']}' is het formaat onbekend. Geef 'formaat: spss', 'csv' of "
                "'excel' op."
            )
        extras = as_list(m.get("extra_vragen"), f"{where}, extra_vragen")
        omitted: tuple[str, ...] = ()
        if questionnaires is not None:
            q = questionnaires[wave]
            for extra in extras:
                if not q.has_item(extra) or not q.item(extra).regional or q.item(extra).owner not in ("", rid):
                    regional = [it.id for it in q.items if it.regional and it.owner in ("", rid)]
                    raise ConfigError(
                        f"{where}: extra vraag '{extra}' is geen regionale vraag in de vragenlijst van {wave}. "
                        f"Regionale vragen van {wave}: {', '.join(regional) or 'geen'}."
                    )
            # The region's own questions (vragenlijst_<regio>.yaml) are asked as if listed under extra_vragen.
            extras += tuple(it.id for it in q.items if it.owner == rid and it.id not in extras)
            omitted = omitted_items(q, region_omit, f"{path.name}, regio '{rid}', weglaten", lenient=True)
            omitted += tuple(i for i in omitted_items(q, as_list(m.get("weglaten"), f"{where}, weglaten"),
                                                      f"{where}, weglaten") if i not in omitted)
            both = [i for i in extras if i in omitted]
            if both:
                raise ConfigError(f"{where}: '{both[0]}' staat onder extra_vragen (of in de eigen vragen van de "
                                  "regio) én onder weglaten. Kies één van beide.")
        elif m.get("weglaten") is not None:
            as_list(m.get("weglaten"), f"{where}, weglaten")
        if m.get("kolommen") is not None and not isinstance(m.get("kolommen"), dict):
            raise ConfigError(f"{where}: 'kolommen' is een lijst 'kolom in export: kolom in vragenlijst'.")
        mapping_file = inside_folder(folder, m["koppeling"], f"{where}, koppeling") if m.get("koppeling") else None
        mapping = parse_mapping(m, mapping_file, where, questionnaires[wave] if questionnaires else None, folder)
        exports.append(
            ExportFile(
                region=rid,
                wave=wave,
                path=file,
                format=fmt,
                fieldwork=str(m.get("veldwerk", "")),
                extras=extras,
                mapping=mapping,
                encoding=str(m.get("codering", "")),
                sheet=str(m.get("werkblad", "")),
                date_column=str(m.get("datum_kolom", "")),
                region_column=str(m.get("regio_kolom", "")),
                omitted=omitted,
                max_file_mb=settings.max_file_mb,
                invited=invited_counts(m.get(INVITED), f"{where}, {INVITED}"),
                summary_file=SUMMARY_NAME.format(region=rid, wave=wave),
                summary=read_summary(folder / SUMMARY_NAME.format(region=rid, wave=wave)),
            )
        )
    if questionnaires is not None and exports:
        # A name left out for all waves must mean something in at least one of them (ids stay, columns change).
        for name in region_omit:
            if not any(questionnaires[e.wave].resolve(name) for e in exports):
                omitted_items(questionnaires[exports[-1].wave], (name,), f"{path.name}, regio '{rid}', weglaten")
    waves = [e.wave for e in exports]
    dupes = sorted({w for w in waves if waves.count(w) > 1})
    if dupes:
        raise ConfigError(f"{path.name}, regio '{rid}': meting {dupes[0]} staat er twee keer in.")
    return Region(
        id=rid,
        name=str(raw.get("naam") or rid),
        commissioner=str(raw.get("opdrachtgever", "")),
        municipalities=as_list(raw.get("gemeenten"), f"{path.name}, regio '{rid}', gemeenten"),
        organisations=as_list(raw.get("organisaties"), f"{path.name}, regio '{rid}', organisaties"),
        exports=tuple(sorted(exports, key=lambda e: e.wave)),
        held_without_data=_held_without_data(raw, waves, f"{path.name}, regio '{rid}', eerdere_metingen"),
    )


def _held_without_data(raw: dict, waves: list[int], where: str) -> tuple[int, ...] | None:
    """`eerdere_metingen` of a region: the years of waves it held whose data is not in this input, ascending.

    Absent: None (unknown). `[]` or `geen`: no such waves, so a region's first wave with data is its first
    wave. Raises ConfigError for a value that is not a year (a whole number from FIRST_PLAUSIBLE_YEAR on), a
    year after today's, a year listed twice, a year that also has an export under `metingen`, or a year after
    the region's last wave with data (no report could mention it)."""
    if "eerdere_metingen" not in raw:
        return None
    value = raw["eerdere_metingen"]
    if value is None or (isinstance(value, str) and value.strip().casefold() == "geen"):
        return ()
    items = value if isinstance(value, list) else [value]
    this_year = dt.date.today().year
    years: list[int] = []
    for v in items:
        if isinstance(v, bool) or not (isinstance(v, int) or (isinstance(v, str) and v.strip().isdigit())):
            raise ConfigError(f"{where}: '{v}' is geen jaartal. Noem de jaren van de eerdere metingen, zoals "
                              "[2016, 2018], of 'geen'.")
        year = int(v)
        if year < FIRST_PLAUSIBLE_YEAR:
            raise ConfigError(f"{where}: {year} is geen plausibel jaar van een meting; verwacht een jaartal vanaf "
                              f"{FIRST_PLAUSIBLE_YEAR}.")
        if year > this_year:
            raise ConfigError(f"{where}: {year} ligt in de toekomst. Noem alleen metingen die al gehouden zijn.")
        if year in years:
            raise ConfigError(f"{where}: {year} staat er twee keer in.")
        if year in waves:
            raise ConfigError(f"{where}: van meting {year} staat een export onder 'metingen'. Noem onder "
                              "'eerdere_metingen' alleen metingen waarvan de gegevens niet zijn aangeleverd.")
        if waves and year > max(waves):
            raise ConfigError(f"{where}: {year} is later dan de laatste meting met gegevens ({max(waves)}), dus "
                              "geen rapport kan die meting noemen. Voeg de export toe onder 'metingen', of laat "
                              "het jaar weg.")
        years.append(year)
    return tuple(sorted(years))


# --- Monitor op maat: items left out --------------------------------------------


def omitted_items(q: Questionnaire, names: tuple[str, ...], where: str, lenient: bool = False) -> tuple[str, ...]:
    """The item ids that `weglaten` names stand for in this questionnaire: a theme id (all its items), an item id
    or an export column. An unknown name is a ConfigError with a suggestion, unless lenient (a name left out
    for all waves of a region need only mean something in one of them)."""
    ids: list[str] = []
    for name in names:
        found = q.resolve(name)
        if not found and not lenient:
            import difflib

            close = difflib.get_close_matches(name, q.names(), n=3, cutoff=0.6)
            hint = f" Bedoelt u {' of '.join(repr(c) for c in close)}?" if close else ""
            raise ConfigError(
                f"{where}: '{name}' is geen thema, vraag of kolom van de vragenlijst van {q.wave}.{hint} Noem een "
                f"thema ({', '.join(t.id for t in q.themes)}), de id van een vraag of de kolomnaam in de vragenlijst."
            )
        ids += [i for i in found if i not in ids]
    return tuple(ids)
