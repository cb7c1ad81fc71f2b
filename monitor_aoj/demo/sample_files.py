"""The sample data as files: every region-wave written as its format or survey tool exports it, and regios.yaml.

`write_sample` is what `monitor-aoj voorbeelddata` runs; the answers come from samples.generate_wave.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from monitor_aoj.definitions.questionnaire import Questionnaire
from monitor_aoj.demo.samples import DEFAULT_SEED, REGIONS, RegionProfile, WaveSpec, generate_wave

MONTHS = {"januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6}


def write_sample(folder: Path, questionnaires: dict[int, Questionnaire], seed: int = DEFAULT_SEED,
                 regions: tuple[RegionProfile, ...] = REGIONS) -> list[Path]:
    """Write every sample export and the regios.yaml that describes them.

    Args:
        folder: where to write (made when missing); files of the same name are replaced.
        questionnaires: wave -> questionnaire; every wave of `regions` must have one.
        seed: the random seed; the same seed, questionnaires and regions give the same answers.
        regions: the fictional regions and their waves (samples.REGIONS: four regions x 2016, 2018, 2021).

    Returns:
        The paths written, in order: per region and wave its export (<regio>_<jaar>.sav/.csv/.xlsx, or a survey
        tool's files with <regio>_<jaar>.koppeling.yaml), then regios.yaml.

    Raises:
        KeyError: a wave of `regions` has no questionnaire.
        OSError: the folder cannot be written.
    """
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
        scale = item.closed_scale
        labels = {code: scale.label(code) for code in scale.codes} if scale.kind != "cijfer" else {}
        out[item.column] = frame[item.column].map(
            lambda v: "" if pd.isna(v) else missing.get(int(v)) or labels.get(int(v), str(int(v))))
    return out


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
        scale = item.closed_scale
        if scale.kind == "cijfer":
            value_labels[item.column] = dict(missing)
            measure[item.column] = "scale"
        else:
            value_labels[item.column] = {float(c): scale.label(c) for c in scale.codes} | missing
            measure[item.column] = "ordinal" if scale.kind == "ordinaal" else "nominal"
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
