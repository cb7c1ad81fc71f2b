"""The whole annual job, stage by stage: read and validate -> tidy -> indicators -> render.

Each stage is its own module; this one only passes their results along, in plain typed structures. Where the
outputs go and how they are put in place is placement's job; rendering the reports, report_workers'.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from monitor_aoj.definitions.own_questions import with_own_questions
from monitor_aoj.definitions.questionnaire import Questionnaire
from monitor_aoj.definitions.questionnaire_reader import load_questionnaires
from monitor_aoj.definitions.regions import ExportFile, RegionConfig, load_config
from monitor_aoj.errors import ConfigError, invariant
from monitor_aoj.figures import schema as F
from monitor_aoj.outputs import disk_errors_in_dutch
from monitor_aoj.placement import (
    all_figures_files,
    final_path,
    remove_unconfigured,
    report_files,
    tidy_charts,
    validation_files,
)
from monitor_aoj.progress import FIGURES, REPORTS, REVIEW, SILENT, VALIDATION, Progress, Stages
from monitor_aoj.report_workers import Shared, report_processes, reports_in_place

if TYPE_CHECKING:  # imported when their stage runs (GX, behind validation, is heavy)
    from monitor_aoj.definitions.codebooks import Codebook
    from monitor_aoj.ingest.read import RawExport
    from monitor_aoj.ingest.responses import Responses
    from monitor_aoj.ingest.validation.results import ValidationResult
    from monitor_aoj.open_answers.answers import OpenAnswers

EXIT_OK = 0


EXIT_BLOCKING = 4  # the data has blocking problems: rows in quarantine or a file that cannot be used


@dataclass(frozen=True)
class Paths:
    input: Path  # exports + regios.yaml
    questionnaires: Path | None  # None: the questionnaires (and codebooks) shipped with the program
    output: Path

    def __post_init__(self) -> None:
        if self.questionnaires is None:
            from monitor_aoj.assets import QUESTIONNAIRES

            object.__setattr__(self, "questionnaires", QUESTIONNAIRES)

    @property
    def questionnaire_folder(self) -> Path:
        """`questionnaires`, which __post_init__ never leaves None; ValueError if it were."""
        return invariant(self.questionnaires, "Paths.questionnaires was not set")


@dataclass(frozen=True)
class Setup:
    questionnaires: dict[int, Questionnaire]
    config: RegionConfig
    exports: tuple[ExportFile, ...]  # the ones this run is about


@dataclass
class RunResult:
    validation: ValidationResult  # imported for type checking only: its package imports GX, which is heavy
    validation_pages: dict[str, Path] = field(default_factory=dict)
    reports: list[Path] = field(default_factory=list)
    workbooks: list[Path] = field(default_factory=list)
    documents: list[Path] = field(default_factory=list)  # the Word documents
    pdfs: list[Path] = field(default_factory=list)  # only with --pdf
    chart_files: dict[Path, int] = field(default_factory=dict)  # chart folder -> number of files (PNG and SVG)
    pdfs_removed: list[Path] = field(default_factory=list)  # an earlier run's PDF, stale now: made without --pdf
    reports_withheld: bool = False  # blocking problems and the setting says: no reports then
    review_messages: tuple[str, ...] = ()  # about the coordinator's review of open answers
    review_files: list[Path] = field(default_factory=list)
    selected: tuple[ExportFile, ...] = ()  # the exports this run was asked for (empty: all)
    unusable: list[Path] = field(default_factory=list)  # old reports removed: no usable data now
    all_figures: list[Path] = field(default_factory=list)  # alle_cijfers.xlsx and .csv: every region and wave
    all_figures_removed: list[Path] = field(default_factory=list)  # an earlier run's, when this run has no figures
    overview: list[Path] = field(default_factory=list)  # overzicht_regios.xlsx, .csv, .html: every region, wave
    overview_removed: list[Path] = field(default_factory=list)  # an earlier run's, when this run has no figures
    no_longer_configured: list[Path] = field(default_factory=list)  # old outputs of region-waves no longer listed
    took_over: int | None = None  # pid of an earlier run that died holding the lock
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage (keys: progress.STAGES)

    @property
    def exit_code(self) -> int:
        """Blocking problems in the exports asked for; other regions' files are read but do not decide it."""
        files = [f for f in self.validation.files if not self.selected or f.export in self.selected]
        return EXIT_BLOCKING if any(f.errors for f in files) else EXIT_OK


def setup(paths: Paths, region: str | None = None, wave: int | None = None) -> Setup:
    """What every command starts from: the questionnaires, regios.yaml and the exports asked for.

    Args:
        paths: the input folder (with regios.yaml), the questionnaire folder (None: the shipped ones), the output.
        region, wave: only this region id and/or wave year (--regio, --meting); None: all.

    Returns:
        Setup: questionnaires (wave -> Questionnaire, with each region's own questions), the region config, and
        the exports asked for, in the order of regios.yaml.

    Raises:
        ConfigError: a questionnaire or regios.yaml cannot be used (its Dutch message says file, key and what to
            do), the region is not configured, or no export matches region and wave.
    """
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


def check(paths: Paths, region: str | None = None, wave: int | None = None,
          progress: Progress = SILENT) -> RunResult:
    """Validation only: read and check every export, write the validation reports.

    Args:
        paths: the input, questionnaire and output folders (see run).
        region, wave: only the exports of this region id and/or wave (a year); None: all.
        progress: told the one stage, VALIDATION (see _validate).

    Returns:
        RunResult with the validation result and its pages (<uitvoer>/validatie.html and .csv; per region-wave
        validatie_<regio>_<jaar>.html/.csv and quarantaine_<regio>_<jaar>.csv); timings has the stage's seconds.

    Raises:
        ConfigError: regios.yaml or a questionnaire cannot be used, or no export matches region and wave.
        OutputBusy: another run writes into the same output folder.
        MonitorError: a disk problem (full, read-only, gone).
    """
    stages = Stages(progress)
    s = setup(paths, region, wave)
    validation = _validate(s, list(s.exports), stages)
    result = RunResult(validation, _write_validation_only(paths, s, validation), timings=stages.seconds)
    stages.advance()
    stages.end()
    return result


def _validate(s: Setup, exports: list[ExportFile], stages: Stages) -> ValidationResult:
    """ingest.validation.validate as the stage VALIDATION, telling each file as it is read. Its steps: one per file, one
    for the checks of all rows (validate runs them together after the last read), one for writing the validation
    pages (the caller advances that one and ends the stage)."""
    from monitor_aoj.ingest.read import read_export
    from monitor_aoj.ingest.validation import validate

    stages.begin(VALIDATION, len(exports) + 2)
    left = len(exports)

    def reader(export: ExportFile, questionnaire: Questionnaire) -> RawExport:
        nonlocal left
        stages.note(export.path.name)
        try:
            return read_export(export, questionnaire)
        finally:
            left -= 1
            stages.advance()
            if not left:
                stages.note("alle rijen toetsen")

    validation = validate(s.config, s.questionnaires, exports, reader=reader)
    stages.advance()
    stages.note("validatierapport schrijven")
    return validation


def _write_validation_only(paths: Paths, s: Setup, validation: ValidationResult) -> dict[str, Path]:
    """The validation pages of a run that makes no reports, put in place as a whole when complete."""
    from monitor_aoj.ingest.validation.report import write_validation
    from monitor_aoj.open_answers.answers import anonymisers
    from monitor_aoj.outputs import OutputRun

    with disk_errors_in_dutch(paths.output), OutputRun(paths.output, s.config.source) as out:
        pages = write_validation(validation, out.staging, anonymisers(s.config))
        for f in validation.files:
            out.commit(validation_files(paths.output, f.export.region, f.export.wave))
        out.commit([paths.output / "validatie.html", paths.output / "validatie.csv"])
        return {k: final_path(out, v) for k, v in pages.items()}


def figures_for(responses: Responses, questionnaires: dict[int, Questionnaire], minimum_base: int,
                extra: pd.DataFrame | None = None) -> pd.DataFrame:
    """Counts, then tests, then suppression, then benchmarks and the FDR correction over what is left to show.

    extra: figures counted elsewhere (the sub-themes of open answers), suppressed like all others."""
    from monitor_aoj.figures import comparisons
    from monitor_aoj.figures.indicators import compute_figures
    from monitor_aoj.figures.suppression import filter_links, suppress

    figures = compute_figures(responses, questionnaires)
    variants = comparisons.variants_of(responses.asked)
    figures = comparisons.add_comparisons(figures, questionnaires, minimum_base, variants)
    if extra is not None and len(extra):
        figures = F.conform(pd.concat([figures, extra], ignore_index=True))
    figures = suppress(figures, minimum_base, filter_links(questionnaires))
    # The benchmark compares only what suppression left to show, and is described, not tested.
    figures = comparisons.add_benchmarks(figures, minimum_base, variants)
    return comparisons.adjust(figures)


def open_answers_for(paths: Paths, s: Setup, responses: Responses) -> tuple[OpenAnswers, dict[str, Codebook]]:
    """Anonymise, code and review the open answers (reviews are read from <invoer>/beoordeling/)."""
    from monitor_aoj.definitions.codebooks import load_codebooks
    from monitor_aoj.open_answers import answers as open_answers
    from monitor_aoj.open_answers.review import read_review, review_path

    codebooks = load_codebooks(paths.questionnaire_folder)
    reviews = {(e.region, e.wave): read_review(review_path(paths.input, e.region, e.wave), codebooks)
               for e in s.config.exports}
    return open_answers.process(responses, s.questionnaires, s.config, codebooks, reviews), codebooks


def run(paths: Paths, region: str | None = None, wave: int | None = None,
        report_date: dt.date | None = None, pdf_browser: str | None = None,
        progress: Progress = SILENT, processes: int | None = None) -> RunResult:
    """Validate, then compute and write the outputs of every region and wave.

    Outputs change only by a complete unit: every file is written into a staging folder and a region-wave's
    validation pages and report files are moved into place together once all of them are complete
    (outputs.OutputRun); an earlier PDF or chart that this run does not make is removed then, as stale.
    Interrupted or failed, a run leaves all earlier outputs as they were. The outputs are the same bytes whatever
    the number of processes: each report is made from its own input alone, and the files are put in place in the
    same order.

    Args:
        paths: the input folder (exports and regios.yaml), the questionnaires (None: those shipped) and the output
            folder.
        region, wave: only this region id and/or wave (a year); None: all. Every configured export is still read
            and counted (trends need the other waves, the benchmark the other regions).
        report_date: the date printed in the reports; None: today.
        pdf_browser: the path of a browser (report.which_browser.find_browser) to print each report to PDF;
            None: no PDF.
        progress: told the stages as they go (VALIDATION per file, FIGURES in three steps, REPORTS per
            region-wave with its name).
        processes: how many processes render the reports at once (None: one per core this process may use; see
            report_workers.report_processes).

    Returns:
        RunResult: the validation result and every path written or removed; per region-wave asked for with usable
        rows <uitvoer>/<regio>/<jaar>/monitor-aoj_<regio>_<jaar>.{html,xlsx,docx[,pdf]} and grafieken/<id>.png and
        .svg; once, at the root, alle_cijfers.xlsx/.csv (every region and wave) and overzicht_regios.xlsx/.csv/
        .html. RunResult.timings: seconds per stage, the PDFs (PDF) apart from the reports. RunResult.exit_code is
        EXIT_BLOCKING when an export asked for has blocking problems.

    Raises:
        ConfigError: regios.yaml or a questionnaire cannot be used, or no export matches region and wave.
        OutputBusy: another run writes into the same output folder.
        PdfFailed: the browser fails to print a PDF.
        MonitorError: a disk problem (full, read-only, gone) or a report worker that died.
    """
    # Stages that need heavy libraries are imported here, not at module level.
    from monitor_aoj.ingest.responses import build_responses
    from monitor_aoj.ingest.validation.report import write_validation
    from monitor_aoj.open_answers.answers import anonymisers
    from monitor_aoj.outputs import OutputRun, write_atomic
    from monitor_aoj.report.all_figures import render_all_figures
    from monitor_aoj.report.overview import overview_files, render_overview

    stages = Stages(progress)
    s = setup(paths, region, wave)
    # Every configured export is read: trends need the region's other waves and the benchmark the other
    # regions, also when only one report is asked for.
    validation = _validate(s, list(s.config.exports), stages)
    with disk_errors_in_dutch(paths.output), OutputRun(paths.output, s.config.source) as out:
        pages = write_validation(validation, out.staging, anonymisers(s.config))
        stages.advance()
        stages.end()
        result = RunResult(validation, {k: final_path(out, v) for k, v in pages.items()}, selected=s.exports,
                           timings=stages.seconds)
        result.took_over = out.took_over
        done: set[tuple[str, int]] = set()
        all_figures = all_figures_files(paths.output)
        overview = overview_files(paths.output)
        withheld = bool(result.exit_code and not s.config.settings.report_with_quarantine)
        result.reports_withheld = withheld
        if not withheld and any(f.clean is not None and f.rows_used for f in validation.files):
            stages.begin(FIGURES, 3)
            stages.note("antwoorden samenvoegen")
            responses = build_responses(validation.clean_exports(), s.questionnaires)
            result.validation = validation = validation.without_rows()
            stages.advance()
            stages.note("open antwoorden coderen")
            opens, _ = open_answers_for(paths, s, responses)
            result.review_messages = opens.review_problems + opens.changed
            stages.advance()
            stages.note("percentages, toetsen en onderdrukking")
            figures = figures_for(responses, s.questionnaires, s.config.settings.minimum_base, opens.figures)
            stages.advance()
            del responses  # what the reports need is in the figures and the open answers now
            shared = Shared.of(s, validation, figures, report_date or dt.date.today(), opens, out, paths.output)
            stages.begin(REPORTS, len(shared.jobs) + 2)  # the last steps: the run-wide figure table, the overview
            done |= reports_in_place(shared, report_processes(processes, len(shared.jobs)), pdf_browser,
                                      result, stages)
            # Every region's figures, also in a run for one region (--regio): the table is of the whole input.
            stages.note("alle cijfers")
            book, text = render_all_figures(figures, s.questionnaires, {r.id: r.name for r in s.config.regions},
                                            report_date or dt.date.today())
            write_atomic(out.staged(all_figures[0]), book)
            write_atomic(out.staged(all_figures[1]), text.encode("utf-8"))  # the text carries its BOM
            result.all_figures = list(all_figures)
            stages.advance()
            stages.note("overzicht regio's")
            book, text, page = render_overview(figures, s.questionnaires, {r.id: r.name for r in s.config.regions},
                                               report_date or dt.date.today(), s.config.settings.minimum_base)
            for path, content in zip(overview, (book, text.encode("utf-8"), page.encode("utf-8"))):
                write_atomic(out.staged(path), content)
            result.overview = list(overview)
            stages.advance()
            stages.end()
        for f in validation.files:
            unit = (f.export.region, f.export.wave)
            if unit in done:
                continue
            # Asked for, but no report now (no usable data, or withheld by the setting): last run's report
            # would pass for new. Not asked for (--regio, --meting): its report stays as it was.
            stale = report_files(paths.output, *unit).existing() if f.export in s.exports else []
            out.commit(validation_files(paths.output, *unit), stale)
            tidy_charts(report_files(paths.output, *unit).charts)
            result.unusable += [p for p in stale if p in out.removed]
        # The run-wide figure table is committed with the validation overview: without figures now (withheld,
        # nothing usable) an earlier run's table is removed, as it would pass for this run's.
        out.commit([paths.output / "validatie.html", paths.output / "validatie.csv", *all_figures, *overview])
        if not result.all_figures:
            result.all_figures_removed = [p for p in all_figures if p in out.removed]
        if not result.overview:
            result.overview_removed = [p for p in overview if p in out.removed]
        result.no_longer_configured = remove_unconfigured(out, s.config)
    return result


def review(paths: Paths, region: str | None = None, wave: int | None = None,
           progress: Progress = SILENT) -> RunResult:
    """Write (or refresh) the review sheets of the open answers into <invoer>/beoordeling/.

    Args:
        paths: the input, questionnaire and output folders (see run); the validation pages go to the output.
        region, wave: only the exports of this region id and/or wave (a year); None: all.
        progress: told the stages VALIDATION and REVIEW (one step for coding the open answers, one per export).

    Returns:
        RunResult with the validation result, review_files (one review sheet per region-wave with open answers
        that a codebook covers), review_messages, and timings (seconds per stage).

    Raises:
        ConfigError: regios.yaml, a questionnaire or a codebook cannot be used, or no export matches.
        OutputBusy: another run writes into the same output folder.
        MonitorError: a disk problem (full, read-only, gone) in the output or the input folder.
    """
    from monitor_aoj.ingest.responses import build_responses
    from monitor_aoj.open_answers.review import read_review, review_path, write_review

    stages = Stages(progress)
    s = setup(paths, region, wave)
    validation = _validate(s, list(s.exports), stages)
    result = RunResult(validation, _write_validation_only(paths, s, validation), timings=stages.seconds)
    stages.advance()
    stages.begin(REVIEW, len(s.exports) + 1)  # first step: code the open answers
    stages.note("open antwoorden coderen")
    responses = build_responses(validation.clean_exports(), s.questionnaires)
    opens, codebooks = open_answers_for(paths, s, responses)
    result.review_messages = opens.review_problems
    stages.advance()
    with disk_errors_in_dutch(paths.input):
        for ex in s.exports:
            stages.note(f"{s.config.region(ex.region).name} {ex.wave}")
            answers = opens.answers[(opens.answers["region"] == ex.region) & (opens.answers["wave"] == ex.wave)]
            answers = answers[answers["item"].isin(codebooks)]
            if not answers.empty:
                path = review_path(paths.input, ex.region, ex.wave)
                questions = {it.id: it.text() for it in s.questionnaires[ex.wave].items if it.is_open}
                result.review_files.append(write_review(path, answers, codebooks, read_review(path, codebooks),
                                                        questions))
            stages.advance()
    stages.end()
    return result
