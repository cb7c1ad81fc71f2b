"""The whole annual job, stage by stage: read -> tidy -> indicators -> render.

Each stage is its own module; this one only passes their results along, in plain typed structures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from monitor_aoj.config import RegionConfig, load_config
from monitor_aoj.indicators import compute_figures
from monitor_aoj.outputs import region_folder, write_atomic
from monitor_aoj.questionnaire import Questionnaire, load_questionnaires
from monitor_aoj.read import RawExport, read_export
from monitor_aoj.responses import Responses, build_responses
from monitor_aoj.tables import ReportInput


@dataclass(frozen=True)
class Paths:
    input: Path  # exports + regios.yaml
    questionnaires: Path
    output: Path


@dataclass
class RunResult:
    files_read: list[tuple[str, int]] = field(default_factory=list)  # (file, rows read)
    reports: list[Path] = field(default_factory=list)
    workbooks: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class Loaded:
    questionnaires: dict[int, Questionnaire]
    config: RegionConfig
    raws: list[RawExport]


def load(paths: Paths, region: str | None = None, wave: int | None = None) -> Loaded:
    questionnaires = load_questionnaires(paths.questionnaires)
    config = load_config(paths.input, questionnaires)
    exports = [e for e in config.exports if (region is None or e.region == region) and (wave is None or e.wave == wave)]
    raws = [read_export(e, questionnaires[e.wave]) for e in exports]
    return Loaded(questionnaires, config, raws)


def report_inputs(loaded: Loaded, responses: Responses, figures: pd.DataFrame,
                  report_date: dt.date) -> list[ReportInput]:
    inputs = []
    for raw in loaded.raws:
        ex = raw.export
        region = loaded.config.region(ex.region)
        figs = figures[(figures["region"] == ex.region) & (figures["wave"] == ex.wave)]
        inputs.append(ReportInput(
            region=region,
            wave=ex.wave,
            questionnaire=loaded.questionnaires[ex.wave],
            figures=figs,
            earlier_waves=tuple(w for w in region.waves() if w < ex.wave),
            report_date=report_date,
            files=(raw.name,),
        ))
    return inputs


def run(paths: Paths, region: str | None = None, wave: int | None = None,
        report_date: dt.date | None = None) -> RunResult:
    # Renderers are imported here, not at module level: jinja2/openpyxl/plotly are only needed to write.
    from monitor_aoj.render_excel import render_workbook
    from monitor_aoj.render_html import render_report

    loaded = load(paths, region, wave)
    result = RunResult(files_read=[(r.name, len(r.frame)) for r in loaded.raws])
    responses = build_responses(loaded.raws, loaded.questionnaires)
    figures = compute_figures(responses, loaded.questionnaires)
    for data in report_inputs(loaded, responses, figures, report_date or dt.date.today()):
        folder = region_folder(paths.output, data.region.id, data.wave)
        stem = f"monitor-aoj_{data.region.id}_{data.wave}"
        result.reports.append(write_atomic(folder / f"{stem}.html", render_report(data)))
        result.workbooks.append(write_atomic(folder / f"{stem}.xlsx", render_workbook(data)))
    return result
