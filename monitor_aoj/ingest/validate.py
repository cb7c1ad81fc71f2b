"""Check every export against expectations generated from the questionnaire and region config.

Great Expectations does the checking. All files are validated in one process with one GX context: rows of
all files that share a questionnaire (wave and regional extras) form one batch, identified by file and row;
a second batch has one row per file for file-level checks (columns present, non-response share). Every
failed expectation becomes a Problem in Dutch: file, row as the user sees it, respondent, column, value
found, what was expected and what to do. Blocking problems put the row in quarantine; every other row goes
on. No row is lost: rows read = rows used + rows quarantined, per file.
"""

from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from monitor_aoj.definitions.questionnaire import Item, Questionnaire
from monitor_aoj.definitions.regions import CONFIG_NAME, EXTENSION_FORMAT, ExportFile, RegionConfig, Settings
from monitor_aoj.dutch import counted, row_list
from monitor_aoj.errors import MonitorError, ReadError
from monitor_aoj.ingest.columns import DATE, FUNCTIE, FUNCTIE_OTHER, REGION, RESPONDENT, ROW, SCHOOLTYPE, SECTOR
from monitor_aoj.ingest.decode import (
    INVALID,
    NO_ANSWER,
    VALID,
    answer_key,
    derive_sector,
    fold,
    match_label,
    meaning_table,
    normalise,
    per_distinct,
)
from monitor_aoj.ingest.read import RawExport, expected_columns, read_export
from monitor_aoj.ingest.responses import respondent_ids

ERROR, WARNING = "fout", "waarschuwing"
FILE = "_bestand"


@dataclass(frozen=True)
class Check:
    severity: str
    quarantine: bool  # a failing row goes into quarantine
    expected: str  # what was expected, in Dutch ({...} filled per item)
    action: str  # what the user should do, in Dutch
    cell: bool = False  # the failing cell is set aside (counted as "ongeldig"); the respondent stays


# Every kind of problem the validation can report. Texts are templates filled with item facts.
CHECKS: dict[str, Check] = {
    "bestand_onleesbaar": Check(ERROR, False, "een leesbaar exportbestand", "{reason}"),
    "geen_rijen": Check(ERROR, False, "minstens één rij met antwoorden onder de kopregel",
                        "Exporteer de antwoorden opnieuw; het bestand bevat alleen kolomnamen."),
    "andere_meting": Check(ERROR, True, "de kolommen van de vragenlijst van {wave}",
                           "Controleer in regios.yaml of 'jaar' en 'bestand' bij elkaar horen."),
    "kolom_ontbreekt": Check(ERROR, False, "een kolom '{column}' ({short})",
                             "Voeg de kolom toe aan de export, of zet onder 'kolommen' in regios.yaml hoe de kolom in "
                             "uw export heet. Zonder deze kolom telt de vraag als niet gesteld."),
    "kolom_ontbreekt_achtergrond": Check(WARNING, False, "een kolom '{column}' ({short})",
                                         "Voeg de kolom toe, of zet onder 'kolommen' in regios.yaml hoe hij heet."),
    "onbekende_code": Check(ERROR, False, "een van: {allowed}",
                            "Het antwoord is apart gezet (telt als ongeldig); de rest van de rij telt mee.",
                            cell=True),
    "ongeldig_cijfer": Check(ERROR, False, "een heel cijfer van {low} tot en met {high}",
                             "Het cijfer is apart gezet (telt als ongeldig); de rest van de rij telt mee. Vul een heel "
                             "cijfer van {low} tot en met {high} in, of maak de cel leeg.", cell=True),
    "sector_ontbreekt": Check(ERROR, True, "sector onderwijs of jeugdhulp (of een functie die bij één sector hoort)",
                              "Vul bij deze respondent de sector in (onderwijs of jeugdhulp)."),
    "onbekende_sector": Check(WARNING, False, "onderwijs of jeugdhulp",
                              "Verbeter de sector. Hoort de functie bij één sector, dan bepaalt die de sector."),
    "onbekende_achtergrond": Check(ERROR, False, "een van: {allowed}",
                                   "Het antwoord is apart gezet; de respondent telt verder mee.", cell=True),
    "rij_onleesbaar": Check(ERROR, True, "een rij met evenveel velden als de kopregel",
                            "Controleer de rij in een teksteditor: staat er een scheidingsteken of aanhalingsteken "
                            "te veel? Verbeter de export en draai de opdracht opnieuw."),
    "dubbele_id": Check(ERROR, True, "een respondentnummer dat maar één keer voorkomt",
                        "Komt dezelfde persoon twee keer voor, verwijder dan de dubbele rij; is het een ander "
                        "persoon, geef dan een eigen nummer."),
    "id_ontbreekt": Check(WARNING, False, "een respondentnummer",
                          "Vul een nummer in. Tot dan heet deze respondent naar zijn rijnummer."),
    "lege_rij": Check(ERROR, True, "minstens één beantwoorde vraag",
                      "Verwijder de rij, of vul de antwoorden aan als die ergens anders staan."),
    "andere_meting_rij": Check(ERROR, True, "een datum in {wave}",
                               "Deze rij lijkt uit een andere meting te komen; zet hem in het bestand van die "
                               "meting."),
    "andere_regio": Check(ERROR, True, "regio {region}",
                          "Zet deze rij in het bestand van de juiste regio; staat die regio niet in regios.yaml, voeg "
                          "hem dan toe."),
    "buiten_filter": Check(WARNING, False, "geen antwoord: de vraag geldt alleen voor wie bij '{filter_short}' "
                           "{filter_answer} antwoordde",
                           "Het antwoord telt niet mee. Controleer de routing in de enquêtetool."),
    "veel_non_respons": Check(WARNING, False, "hoogstens {limit} zonder antwoord",
                              "Geen actie nodig als dit klopt; het rapport noemt de non-respons bij de vraag."),
    "spss_ontbrekend": Check(WARNING, False, "een code uit de vragenlijst",
                             "De code telt als 'geen antwoord'. Staat er een echt antwoord achter, hercodeer dan in "
                             "SPSS."),
    "leesprobleem": Check(WARNING, False, "{expected}", "{action}"),
    "weggelaten_kolom": Check(WARNING, False, "geen kolom '{column}': de regio heeft deze vraag weggelaten",
                              "Kolom {column} hoort bij een weggelaten vraag en is niet gebruikt. Is de vraag toch "
                              "gesteld, haal hem dan weg onder 'weglaten' in regios.yaml."),
    "meer_dan_uitgenodigd": Check(WARNING, False, "hoogstens {invited} respondenten uit {sector} (uitgenodigd)",
                                  "Het rapport noemt voor deze sector geen responspercentage. Klopt het aantal onder "
                                  "'uitgenodigd' in regios.yaml? Is de link doorgestuurd, dan is de respons niet te "
                                  "berekenen."),
    "niet_in_config": Check(WARNING, False, "een vermelding in regios.yaml",
                            "Dit bestand is niet gebruikt. Hoort het erbij, zet het dan in regios.yaml."),
}


@dataclass(frozen=True)
class Problem:
    check: str
    file: str  # file name as the user knows it
    row: int | None  # as the user sees it; None for the file as a whole
    respondent: str
    column: str
    value: str
    expected: str
    action: str
    key: str = ""  # which configured export (two regions may share one file)

    @property
    def severity(self) -> str:
        return CHECKS[self.check].severity

    @property
    def quarantines(self) -> bool:
        return CHECKS[self.check].quarantine and self.row is not None


@dataclass(frozen=True)
class FileResult:
    export: ExportFile
    rows_read: int
    problems: tuple[Problem, ...]
    clean: RawExport | None  # the rows that go on; None when the file could not be read
    quarantine: pd.DataFrame  # rows put aside: every column as read, plus "reden"
    notes: tuple[str, ...] = ()  # facts about the file (encoding, sheet)
    reclassified: tuple[int, ...] = ()  # rows whose functie put them in another sector than they ticked
    cells_set_aside: int = 0  # answers set aside as invalid in rows that are used

    @property
    def name(self) -> str:
        return self.export.path.name

    @property
    def rows_quarantined(self) -> int:
        return len(self.quarantine)

    @property
    def rows_used(self) -> int:
        return self.rows_read - self.rows_quarantined

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == WARNING)


@dataclass(frozen=True)
class ValidationResult:
    files: tuple[FileResult, ...]
    general: tuple[Problem, ...] = ()  # not about one configured file

    @property
    def blocking(self) -> bool:
        return any(f.errors for f in self.files)

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_used(self) -> int:
        return sum(f.rows_used for f in self.files)

    @property
    def rows_quarantined(self) -> int:
        return sum(f.rows_quarantined for f in self.files)

    @property
    def cells_set_aside(self) -> int:
        return sum(f.cells_set_aside for f in self.files)

    def clean_exports(self) -> list[RawExport]:
        return [f.clean for f in self.files if f.clean is not None]

    def without_rows(self) -> "ValidationResult":
        """The same result without the clean rows themselves (counts, problems and quarantine stay): once the
        Responses are built from them, a large input should not be held twice."""
        files = tuple(f if f.clean is None else dataclasses.replace(
            f, clean=dataclasses.replace(f.clean, frame=f.clean.frame.iloc[:0])) for f in self.files)
        return dataclasses.replace(self, files=files)


# --- preparing what GX looks at ------------------------------------------------------------------------


def export_key(raw: RawExport) -> str:
    """Identifies one configured export: region, wave and file (one file may serve several regions)."""
    return f"{raw.export.region}/{raw.export.wave}/{raw.name}"


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "(leeg)"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _allowed(lookup_codes: Iterable[tuple[int, str]]) -> str:
    return ", ".join(f"{code} ({label})" for code, label in lookup_codes)


def _closed_items(raw: RawExport, q: Questionnaire) -> list[Item]:
    return [it for it in q.items_for(raw.export.extras, raw.export.omitted) if not it.is_open and it.id in raw.frame]


def _apply_spss_missing(raw: RawExport, q: Questionnaire) -> tuple[RawExport, list[Problem]]:
    """Codes marked missing in the SPSS file that no label or mapping explains count as "geen antwoord"."""
    if not raw.user_missing:
        return raw, []
    frame = raw.frame.copy()
    problems = []
    for item in _closed_items(raw, q):
        ranges = raw.user_missing.get(item.id)
        if not ranges:
            continue
        values = pd.to_numeric(frame[item.id], errors="coerce")
        hit = pd.Series(False, index=frame.index)
        for lo, hi in ranges:
            hit |= values.between(lo, hi)
        hit &= raw.decode(item.id).status == INVALID
        if hit.any():
            labels = raw.value_labels.get(item.id, {})
            found = sorted(set(values[hit]))
            shown = ", ".join(f"{_text(v)} ('{labels[v]}')" if v in labels else _text(v) for v in found)
            rows = frame.loc[hit, ROW].tolist()
            problems.append(Problem(
                "spss_ontbrekend", raw.name, None, "", raw.column_name(item.id), shown,
                CHECKS["spss_ontbrekend"].expected,
                f"{CHECKS['spss_ontbrekend'].action} Het gaat om {counted(len(rows), 'rij', 'rijen')}: "
                f"{row_list(rows)}.",
                export_key(raw)))
            frame[item.id] = frame[item.id].where(~hit, None)  # a blank: no answer
    return dataclasses.replace(raw, frame=frame), problems


ID_KEY = "_id"  # file and respondent id: a duplicate within one file of a wave
DECODED = "\x00ok"  # what GX sees for a value that decodes to a questionnaire answer


def _checked(folded: pd.Series, status: pd.Series) -> pd.Series:
    """The value as GX checks it: DECODED when the export's coding knows it, else the value itself."""
    # In numpy: the same values as Series.where twice, at a fraction of its cost per column.
    values = folded.to_numpy(dtype=object)
    shown = np.where((status == INVALID).to_numpy(), values, DECODED).astype(object)
    shown[pd.isna(values)] = None
    return pd.Series(shown, index=folded.index, dtype=object)


def _row_frame(raw: RawExport, q: Questionnaire, all_items: list[Item], region_names: set[str]) -> pd.DataFrame:
    """The values GX checks, one row per export row, keyed by file and row."""
    f = raw.frame
    # Columns gathered first and made into one frame at the end: inserting them one by one copies the frame.
    out: dict[str, object] = {FILE: export_key(raw), ROW: f[ROW].astype("int64")}
    answered = pd.Series(0, index=f.index)
    coded: dict[str, pd.Series] = {}
    for item in all_items:
        if item.id not in f:
            continue
        if item.is_open:
            answered += per_distinct(f[item.id], lambda v: bool(str(v).strip()), False).astype(int)
            continue
        folded = normalise(f[item.id])
        c = raw.decode(item.id)
        out[item.id] = _checked(folded, c.status)
        coded[item.id] = c.code
        answered += (folded.notna() & (c.status != NO_ANSWER)).astype(int)
        if item.filter is not None and item.filter.item in coded:
            eligible = coded[item.filter.item].isin(item.filter.codes).fillna(False).astype(bool)
            outside = (c.status == VALID) & ~eligible
            out[f"_buiten_filter:{item.id}"] = folded.where(outside, None).astype(object)
    for column in (SECTOR, FUNCTIE, SCHOOLTYPE):
        if column in f:
            out[column] = _checked(normalise(f[column]), raw.decode(column).status)
    sector, _, _ = derive_sector(f, q, raw.coding, raw.decode)
    out["_sector"] = sector
    faults = dict(raw.row_faults)
    out["_rij_leesbaar"] = (~f[ROW].isin(faults)).astype(object)
    if RESPONDENT in f:
        ids = respondent_ids(f[RESPONDENT])
        out[RESPONDENT] = ids.astype(object).where(ids.notna(), None)
        out[ID_KEY] = (export_key(raw) + "\x1f" + ids.astype(str)).where(ids.notna(), None)
    out["_antwoorden"] = answered
    if DATE in f:
        years = f[DATE].map(_year)
        # An empty date is no evidence of another wave: only a date in another year is.
        out["_jaar_klopt"] = years.map(lambda y: None if pd.isna(y) else y == raw.export.wave).astype(object)
    if REGION in f:
        # A row that names no region belongs to none: in an export of several regions it would count in each.
        out["_regio_klopt"] = f[REGION].map(
            lambda v: v is not None and bool(str(v).strip()) and fold(v) in region_names).astype(object)
    return pd.DataFrame(out, index=f.index)


def _year(value: object) -> int | None:
    if value is None:
        return None
    if hasattr(value, "year"):
        return int(value.year)
    match = re.search(r"\b(19|20)\d{2}\b", str(value))
    return int(match.group(0)) if match else None


def _file_record(raw: RawExport, q: Questionnaire, questionnaires: dict[int, Questionnaire]) -> dict[str, object]:
    """One row for a file: which expected columns it has, its non-response per item, its wave signature."""
    expected = expected_columns(q, raw.export.extras, raw.export.omitted)
    rec: dict[str, object] = {FILE: export_key(raw), ROW: raw.header_rows or 1, "_rijen": len(raw.frame)}
    for canonical in list(expected.values()) + ([DATE] if raw.export.date_column else []) + (
            [REGION] if raw.export.region_column else []):
        rec[f"kolom:{canonical}"] = int(canonical not in raw.missing_columns)
    for item in _closed_items(raw, q):
        c = raw.decode(item.id)
        asked = c.status.isin([VALID, NO_ANSWER])
        if item.filter is not None and item.filter.item in raw.frame:
            fc = raw.decode(item.filter.item)
            asked &= fc.code.isin(item.filter.codes).fillna(False).astype(bool)
        rec[f"nr:{item.id}"] = float((c.status[asked] == NO_ANSWER).mean()) if asked.any() else None
    rec["_meting"] = _wave_signature(raw, q, questionnaires)
    return rec


def _wave_signature(raw: RawExport, q: Questionnaire, questionnaires: dict[int, Questionnaire]) -> int:
    """The wave whose questionnaire columns this file matches best (the configured wave on a tie)."""
    columns = {fold(c) for c in raw.source.columns if c != ROW}
    # A column the mapping (or its own name) put on an item counts under that item's questionnaire name.
    columns |= {fold(q.item(c).column) for c in raw.frame.columns if q.has_item(c)}

    def share(other: Questionnaire) -> float:
        cols = [fold(it.column) for it in other.items if not it.regional]
        return sum(c in columns for c in cols) / max(1, len(cols))

    own = share(q)
    best = max(questionnaires.values(), key=share)
    return raw.export.wave if own >= 0.5 or share(best) <= own else best.wave


# --- the suites --------------------------------------------------------------------------------------------


def _row_suite(gx, q: Questionnaire, extras: tuple[str, ...], columns: set[str], name: str):
    E = gx.expectations
    suite = gx.ExpectationSuite(name=name)

    def add(expectation_cls, check: str, column: str, **kwargs) -> None:
        if column in columns:
            suite.add_expectation(expectation_cls(column=column, meta={"check": check, "column": column}, **kwargs))

    for item in q.items_for(extras):
        if item.is_open:
            continue
        check = "ongeldig_cijfer" if item.scale.kind == "cijfer" else "onbekende_code"
        add(E.ExpectColumnValuesToBeInSet, check, item.id, value_set=[DECODED])
        if item.filter is not None:
            add(E.ExpectColumnValuesToBeNull, "buiten_filter", f"_buiten_filter:{item.id}")
    add(E.ExpectColumnValuesToBeInSet, "onbekende_sector", SECTOR, value_set=[DECODED])
    add(E.ExpectColumnValuesToBeInSet, "onbekende_achtergrond", FUNCTIE, value_set=[DECODED])
    add(E.ExpectColumnValuesToBeInSet, "onbekende_achtergrond", SCHOOLTYPE, value_set=[DECODED])
    add(E.ExpectColumnValuesToBeInSet, "rij_onleesbaar", "_rij_leesbaar", value_set=[True])
    add(E.ExpectColumnValuesToNotBeNull, "sector_ontbreekt", "_sector")
    add(E.ExpectColumnValuesToBeUnique, "dubbele_id", ID_KEY)
    add(E.ExpectColumnValuesToNotBeNull, "id_ontbreekt", RESPONDENT)
    add(E.ExpectColumnValuesToBeBetween, "lege_rij", "_antwoorden", min_value=1)
    add(E.ExpectColumnValuesToBeInSet, "andere_meting_rij", "_jaar_klopt", value_set=[True])
    add(E.ExpectColumnValuesToBeInSet, "andere_regio", "_regio_klopt", value_set=[True])
    return suite


def _file_suite(gx, columns: Iterable[str], settings: Settings, name: str):
    E = gx.expectations
    suite = gx.ExpectationSuite(name=name)
    suite.add_expectation(E.ExpectColumnValuesToBeBetween(column="_rijen", min_value=1, meta={"check": "geen_rijen"}))
    for column in columns:
        if column.startswith("kolom:"):
            canonical = column.split(":", 1)[1]
            check = "kolom_ontbreekt" if not canonical.startswith("_") and canonical not in (
                RESPONDENT, SECTOR, FUNCTIE, SCHOOLTYPE, FUNCTIE_OTHER) else "kolom_ontbreekt_achtergrond"
            suite.add_expectation(E.ExpectColumnValuesToBeInSet(column=column, value_set=[1],
                                                                 meta={"check": check, "column": canonical}))
        elif column.startswith("nr:"):
            suite.add_expectation(E.ExpectColumnValuesToBeBetween(
                column=column, max_value=settings.nonresponse_warning,
                meta={"check": "veel_non_respons", "column": column.split(":", 1)[1]}))
    return suite


class _GX:
    """One ephemeral GX context for the whole run: no files, no progress bars, no network."""

    def __init__(self):
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
        import great_expectations as gx  # heavy (about 3 s): imported only when validating
        from great_expectations.data_context.types.base import (
            DataContextConfig,
            InMemoryStoreBackendDefaults,
            ProgressBarsConfig,
        )

        self.gx = gx
        config = DataContextConfig(
            # In memory only: no temporary docs site, no tqdm bars on the user's screen, no analytics.
            store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
            progress_bars=ProgressBarsConfig(globally=False),
            analytics_enabled=False,
        )
        self.context = gx.get_context(project_config=config, mode="ephemeral")
        asset = self.context.data_sources.add_pandas("exports").add_dataframe_asset("rows")
        self.batch_definition = asset.add_batch_definition_whole_dataframe("all")

    def run(self, suite, frame: pd.DataFrame) -> list:
        batch = self.batch_definition.get_batch(batch_parameters={"dataframe": frame})
        result = batch.validate(suite, result_format={"result_format": "COMPLETE",
                                                      "unexpected_index_column_names": [FILE, ROW]})
        return list(result.results)


# --- from GX results to problems ---------------------------------------------------------------------------


class _Describe:
    """Turns a failed expectation at (file, row) into a Dutch Problem."""

    def __init__(self, raws: dict[str, RawExport], q: Questionnaire, settings: Settings,
                 region_names: dict[str, set[str]]):
        self.raws = raws
        self.q = q
        self.settings = settings
        self.known_regions = set().union(*region_names.values()) if region_names else set()
        self.by_row = {name: raw.frame.set_index(ROW, drop=False) for name, raw in raws.items()}

    def respondent(self, file: str, row: int) -> str:
        frame = self.by_row[file]
        if RESPONDENT in frame and row in frame.index:
            return _text(frame.at[row, RESPONDENT]) if frame.at[row, RESPONDENT] is not None else ""
        return ""

    def found(self, file: str, row: int, canonical: str) -> str:
        frame = self.by_row[file]
        if canonical in frame and row in frame.index:
            value = frame.at[row, canonical]
            coding = self.raws[file].coding.get(canonical)
            label = coding.file_labels.get(answer_key(value)) if coding is not None and value is not None else None
            # The file's own label beside its code: '7 (JGZ-verpleegkundige)' says what the user must decide on.
            return f"{_text(value)} ({label})" if label and label != _text(value) else _text(value)
        return "(leeg)"

    def facts(self, canonical: str, raw: RawExport) -> dict[str, str]:
        facts = {"column": raw.column_name(canonical), "short": canonical, "wave": str(self.q.wave),
                 "region": raw.export.region, "limit": f"{round(self.settings.nonresponse_warning * 100)}%"}
        bg = self.q.background
        choices = {SECTOR: bg.sector.choices, FUNCTIE: bg.functie.choices, SCHOOLTYPE: bg.schooltype.choices}
        if canonical in choices:
            facts["allowed"] = _allowed((c.code, c.label) for c in choices[canonical])
            facts["short"] = canonical
        if self.q.has_item(canonical):
            item = self.q.item(canonical)
            facts["short"] = item.short
            if item.scale is not None:
                scale = item.scale
                facts["allowed"] = _allowed([(c, scale.label(c)) for c in scale.codes] if scale.kind != "cijfer"
                                            else [(f"{scale.minimum}-{scale.maximum}", "cijfer")]) + ", " + _allowed(
                    (m.code, m.label) for m in self.q.missing)
                facts["low"], facts["high"] = str(scale.minimum), str(scale.maximum)
            if item.filter is not None:
                source = self.q.item(item.filter.item)
                facts["filter_short"] = source.short
                facts["filter_answer"] = " of ".join(f"'{source.scale.label(c)}'" for c in item.filter.codes)
        return facts

    def problem(self, check: str, file: str, row: int | None, canonical: str, value: str | None = None,
                note: str = "") -> Problem:
        raw = self.raws[file]
        facts = self.facts(canonical, raw)
        spec = CHECKS[check]
        return Problem(
            check=check, file=raw.name, key=file, row=row,
            respondent=self.respondent(file, row) if row is not None else "",
            column=facts["column"] if canonical else "",
            value=value if value is not None else (self.found(file, row, canonical) if row is not None else ""),
            expected=spec.expected.format(**facts),
            action=((note + " ") if note else "") + spec.action.format(**facts),
        )

    def row_value(self, check: str, file: str, row: int, column: str) -> tuple[str, str]:
        """(canonical column to name, value shown) for checks on helper columns."""
        if column.startswith("_buiten_filter:"):
            item = column.split(":", 1)[1]
            return item, self.found(file, row, item)
        if column == "_sector":
            stated = self.found(file, row, SECTOR)
            functie = self.found(file, row, FUNCTIE)
            return SECTOR, f"sector {stated}, functie {functie}"
        if column == ID_KEY:
            return RESPONDENT, self.found(file, row, RESPONDENT)
        if column == "_antwoorden":
            values = self.by_row[file].loc[row].drop(labels=[ROW])
            return "", "rij is helemaal leeg" if all(v is None for v in values) else "alleen achtergrondgegevens"
        if column == "_jaar_klopt":
            return DATE, self.found(file, row, DATE)
        if column == "_regio_klopt":
            return REGION, self.found(file, row, REGION)
        return column, self.found(file, row, column)


def _decision(raw: RawExport, frame: pd.DataFrame, q: Questionnaire, canonical: str, row: int) -> str:
    """For a value that decodes to nothing: which decision the user has to make, in the mapping.

    frame: the export's rows indexed by row number (built once per file, not per problem)."""
    coding = raw.coding.get(canonical)
    if coding is None or canonical not in frame or row not in frame.index:
        return ""
    value = frame.at[row, canonical]
    key = answer_key(value)
    column = raw.column_name(canonical)
    label = coding.unresolved.get(key)
    if label is None and isinstance(value, str) and not key.replace(".", "").isdigit():
        label = value
    if label is not None:
        if match_label(label, meaning_table([(0, "Weet ik niet", VALID, True)])) and q.has_item(canonical):
            variants = [sid for sid, sc in q.scales.items() if sc.kind == q.item(canonical).scale.kind
                        and sc.dont_know_codes and set(q.item(canonical).scale.codes) <= set(sc.codes)]
            if variants:
                return (f"De vragenlijst heeft bij deze vraag geen 'Weet ik niet', het bestand wel. Kies in de "
                        f"koppeling: 'schalen: {{{column}: {variants[0]}}}' (telt 'Weet ik niet' als antwoord mee in "
                        f"de basis; vergelijken met andere metingen kan dan niet) of 'antwoorden: {{{column}: "
                        f"{{\"{label}\": Geen antwoord}}}}'.")
        return (f"Het antwoord '{label}' komt niet voor in de vragenlijst en wordt niet geraden. Koppel het in de "
                f"koppeling onder 'antwoorden: {{{column}: {{\"{label}\": <antwoord uit de vragenlijst>}}}}'.")
    if not raw.value_labels.get(canonical) and key and key.replace(".", "").lstrip("-").isdigit():
        return ("Het bestand geeft hier alleen een code, zonder label. Zijn het de codes van de vragenlijst, zet dan "
                "'codes: vragenlijst' bij deze meting in regios.yaml of in de koppeling; anders koppel elke code onder "
                "'antwoorden'.")
    return "Koppel het antwoord onder 'antwoorden' in de koppeling, of verbeter het in de export."


def _hint(check: str, value: str, describe: _Describe, file: str = "", canonical: str = "", row: int = 0) -> str:
    """A sentence that names what kind of mistake this value is."""
    if check in ("onbekende_code", "onbekende_achtergrond", "onbekende_sector"):
        return _decision(describe.raws[file], describe.by_row[file], describe.q, canonical, row)
    if check == "ongeldig_cijfer":
        number = value.replace(",", ".")
        try:
            mark = float(number)
        except ValueError:
            return "Er staat tekst in een veld voor een cijfer."
        return "Een rapportcijfer is een heel getal." if not mark.is_integer() else "Dit cijfer valt buiten de schaal."
    if check == "andere_regio":
        if value == "(leeg)":
            return "Deze rij noemt geen regio, en hoort dus bij geen enkele regio. Vul de regio in."
        known = fold(value) in describe.known_regions
        return ("Die regio heeft een eigen bestand in regios.yaml." if known
                else f"Regio '{value}' staat niet in regios.yaml.")
    return ""


def _translate_rows(results: list, describe: _Describe) -> list[Problem]:
    problems: list[Problem] = []
    for res in results:
        if res.success:
            continue
        meta = res.expectation_config.meta or {}
        check, column = meta["check"], meta["column"]
        if res.exception_info and not res.result:
            raise MonitorError(f"Interne fout bij controle '{check}' op kolom '{column}': {res.exception_info}")
        hits = res.result.get("unexpected_index_list") or []
        if check == "dubbele_id":
            problems += _duplicates(hits, describe)
            continue
        for hit in hits:
            file, row = hit[FILE], int(hit[ROW])
            canonical, value = describe.row_value(check, file, row, column)
            problems.append(describe.problem(check, file, row, canonical, value,
                                             _hint(check, value, describe, file, canonical, row)))
    return problems


def _duplicates(hits: list[dict], describe: _Describe) -> list[Problem]:
    """Every occurrence after the first goes into quarantine, naming the row of the first."""
    problems = []
    seen: dict[str, int] = {}
    for hit in sorted(hits, key=lambda h: (h[FILE], int(h[ROW]))):
        key, file, row = hit[ID_KEY], hit[FILE], int(hit[ROW])
        if key not in seen:
            seen[key] = row
            continue
        problems.append(describe.problem("dubbele_id", file, row, RESPONDENT,
                                         note=f"Het nummer staat ook in rij {seen[key]}."))
    return problems


def _translate_files(results: list, describers: dict[int, _Describe], wave_of: dict[str, int],
                     files: pd.DataFrame) -> list[Problem]:
    problems = []
    shares = files.set_index(FILE)
    for res in results:
        if res.success:
            continue
        meta = res.expectation_config.meta or {}
        check = meta["check"]
        if res.exception_info and not res.result:
            raise MonitorError(f"Interne fout bij controle '{check}': {res.exception_info}")
        for hit in res.result.get("unexpected_index_list") or []:
            file = hit[FILE]
            describe = describers[wave_of[file]]
            if check == "geen_rijen":
                problems.append(describe.problem(check, file, None, "", "alleen een kopregel"))
            elif check == "veel_non_respons":
                column = meta["column"]
                share = shares.at[file, f"nr:{column}"]
                problems.append(describe.problem(check, file, None, column,
                                                 f"{round(share * 100)}% zonder antwoord"))
            else:
                problems.append(describe.problem(check, file, None, meta["column"], "kolom niet gevonden"))
    return problems


# --- the stage ------------------------------------------------------------------------------------------


def validate(config: RegionConfig, questionnaires: dict[int, Questionnaire],
             exports: list[ExportFile] | None = None,
             reader: Callable[[ExportFile, Questionnaire], RawExport] = read_export) -> ValidationResult:
    """Read and validate every configured export (or the given ones) in one process."""
    exports = list(config.exports if exports is None else exports)
    settings = config.settings
    unreadable: list[FileResult] = []
    raws: list[RawExport] = []
    for export in exports:
        try:
            raws.append(reader(export, questionnaires[export.wave]))
        except ReadError as exc:
            problem = Problem("bestand_onleesbaar", export.path.name, None, "", "", "", CHECKS["bestand_onleesbaar"]
                              .expected, str(exc))
            unreadable.append(FileResult(export, 0, (problem,), None, pd.DataFrame({"reden": []})))
    if not raws:
        return ValidationResult(files=tuple(unreadable), general=_unconfigured_files(config))
    gx = _GX()
    names = {r.id: {fold(r.id), fold(r.name)} for r in config.regions}
    adjusted: dict[str, RawExport] = {}
    early: dict[str, list[Problem]] = {}
    for raw in raws:
        q = questionnaires[raw.export.wave]
        fixed, problems = _apply_spss_missing(raw, q)
        adjusted[export_key(raw)] = fixed
        early[export_key(raw)] = problems + [_note_problem(raw, n) for n in raw.notes if n.warning] + \
            _omitted_columns(raw, q)
    describers = {w: _Describe({n: r for n, r in adjusted.items() if r.export.wave == w}, q, settings, names)
                  for w, q in questionnaires.items()}

    # File level, one batch for all files: columns present, non-response share, which wave it looks like.
    files = pd.DataFrame([_file_record(r, questionnaires[r.export.wave], questionnaires) for r in adjusted.values()])
    wave_of = {name: raw.export.wave for name, raw in adjusted.items()}
    found = gx.run(_file_suite(gx.gx, files.columns, settings, "bestanden"), files)
    file_problems = _translate_files(found, describers, wave_of, files)

    # Row level, one batch per wave: the files of a wave share their codes (regional extras are simply
    # empty in files that did not ask them).
    row_problems: list[Problem] = []
    for wave in sorted({r.export.wave for r in adjusted.values()}):
        q = questionnaires[wave]
        members = [r for r in adjusted.values() if r.export.wave == wave and len(r.frame)]
        if not members:
            continue
        extras = tuple(sorted({x for r in members for x in r.export.extras}))
        ids = []
        for batch in _batches(members, ROWS_PER_BATCH):
            rows = pd.concat([_row_frame(_part(r, start, stop), q,
                                         list(q.items_for(r.export.extras, r.export.omitted)),
                                         names.get(r.export.region, set()))
                              for r, start, stop in batch], ignore_index=True)
            suite = _row_suite(gx.gx, q, extras, set(rows.columns) - {ID_KEY}, f"rijen-{wave}")
            row_problems += _translate_rows(gx.run(suite, rows), describers[wave])
            if ID_KEY in rows:
                ids.append(rows[[FILE, ROW, ID_KEY]])
            del rows
        if ids:
            # Duplicate ids are looked for over all rows of the wave at once, in these three columns only.
            every_id = pd.concat(ids, ignore_index=True)
            suite = _row_suite(gx.gx, q, extras, {ID_KEY}, f"nummers-{wave}")
            row_problems += _translate_rows(gx.run(suite, every_id), describers[wave])

    signature = dict(zip(files[FILE], files["_meting"]))
    results: dict[str, FileResult] = {}
    for name, raw in adjusted.items():
        problems = early[name] + [p for p in file_problems + row_problems if p.key == name]
        # A row without answers is one problem; its missing sector or id would only repeat that.
        empty_rows = {p.row for p in problems if p.check == "lege_rij"}
        problems = [p for p in problems if p.check == "lege_rij" or p.row not in empty_rows or p.row is None]
        aside_all = ""
        if signature[name] != raw.export.wave:
            # The whole file belongs to another wave: one clear message instead of hundreds, every row aside.
            other = signature[name]
            problems = [describers[raw.export.wave].problem(
                "andere_meting", name, None, "", f"kolommen van meting {other}",
                note=f"De kolommen passen bij de vragenlijst van {other}, niet bij die van {raw.export.wave}.")]
            aside_all = f"bestand lijkt meting {other}, niet {raw.export.wave}"
        results[name] = _file_result(raw, problems, questionnaires[raw.export.wave], aside_all)
    by_export = {r.export: r for r in list(results.values()) + unreadable}
    return ValidationResult(files=tuple(by_export[e] for e in exports), general=_unconfigured_files(config))


# GX holds several copies of the rows it checks: a large export is checked in parts of this many rows, and small
# files share one part (one GX run for the whole sample).
ROWS_PER_BATCH = 50_000


def _part(raw: RawExport, start: int, stop: int) -> RawExport:
    """Rows start to stop of an export; the whole export is itself, so that its columns are coded once."""
    if start == 0 and stop == len(raw.frame):
        return raw
    return dataclasses.replace(raw, frame=raw.frame.iloc[start:stop])


def _batches(members: list[RawExport], size: int):
    """Lists of (export, first row, end row) of at most `size` rows together, in file and row order."""
    batch: list[tuple[RawExport, int, int]] = []
    count = 0
    for raw in members:
        for start in range(0, len(raw.frame), size):
            stop = min(start + size, len(raw.frame))
            if batch and count + stop - start > size:
                yield batch
                batch, count = [], 0
            batch.append((raw, start, stop))
            count += stop - start
    if batch:
        yield batch


def _omitted_columns(raw: RawExport, q: Questionnaire) -> list[Problem]:
    """A column of an item the region left out (`weglaten`) is not used; the validation report says so."""
    check = CHECKS["weggelaten_kolom"]
    return [Problem("weggelaten_kolom", raw.name, None, "", column,
                    f"{q.item(item).short}" if q.has_item(item) else item,
                    check.expected.format(column=column), check.action.format(column=column), export_key(raw))
            for column, item in raw.omitted_columns]


def _note_problem(raw: RawExport, note) -> Problem:
    return Problem("leesprobleem", raw.name, note.row, "", note.column or "", "", "goed leesbare rijen",
                   note.text, export_key(raw))


def _file_result(raw: RawExport, problems: list[Problem], q: Questionnaire, aside_all: str = "") -> FileResult:
    problems.sort(key=lambda p: (CHECKS[p.check].severity != ERROR, p.row or 0, p.column))
    aside: dict[int, list[str]] = {int(r): [aside_all] for r in raw.frame[ROW]} if aside_all else {}
    for p in problems:
        if p.quarantines:
            aside.setdefault(p.row, []).append(f"{p.column or 'rij'}: {p.value} (verwacht: {p.expected})")
    keep = ~raw.frame[ROW].isin(aside)
    quarantine = raw.source[raw.source[ROW].isin(aside)].copy()
    quarantine["reden"] = quarantine[ROW].map(lambda r: "; ".join(aside[r]))
    # The rows that go on; the file's own columns are only needed for the quarantine file, written from here.
    clean = dataclasses.replace(raw, frame=raw.frame if keep.all() else raw.frame[keep].reset_index(drop=True),
                                source=raw.source.iloc[:0]).same_frame(raw)
    sector, stated, _ = derive_sector(clean.frame, q, raw.coding, clean.decode)
    moved = clean.frame.loc[stated.notna() & sector.notna() & (sector != stated), ROW].tolist()
    notes = tuple(n.text for n in raw.notes if not n.warning)
    cells = len({(p.row, p.column) for p in problems if CHECKS[p.check].cell and p.row not in aside})
    problems += _more_than_invited(raw, sector)
    result = FileResult(raw.export, len(raw.frame), tuple(problems), clean, quarantine, notes, tuple(moved), cells)
    assert result.rows_used + result.rows_quarantined == result.rows_read  # no row is lost
    return result


def _more_than_invited(raw: RawExport, sector: pd.Series) -> list[Problem]:
    """More respondents of a sector than `uitgenodigd` says were invited: a warning, not an error. The figures do
    not depend on it (only the response rate does, which the report then leaves out), and a forwarded link can
    really bring in more people than were invited."""
    problems = []
    for name, invited in raw.export.invited:
        answered = int((sector == name).sum())
        if answered > invited:
            check = CHECKS["meer_dan_uitgenodigd"]
            phrase = "het onderwijs" if name == "onderwijs" else "de jeugdhulp"
            problems.append(Problem("meer_dan_uitgenodigd", raw.name, None, "", "uitgenodigd",
                                    f"{answered} respondenten uit {phrase}",
                                    check.expected.format(invited=invited, sector=phrase), check.action,
                                    export_key(raw)))
    return problems


def _unconfigured_files(config: RegionConfig) -> tuple[Problem, ...]:
    """Export files in the input folder that regios.yaml does not mention would silently be skipped."""
    folder = config.source.parent
    configured = {e.path.resolve() for e in config.exports}
    problems = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in EXTENSION_FORMAT and path.is_file() and path.resolve() not in configured \
                and path.name != CONFIG_NAME:
            problems.append(Problem("niet_in_config", path.name, None, "", "", "", CHECKS["niet_in_config"].expected,
                                    CHECKS["niet_in_config"].action))
    return tuple(problems)

