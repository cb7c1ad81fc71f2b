"""The region configuration (`regios.yaml` beside the exports): which file belongs to which region and wave.

A new region or a new export is a change in this file, never in code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Mapping

from monitor_aoj.definitions.config_fields import FIRST_PLAUSIBLE_YEAR as FIRST_PLAUSIBLE_YEAR  # named from here too
from monitor_aoj.definitions.config_fields import (
    as_list,
    held_without_data,
    inside_folder,
    invited_counts,
    known_keys,
    omitted_items,
    setting_number,
    yes_no_field,
)
from monitor_aoj.definitions.config_problems import Place, Problems, at
from monitor_aoj.definitions.questionnaire import Questionnaire
from monitor_aoj.definitions.references import ReferenceValue, load_references
from monitor_aoj.definitions.summary_text import SUMMARY_NAME, read_summary
from monitor_aoj.definitions.yaml_reader import load_yaml
from monitor_aoj.errors import ConfigError, invariant
from monitor_aoj.ingest.mapping import MAPPING_KEYS, ExportMapping, parse_mapping

CONFIG_NAME = "regios.yaml"
# Region ids become folder names in output/: only plain lower-case names are allowed.
REGION_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
FORMATS = ("spss", "csv", "excel")
EXTENSION_FORMAT = {".sav": "spss", ".zsav": "spss", ".csv": "csv", ".txt": "csv", ".xlsx": "excel"}
MAX_FILE_MB = 200.0  # default of `max_bestandsgrootte_mb`: a larger export is refused before it is read


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
            or one export serves several regions or waves without a column that tells them apart. Every setting,
            region and wave is checked: all their mistakes come in one ConfigProblems (config_problems), one line
            each in the order of the file. A missing folder or file or broken YAML stops the reading at once; no
            list of regions stops it after the settings.
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
    found = Problems()
    settings = found.check(at(raw, "instellingen"), partial(_settings, raw.get("instellingen") or {}, path),
                           Settings())
    entries = raw.get("regios") or []
    if not isinstance(entries, list) or not entries:
        found.add(at(raw, "regios"), f"{path.name}: er staat geen enkele regio onder 'regios'." if not entries else
                  f"{path.name}: 'regios' is een lijst van regio's, elk beginnend met '- id:' (zie de README voor "
                  "een voorbeeld).")
        found.stop()  # without regions there is nothing more to check
    reading = _Reading(folder, path, questionnaires, settings)
    regions: list[Region] = []
    for i, entry in enumerate(entries):
        region = found.check(at(raw, "regios") + (i,), partial(_region, entry, i, reading), None)
        if region is not None:
            regions.append(region)
    everything = (len(raw),)  # a check of the whole file comes after every part
    ids = [str(e["id"]) for e in entries if isinstance(e, dict) and REGION_ID.match(str(e.get("id", "")))]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        found.add(everything, f"{path.name}: deze regio's staan er twee keer in: {', '.join(dupes)}")
    _shared_files(regions, path, found, everything)
    references: tuple[ReferenceValue, ...] = ()
    if settings.reference_file is not None and questionnaires is not None:
        references = found.check(at(raw, "instellingen") + at(raw.get("instellingen"), "referentie"),
                                 partial(load_references, settings.reference_file, questionnaires), ())
    found.stop()
    return RegionConfig(source=path, settings=settings, regions=tuple(regions), references=references)


@dataclass(frozen=True)
class _Reading:
    """What every region and wave of regios.yaml is read against."""

    folder: Path
    path: Path
    questionnaires: Mapping[int, Questionnaire] | None
    settings: Settings


def _shared_files(regions: list[Region], path: Path, found: Problems, place: Place) -> None:
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
            found.add(place,
                f"{path.name}: {file.name} staat bij {where}. Dan telt elke rij in elke regio mee. Geef bij elk van "
                "deze metingen 'regio_kolom' op (de kolom die per rij de regio noemt), of maak per regio een bestand.")
        waves = [(e.region, e.wave) for e in exports]
        if len(set(waves)) < len(waves) or (len({w for _, w in waves}) > 1 and not all(e.date_column for e in exports)):
            found.add(place,
                f"{path.name}: {file.name} staat bij {where}. Dan telt elke rij in elke meting mee. Geef bij elk van "
                "deze metingen 'datum_kolom' op (de kolom met de invuldatum), of maak per meting een bestand.")


SETTING_KEYS = {"minimum_basis", "rapport_bij_quarantaine", "waarschuwing_non_respons", "max_citaten",
                "max_bestandsgrootte_mb", "referentie"}
REGION_KEYS = {"id", "naam", "opdrachtgever", "gemeenten", "organisaties", "metingen", "weglaten", "eigen_vragen",
               "eerdere_metingen"}
INVITED = "uitgenodigd"  # per wave: professionals invited per sector, {onderwijs: 120, jeugdhulp: 80}
EXPORT_KEYS = {"jaar", "bestand", "formaat", "veldwerk", "extra_vragen", "codering", "werkblad", "datum_kolom",
               "regio_kolom", "koppeling", "weglaten", INVITED, *MAPPING_KEYS}


def _settings(raw: Any, path: Path) -> Settings:
    """The `instellingen`, with defaults for what they leave out; ConfigProblems names every wrong setting."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{path.name}: 'instellingen' is een lijst 'naam: waarde'.")
    found = Problems()
    found.check(at(raw, *(set(raw) - SETTING_KEYS)),
                partial(known_keys, raw, SETTING_KEYS, f"{path.name}, instellingen"), None)
    defaults = Settings()

    def number(key: str, default: Any, kind: type, allowed: str) -> Any:
        return found.check(at(raw, key), partial(setting_number, raw, key, default, kind, allowed, path), default)

    minimum = number("minimum_basis", defaults.minimum_base, int, "een heel getal, bijvoorbeeld 5")
    warning = number("waarschuwing_non_respons", defaults.nonresponse_warning, float,
                     "een aandeel tussen 0 en 1, bijvoorbeeld 0.2")
    max_quotes = number("max_citaten", defaults.max_quotes, int, "een heel getal, bijvoorbeeld 3")
    max_file_mb = number("max_bestandsgrootte_mb", defaults.max_file_mb, float,
                         "een getal in megabyte, bijvoorbeeld 200")
    if minimum < 1:
        found.add(at(raw, "minimum_basis"), f"{path.name}, instellingen: minimum_basis moet minstens 1 zijn.")
    if max_quotes < 0:
        found.add(at(raw, "max_citaten"), f"{path.name}, instellingen: max_citaten kan niet negatief zijn.")
    if not 0 < warning <= 1:
        found.add(at(raw, "waarschuwing_non_respons"),
                  f"{path.name}, instellingen: waarschuwing_non_respons is een aandeel tussen 0 en 1.")
    if not max_file_mb > 0:
        found.add(at(raw, "max_bestandsgrootte_mb"), f"{path.name}, instellingen: max_bestandsgrootte_mb moet groter "
                  "zijn dan 0 (in megabyte, bijvoorbeeld 200).")
    quarantine = found.check(at(raw, "rapport_bij_quarantaine"), partial(
        yes_no_field, raw.get("rapport_bij_quarantaine", defaults.report_with_quarantine),
        f"{path.name}, instellingen, rapport_bij_quarantaine"), defaults.report_with_quarantine)
    reference = (found.check(at(raw, "referentie"), partial(inside_folder, path.parent, raw["referentie"],
                                                            f"{path.name}, instellingen, referentie"), None)
                 if raw.get("referentie") else None)
    found.stop()
    return Settings(minimum_base=minimum, report_with_quarantine=quarantine, nonresponse_warning=warning,
                    max_quotes=max_quotes, max_file_mb=max_file_mb, reference_file=reference)


def _region(raw: Any, index: int, reading: _Reading) -> Region:
    """One entry under `regios`; ConfigProblems names every mistake in it and in its waves."""
    path, questionnaires = reading.path, reading.questionnaires
    if not isinstance(raw, dict):
        raise ConfigError(f"{path.name}: regio nummer {index + 1} is geen lijst met velden.")
    found = Problems()
    rid = str(raw.get("id", ""))
    found.check(at(raw, *(set(raw) - REGION_KEYS)),
                partial(known_keys, raw, REGION_KEYS, f"{path.name}, regio '{rid or index + 1}'"), None)
    valid_id = bool(REGION_ID.match(rid))
    if not valid_id:
        found.add(at(raw, "id"),
            f"{path.name}: regio nummer {index + 1} heeft id '{rid}'. Een id bestaat uit kleine letters, cijfers "
            "en streepjes (bijvoorbeeld 'noord-kennemerland'); het wordt de mapnaam in output/."
        )
    # Without a usable id the rest of the region is still checked, named by its number.
    where = f"{path.name}, regio '{rid}'" if valid_id else f"{path.name}, regio nummer {index + 1}"
    region_omit = found.check(at(raw, "weglaten"), partial(as_list, raw.get("weglaten"), f"{where}, weglaten"), ())
    entries = raw.get("metingen") or []
    if not isinstance(entries, list):
        found.add(at(raw, "metingen"), f"{where}: 'metingen' is een lijst van metingen, elk beginnend met '- jaar:' "
                  "en met een 'bestand' (zie de README voor een voorbeeld).")
        entries = []
    exports = []
    for j, entry in enumerate(entries):
        export = found.check(at(raw, "metingen") + (j,),
                             partial(_export, entry, j, rid if valid_id else None, where, region_omit, reading), None)
        if export is not None:
            exports.append(export)
    if questionnaires is not None and exports and len(exports) == len(entries):
        # A name left out for all waves must mean something in at least one of them (ids stay, columns change).
        unknown = tuple(n for n in region_omit if not any(questionnaires[e.wave].resolve(n) for e in exports))
        found.check(at(raw, "weglaten"), partial(omitted_items, questionnaires[exports[-1].wave], unknown,
                                                 f"{where}, weglaten"), ())
    years = [_wave_year(e.get("jaar")) if isinstance(e, dict) else None for e in entries]
    for j, year in enumerate(years):
        if year is not None and years[:j].count(year) == 1:  # said once, at its second wave
            found.add(at(raw, "metingen") + (j,), f"{where}: meting {year} staat er twee keer in.")
    waves = [w for w in years if w is not None]  # a wave with a mistake still has its year
    municipalities = found.check(at(raw, "gemeenten"), partial(as_list, raw.get("gemeenten"), f"{where}, gemeenten"),
                                 ())
    organisations = found.check(at(raw, "organisaties"),
                                partial(as_list, raw.get("organisaties"), f"{where}, organisaties"), ())
    held = found.check(at(raw, "eerdere_metingen"),
                       partial(held_without_data, raw, waves, f"{where}, eerdere_metingen"), None)
    found.stop()
    return Region(id=rid, name=str(raw.get("naam") or rid), commissioner=str(raw.get("opdrachtgever", "")),
                  municipalities=municipalities, organisations=organisations,
                  exports=tuple(sorted(exports, key=lambda e: e.wave)), held_without_data=held)


def _wave_year(value: Any) -> int | None:
    """The year of a wave (`jaar`), or None when it is no number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _export(raw: Any, j: int, rid: str | None, region: str, region_omit: tuple[str, ...],
            reading: _Reading) -> ExportFile:
    """Wave `j` of a region (rid None: its id is unusable), `region` naming it in messages; ConfigProblems names
    every mistake in it. Checks that need the year's questionnaire wait for a usable year."""
    folder, questionnaires = reading.folder, reading.questionnaires
    where = f"{region}, meting {j + 1}"
    if not isinstance(raw, dict) or "jaar" not in raw or "bestand" not in raw:
        raise ConfigError(f"{where}: elke meting heeft een 'jaar' en een 'bestand'.")
    found = Problems()
    found.check(at(raw, *(set(raw) - EXPORT_KEYS)), partial(known_keys, raw, EXPORT_KEYS, where), None)
    wave = _wave_year(raw["jaar"])
    q = None
    if wave is None:
        found.add(at(raw, "jaar"), f"{where}: jaar '{raw['jaar']}' is geen jaartal.")
    elif questionnaires is not None:
        q = questionnaires.get(wave)
        if q is None:
            found.add(at(raw, "jaar"), f"{where}: voor meting {wave} is geen vragenlijst. Beschikbaar: "
                      f"{', '.join(str(w) for w in sorted(questionnaires))}.")
    file = found.check(at(raw, "bestand"), partial(inside_folder, folder, raw["bestand"], f"{where}, bestand"), None)
    fmt = str(raw.get("formaat") or EXTENSION_FORMAT.get(Path(str(raw["bestand"])).suffix.lower(), ""))
    if fmt not in FORMATS:
        found.add(at(raw, "formaat" if "formaat" in raw else "bestand"),
                  f"{where}: van bestand '{raw['bestand']}' is het formaat onbekend. Geef 'formaat: spss', 'csv' of "
                  "'excel' op.")
    extras = found.check(at(raw, "extra_vragen"), partial(as_list, raw.get("extra_vragen"), f"{where}, extra_vragen"),
                         ())
    wave_omit = found.check(at(raw, "weglaten"), partial(as_list, raw.get("weglaten"), f"{where}, weglaten"), ())
    omitted: tuple[str, ...] = ()
    if q is not None:
        regional = [it.id for it in q.items if it.regional and it.owner in ("", rid)]
        for extra in (e for e in extras if e not in regional):
            found.add(at(raw, "extra_vragen"), f"{where}: extra vraag '{extra}' is geen regionale vraag in de "
                      f"vragenlijst van {wave}. Regionale vragen van {wave}: {', '.join(regional) or 'geen'}.")
        # The region's own questions (vragenlijst_<regio>.yaml) are asked as if listed under extra_vragen.
        extras += tuple(it.id for it in q.items if it.owner == rid and it.id not in extras)
        omitted = omitted_items(q, region_omit, f"{region}, weglaten", lenient=True)
        left_out = found.check(at(raw, "weglaten"), partial(omitted_items, q, wave_omit, f"{where}, weglaten"), ())
        omitted += tuple(i for i in left_out if i not in omitted)
        both = [i for i in extras if i in omitted]
        if both:
            found.add(at(raw, "weglaten"), f"{where}: '{both[0]}' staat onder extra_vragen (of in de eigen vragen van "
                      "de regio) én onder weglaten. Kies één van beide.")
    columns_ok = raw.get("kolommen") is None or isinstance(raw.get("kolommen"), dict)
    if not columns_ok:
        found.add(at(raw, "kolommen"), f"{where}: 'kolommen' is een lijst 'kolom in export: kolom in vragenlijst'.")
    mapping_file = (found.check(at(raw, "koppeling"), partial(inside_folder, folder, raw["koppeling"],
                                                               f"{where}, koppeling"), None)
                    if raw.get("koppeling") else None)
    mapping = ExportMapping()
    # The mapping is read against the wave's questionnaire, from a file inside the folder.
    file_ok = mapping_file is not None or not raw.get("koppeling")
    if columns_ok and file_ok and (questionnaires is None or q is not None):
        mapping = found.check(at(raw, "koppeling", *MAPPING_KEYS),
                              partial(parse_mapping, raw, mapping_file, where, q, folder), mapping)
    invited = found.check(at(raw, INVITED), partial(invited_counts, raw.get(INVITED), f"{where}, {INVITED}"), ())
    summary_file = SUMMARY_NAME.format(region=rid, wave=wave)
    summary = (found.check(at(raw), partial(read_summary, folder / summary_file), None)
               if rid is not None and wave is not None else None)
    found.stop()
    return ExportFile(
        region=rid or "",  # without an id, the region's own mistake keeps this wave from being used
        wave=invariant(wave, "a wave read without mistakes has a year"),
        path=invariant(file, "a wave read without mistakes has its file inside the input folder"),
        format=fmt, fieldwork=str(raw.get("veldwerk", "")), extras=extras, mapping=mapping,
        encoding=str(raw.get("codering", "")), sheet=str(raw.get("werkblad", "")),
        date_column=str(raw.get("datum_kolom", "")), region_column=str(raw.get("regio_kolom", "")),
        omitted=omitted, max_file_mb=reading.settings.max_file_mb, invited=invited,
        summary_file=summary_file, summary=summary,
    )
