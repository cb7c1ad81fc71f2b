"""The `monitor-aoj` command. It speaks Dutch to its user.

Only typer is imported at start-up, so `monitor-aoj --help` answers at once; pandas, GX and the
renderers are imported inside the commands that need them.
"""

from __future__ import annotations

import datetime as dt
import signal
import sys
import time
from pathlib import Path
from typing import Callable, Optional, TypeVar

import typer

from monitor_aoj.cli_dutch import EXIT_INTERRUPTED, DutchCommand, DutchGroup

T = TypeVar("T")

app = typer.Typer(
    name="monitor-aoj",
    cls=DutchGroup,  # help pages and usage errors in Dutch (see cli_dutch)
    help="Monitor Aansluiting Onderwijs Jeugd: van enquête-export naar rapport (HTML) en Excel-werkboek.",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

INVOER = typer.Option(Path("sample_responses"), "--invoer", "-i", metavar="MAP",
                      help="Map met de exports en regios.yaml.")
UITVOER = typer.Option(None, "--uitvoer", "-o", metavar="MAP",
                       help="Map waarin de rapporten komen. Standaard: de map 'uitvoer' in de invoermap, zodat "
                            "rapporten van verschillende invoer nooit door elkaar staan.")
VRAGENLIJSTEN = typer.Option(None, "--vragenlijsten", metavar="MAP",
                             help="Map met de vragenlijsten (*.yaml), bijvoorbeeld een eigen kopie van de regio. "
                                  "Standaard: de vragenlijsten die met het programma zijn meegeleverd.")
REGIO = typer.Option(None, "--regio", metavar="REGIO", help="Alleen deze regio (id uit regios.yaml).")
METING = typer.Option(None, "--meting", metavar="JAARTAL", help="Alleen deze meting (jaartal).")
STIL = typer.Option(False, "--stil", help="Geen voortgangsbalken en geen lijst van wat er is gedaan: alleen "
                    "waarschuwingen (Let op, Niet gelezen, Verwijderd), fouten en de slotregel met de tijden. "
                    "Zonder --stil verschijnen de voortgangsbalken alleen in een terminal.")


def _version() -> str:
    """The installed version; the package's own number when it runs from a source tree."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("monitor_aoj")
    except PackageNotFoundError:
        from monitor_aoj import __version__

        return __version__


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"monitor-aoj {_version()}")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", is_eager=True, callback=_show_version,
                                 help="Toon het versienummer en stop."),
) -> None:
    """Monitor Aansluiting Onderwijs Jeugd: van enquête-export naar rapport (HTML) en Excel-werkboek."""


def _output(invoer: Path, uitvoer: Optional[Path]) -> Path:
    """The output folder: as given, else `uitvoer` inside the input folder (reports of two inputs never mix)."""
    return uitvoer if uitvoer is not None else invoer / "uitvoer"


def _say(message: str = "") -> None:
    typer.echo(message)


def _with_progress(quiet: bool, job: Callable[[object], T]) -> Callable[[], T]:
    """The job, run with a progress display on stderr (see progress.display) that has ended, and given the
    terminal back, before anything else is said: a result, an error or "Onderbroken" (in _attempt)."""

    def action() -> T:
        from monitor_aoj.progress import display

        with display(quiet) as progress:
            return job(_Heeding(progress))

    return action


class _Stop:
    """Ctrl-C or a stop from outside, remembered. CPython drops a KeyboardInterrupt that arrives while an object
    is being finalised (seen: the zip file of an .xlsx export, collected during the checks) and the run would go
    on as if nothing happened; so the job looks again at every progress step, and _attempt when the job ends."""

    requested = False


class _Heeding:
    """A progress display that stops the job at its next step once a stop was asked for (see _Stop)."""

    def __init__(self, progress) -> None:
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


def _closing(what: str, start: float, timings: dict[str, float]) -> None:
    """The last line of a run, also with --stil and without a terminal: what was made, in how long, per stage."""
    from monitor_aoj.progress import summary

    _say(summary(what, time.perf_counter() - start, timings))


def _attempt(action: Callable[[], T]) -> T:
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


def _quiet_about_dropped_stop(unraisable) -> None:
    """A Ctrl-C that CPython dropped in a finaliser is remembered (_Stop) and stops the job; CPython's English
    "Exception ignored in ... Traceback" about it would only confuse. Anything else is printed as always."""
    if _Stop.requested and isinstance(unraisable.exc_value, KeyboardInterrupt):
        return
    sys.__unraisablehook__(unraisable)


def _interrupted(signum, frame) -> None:
    _Stop.requested = True
    raise KeyboardInterrupt


def _show_validation(result, output: Path, quiet: bool = False) -> None:
    """The accounting of the exports; with --stil (`quiet`) only what needs attention, not indented."""
    from monitor_aoj.ingest.validation_report import accounting_lines

    v = result.validation
    indent = "" if quiet else "  "
    lines = accounting_lines(v)  # one per file, then the total
    if not quiet:
        _say("Controle van de exports:")
        for line in lines:
            _say(f"  {line}")
    else:  # only the files that need attention: the error below does not name them
        for f, line in zip(v.files, lines):
            if f.errors or f.rows_quarantined or f.cells_set_aside:
                _say(line)
    for f in v.files:
        if f.clean is None:  # the file was not read at all: say why here, not only in the report
            for p in f.errors:
                _say(f"{indent}Niet gelezen: {p.action}")
    for p in v.general:
        _say(f"{indent}Let op: {p.file} staat niet in regios.yaml en is niet gebruikt.")
    if not quiet or v.blocking:  # the error below points to it
        _say(f"{indent}Details: {_shown(output / 'validatie.html')}")
    if v.blocking:
        kinds = []
        if any(f.clean is None for f in v.files if f.errors):
            kinds.append("een bestand kon niet worden gebruikt")
        if v.rows_quarantined:
            verb = "staat" if v.rows_quarantined == 1 else "staan"
            kinds.append(f"{_counted(v.rows_quarantined, 'rij', 'rijen')} {verb} in quarantaine")
        if v.cells_set_aside:
            kinds.append(f"{_counted(v.cells_set_aside, 'antwoord', 'antwoorden')} "
                         f"{'is' if v.cells_set_aside == 1 else 'zijn'} apart gezet als ongeldig")
        kinds = kinds or ["er zijn fouten in de kolommen of de koppeling"]
        typer.echo(
            f"Fout: er zijn blokkerende problemen in de data: {'; '.join(kinds)}. Open het validatierapport "
            "hierboven, verbeter de export of de koppeling en draai de opdracht opnieuw.", err=True)


def _counted(count: int, singular: str, plural: str) -> str:
    # format imports pandas; --help must stay light, so it is imported only when a message needs it.
    from monitor_aoj.dutch import counted

    return counted(count, singular, plural)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@app.command("rapport", cls=DutchCommand)
def rapport(
    invoer: Path = INVOER,
    uitvoer: Optional[Path] = UITVOER,
    vragenlijsten: Optional[Path] = VRAGENLIJSTEN,
    regio: Optional[str] = REGIO,
    meting: Optional[int] = METING,
    datum: Optional[str] = typer.Option(None, "--datum", metavar="DATUM",
                                        help="Datum op het rapport (JJJJ-MM-DD); standaard vandaag."),
    pdf: bool = typer.Option(False, "--pdf", help="Maak ook een PDF naast het rapport (afgedrukt met Chromium, Chrome "
                             "of Edge op deze computer)."),
    stil: bool = STIL,
    processen: Optional[int] = typer.Option(None, "--processen", metavar="AANTAL", min=1,
                                            help="Zoveel rapporten tegelijk maken (standaard: één per processorkern; "
                                            "alleen op Linux, elders één tegelijk). De uitvoer is hetzelfde."),
) -> None:
    """Controleer de exports en maak voor elke regio en meting het rapport (HTML en Word), de grafieken (PNG en SVG)
    en het Excel-werkboek; met --pdf ook de PDF."""
    from monitor_aoj.pipeline import Paths, run

    report_date = _parse_date(datum)
    browser = _browser() if pdf else None  # before the run: a missing browser should not cost a whole run
    start = time.perf_counter()
    uitvoer = _output(invoer, uitvoer)
    paths = Paths(invoer, vragenlijsten, uitvoer)
    result = _attempt(_with_progress(stil, lambda progress: run(paths, regio, meting, report_date, browser,
                                                                progress=progress, processes=processen)))
    _show_validation(result, uitvoer, stil)
    _show_review_messages(result, stil)
    if not stil:
        _say()
    if result.reports_withheld:
        _say("Er zijn geen rapporten gemaakt: de instelling 'rapport_bij_quarantaine' in regios.yaml staat op nee.")
    if result.took_over:
        _say(f"Let op: een eerdere run (proces {result.took_over}) is afgebroken; zijn vergrendeling is opgeheven.")
    for path in _folded(result.unusable):
        _say(f"Verwijderd: {path} (geen bruikbare gegevens meer voor deze regio en meting)")
    for path in _folded(result.no_longer_configured):
        _say(f"Verwijderd: {path} (deze regio en meting staan niet meer in regios.yaml)")
    if not stil:
        for path in result.reports:
            _say(f"Rapport:   {_shown(path)}")
        for path in result.workbooks:
            _say(f"Werkboek:  {_shown(path)}")
        for path in result.documents:
            _say(f"Word:      {_shown(path)}")
        for path in result.pdfs:
            _say(f"PDF:       {_shown(path)}")
        for folder, count in result.chart_files.items():
            _say(f"Grafieken: {_shown(folder)} ({count} bestanden, PNG en SVG)")
        for path in result.all_figures:
            _say(f"Alle cijfers: {_shown(path)}")
        for path in result.overview:
            _say(f"Overzicht regio's: {_shown(path)}")
    for path in result.all_figures_removed + result.overview_removed:
        _say(f"Verwijderd: {_shown(path)} (deze run heeft geen cijfers; die van een eerdere run horen er niet "
             "meer bij)")
    for path in result.pdfs_removed:
        _say(f"Verwijderd: {_shown(path)} (hoorde bij een eerdere run; maak de PDF opnieuw met --pdf)")
    if not stil:
        _say()
    _closing(_counted(len(result.reports), "rapport", "rapporten"), start, result.timings)
    raise typer.Exit(result.exit_code)


def _folded(paths: list[Path]) -> list[str]:
    """Removed files as shown: the files of a chart folder as the folder with their number, not one line each."""
    from monitor_aoj.placement import CHART_FOLDER

    shown, charts = [], {}
    for path in paths:
        if path.parent.name == CHART_FOLDER:
            if path.parent not in charts:
                shown.append(path.parent)
            charts[path.parent] = charts.get(path.parent, 0) + 1
        else:
            shown.append(path)
    return [f"{_shown(p)} ({charts[p]} grafiekbestanden)" if p in charts else _shown(p) for p in shown]


def _browser() -> str:
    """The browser that prints the PDF; without one, say what to install and stop (exit code 2)."""
    from monitor_aoj.report.pdf import BrowserMissing, find_browser, missing_browser_message

    browser = find_browser()
    if browser is None:
        typer.echo(f"Fout: {missing_browser_message()}", err=True)
        raise typer.Exit(BrowserMissing.exit_code)
    return browser


def _show_review_messages(result, quiet: bool = False) -> None:
    if result.review_messages:
        if not quiet:
            _say("Beoordeling van de open antwoorden:")
        for message in result.review_messages:
            _say(f"{'' if quiet else '  '}Let op: {message}")


@app.command("beoordeling", cls=DutchCommand)
def beoordeling(
    invoer: Path = INVOER,
    uitvoer: Optional[Path] = UITVOER,
    vragenlijsten: Optional[Path] = VRAGENLIJSTEN,
    regio: Optional[str] = REGIO,
    meting: Optional[int] = METING,
    stil: bool = STIL,
) -> None:
    """Zet de open antwoorden met voorgestelde subthema's klaar om te beoordelen (Excel, in <invoer>/beoordeling)."""
    from monitor_aoj.pipeline import Paths, review

    start = time.perf_counter()
    paths = Paths(invoer, vragenlijsten, _output(invoer, uitvoer))
    result = _attempt(_with_progress(stil, lambda progress: review(paths, regio, meting, progress=progress)))
    _show_review_messages(result, stil)
    if not stil:
        for path in result.review_files:
            _say(f"Beoordelingslijst: {_shown(path)}")
        _say("\nVul in de lijst de kolommen 'Subthema's (uw keuze)' en 'Citaat in rapport' in, sla op onder "
             "dezelfde naam en maak daarna de rapporten opnieuw ('make report' of 'monitor-aoj rapport'). Uw "
             "keuzes gaan voor de voorstellen.\n")
    _closing(_counted(len(result.review_files), "beoordelingslijst", "beoordelingslijsten"), start, result.timings)


@app.command("valideer", cls=DutchCommand)
def valideer(
    invoer: Path = INVOER,
    uitvoer: Optional[Path] = UITVOER,
    vragenlijsten: Optional[Path] = VRAGENLIJSTEN,
    regio: Optional[str] = REGIO,
    meting: Optional[int] = METING,
    stil: bool = STIL,
) -> None:
    """Controleer alleen de exports; schrijf per bestand een validatierapport (HTML en CSV)."""
    from monitor_aoj.pipeline import Paths, check

    start = time.perf_counter()
    uitvoer = _output(invoer, uitvoer)
    paths = Paths(invoer, vragenlijsten, uitvoer)
    result = _attempt(_with_progress(stil, lambda progress: check(paths, regio, meting, progress=progress)))
    _show_validation(result, uitvoer, stil)
    if not stil:
        _say()
    _closing(f"{_counted(len(result.validation.files), 'export', 'exports')} gecontroleerd", start, result.timings)
    raise typer.Exit(result.exit_code)


@app.command("koppel", cls=DutchCommand)
def koppel(
    bestand: Path = typer.Argument(..., metavar="BESTAND",
                                   help="De export (.sav, .csv, .xlsx of LimeSurvey R-databestand)."),
    meting: int = typer.Option(..., "--meting", metavar="JAARTAL",
                               help="De meting (jaartal) waarvan de vragenlijst geldt."),
    invoer: Optional[Path] = typer.Option(None, "--invoer", "-i", metavar="MAP",
                                           help="Invoermap; dan is BESTAND een naam in die map."),
    vragenlijsten: Optional[Path] = VRAGENLIJSTEN,
    uit: Optional[Path] = typer.Option(None, "--uit", metavar="BESTAND",
                                       help="Het koppelingsbestand (standaard <export>.koppeling.yaml naast de "
                                            "export)."),
    overschrijf: bool = typer.Option(False, "--overschrijf", help="Een bestaand koppelingsbestand vervangen."),
) -> None:
    """Maak een ontwerp-koppeling van een nieuwe export op de vragenlijst, om na te kijken."""
    from monitor_aoj.definitions.questionnaire import load_questionnaires
    from monitor_aoj.errors import ConfigError
    from monitor_aoj.ingest.koppel import draft_mapping, render_yaml, written
    from monitor_aoj.ingest.layouts import LAYOUTS

    path = (invoer / bestand) if invoer is not None and not bestand.is_absolute() else bestand
    if not path.is_file():
        typer.echo(f"Fout: bestand niet gevonden: {path}.", err=True)
        raise typer.Exit(2)
    target = uit or path.with_name(f"{path.stem}.koppeling.yaml")
    if target.exists() and not overschrijf:
        typer.echo(f"Fout: {target} bestaat al. Het programma overschrijft uw koppeling niet: kies met --uit een "
                   "andere naam, of geef --overschrijf als het oude bestand weg mag.", err=True)
        raise typer.Exit(2)

    def make():
        questionnaires = load_questionnaires(vragenlijsten)
        if meting not in questionnaires:
            raise ConfigError(f"Voor meting {meting} is geen vragenlijst in "
                              f"{vragenlijsten or 'de meegeleverde vragenlijsten'}. Beschikbaar: "
                              f"{', '.join(str(w) for w in sorted(questionnaires))}.")
        q = questionnaires[meting]
        d = draft_mapping(path, q)
        return q, d, render_yaml(d, q, target.name)

    q, draft, text = _attempt(make)
    target.write_text(text, encoding="utf-8")
    certain, unsure, loose = draft.mapped(True), draft.mapped(False), draft.unmapped
    answers = sum(len(v) for v in draft.answers.values())
    _say(f"Bestand:     {path.name} ({draft.rows} rijen)")
    _say(f"Indeling:    {LAYOUTS[draft.layout]}")
    _say(f"Kolommen:    {len(certain)} zeker gekoppeld, {len(unsure)} te controleren, {len(loose)} niet gekoppeld"
         + (f" (waarvan {sum(c.metadata for c in loose)} metagegevens van de enquêtetool)"
            if any(c.metadata for c in loose) else ""))
    if draft.missing_items:
        _say(f"Vragen zonder kolom: {len(draft.missing_items)} (staan onderaan de kolommen in het bestand)")
    _say(f"Antwoorden:  {answers} te controleren" + (f", {len(draft.scales)} andere schaal" if draft.scales else ""))
    for item, entries in draft.answers.items():
        for e in entries:
            shown = f"{e.value} = '{e.label}'" if e.label else f"'{e.value}'"
            _say(f"  {written(q, item)}: {shown} -> voorstel '{e.suggestion}'")
    for item, (scale, _) in draft.scales.items():
        _say(f"  {q.item(item).column}: schaal {scale} voorgesteld (het bestand heeft 'Weet ik niet')")
    if draft.codes == "vragenlijst":
        _say("Codes:       het bestand heeft alleen getallen zonder labels; voorgesteld: 'codes: vragenlijst'")
    _say(f"\nGeschreven: {_shown(target)}")
    _say("\nVolgende stappen:")
    _say(f"  1. Open {target.name} en controleer elke regel met CONTROLEREN; verbeter wat niet klopt.")
    _say("  2. Zet het bestand in de invoermap, naast de export.")
    _say(f"  3. Zet bij deze meting in regios.yaml de regel:  koppeling: {target.name}")
    _say("  4. Controleer met:  monitor-aoj valideer --invoer <invoermap>")


@app.command("voorbeelddata", cls=DutchCommand)
def voorbeelddata(
    uitvoer: Path = typer.Option(Path("sample_responses"), "--uitvoer", "-o", metavar="MAP",
                                 help="Map voor de voorbeeldexports."),
    vragenlijsten: Optional[Path] = VRAGENLIJSTEN,
    seed: int = typer.Option(20210325, "--seed", metavar="GETAL",
                             help="Startwaarde van het toeval; dezelfde waarde geeft dezelfde data."),
    overschrijf: bool = typer.Option(False, "--overschrijf", help="Vervang wat al in de map staat."),
) -> None:
    """Schrijf fictieve voorbeeldexports (SPSS, CSV, Excel) met een bijpassende regios.yaml."""
    from monitor_aoj.definitions.questionnaire import load_questionnaires
    from monitor_aoj.demo.samples import write_sample

    if uitvoer.exists() and not uitvoer.is_dir():
        typer.echo(f"Fout: {uitvoer} is een bestand, geen map. Kies met --uitvoer een (nieuwe) map voor de "
                   "voorbeelddata.", err=True)
        raise typer.Exit(2)
    present = sorted(p.name for p in uitvoer.iterdir()) if uitvoer.is_dir() else []
    if present and not overschrijf:
        shown = ", ".join(present[:3]) + (f" en {len(present) - 3} andere" if len(present) > 3 else "")
        typer.echo(f"Fout: in {uitvoer} staat al iets ({shown}). Voorbeelddata zou daar bestanden zoals "
                   "regios.yaml vervangen. Kies met --uitvoer een nieuwe map, of geef --overschrijf als de "
                   "bestanden weg mogen.", err=True)
        raise typer.Exit(2)

    paths = _attempt(lambda: write_sample(uitvoer, load_questionnaires(vragenlijsten), seed))
    for path in paths:
        _say(f"Geschreven: {path}")


def _parse_date(text: Optional[str]) -> Optional[dt.date]:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        typer.echo(f"Fout: '{text}' is geen datum; schrijf bijvoorbeeld 2021-05-25.", err=True)
        raise typer.Exit(2) from None


def main() -> None:
    app(prog_name="monitor-aoj")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
