"""The texts of the command-line framework in Dutch: help pages and usage errors.

typer (0.29) vendors click as `typer._click`. Most of its texts are plain English f-strings ("Usage: ",
"Show this message and exit.", "No such option: ...", "Got unexpected extra argument(s) ..."), a few go through
gettext's default domain ("Options", "[default: ...]"). A gettext catalogue would therefore miss most of them
(and would change every library in the process that uses the default domain). Instead the app uses these
Command and Group classes (typer's documented `cls=` hook), which:

- write the help page with Dutch headings, a Dutch usage line and a Dutch help option;
- turn every usage error raised while parsing or choosing a command into a `DutchUsageError`, whose message
  is Dutch and whose `show()` prints it the way the rest of the CLI speaks ("Fout: ...").

typer's own handling stays as it is: a usage error still exits with code 2, `--help` with 0.
"""

from __future__ import annotations

import difflib
import re
from typing import IO, TYPE_CHECKING, Any

import typer
from typer.core import TyperCommand, TyperGroup

try:  # typer >= 0.22 vendors click
    from typer._click import exceptions as click_exceptions
    from typer._click.utils import echo
except ImportError:  # pragma: no cover - older typer with click installed beside it
    from click import exceptions as click_exceptions  # type: ignore[import-not-found, no-redef]
    from click.utils import echo  # type: ignore[import-not-found, no-redef]

if TYPE_CHECKING:  # for mypy the mixin below is a Command, whose methods it overrides and calls
    from typer._click.core import Command as _Command
    from typer._click.core import Context
    from typer._click.formatting import HelpFormatter
    from typer.core import TyperOption
else:
    _Command = object

UsageError = click_exceptions.UsageError

EXIT_INTERRUPTED = 130  # as shells report a stop by Ctrl-C
# Ctrl-C outside a job (while the program loads, or prints what it did): nothing was being written then.
INTERRUPTED = "Onderbroken."
OPTION_LIKENESS = 0.75  # difflib ratio from which an unknown option is suggested as a typo of a known one
USAGE = "Gebruik: "
OPTIONS_METAVAR = "[OPTIES]"
SUBCOMMAND_METAVAR = "OPDRACHT [ARGUMENTEN]..."
HELP_OPTION = "Toon deze hulp en stop."
HEADINGS = {"argument": "Argumenten", "option": "Opties"}
COMMANDS = "Opdrachten"
# The bracketed extras typer adds to an option's help: "[default: output]", "[required]", "[env var: X]".
EXTRAS = re.compile(r"(?:^|  )\[([^\[\]]*)\]$")
EXTRA_WORDS = (("default: ", "standaard: "), ("env var: ", "omgevingsvariabele: "), ("required", "verplicht"))
# What pydantic (typer's type coercion) found wrong with a value, by its error type.
VALUE_PROBLEMS = {
    "int_parsing": "is geen heel getal",
    "int_from_float": "is geen heel getal",
    "float_parsing": "is geen getal",
    "bool_parsing": "is geen ja of nee",
    "date_from_datetime_parsing": "is geen datum",
    "date_parsing": "is geen datum",
    "greater_than_equal": "is te klein: het moet minstens {ge} zijn",
    "less_than_equal": "is te groot: het mag hoogstens {le} zijn",
}


class DutchUsageError(UsageError):
    """A usage error whose message is Dutch, shown with a Dutch usage line and hint."""

    def show(self, file: IO[Any] | None = None) -> None:
        lines = []
        if self.ctx is not None:
            lines.append(self.ctx.get_usage())
            if self.ctx.command.get_help_option(self.ctx) is not None:
                lines.append(f"Hulp: {self.ctx.command_path} {self.ctx.help_option_names[0]}")
            lines.append("")
        lines.append(f"Fout: {self.format_message()}")
        echo("\n".join(lines), file=file, err=file is None, color=self.ctx.color if self.ctx else None)


def dutch_error(error: UsageError, ctx: Any = None) -> UsageError:
    """The same usage error in Dutch; a DutchUsageError or the help page (no arguments given) is kept. `ctx` is
    the command's context, for errors of the option parser that come without one (it gives the usage line)."""
    if isinstance(error, (DutchUsageError, click_exceptions.NoArgsIsHelpError)):
        return error
    translated = DutchUsageError(_message(error), error.ctx or ctx)
    translated.exit_code = error.exit_code
    return translated


def _message(error: UsageError) -> str:
    e = click_exceptions
    if isinstance(error, e.NoSuchOption):
        # click suggests whatever is 60% alike ("--foo": "--pdf"); only a likely typo is worth a question
        close = sorted(difflib.get_close_matches(error.option_name, error.possibilities or (), cutoff=OPTION_LIKENESS))
        hint = f" Bedoelt u {' of '.join(close)}?" if close else ""
        return f"onbekende optie: {error.option_name}.{hint}"
    if isinstance(error, e.MissingParameter):
        hint = _hint(error)
        if error.param is not None and error.param.param_type_name == "argument":
            return f"het argument {hint} ontbreekt."
        return f"de optie {hint} ontbreekt."
    if isinstance(error, e.BadParameter):
        return f"ongeldige waarde voor {_hint(error)}: {_value_problem(error)}."
    if isinstance(error, e.BadOptionUsage):
        if "requires" in error.message:
            return f"na de optie {error.option_name} hoort een waarde."
        if "does not take" in error.message:
            return f"de optie {error.option_name} krijgt geen waarde."
    text = error.message
    extra = re.match(r"Got unexpected extra arguments? ?(?:\(s\))? \((.*)\)$", text)
    if extra:
        return f"onverwachte extra invoer: {extra.group(1)}. Zet een waarde met spaties tussen aanhalingstekens."
    command = re.match(r"No such command '(.*)'", text)
    if command:
        return unknown_command(command.group(1), [])
    if text.startswith("Missing command"):
        return "geef een opdracht, bijvoorbeeld rapport of valideer."
    # Not foreseen: say so in Dutch and keep the framework's own words, so that nothing is lost.
    return f"de opdracht is niet goed gegeven ({text})."


def unknown_command(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known)
    hint = f" Bedoelt u {' of '.join(repr(c) for c in close)}?" if close else ""
    listed = f" Opdrachten: {', '.join(known)}." if known and not close else ""
    return f"onbekende opdracht '{name}'.{hint}{listed}"


def _hint(error: Any) -> str:
    if error.param_hint is not None:
        hint = error.param_hint
        return hint if isinstance(hint, str) else " / ".join(repr(h) for h in hint)
    if error.param is not None:
        return error.param.get_error_hint()
    return "een parameter"


def _value_problem(error: Any) -> str:
    cause = error.__cause__
    errors = cause.errors() if hasattr(cause, "errors") else []
    if errors:
        value = errors[0].get("input")
        problem = VALUE_PROBLEMS.get(errors[0].get("type", ""), "is geen geldige waarde")
        try:  # the bound of a range ({ge}, {le}) comes with the error
            problem = problem.format(**(errors[0].get("ctx") or {}))
        except (KeyError, IndexError):
            problem = "is geen geldige waarde"
        return f"'{value}' {problem}"
    found = re.match(r"Value (.*) is not a valid", error.message)
    return f"{found.group(1)} is geen geldige waarde" if found else "deze waarde is niet geldig"


class DutchHelp(_Command):
    """Mixin for typer's Command and Group: Dutch usage line, headings, help option and errors."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except UsageError as error:
            raise dutch_error(error, ctx) from None

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except UsageError as error:
            raise dutch_error(error) from None
        except KeyboardInterrupt:
            # typer would exit 130 without a word; a job (cli_jobs.attempt) says more itself and never gets here
            echo(INTERRUPTED, err=True)
            raise typer.Exit(EXIT_INTERRUPTED) from None

    def get_help_option(self, ctx: Context) -> TyperOption | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_OPTION
        return option

    def format_usage(self, ctx: Context, formatter: HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix=USAGE)

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        records: dict[str, list[tuple[str, str]]] = {kind: [] for kind in HEADINGS}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is not None and param.param_type_name in records:
                # An argument with a metavar ("BESTAND") needs no type ("<path>") beside it.
                name = param.metavar if param.param_type_name == "argument" and param.metavar else record[0]
                records[param.param_type_name].append((name, _dutch_extras(record[1])))
        for kind, heading in HEADINGS.items():
            if records[kind]:
                with formatter.section(heading):
                    formatter.write_dl(records[kind])


def _dutch_extras(help_text: str) -> str:
    def dutch(found: re.Match) -> str:
        parts = []
        for part in found.group(1).split("; "):
            for english, dutch_word in EXTRA_WORDS:
                if part.startswith(english):
                    part = dutch_word + part[len(english):]
            parts.append(part)
        return found.group(0).replace(found.group(1), "; ".join(parts))

    return EXTRAS.sub(dutch, help_text)


class DutchCommand(DutchHelp, TyperCommand):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options_metavar = OPTIONS_METAVAR


class DutchGroup(DutchHelp, TyperGroup):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options_metavar = OPTIONS_METAVAR
        self.subcommand_metavar = SUBCOMMAND_METAVAR

    def resolve_command(self, ctx: Context, args: list[str]) -> tuple[str | None, _Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except UsageError as error:
            if args and error.message.startswith("No such command"):
                raise DutchUsageError(unknown_command(args[0], list(self.commands)), ctx) from None
            raise dutch_error(error) from None

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        rows = []
        limit = formatter.width - 6 - max((len(name) for name in self.commands), default=0)
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        if rows:
            with formatter.section(COMMANDS):
                formatter.write_dl(rows)
