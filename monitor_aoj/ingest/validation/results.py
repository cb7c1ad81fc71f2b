"""What validation hands on: a Problem per failed check, a FileResult per export (rows used and rows in
quarantine), and the ValidationResult of the run."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from monitor_aoj.definitions.regions import ExportFile
from monitor_aoj.ingest.read import RawExport
from monitor_aoj.ingest.validation.catalogue import CHECKS, ERROR, WARNING


@dataclass(frozen=True)
class Problem:
    check: str  # a key of catalogue.CHECKS
    file: str  # file name as the user knows it
    row: int | None  # as the user sees it; None for the file as a whole
    respondent: str
    column: str
    value: str
    expected: str
    action: str
    key: str = ""  # which configured export (two regions may share one file)

    @property
    def severity(self) -> str:
        return CHECKS[self.check].severity

    @property
    def title(self) -> str:
        return CHECKS[self.check].title

    @property
    def quarantines(self) -> bool:
        return CHECKS[self.check].quarantine and self.row is not None


def problem(check: str, file: str, *, row: int | None = None, column: str = "", value: str | None = None,
            key: str = "", **facts: object) -> Problem:
    """A problem found outside GX, its texts filled from the catalogue entry's templates with `facts`."""
    spec = CHECKS[check]
    facts = {"column": column, **facts}  # a template may name the problem's own column
    shown = value if value is not None else spec.value.format(**facts) if isinstance(spec.value, str) else ""
    return Problem(check, file, row, "", column, shown, spec.expected.format(**facts), spec.action.format(**facts),
                   key)


@dataclass(frozen=True)
class FileResult:
    export: ExportFile
    rows_read: int
    problems: tuple[Problem, ...]
    clean: RawExport | None  # the rows that go on; None when the file could not be read
    quarantine: pd.DataFrame  # rows put aside: every column as read, plus "reden"
    notes: tuple[str, ...] = ()  # facts about the file (encoding, sheet)
    reclassified: tuple[int, ...] = ()  # rows whose functie put them in another sector than they ticked
    cells_set_aside: int = 0  # answers set aside as invalid in rows that are used

    @property
    def name(self) -> str:
        return self.export.path.name

    @property
    def part(self) -> str:
        """The part of the file read, when it has several ("werkblad 'Data'"); "" otherwise."""
        return self.clean.part if self.clean is not None else ""

    @property
    def skipped(self) -> tuple[str, ...]:
        """What the file holds beyond the rows read (other sheets, empty lines at the end), in Dutch."""
        return self.clean.skipped if self.clean is not None else ()

    @property
    def source(self) -> str:
        """The file and the part of it read, as the accounting names it: "a.xlsx, werkblad 'Data'"."""
        return f"{self.name}, {self.part}" if self.part else self.name
    @property
    def rows_quarantined(self) -> int:
        return len(self.quarantine)

    @property
    def rows_used(self) -> int:
        return self.rows_read - self.rows_quarantined

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == WARNING)


@dataclass(frozen=True)
class ValidationResult:
    files: tuple[FileResult, ...]
    general: tuple[Problem, ...] = ()  # not about one configured file

    @property
    def blocking(self) -> bool:
        return any(f.errors for f in self.files)

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_used(self) -> int:
        return sum(f.rows_used for f in self.files)

    @property
    def rows_quarantined(self) -> int:
        return sum(f.rows_quarantined for f in self.files)

    @property
    def cells_set_aside(self) -> int:
        return sum(f.cells_set_aside for f in self.files)

    def clean_exports(self) -> list[RawExport]:
        return [f.clean for f in self.files if f.clean is not None]

    def without_rows(self) -> "ValidationResult":
        """The same result without the clean rows themselves (counts, problems and quarantine stay): once the
        Responses are built from them, a large input should not be held twice."""
        files = tuple(f if f.clean is None else dataclasses.replace(
            f, clean=dataclasses.replace(f.clean, frame=f.clean.frame.iloc[:0])) for f in self.files)
        return dataclasses.replace(self, files=files)
