"""The whole annual job, stage by stage: read and validate -> tidy -> indicators -> render.

Each stage is its own module; this one only passes their results along, in plain typed structures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from monitor_aoj import figures as F
from monitor_aoj.config import ExportFile, RegionConfig, load_config, with_own_questions
from monitor_aoj.errors import ConfigError
from monitor_aoj.questionnaire import Questionnaire, load_questionnaires
from monitor_aoj.tables import Accounting, ReportInput

EXIT_OK = 0
EXIT_BLOCKING = 4  # the data has blocking problems: rows in quarantine or a file that cannot be used


@dataclass(frozen=True)
class Paths:
    input: Path  # exports + regios.yaml
    questionnaires: Path
    output: Path


@dataclass(frozen=True)
class Setup:
    questionnaires: dict[int, Questionnaire]
    config: RegionConfig
    exports: tuple[ExportFile, ...]  # the ones this run is about


@dataclass
class RunResult:
    validation: "ValidationResult"  # noqa: F821 (imported lazily: GX is heavy)
    validation_pages: dict[str, Path] = field(default_factory=dict)
    reports: list[Path] = field(default_factory=list)
    workbooks: list[Path] = field(default_factory=list)
    reports_withheld: bool = False  # blocking problems and the setting says: no reports then
    review_messages: tuple[str, ...] = ()  # about the coordinator's review of open answers
    review_files: list[Path] = field(default_factory=list)
    selected: tuple[ExportFile, ...] = ()  # the exports this run was asked for (empty: all)

    @property
    def exit_code(self) -> int:
        """Blocking problems in the exports asked for; other regions' files are read but do not decide it."""
        files = [f for f in self.validation.files if not self.selected or f.export in self.selected]
        return EXIT_BLOCKING if any(f.errors for f in files) else EXIT_OK


def setup(paths: Paths, region: str | None = None, wave: int | None = None) -> Setup:
    # A region's own questions (vragenlijst_<regio>.yaml) join its waves' questionnaires, owned by that region:
    # the questionnaires stay shared by all regions, and no other region asks them.
    questionnaires = with_own_questions(paths.input, load_questionnaires(paths.questionnaires))
    config = load_config(paths.input, questionnaires)
    if region is not None and region not in {r.id for r in config.regions}:
        raise ConfigError(f"Regio '{region}' staat niet in {config.source.name}. Geconfigureerd: "
                          f"{', '.join(r.id for r in config.regions)}.")
    exports = tuple(e for e in config.exports
                    if (region is None or e.region == region) and (wave is None or e.wave == wave))
    if not exports:
        raise ConfigError(f"Geen export gevonden voor regio {region or '(alle)'} en meting {wave or '(alle)'} in "
                          f"{config.source.name}.")
    return Setup(questionnaires, config, exports)


def check(paths: Paths, region: str | None = None, wave: int | None = None) -> RunResult:
    """Validation only: read and check every export, write the validation reports."""
    from monitor_aoj.ingest.validate import validate
    from monitor_aoj.ingest.validation_report import write_validation

    from monitor_aoj.open_answers import anonymisers

    s = setup(paths, region, wave)
    validation = validate(s.config, s.questionnaires, list(s.exports))
    return RunResult(validation, write_validation(validation, paths.output, anonymisers(s.config)))


def report_inputs(s: Setup, validation, figures: pd.DataFrame, report_date: dt.date, opens) -> list[ReportInput]:
    inputs = []
    for f in validation.files:
        if f.export not in s.exports or f.clean is None or f.rows_used == 0:
            continue  # not asked for, or nothing usable (the validation report says why)
        ex = f.export
        region = s.config.region(ex.region)
        inputs.append(ReportInput(
            region=region,
            wave=ex.wave,
            # The report lays out each item on the scale this region asked it with.
            questionnaire=s.questionnaires[ex.wave].with_scales(dict(ex.mapping.scales)),
            figures=figures[(figures["region"] == ex.region) & (figures["wave"] == ex.wave)],
            earlier_waves=tuple(w for w in region.waves() if w < ex.wave),
            report_date=report_date,
            files=((f.name, f.clean.sha256),),
            accounting=Accounting(f.rows_read, f.rows_used, f.rows_quarantined, len(f.errors), len(f.warnings),
                                  len(f.reclassified), f.cells_set_aside),
            history=figures[(figures["region"] == ex.region) & (figures["wave"] <= ex.wave)
                            & figures["statistic"].isin([F.TREND_POINT, F.TREND])],
            minimum_base=s.config.settings.minimum_base,
            open_answers=opens.select(ex.region, ex.wave),
            max_quotes=s.config.settings.max_quotes,
        ))
    return inputs


def figures_for(responses, questionnaires: dict[int, Questionnaire], minimum_base: int,
                extra: pd.DataFrame | None = None) -> pd.DataFrame:
    """Counts, then tests, then suppression, then the FDR correction over what is left to show.

    extra: figures counted elsewhere (the sub-themes of open answers), suppressed like all others."""
    from monitor_aoj import comparisons
    from monitor_aoj.indicators import compute_figures
    from monitor_aoj.suppression import suppress

    figures = compute_figures(responses, questionnaires)
    figures = comparisons.add_comparisons(figures, questionnaires, minimum_base,
                                          comparisons.variants_of(responses.asked))
    if extra is not None and len(extra):
        figures = F.conform(pd.concat([figures, extra], ignore_index=True))
    figures = suppress(figures, minimum_base)
    return comparisons.adjust(figures)


def open_answers_for(paths: Paths, s: Setup, responses):
    """Anonymise, code and review the open answers (reviews are read from <invoer>/beoordeling/)."""
    from monitor_aoj import open_answers
    from monitor_aoj.codebook import load_codebooks
    from monitor_aoj.review import read_review, review_path

    codebooks = load_codebooks(paths.questionnaires)
    reviews = {(e.region, e.wave): read_review(review_path(paths.input, e.region, e.wave), codebooks)
               for e in s.config.exports}
    return open_answers.process(responses, s.questionnaires, s.config, codebooks, reviews), codebooks


def run(paths: Paths, region: str | None = None, wave: int | None = None,
        report_date: dt.date | None = None) -> RunResult:
    """Validate, then compute and write the report and workbook of every region and wave."""
    # Stages that need heavy libraries are imported here, not at module level.
    from monitor_aoj.outputs import write_atomic
    from monitor_aoj.render_excel import render_workbook
    from monitor_aoj.render_html import render_report
    from monitor_aoj.responses import build_responses
    from monitor_aoj.open_answers import anonymisers
    from monitor_aoj.ingest.validate import validate
    from monitor_aoj.ingest.validation_report import write_validation

    s = setup(paths, region, wave)
    # Every configured export is read: trends need the region's other waves and the benchmark the other
    # regions, also when only one report is asked for.
    validation = validate(s.config, s.questionnaires, list(s.config.exports))
    result = RunResult(validation, write_validation(validation, paths.output, anonymisers(s.config)),
                       selected=s.exports)
    try:
        if result.exit_code and not s.config.settings.report_with_quarantine:
            result.reports_withheld = True
            return result
        if not any(f.clean is not None and f.rows_used for f in validation.files):
            return result  # nothing usable; the validation report says why, file by file
        responses = build_responses(validation.clean_exports(), s.questionnaires)
        opens, _ = open_answers_for(paths, s, responses)
        result.review_messages = opens.review_problems + opens.changed
        figures = figures_for(responses, s.questionnaires, s.config.settings.minimum_base, opens.figures)
        for data in report_inputs(s, validation, figures, report_date or dt.date.today(), opens):
            html, xlsx = report_paths(paths.output, data.region.id, data.wave)
            result.reports.append(write_atomic(html, render_report(data)))
            result.workbooks.append(write_atomic(xlsx, render_workbook(data)))
    finally:
        # A region and wave that got no new report this time must not keep last run's: it would pass for new.
        fresh = set(result.reports) | set(result.workbooks)
        for ex in s.exports:
            for old in report_paths(paths.output, ex.region, ex.wave):
                if old not in fresh and old.exists():
                    old.unlink()
    return result


def report_paths(output: Path, region: str, wave: int) -> tuple[Path, Path]:
    """Where the report and the workbook of a region and wave are written."""
    from monitor_aoj.outputs import region_folder

    folder = region_folder(output, region, wave)
    stem = f"monitor-aoj_{region}_{wave}"
    return folder / f"{stem}.html", folder / f"{stem}.xlsx"


def review(paths: Paths, region: str | None = None, wave: int | None = None) -> RunResult:
    """Write (or refresh) the review sheets of the open answers into <invoer>/beoordeling/."""
    from monitor_aoj.open_answers import anonymisers
    from monitor_aoj.responses import build_responses
    from monitor_aoj.review import read_review, review_path, write_review
    from monitor_aoj.ingest.validate import validate
    from monitor_aoj.ingest.validation_report import write_validation

    s = setup(paths, region, wave)
    validation = validate(s.config, s.questionnaires, list(s.exports))
    result = RunResult(validation, write_validation(validation, paths.output, anonymisers(s.config)))
    responses = build_responses(validation.clean_exports(), s.questionnaires)
    opens, codebooks = open_answers_for(paths, s, responses)
    result.review_messages = opens.review_problems
    for ex in s.exports:
        answers = opens.answers[(opens.answers["region"] == ex.region) & (opens.answers["wave"] == ex.wave)]
        answers = answers[answers["item"].isin(codebooks)]
        if answers.empty:
            continue
        path = review_path(paths.input, ex.region, ex.wave)
        questions = {it.id: it.text() for it in s.questionnaires[ex.wave].items if it.is_open}
        result.review_files.append(write_review(path, answers, codebooks, read_review(path, codebooks), questions))
    return result
