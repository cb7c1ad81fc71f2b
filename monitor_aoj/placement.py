"""Where a run's outputs go, and putting a region-wave's files in place together.

The paths of every output (report files, chart folder, validation pages, the run-wide tables), and the moves
that commit a staged region-wave (outputs.OutputRun) or remove what a run no longer makes.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from monitor_aoj.definitions.regions import RegionConfig
from monitor_aoj.progress import PDF, Stages

if TYPE_CHECKING:
    from concurrent.futures import Future

    from monitor_aoj.outputs import OutputRun
    from monitor_aoj.pipeline import RunResult
    from monitor_aoj.report.chart_drawing import Chart
    from monitor_aoj.report_workers import Staged

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


def validation_files(output: Path, region: str, wave: int) -> list[Path]:
    """The validation page, problem list and quarantine file of one region and wave."""
    from monitor_aoj.outputs import region_folder

    folder = region_folder(output, region, wave)
    stem = f"{region}_{wave}"
    return [folder / f"validatie_{stem}.html", folder / f"validatie_{stem}.csv", folder / f"quarantaine_{stem}.csv"]


def all_figures_files(output: Path) -> tuple[Path, Path]:
    """The run-wide figure table at the root of the output folder: (alle_cijfers.xlsx, alle_cijfers.csv)."""
    return output / "alle_cijfers.xlsx", output / "alle_cijfers.csv"


def final_path(out: OutputRun, staged: Path) -> Path:
    """Where a staged file ends up (paths may be relative, as `--uitvoer output` is)."""
    return out.output / Path(staged).resolve().relative_to(out.staging.resolve())


def put_in_place(out: OutputRun, output: Path, report: Staged, result: RunResult, pdf: Future[bytes] | None,
                 stages: Stages) -> tuple[str, int]:
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
    tidy_charts(files.charts)
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


def write_charts(out: OutputRun, folder: Path, charts: Iterable[Chart]) -> list[Path]:
    """Stage every chart as <id>.png and <id>.svg; the final paths, to commit."""
    from monitor_aoj.outputs import write_atomic

    finals = []
    for chart in charts:
        if not _CHART_ID.fullmatch(chart.id):
            raise ValueError(f"chart id {chart.id!r} is not [a-z0-9-]+")
        contents: tuple[bytes | str, ...] = (chart.png, chart.svg)  # in CHART_SUFFIXES' order
        for suffix, data in zip(CHART_SUFFIXES, contents):
            final = folder / f"{chart.id}{suffix}"
            write_atomic(out.staged(final), data)
            finals.append(final)
    return finals


def tidy_charts(folder: Path) -> None:
    """An emptied chart folder goes too (something else put in it stays, and so does the folder)."""
    with contextlib.suppress(OSError):
        folder.rmdir()


def remove_unconfigured(out: OutputRun, config: RegionConfig) -> list[Path]:
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
        tidy_charts(files.charts)
        removed += out.removed[before:]
    kept = {u: v for u, v in manifest.items() if u not in listed and v != out.source}
    out.record(kept | {unit: out.source for unit in listed})
    return removed
