"""The `monitor-aoj` command. It speaks Dutch to its user.

Only typer is imported at start-up, so `monitor-aoj --help` answers at once; pandas, GX and the
renderers are imported inside the commands that need them.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from monitor_aoj.cli_dutch import DutchCommand, DutchGroup
from monitor_aoj.cli_jobs import attempt, with_progress
from monitor_aoj.cli_messages import closing, counted, folded, say, show_review_messages, show_validation, shown_path

if TYPE_CHECKING:  # imported inside the commands that need them
    from monitor_aoj.definitions.questionnaire import Questionnaire
    from monitor_aoj.ingest.koppel import Draft

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
    result = attempt(with_progress(stil, lambda progress: run(paths, regio, meting, report_date, browser,
                                                                progress=progress, processes=processen)))
    show_validation(result, uitvoer, stil)
    show_review_messages(result, stil)
    if not stil:
        say()
    if result.reports_withheld:
        say("Er zijn geen rapporten gemaakt: de instelling 'rapport_bij_quarantaine' in regios.yaml staat op nee.")
    if result.took_over:
        say(f"Let op: een eerdere run (proces {result.took_over}) is afgebroken; zijn vergrendeling is opgeheven.")
    for shown in folded(result.unusable):
        say(f"Verwijderd: {shown} (geen bruikbare gegevens meer voor deze regio en meting)")
    for shown in folded(result.no_longer_configured):
        say(f"Verwijderd: {shown} (deze regio en meting staan niet meer in regios.yaml)")
    if not stil:
        for path in result.reports:
            say(f"Rapport:   {shown_path(path)}")
        for path in result.workbooks:
            say(f"Werkboek:  {shown_path(path)}")
        for path in result.documents:
            say(f"Word:      {shown_path(path)}")
        for path in result.pdfs:
            say(f"PDF:       {shown_path(path)}")
        for folder, count in result.chart_files.items():
            say(f"Grafieken: {shown_path(folder)} ({count} bestanden, PNG en SVG)")
        for path in result.all_figures:
            say(f"Alle cijfers: {shown_path(path)}")
        for path in result.overview:
            say(f"Overzicht regio's: {shown_path(path)}")
    for path in result.all_figures_removed + result.overview_removed:
        say(f"Verwijderd: {shown_path(path)} (deze run heeft geen cijfers; die van een eerdere run horen er niet "
             "meer bij)")
    for path in result.pdfs_removed:
        say(f"Verwijderd: {shown_path(path)} (hoorde bij een eerdere run; maak de PDF opnieuw met --pdf)")
    if not stil:
        say()
    closing(counted(len(result.reports), "rapport", "rapporten"), start, result.timings)
    raise typer.Exit(result.exit_code)


def _browser() -> str:
    """The browser that prints the PDF; without one, say what to install and stop (exit code 2)."""
    from monitor_aoj.report.which_browser import BrowserMissing, find_browser, missing_browser_message

    browser = find_browser()
    if browser is None:
        typer.echo(f"Fout: {missing_browser_message()}", err=True)
        raise typer.Exit(BrowserMissing.exit_code)
    return browser


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
    result = attempt(with_progress(stil, lambda progress: review(paths, regio, meting, progress=progress)))
    show_review_messages(result, stil)
    if not stil:
        for path in result.review_files:
            say(f"Beoordelingslijst: {shown_path(path)}")
        say("\nVul in de lijst de kolommen 'Subthema's (uw keuze)' en 'Citaat in rapport' in, sla op onder "
             "dezelfde naam en maak daarna de rapporten opnieuw ('make report' of 'monitor-aoj rapport'). Uw "
             "keuzes gaan voor de voorstellen.\n")
    closing(counted(len(result.review_files), "beoordelingslijst", "beoordelingslijsten"), start, result.timings)


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
    result = attempt(with_progress(stil, lambda progress: check(paths, regio, meting, progress=progress)))
    show_validation(result, uitvoer, stil)
    if not stil:
        say()
    closing(f"{counted(len(result.validation.files), 'export', 'exports')} gecontroleerd", start, result.timings)
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
    from monitor_aoj.definitions.questionnaire_reader import load_questionnaires
    from monitor_aoj.errors import ConfigError
    from monitor_aoj.ingest.koppel import draft_mapping
    from monitor_aoj.ingest.koppel_fit import written
    from monitor_aoj.ingest.koppel_yaml import render_yaml
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

    def make() -> tuple[Questionnaire, Draft, str]:
        questionnaires = load_questionnaires(vragenlijsten)
        if meting not in questionnaires:
            raise ConfigError(f"Voor meting {meting} is geen vragenlijst in "
                              f"{vragenlijsten or 'de meegeleverde vragenlijsten'}. Beschikbaar: "
                              f"{', '.join(str(w) for w in sorted(questionnaires))}.")
        q = questionnaires[meting]
        d = draft_mapping(path, q)
        return q, d, render_yaml(d, q, target.name)

    q, draft, text = attempt(make)
    target.write_text(text, encoding="utf-8")
    certain, unsure, loose = draft.mapped(True), draft.mapped(False), draft.unmapped
    answers = sum(len(v) for v in draft.answers.values())
    say(f"Bestand:     {path.name} ({draft.rows} rijen)")
    say(f"Indeling:    {LAYOUTS[draft.layout]}")
    say(f"Kolommen:    {len(certain)} zeker gekoppeld, {len(unsure)} te controleren, {len(loose)} niet gekoppeld"
         + (f" (waarvan {sum(c.metadata for c in loose)} metagegevens van de enquêtetool)"
            if any(c.metadata for c in loose) else ""))
    if draft.missing_items:
        say(f"Vragen zonder kolom: {len(draft.missing_items)} (staan onderaan de kolommen in het bestand)")
    say(f"Antwoorden:  {answers} te controleren" + (f", {len(draft.scales)} andere schaal" if draft.scales else ""))
    for item, entries in draft.answers.items():
        for e in entries:
            shown = f"{e.value} = '{e.label}'" if e.label else f"'{e.value}'"
            say(f"  {written(q, item)}: {shown} -> " + (f"voorstel '{e.suggestion}'" if e.suggestion else "KIES zelf"))
    for item, (scale, _) in draft.scales.items():
        say(f"  {q.item(item).column}: schaal {scale} voorgesteld (het bestand heeft 'Weet ik niet')")
    if draft.codes == "vragenlijst":
        say("Codes:       het bestand heeft alleen getallen zonder labels; voorgesteld: 'codes: vragenlijst'")
    say(f"\nGeschreven: {shown_path(target)}")
    say("\nVolgende stappen:")
    say(f"  1. Open {target.name} en controleer elke regel met CONTROLEREN; verbeter wat niet klopt.")
    say("  2. Zet het bestand in de invoermap, naast de export.")
    say(f"  3. Zet bij deze meting in regios.yaml de regel:  koppeling: {target.name}")
    say("  4. Controleer met:  monitor-aoj valideer --invoer <invoermap>")


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
    from monitor_aoj.definitions.questionnaire_reader import load_questionnaires
    from monitor_aoj.demo.sample_files import write_sample

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

    paths = attempt(lambda: write_sample(uitvoer, load_questionnaires(vragenlijsten), seed))
    for path in paths:
        say(f"Geschreven: {path}")


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
    main()  # typer exits with the command's code
