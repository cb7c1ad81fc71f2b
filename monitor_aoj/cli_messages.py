"""What the commands tell their user: the accounting of the exports, paths as shown, the closing line.

Like cli, imports only typer at start-up (`--help` answers at once); the rest is imported when a message needs it.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from monitor_aoj.pipeline import RunResult


def say(message: str = "") -> None:
    typer.echo(message)


def closing(what: str, start: float, timings: dict[str, float]) -> None:
    """The last line of a run, also with --stil and without a terminal: what was made, in how long, per stage."""
    from monitor_aoj.progress import summary

    say(summary(what, time.perf_counter() - start, timings))


def show_validation(result: RunResult, output: Path, quiet: bool = False) -> None:
    """The accounting of the exports; with --stil (`quiet`) only what needs attention, not indented."""
    from monitor_aoj.ingest.validation.report import accounting_lines

    v = result.validation
    indent = "" if quiet else "  "
    lines = accounting_lines(v)  # one per file, then the total
    if not quiet:
        say("Controle van de exports:")
        for line in lines:
            say(f"  {line}")
    else:  # only the files that need attention: the error below does not name them
        for f, line in zip(v.files, lines):
            if f.errors or f.rows_quarantined or f.cells_set_aside:
                say(line)
    for f in v.files:
        if f.clean is None:  # the file was not read at all: say why here, not only in the report
            for p in f.errors:
                say(f"{indent}Niet gelezen: {p.action}")
    for p in v.general:
        say(f"{indent}Let op: {p.file} staat niet in regios.yaml en is niet gebruikt.")
    if not quiet or v.blocking:  # the error below points to it
        say(f"{indent}Details: {shown_path(output / 'validatie.html')}")
    if v.blocking:
        kinds = []
        if any(f.clean is None for f in v.files if f.errors):
            kinds.append("een bestand kon niet worden gebruikt")
        if v.rows_quarantined:
            verb = "staat" if v.rows_quarantined == 1 else "staan"
            kinds.append(f"{counted(v.rows_quarantined, 'rij', 'rijen')} {verb} in quarantaine")
        if v.cells_set_aside:
            kinds.append(f"{counted(v.cells_set_aside, 'antwoord', 'antwoorden')} "
                         f"{'is' if v.cells_set_aside == 1 else 'zijn'} apart gezet als ongeldig")
        kinds = kinds or ["er zijn fouten in de kolommen of de koppeling"]
        typer.echo(
            f"Fout: er zijn blokkerende problemen in de data: {'; '.join(kinds)}. Open het validatierapport "
            "hierboven, verbeter de export of de koppeling en draai de opdracht opnieuw.", err=True)


def counted(count: int, singular: str, plural: str) -> str:
    # dutch imports pandas; --help must stay light, so it is imported only when a message needs it.
    from monitor_aoj import dutch

    return dutch.counted(count, singular, plural)


def shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def folded(paths: list[Path]) -> list[str]:
    """Removed files as shown: the files of a chart folder as the folder with their number, not one line each."""
    from monitor_aoj.placement import CHART_FOLDER

    shown: list[Path] = []
    charts: dict[Path, int] = {}  # chart folder -> its files removed
    for path in paths:
        if path.parent.name == CHART_FOLDER:
            if path.parent not in charts:
                shown.append(path.parent)
            charts[path.parent] = charts.get(path.parent, 0) + 1
        else:
            shown.append(path)
    return [f"{shown_path(p)} ({charts[p]} grafiekbestanden)" if p in charts else shown_path(p) for p in shown]


def show_review_messages(result: RunResult, quiet: bool = False) -> None:
    if result.review_messages:
        if not quiet:
            say("Beoordeling van de open antwoorden:")
        for message in result.review_messages:
            say(f"{'' if quiet else '  '}Let op: {message}")
