"""Running a command's job: its progress display, Ctrl-C and stops from outside, and problems said in Dutch.

Every command runs its work through `attempt`: a MonitorError becomes "Fout: ..." on stderr with its exit code,
an interruption "Onderbroken." with EXIT_INTERRUPTED; never a traceback.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType
from typing import TYPE_CHECKING, Callable, TypeVar

import typer

from monitor_aoj.cli_dutch import EXIT_INTERRUPTED

if TYPE_CHECKING:
    from monitor_aoj.progress import Progress

T = TypeVar("T")


def with_progress(quiet: bool, job: Callable[[Progress], T]) -> Callable[[], T]:
    """The job, run with a progress display on stderr (see progress.display) that has ended, and given the
    terminal back, before anything else is said: a result, an error or "Onderbroken" (in attempt)."""

    def action() -> T:
        from monitor_aoj.progress import display

        with display(quiet) as progress:
            return job(_Heeding(progress))

    return action


class _Stop:
    """Ctrl-C or a stop from outside, remembered. CPython drops a KeyboardInterrupt that arrives while an object
    is being finalised (seen: the zip file of an .xlsx export, collected during the checks) and the run would go
    on as if nothing happened; so the job looks again at every progress step, and attempt when the job ends."""

    requested = False


class _Heeding:
    """A progress display that stops the job at its next step once a stop was asked for (see _Stop)."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress

    def stage(self, name: str, total: int | None = None) -> None:
        self._heed()
        self._progress.stage(name, total)

    def note(self, text: str) -> None:
        self._heed()
        self._progress.note(text)

    def advance(self, n: int = 1) -> None:
        self._heed()
        self._progress.advance(n)

    def done(self) -> None:
        self._heed()
        self._progress.done()

    @staticmethod
    def _heed() -> None:
        if _Stop.requested:
            raise KeyboardInterrupt


def attempt(action: Callable[[], T]) -> T:
    """Run a job; a problem meant for the user is said in Dutch on stderr with its exit code, no traceback."""
    from monitor_aoj.errors import MonitorError

    _Stop.requested = False
    unraisable = sys.unraisablehook
    sys.unraisablehook = _quiet_about_dropped_stop
    previous = {signal.SIGTERM: signal.signal(signal.SIGTERM, _interrupted)}  # a stop from outside: as Ctrl-C
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:  # ignored (nohup, a background job): stays so
        previous[signal.SIGINT] = signal.signal(signal.SIGINT, _interrupted)
    try:
        result = action()
        if _Stop.requested:
            raise KeyboardInterrupt  # one that was dropped on its way (see _Stop)
        return result
    except MonitorError as exc:
        typer.echo(f"Fout: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        typer.echo("Onderbroken. Rapporten die al klaar waren, zijn vernieuwd; al het andere in de uitvoermap is "
                   "ongewijzigd (er staat niets half geschreven). Draai de opdracht opnieuw om alles te vernieuwen.",
                   err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    finally:
        sys.unraisablehook = unraisable
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _quiet_about_dropped_stop(unraisable: sys.UnraisableHookArgs) -> None:
    """A Ctrl-C that CPython dropped in a finaliser is remembered (_Stop) and stops the job; CPython's English
    "Exception ignored in ... Traceback" about it would only confuse. Anything else is printed as always."""
    if _Stop.requested and isinstance(unraisable.exc_value, KeyboardInterrupt):
        return
    sys.__unraisablehook__(unraisable)


def _interrupted(signum: int, frame: FrameType | None) -> None:
    _Stop.requested = True
    raise KeyboardInterrupt
