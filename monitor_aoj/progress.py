"""Progress of a long run while it works, and the time each stage took.

The pipeline reports through the small `Progress` interface: `stage(name, total)` starts a stage, `note(text)`
says what is being worked on, `advance(n)` counts done work, `done()` closes the stage. By default nothing is
shown (`SILENT`), so callers of the pipeline and tests need nothing. The command line passes a `TerminalProgress`
(rich bars on stderr, so stdout stays the plain list of files written) only when stderr is a terminal and
`--stil` is not given (`display`). rich is imported only when such a display is made: `--help` stays fast.

`Stages` ties the two together for a run: it begins and ends the stages on the display and measures the
seconds of each with time.perf_counter, in this one place.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Protocol, Self

if TYPE_CHECKING:  # rich itself is imported only when a display is made
    from rich.console import Console
    from rich.progress import ProgressColumn, Task, TaskID

# The stages of a run: key in RunResult.timings -> (label on the bar, word in the closing summary).
VALIDATION = "validation"
FIGURES = "figures"
REPORTS = "reports"
PDF = "pdf"  # inside the reports stage: the wait for PDFs still printing; counted on its own
REVIEW = "review"
STAGES = {
    VALIDATION: ("Exports controleren", "controle"),
    FIGURES: ("Cijfers berekenen", "cijfers"),
    REPORTS: ("Rapporten maken", "rapporten"),
    PDF: ("PDF maken", "wachten op pdf"),  # the time the run waited for the browsers beyond rendering
    REVIEW: ("Beoordelingslijsten maken", "beoordelingslijsten"),
}


def label(stage: str) -> str:
    """The Dutch label of a stage on its bar."""
    return STAGES[stage][0]


class Progress(Protocol):
    """What the pipeline reports while it works. Every method returns at once and never raises."""

    def stage(self, name: str, total: int | None = None) -> None:
        """A new stage begins: `name` is its Dutch label, `total` the number of steps (None: not known)."""

    def note(self, text: str) -> None:
        """What the stage works on now (a file, a region and wave), in Dutch."""

    def advance(self, n: int = 1) -> None:
        """`n` more steps of the current stage are done."""

    def done(self) -> None:
        """The current stage is complete."""


class NoProgress:
    """Shows nothing: the default of every pipeline function, and the display with --stil or without a terminal."""

    def stage(self, name: str, total: int | None = None) -> None:
        pass

    def note(self, text: str) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass

    def done(self) -> None:
        pass

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


SILENT = NoProgress()


class Stages:
    """The stages of one run, one after the other: each is told to `progress` and measured with
    time.perf_counter (the one place where the pipeline's timings are taken). `seconds` maps each stage's key to
    its seconds; a stage begun twice adds up, and a part measured inside a stage (`measure`, the PDF inside the
    reports) counts for itself only, so that no second is counted twice."""

    def __init__(self, progress: Progress = SILENT) -> None:
        self.progress = progress
        self.seconds: dict[str, float] = {}
        self._current: str | None = None
        self._started = 0.0
        self._inner = 0.0  # seconds measured apart inside the current stage

    def begin(self, key: str, total: int | None = None) -> None:
        """Stage `key` (a key of STAGES) begins, with `total` steps; the stage before it, if any, ends."""
        self.end()
        self.progress.stage(label(key), total)
        self._current, self._started, self._inner = key, time.perf_counter(), 0.0

    def end(self) -> None:
        """The current stage is complete (nothing when none is open)."""
        if self._current is None:
            return
        self._add(self._current, time.perf_counter() - self._started - self._inner)
        self._current = None
        self.progress.done()

    def note(self, text: str) -> None:
        self.progress.note(text)

    def advance(self, n: int = 1) -> None:
        self.progress.advance(n)

    @contextlib.contextmanager
    def measure(self, key: str) -> Iterator[None]:
        """Time a part of the current stage on its own (no bar of its own)."""
        start = time.perf_counter()
        try:
            yield
        finally:
            elapsed = time.perf_counter() - start
            self._add(key, elapsed)
            self._inner += elapsed

    def _add(self, key: str, seconds: float) -> None:
        self.seconds[key] = self.seconds.get(key, 0.0) + seconds


def summary(what: str, seconds: float, timings: dict[str, float]) -> str:
    """The closing line: 'Klaar: 12 rapporten in 95,3 s (controle 8,1 s, cijfers 12,0 s, rapporten 75,2 s).'
    `what` is the counted result ('12 rapporten'), `seconds` the whole run, `timings` RunResult.timings."""
    parts = [f"{STAGES[key][1]} {seconds_text(timings[key])}" for key in STAGES if key in timings]
    return f"Klaar: {what} in {seconds_text(seconds)}" + (f" ({', '.join(parts)})" if parts else "") + "."


def seconds_text(seconds: float) -> str:
    """8.06 -> '8,1 s' (Dutch decimal comma, see format)."""
    # format imports pandas: only imported once there is something to say
    from monitor_aoj.dutch import decimal

    return f"{decimal(seconds, 1)} s"


def display(quiet: bool, stream: IO[str] | None = None) -> NoProgress | TerminalProgress:
    """The progress display of a command: rich bars on stderr when it is a terminal and not `quiet` (--stil),
    else nothing. Use it as a context manager: leaving it (also by Ctrl-C or an error) ends the display and gives
    the terminal back as it was, before any message is printed."""
    stream = sys.stderr if stream is None else stream
    if quiet or not _is_terminal(stream):
        return SILENT
    from rich.console import Console

    console = Console(file=stream)
    if not console.is_terminal or console.is_dumb_terminal:  # TERM=dumb cannot redraw a bar in place
        return SILENT
    return TerminalProgress(console)


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or closed
        return False


class TerminalProgress:
    """A bar per stage on a rich console: label, bar, steps done, what is being worked on, seconds. Finished
    stages stay as one line each while the run goes on; the whole display is removed when it ends (transient),
    so that what follows (the files written, the summary) stands on its own."""

    def __init__(self, console: Console) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
        from rich.progress import Progress as Bars

        self.console = console
        self._bars = Bars(TextColumn("{task.description:<26}"), BarColumn(bar_width=30), MofNCompleteColumn(),
                          _seconds_column(), TextColumn("{task.fields[note]}"), console=console, transient=True,
                          # stdout is the list of files written: never routed through the display. Whatever else
                          # writes to stderr meanwhile (a library warning) is printed above the bars.
                          redirect_stdout=False)
        self._task: TaskID | None = None

    def __enter__(self) -> Self:
        self._bars.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bars.stop()  # also shows the cursor again

    def stage(self, name: str, total: int | None = None) -> None:
        self.done()
        self._task = self._bars.add_task(name, total=total, note="")

    def note(self, text: str) -> None:
        if self._task is not None:
            # drawn now: the timed redraw (10 per second) would skip a note replaced sooner (a report done early)
            self._bars.update(self._task, note=text, refresh=True)

    def advance(self, n: int = 1) -> None:
        if self._task is not None:
            self._bars.advance(self._task, n)

    def done(self) -> None:
        if self._task is None:
            return
        task = self._bars.tasks[self._task]
        total = task.total if task.total is not None else task.completed
        self._bars.update(self._task, total=total, completed=total, note="", refresh=True)  # drawn full once
        self._bars.stop_task(self._task)
        self._task = None


def _seconds_column() -> ProgressColumn:
    """A column with a stage's seconds so far in Dutch notation ('8,1 s'); rich's own shows 0:00:08."""
    from rich.progress import ProgressColumn
    from rich.text import Text

    class Seconds(ProgressColumn):
        def render(self, task: Task) -> Text:
            elapsed = task.finished_time if task.finished else task.elapsed
            return Text(seconds_text(elapsed or 0.0), style="progress.elapsed")

    return Seconds()
