"""The whole annual job, stage by stage: read and validate -> tidy -> indicators -> render.

Each stage is its own module; this one only passes their results along, in plain typed structures.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import os
import re
import signal
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from monitor_aoj.definitions.own_questions import with_own_questions
from monitor_aoj.definitions.questionnaire import Questionnaire
from monitor_aoj.definitions.questionnaire_reader import load_questionnaires
from monitor_aoj.definitions.regions import ExportFile, RegionConfig, load_config
from monitor_aoj.errors import ConfigError, MonitorError, os_reason
from monitor_aoj.figures import schema as F
from monitor_aoj.progress import FIGURES, PDF, REPORTS, REVIEW, SILENT, VALIDATION, Progress, Stages
from monitor_aoj.report.model import Accounting, ReportInput

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
    """Validation only: read and check every export, write the validation reports. `progress` is told the one
    stage (see _validate); RunResult.timings has its seconds."""
    stages = Stages(progress)
    s = setup(paths, region, wave)
    validation = _validate(s, list(s.exports), stages)
    result = RunResult(validation, _write_validation_only(paths, s, validation), timings=stages.seconds)
    stages.advance()
    stages.end()
    return result


def _validate(s: Setup, exports: list[ExportFile], stages: Stages):
    """ingest.validation.validate as the stage VALIDATION, telling each file as it is read. Its steps: one per file, one
    for the checks of all rows (validate runs them together after the last read), one for writing the validation
    pages (the caller advances that one and ends the stage)."""
    from monitor_aoj.ingest.read import read_export
    from monitor_aoj.ingest.validation import validate

    stages.begin(VALIDATION, len(exports) + 2)
    left = len(exports)

    def reader(export: ExportFile, questionnaire: Questionnaire):
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


def _write_validation_only(paths: Paths, s: Setup, validation) -> dict[str, Path]:
    """The validation pages of a run that makes no reports, put in place as a whole when complete."""
    from monitor_aoj.ingest.validation.report import write_validation
    from monitor_aoj.open_answers.answers import anonymisers
    from monitor_aoj.outputs import OutputRun

    with _writing(paths.output), OutputRun(paths.output, s.config.source) as out:
        pages = write_validation(validation, out.staging, anonymisers(s.config))
        for f in validation.files:
            out.commit(validation_files(paths.output, f.export.region, f.export.wave))
        out.commit([paths.output / "validatie.html", paths.output / "validatie.csv"])
        return {k: _final(out, v) for k, v in pages.items()}


def report_inputs(s: Setup, validation, figures: pd.DataFrame, report_date: dt.date, opens) -> Iterator[ReportInput]:
    """The input of every report of the run, one at a time (each is made when asked for, so that a national run
    never holds all of them): one per export asked for that has usable rows, in the order of validation.files."""
    shared = _Shared.of(s, validation, figures, report_date, opens)
    return (shared.report_input(i) for i in range(len(shared.jobs)))


def report_jobs(s: Setup, validation) -> list:
    """The validation results (ingest.validation.results.FileResult) that get a report: asked for, with usable rows."""
    # Not asked for, or nothing usable (the validation report says why): no report.
    return [f for f in validation.files if f.export in s.exports and f.clean is not None and f.rows_used > 0]


def _rows_by_region(figures: pd.DataFrame) -> dict[str, object]:
    """Region -> the positions of its rows in the figures table (numpy, ascending), found in one pass: each report
    takes its own region's rows, not a mask over the table of every region (that grew with regions squared), and
    the table is not copied region by region (at national scale it is the largest object of the run)."""
    return {str(region): rows for region, rows in figures.groupby("region", sort=False).indices.items()}


@dataclass(frozen=True)
class _Shared:
    """What every report of a run is made from. Report workers started by fork inherit it (_RUN); nothing of it is
    pickled."""

    setup: Setup
    jobs: tuple  # ingest.validation.results.FileResult, one per report
    figures: pd.DataFrame  # every region's
    rows: dict[str, object]  # region -> positions of its rows in figures (_rows_by_region)
    report_date: dt.date
    opens: object  # open_answers.OpenAnswers of the whole run
    out: object = None  # outputs.OutputRun whose staging folder the reports are written into
    output: Path | None = None  # the output folder

    @classmethod
    def of(cls, s: Setup, validation, figures: pd.DataFrame, report_date: dt.date, opens, out=None,
           output: Path | None = None) -> "_Shared":
        return cls(s, tuple(report_jobs(s, validation)), figures, _rows_by_region(figures), report_date, opens,
                   out, output)

    def report_input(self, index: int) -> ReportInput:
        s, f = self.setup, self.jobs[index]
        ex = f.export
        region = s.config.region(ex.region)
        rows = self.rows.get(ex.region)
        own, history = _up_to(F.empty() if rows is None else self.figures.iloc[rows], ex.region, ex.wave)
        return ReportInput(
            region=region,
            wave=ex.wave,
            # The report lays out each item on the scale this region asked it with.
            questionnaire=s.questionnaires[ex.wave].with_scales(dict(ex.mapping.scales)),
            figures=own,
            earlier_waves=tuple(w for w in region.waves() if w < ex.wave),
            report_date=self.report_date,
            files=((f.name, f.clean.sha256),),
            accounting=Accounting(f.rows_read, f.rows_used, f.rows_quarantined, len(f.errors), len(f.warnings),
                                  len(f.reclassified), f.cells_set_aside),
            history=history,
            minimum_base=s.config.settings.minimum_base,
            open_answers=self.opens.select(ex.region, ex.wave),
            max_quotes=s.config.settings.max_quotes,
            references=s.config.references,
            questionnaires=s.questionnaires,
        )


def _up_to(figures: pd.DataFrame, region: str, wave: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the figures of one report, its trend history): what a region and wave knows up to that wave. Trend rows
    of items the region first asked in a later wave ("niet gevraagd" in every wave so far) are left out, so that
    adding a later wave never changes an earlier report or workbook."""
    mine = figures[(figures["region"] == region) & (figures["wave"] <= wave)]
    trend = mine["statistic"].isin([F.TREND_POINT, F.TREND])
    asked = set(mine.loc[(mine["statistic"] == F.TREND_POINT) & (mine["verdict"] != F.NOT_ASKED), "item"])
    later_only = trend & ~mine["item"].isin(asked)
    mine = mine[~later_only]
    return mine[mine["wave"] == wave], mine[mine["statistic"].isin([F.TREND_POINT, F.TREND])]


def figures_for(responses, questionnaires: dict[int, Questionnaire], minimum_base: int,
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


def open_answers_for(paths: Paths, s: Setup, responses):
    """Anonymise, code and review the open answers (reviews are read from <invoer>/beoordeling/)."""
    from monitor_aoj.definitions.codebooks import load_codebooks
    from monitor_aoj.open_answers import answers as open_answers
    from monitor_aoj.open_answers.review import read_review, review_path

    codebooks = load_codebooks(paths.questionnaires)
    reviews = {(e.region, e.wave): read_review(review_path(paths.input, e.region, e.wave), codebooks)
               for e in s.config.exports}
    return open_answers.process(responses, s.questionnaires, s.config, codebooks, reviews), codebooks


def run(paths: Paths, region: str | None = None, wave: int | None = None,
        report_date: dt.date | None = None, pdf_browser: str | None = None,
        progress: Progress = SILENT, processes: int | None = None) -> RunResult:
    """Validate, then compute and write the outputs of every region and wave: the HTML report, the workbook, the
    Word document, the chart images (grafieken/<id>.png and .svg) and, with `pdf_browser` (the path of a browser,
    render_pdf.find_browser), the PDF; and once, at the root, the figure table of all regions and waves
    (alle_cijfers.xlsx and .csv) and the national overview (overzicht_regios.xlsx, .csv and .html).

    Outputs change only by a complete unit: every file is written into a staging folder and a region-wave's
    validation pages and report files are moved into place together once all of them are complete
    (outputs.OutputRun); an earlier PDF or chart that this run does not make is removed then, as stale.
    Interrupted or failed, a run leaves all earlier outputs as they were. Raises OutputBusy when another run
    writes into the same folder, render_pdf.PdfFailed when the browser fails, MonitorError for disk problems.

    `progress` is told the stages as they go (VALIDATION per file, FIGURES in three steps, REPORTS per region-wave
    with its name); RunResult.timings has the seconds of each, the PDFs (PDF) apart from the reports.

    `processes`: how many processes render the reports at once (None: one per core this process may use; see
    report_processes). The outputs are the same bytes whatever the number: each report is made from its own input
    alone, and the files are put in place in the same order."""
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
    with _writing(paths.output), OutputRun(paths.output, s.config.source) as out:
        pages = write_validation(validation, out.staging, anonymisers(s.config))
        stages.advance()
        stages.end()
        result = RunResult(validation, {k: _final(out, v) for k, v in pages.items()}, selected=s.exports,
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
            shared = _Shared.of(s, validation, figures, report_date or dt.date.today(), opens, out, paths.output)
            stages.begin(REPORTS, len(shared.jobs) + 2)  # the last steps: the run-wide figure table, the overview
            done |= _reports_in_place(shared, report_processes(processes, len(shared.jobs)), pdf_browser,
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
            _tidy(report_files(paths.output, *unit).charts)
            result.unusable += [p for p in stale if p in out.removed]
        # The run-wide figure table is committed with the validation overview: without figures now (withheld,
        # nothing usable) an earlier run's table is removed, as it would pass for this run's.
        out.commit([paths.output / "validatie.html", paths.output / "validatie.csv", *all_figures, *overview])
        if not result.all_figures:
            result.all_figures_removed = [p for p in all_figures if p in out.removed]
        if not result.overview:
            result.overview_removed = [p for p in overview if p in out.removed]
        result.no_longer_configured = _remove_unconfigured(out, s.config)
    return result


def all_figures_files(output: Path) -> tuple[Path, Path]:
    """The run-wide figure table at the root of the output folder: (alle_cijfers.xlsx, alle_cijfers.csv)."""
    return output / "alle_cijfers.xlsx", output / "alle_cijfers.csv"


def _final(out, staged: Path) -> Path:
    """Where a staged file ends up (paths may be relative, as `--uitvoer output` is)."""
    return out.output / Path(staged).resolve().relative_to(out.staging.resolve())


def validation_files(output: Path, region: str, wave: int) -> list[Path]:
    """The validation page, problem list and quarantine file of one region and wave."""
    from monitor_aoj.outputs import region_folder

    folder = region_folder(output, region, wave)
    stem = f"{region}_{wave}"
    return [folder / f"validatie_{stem}.html", folder / f"validatie_{stem}.csv", folder / f"quarantaine_{stem}.csv"]


def _remove_unconfigured(out, config: RegionConfig) -> list[Path]:
    """Outputs of region-waves that this regios.yaml wrote before but no longer lists: removed, and said."""
    listed = {f"{e.region}/{e.wave}" for e in config.exports}
    manifest = out.manifest()
    removed = []
    for unit, source in sorted(manifest.items()):
        if unit in listed or source != out.source:
            continue  # another input folder's region-waves are not ours to remove
        region_id, wave_text = unit.split("/", 1)
        if not wave_text.isdigit():
            continue
        before = len(out.removed)
        files = report_files(out.output, region_id, int(wave_text))
        out.commit([], validation_files(out.output, region_id, int(wave_text)) + files.existing())
        _tidy(files.charts)
        removed += out.removed[before:]
    kept = {u: v for u, v in manifest.items() if u not in listed and v != out.source}
    out.record(kept | {unit: out.source for unit in listed})
    return removed


@contextlib.contextmanager
def _writing(output: Path):
    """A disk that is full, read-only or gone is said in Dutch, with the folder: never a traceback."""
    try:
        yield
    except OSError as exc:
        where = exc.filename or output
        raise MonitorError(
            f"Schrijven in {where} is niet gelukt ({os_reason(exc)}). Controleer of er ruimte op de schijf is "
            "en of u in die map mag schrijven. Wat er al stond, is niet veranderd.") from exc


CHART_FOLDER = "grafieken"  # beside the report: every chart as <id>.png and <id>.svg
CHART_SUFFIXES = (".png", ".svg")


@dataclass(frozen=True)
class ReportFiles:
    """Where the report files of one region and wave go."""

    html: Path
    workbook: Path
    document: Path  # Word
    pdf: Path
    charts: Path  # a folder

    def made(self) -> list[Path]:
        """The files of a report (the PDF too: committed when made, removed as stale when not)."""
        return [self.html, self.workbook, self.document, self.pdf]

    def existing_charts(self) -> list[Path]:
        if not self.charts.is_dir():
            return []
        return sorted(p for p in self.charts.iterdir() if p.is_file() and p.suffix in CHART_SUFFIXES)

    def existing(self) -> list[Path]:
        """Every report file now on disk, to remove when the region-wave has no report any more."""
        return [p for p in self.made() if p.exists()] + self.existing_charts()


def report_files(output: Path, region: str, wave: int) -> ReportFiles:
    """The report files of a region and wave: output/<regio>/<jaar>/monitor-aoj_<regio>_<jaar>.{html,xlsx,docx,pdf}
    and the chart folder output/<regio>/<jaar>/grafieken/."""
    from monitor_aoj.outputs import region_folder

    folder = region_folder(output, region, wave)
    stem = folder / f"monitor-aoj_{region}_{wave}"
    return ReportFiles(stem.with_suffix(".html"), stem.with_suffix(".xlsx"), stem.with_suffix(".docx"),
                       stem.with_suffix(".pdf"), folder / CHART_FOLDER)


def _render_html(data) -> tuple[str, list]:
    """The HTML report and its charts (chart_drawing.Chart, in report order)."""
    from monitor_aoj.report import html as render_html

    return render_html.render(data)


@dataclass(frozen=True)
class Staged:
    """A report whose files are written into the staging folder, still to be put in place. Small on purpose: a
    worker hands it back through the pool's pipe in one write (a result sent in parts could be cut off halfway
    by a stopped worker, or block a worker whose reader has gone)."""

    region: str
    wave: int
    report_date: dt.date
    charts: tuple[str, ...]  # chart ids, in report order: grafieken/<id>.png and .svg


def stage_report(out, output: Path, data: ReportInput) -> Staged:
    """Render the HTML report, workbook, Word document and chart images of one region and wave into out's
    staging folder (outputs.OutputRun.staged). The same input gives the same bytes, in whichever process."""
    from monitor_aoj.outputs import write_atomic
    from monitor_aoj.report.docx import render_docx
    from monitor_aoj.report.excel import render_workbook

    files = report_files(output, data.region.id, data.wave)
    html, charts = _render_html(data)
    write_atomic(out.staged(files.html), html)
    write_atomic(out.staged(files.workbook), render_workbook(data))
    write_atomic(out.staged(files.document), render_docx(html, charts, data.report_date))
    _write_charts(out, files.charts, charts)
    return Staged(data.region.id, data.wave, data.report_date, tuple(c.id for c in charts))


def report_processes(asked: int | None, reports: int) -> int:
    """How many processes render: `asked`, or one per core this process may use; never more than there are
    reports. Other systems than Linux render in this process only: workers are started by fork, which only
    Linux does safely with the libraries loaded here (macOS's system libraries may hang in a forked child)."""
    if sys.platform != "linux":
        return 1
    cores = asked if asked is not None else len(os.sched_getaffinity(0))
    return max(1, min(cores, reports))


_RUN: _Shared | None = None  # the run a forked report worker renders for (set before the fork, read after)


def _render_job(index: int) -> Staged:
    assert _RUN is not None, "a report worker runs only in a process forked by _rendered"
    return stage_report(_RUN.out, _RUN.output, _RUN.report_input(index))


def _worker_start(parent: int) -> None:
    # Ctrl-C in a terminal reaches every process of the group: the main process alone stops the run (and the
    # workers), so a worker ignores it rather than print a traceback of its own. The handlers the CLI set in the
    # main process (SIGTERM as Ctrl-C) came along with the fork: a worker is ended by SIGTERM (_stop_workers), so
    # it must die of it, not turn it into an exception that the pool hands back as a result. Its half-written
    # files are in the staging folder, which a stopped run removes.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with(parent)


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with(parent: int) -> None:
    """Have Linux end this worker when the main process dies, also of SIGKILL (the out-of-memory killer, kill -9):
    nothing else would, as a worker waits for work on a pipe that it holds open itself."""
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # no prctl: a worker may outlive a killed run
        return
    if os.getppid() != parent:  # the main process died before the request took effect
        os._exit(1)


def _rendered(shared: _Shared, processes: int | None) -> Iterator[Staged]:
    """Every report of the run staged, in the order of shared.jobs: in this process, or in worker processes
    (report_processes) of which at most two reports each are in flight, so memory stays bounded however many
    reports the run has. A worker's exception is raised here; stopped early (an exception, Ctrl-C, the
    generator closed before its last report), the workers are ended at once."""
    global _RUN
    count = len(shared.jobs)
    workers = report_processes(processes, count)
    if workers == 1:
        for index in range(count):
            yield stage_report(shared.out, shared.output, shared.report_input(index))
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    _RUN = shared
    _stop_tqdm_monitor()
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=_worker_start,
                               initargs=(os.getpid(),))
    pending: collections.deque = collections.deque()
    submitted = 0
    try:
        while submitted < count or pending:
            while submitted < count and len(pending) < 2 * workers:
                pending.append(pool.submit(_render_job, submitted))
                submitted += 1
            yield pending.popleft().result()
    except GeneratorExit:
        if pending or submitted < count:  # closed before its last report (the caller failed): end them now
            _stop_workers(pool, pending)
        raise  # after the last report: the workers end as the pool shuts down
    except BaseException as exc:
        _stop_workers(pool, pending)
        if isinstance(exc, BrokenProcessPool):
            raise MonitorError(
                "Een werkproces dat rapporten maakte, is onverwacht gestopt (bijvoorbeeld omdat het geheugen op "
                "was, of omdat iemand het beëindigde). Er is niets half geschreven. Draai de opdracht opnieuw; "
                "gebeurt het weer, geef dan --processen 1 mee (dat gebruikt minder geheugen).") from exc
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _RUN = None


def _stop_tqdm_monitor() -> None:
    """tqdm (Great Expectations' progress bars) keeps a monitor thread running; a child forked while another
    thread runs may hang on a lock that thread held (Python 3.12+ warns of it), and nothing here needs it."""
    if "tqdm" not in sys.modules:
        return
    import threading

    from tqdm._monitor import TMonitor

    for thread in threading.enumerate():
        if isinstance(thread, TMonitor):
            thread.tqdm_cls.monitor_interval = 0  # no new one
            thread.exit()
            thread.tqdm_cls.monitor = None


def _stop_workers(pool, pending) -> None:
    """Cancel the reports not yet begun and end the pool's worker processes now, not after the report each is
    rendering (what they hand back is a few hundred bytes, written at once: never cut off halfway)."""
    for future in pending:
        future.cancel()
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14
    if terminate is not None:
        terminate()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()


def _reports_in_place(shared: _Shared, workers: int, pdf_browser: str | None, result: RunResult,
                      stages: Stages) -> set[tuple[str, int]]:
    """Render every report (`workers` processes), print its PDF (with `pdf_browser`, as many at once), and put
    each region-wave's files in place in report order as soon as they are complete. Returns the region-waves
    done. A report's PDF prints while the next reports render; when a report fails, the reports finished before
    it still go into place (as they would without --pdf)."""
    config = shared.setup.config
    waiting: collections.deque = collections.deque()
    done: set[tuple[str, int]] = set()

    def name(region: str, wave: int) -> str:
        return f"{config.region(region).name} {wave}"

    def put_first_in_place() -> None:
        report, pdf = waiting.popleft()
        if pdf is not None and not pdf.done():
            stages.note(name(report.region, report.wave))  # waiting for its PDF
        done.add(_put_in_place(shared.out, shared.output, report, result, pdf, stages))
        stages.advance()

    with contextlib.closing(_rendered(shared, workers)) as reports, _printing(pdf_browser, workers) as pdfs:
        for job in shared.jobs:
            stages.note(name(job.export.region, job.export.wave))  # the report the run waits for now
            try:
                report = next(reports)
            except Exception:
                with contextlib.suppress(Exception):  # the report's own failure is what the run must say
                    while waiting:
                        put_first_in_place()
                raise
            pdf = None if pdfs is None else pdfs.submit(_staged_html(shared.out, shared.output, report),
                                                        report.report_date)
            waiting.append((report, pdf))
            if len(waiting) > (0 if pdfs is None else workers):
                put_first_in_place()
        while waiting:
            put_first_in_place()
    return done


def _printing(browser: str | None, count: int):
    """The run's PDF printers (render_pdf.Printers, `count` at once), or nothing without --pdf."""
    if browser is None:
        return contextlib.nullcontext(None)
    from monitor_aoj.report.pdf import Printers

    return Printers(browser, count)


def _staged_html(out, output: Path, report: Staged) -> str:
    return out.staged(report_files(output, report.region, report.wave).html).read_text(encoding="utf-8")


def _put_in_place(out, output: Path, report: Staged, result: RunResult, pdf, stages: Stages) -> tuple[str, int]:
    """Wait for a staged report's PDF (`pdf`: a Future of its bytes, None without --pdf), move its files into place
    together with the region-wave's validation pages, and record them in `result`. Returns the region-wave."""
    from monitor_aoj.outputs import write_atomic

    files = report_files(output, report.region, report.wave)
    images = [files.charts / f"{chart}{suffix}" for chart in report.charts for suffix in CHART_SUFFIXES]
    if pdf is not None:
        with stages.measure(PDF):  # the time the run waits for the browsers, not the browsers' own time
            write_atomic(out.staged(files.pdf), pdf.result())
    had_pdf = files.pdf.exists()
    out.commit(validation_files(output, report.region, report.wave) + files.made() + images,
               [p for p in files.existing_charts() if p not in images])
    _tidy(files.charts)
    result.reports.append(files.html)
    result.workbooks.append(files.workbook)
    result.documents.append(files.document)
    if pdf is not None:
        result.pdfs.append(files.pdf)
    elif had_pdf:
        result.pdfs_removed.append(files.pdf)
    if images:
        result.chart_files[files.charts] = len(images)
    return report.region, report.wave


_CHART_ID = re.compile(r"[a-z0-9-]+")  # the charts contract; also keeps a chart file inside its folder


def _write_charts(out, folder: Path, charts) -> list[Path]:
    """Stage every chart as <id>.png and <id>.svg; the final paths, to commit."""
    from monitor_aoj.outputs import write_atomic

    finals = []
    for chart in charts:
        if not _CHART_ID.fullmatch(chart.id):
            raise ValueError(f"chart id {chart.id!r} is not [a-z0-9-]+")
        for suffix, data in zip(CHART_SUFFIXES, (chart.png, chart.svg)):
            final = folder / f"{chart.id}{suffix}"
            write_atomic(out.staged(final), data)
            finals.append(final)
    return finals


def _tidy(folder: Path) -> None:
    """An emptied chart folder goes too (something else put in it stays, and so does the folder)."""
    with contextlib.suppress(OSError):
        folder.rmdir()


def review(paths: Paths, region: str | None = None, wave: int | None = None,
           progress: Progress = SILENT) -> RunResult:
    """Write (or refresh) the review sheets of the open answers into <invoer>/beoordeling/. `progress` is told
    the stages VALIDATION and REVIEW (one step for coding the open answers, one per export); RunResult.timings
    has their seconds."""
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
    with _writing(paths.input):
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
