"""The reports of a run: what each is made from, rendered in worker processes, put in place in report order.

Each report is made from its own input alone (Shared.report_input), so the outputs are the same bytes whatever
the number of processes; workers are started by fork and inherit the run's Shared, nothing of it pickled.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import os
import signal
import sys
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from monitor_aoj.errors import MonitorError, invariant
from monitor_aoj.figures import schema as F
from monitor_aoj.placement import put_in_place, report_files, write_charts
from monitor_aoj.progress import Stages
from monitor_aoj.report.model import Accounting, ReportInput

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    import numpy as np

    from monitor_aoj.ingest.validation.results import FileResult, ValidationResult
    from monitor_aoj.open_answers.answers import OpenAnswers
    from monitor_aoj.outputs import OutputRun
    from monitor_aoj.pipeline import RunResult, Setup
    from monitor_aoj.report.chart_drawing import Chart
    from monitor_aoj.report.pdf import Printers

def report_inputs(s: Setup, validation: ValidationResult, figures: pd.DataFrame, report_date: dt.date,
                  opens: OpenAnswers) -> Iterator[ReportInput]:
    """The input of every report of the run, one at a time (each is made when asked for, so that a national run
    never holds all of them): one per export asked for that has usable rows, in the order of validation.files."""
    shared = Shared.of(s, validation, figures, report_date, opens)
    return (shared.report_input(i) for i in range(len(shared.jobs)))


def report_jobs(s: Setup, validation: ValidationResult) -> list[FileResult]:
    """The validation results (ingest.validation.results.FileResult) that get a report: asked for, with usable rows."""
    # Not asked for, or nothing usable (the validation report says why): no report.
    return [f for f in validation.files if f.export in s.exports and f.clean is not None and f.rows_used > 0]


def _rows_by_region(figures: pd.DataFrame) -> dict[str, np.ndarray]:
    """Region -> the positions of its rows in the figures table (numpy, ascending), found in one pass: each report
    takes its own region's rows, not a mask over the table of every region (that grew with regions squared), and
    the table is not copied region by region (at national scale it is the largest object of the run)."""
    return {str(region): rows for region, rows in figures.groupby("region", sort=False).indices.items()}


@dataclass(frozen=True)
class Shared:
    """What every report of a run is made from. Report workers started by fork inherit it (_RUN); nothing of it is
    pickled."""

    setup: Setup
    jobs: tuple[FileResult, ...]  # one per report
    figures: pd.DataFrame  # every region's
    rows: dict[str, np.ndarray]  # region -> positions of its rows in figures (_rows_by_region)
    report_date: dt.date
    opens: OpenAnswers  # of the whole run
    out: OutputRun | None = None  # whose staging folder the reports are written into; None: not written
    output: Path | None = None  # the output folder

    @classmethod
    def of(cls, s: Setup, validation: ValidationResult, figures: pd.DataFrame, report_date: dt.date,
           opens: OpenAnswers, out: OutputRun | None = None, output: Path | None = None) -> Shared:
        return cls(s, tuple(report_jobs(s, validation)), figures, _rows_by_region(figures), report_date, opens,
                   out, output)

    def writing(self) -> tuple[OutputRun, Path]:
        """(out, output) of a run that writes its reports; ValueError for one made to read their inputs only."""
        if self.out is None or self.output is None:
            raise ValueError("these reports are not written: Shared.of was given no output run")
        return self.out, self.output

    def report_input(self, index: int) -> ReportInput:
        s, f = self.setup, self.jobs[index]
        if f.clean is None:
            raise ValueError(f"{f.name} has no usable rows: report_jobs leaves it out")
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
                                  len(f.reclassified), f.cells_set_aside, f.part, f.skipped),
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


def _render_html(data: ReportInput) -> tuple[str, list[Chart]]:
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


def stage_report(out: OutputRun, output: Path, data: ReportInput) -> Staged:
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
    write_charts(out, files.charts, charts)
    return Staged(data.region.id, data.wave, data.report_date, tuple(c.id for c in charts))


def report_processes(asked: int | None, reports: int) -> int:
    """How many processes render: `asked`, or one per core this process may use; never more than there are
    reports. Other systems than Linux render in this process only: workers are started by fork, which only
    Linux does safely with the libraries loaded here (macOS's system libraries may hang in a forked child)."""
    if sys.platform != "linux":
        return 1
    cores = asked if asked is not None else len(os.sched_getaffinity(0))
    return max(1, min(cores, reports))


_RUN: Shared | None = None  # the run a forked report worker renders for (set before the fork, read after)


def _render_job(index: int) -> Staged:
    run = invariant(_RUN, "a report worker runs only in a process forked by _rendered")
    return stage_report(*run.writing(), run.report_input(index))


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


def _rendered(shared: Shared, processes: int | None) -> Generator[Staged, None, None]:
    """Every report of the run staged, in the order of shared.jobs: in this process, or in worker processes
    (report_processes) of which at most two reports each are in flight, so memory stays bounded however many
    reports the run has. A worker's exception is raised here; stopped early (an exception, Ctrl-C, the
    generator closed before its last report), the workers are ended at once."""
    global _RUN
    count = len(shared.jobs)
    workers = report_processes(processes, count)
    if workers == 1:
        for index in range(count):
            yield stage_report(*shared.writing(), shared.report_input(index))
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    _RUN = shared
    _stop_tqdm_monitor()
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=_worker_start,
                               initargs=(os.getpid(),))
    pending: collections.deque[Future[Staged]] = collections.deque()
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


def _stop_workers(pool: ProcessPoolExecutor, pending: Iterable[Future[Staged]]) -> None:
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


def reports_in_place(shared: Shared, workers: int, pdf_browser: str | None, result: RunResult,
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
        done.add(put_in_place(*shared.writing(), report, result, pdf, stages))
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
            pdf = None if pdfs is None else pdfs.submit(_staged_html(*shared.writing(), report),
                                                        report.report_date)
            waiting.append((report, pdf))
            if len(waiting) > (0 if pdfs is None else workers):
                put_first_in_place()
        while waiting:
            put_first_in_place()
    return done


def _printing(browser: str | None, count: int) -> contextlib.AbstractContextManager[Printers | None]:
    """The run's PDF printers (pdf.Printers, `count` at once), or nothing without --pdf."""
    if browser is None:
        return contextlib.nullcontext(None)
    from monitor_aoj.report.pdf import Printers

    return Printers(browser, count)


def _staged_html(out: OutputRun, output: Path, report: Staged) -> str:
    return out.staged(report_files(output, report.region, report.wave).html).read_text(encoding="utf-8")
