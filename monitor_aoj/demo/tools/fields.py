"""Our side of a survey tool's export: the frame as the fields a tool asks, and how tools word our answers.

Every tool writer in this package starts from a ToolWave (the frame, the questionnaire and the layout) and its
ToolFields; the koppeling it returns lists only what a reader matching labels (fold_label) cannot resolve.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from monitor_aoj.definitions.questionnaire import Item, Questionnaire, Scale
from monitor_aoj.errors import invariant

# --- the frame as the fields a tool asks --------------------------------------------------------------------

@dataclass(frozen=True)
class ToolField:
    """One column of the frame, as a survey tool asks it."""

    column: str
    kind: str  # "id", "closed", "mark", "open", "other" (the text of an 'anders, namelijk' choice)
    text: str  # the question as the tool shows it
    choices: tuple[tuple[int, str], ...] = ()  # our (code, label) in our order; closed questions only
    item: Item | None = None
    grid: str = ""  # set when the tool asks this item in one grid with others
    other_code: int | None = None  # the 'anders, namelijk' choice of a background question
    parent: str = ""  # for an "other" field: the column of the question it belongs to

    @property
    def target(self) -> str:
        return self.item.id if self.item is not None else self.column

    @property
    def item_scale(self) -> Scale:
        """The scale of the closed item this field asks (a "closed" or "mark" field of an item); ValueError for
        any other field."""
        return invariant(self.item, f"field {self.column} asks no item of the questionnaire").closed_scale


BACKGROUND_TEXTS = {
    "sector": "In welke sector werkt u?",
    "functie": "Wat is uw functie?",
    "schooltype": "Met welk type onderwijs heeft u in uw werk vooral te maken?",
}
GRID_TEXTS = {
    "vormen": "Hoe is de samenwerking tussen onderwijs en jeugdhulp in uw regio georganiseerd?",
    "organisatie": "In hoeverre geldt het volgende voor de scholen en jeugdhulp waarmee u samenwerkt?",
    "evalueren": "Wat geldt voor het samen evalueren en leren van onderwijs en jeugdhulp?",
}
OTHER_TEXT = "Anders, namelijk"


class ToolWave:
    """The frame and questionnaire, with what every layout asks of them."""

    def __init__(self, frame: pd.DataFrame, q: Questionnaire, layout: str, extras: tuple[str, ...],
                 rng: np.random.Generator):
        self.q = q
        self.layout = layout
        self.frame = frame.reset_index(drop=True)
        self.n = len(self.frame)
        self.rng = rng  # timestamps and tool ids
        self.fields = _fields(q, self.frame, extras)
        self.missing = {m.code: m for m in q.missing}
        self._eligible: dict[str, np.ndarray] = {}
        self._codes: dict[str, list[int | None]] = {}
        self.starts, self.seconds = self._times()
        for f in self.fields:  # a tool can only export answers it offered
            allowed = set(dict(f.choices)) if f.kind == "closed" else set(f.item_scale.codes) if f.kind == "mark" \
                else None
            if allowed is not None:
                wrong = sorted({c for c in (self.code(f, i) for i in range(self.n)) if c is not None}
                               - allowed - set(self.missing))
                if wrong:
                    raise ValueError(f"Kolom {f.column}: code {wrong[0]} staat niet in de vragenlijst")

    def code(self, f: ToolField, i: int) -> int | None:
        if f.column not in self._codes:
            self._codes[f.column] = [None if pd.isna(v) else int(v) for v in self.frame[f.column]]
        return self._codes[f.column][i]

    def respondent(self, f: ToolField, i: int) -> int:
        """The respondent number in the id field `f`, which the generator fills for everyone; ValueError if not."""
        return invariant(self.code(f, i), f"respondent {i + 1} has no number in {f.column}")

    def text(self, f: ToolField, i: int) -> str:
        v = self.frame.at[i, f.column]
        return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)

    def hidden(self, f: ToolField, i: int) -> bool:
        """True where a filter kept the question from this respondent: the tool leaves the cell empty."""
        item = f.item
        if item is None or item.filter is None:
            return False
        code = self.code(f, i)
        if code not in self.missing or self.missing[code].kind != "niet_van_toepassing":
            return False
        if item.id not in self._eligible:
            source = self.q.item(item.filter.item).column
            values = self.frame[source] if source in self.frame else pd.Series(np.nan, index=self.frame.index)
            self._eligible[item.id] = values.isin(item.filter.codes).to_numpy()
        return not self._eligible[item.id][i]

    def tool_code(self, f: ToolField, i: int) -> int | None:
        """Our code as a survey tool holds it: None where the cell is empty."""
        return None if self.hidden(f, i) else self.code(f, i)

    def cell(self, f: ToolField, what: str, i: int) -> str | int:
        """A text column's text (`what` "text", or an open field); "" where the tool leaves the cell empty; else
        our code, for the tool to word."""
        if what == "text" or f.kind == "open":
            return self.text(f, i)
        code = self.tool_code(f, i)
        return "" if code is None else code

    def used_missing(self, fields: list[ToolField]) -> list[int]:
        """The missing codes these columns use as answers, 'geen antwoord' first."""
        coded = [f for f in fields if f.kind in ("closed", "mark")]
        used = set(self.missing).intersection(self.tool_code(f, i) for f in coded for i in range(self.n))
        kinds = ("geen_antwoord", "niet_van_toepassing")
        return sorted(used, key=lambda c: (kinds.index(self.missing[c].kind), c))

    def missing_label(self, code: int) -> str:
        return self.missing[code].label

    def _times(self) -> tuple[list[dt.datetime], list[int]]:
        """Start time and duration per respondent, in answer order (a `startdatum` column wins)."""
        rng = self.rng
        month = 3 + int(rng.integers(0, 3))
        days = rng.integers(0, 26, self.n)
        seconds_of_day = rng.integers(8 * 3600, 21 * 3600, self.n)
        offsets = np.sort(days * 86400 + seconds_of_day)
        durations = (rng.gamma(4.0, 150.0, self.n) + 120).astype(int)
        base = dt.datetime(self.q.wave, month, 1)
        given = self.frame["startdatum"] if "startdatum" in self.frame else None
        starts = []
        for i in range(self.n):
            start = base + dt.timedelta(seconds=int(offsets[i]))
            if given is not None and isinstance(given.iloc[i], str):
                try:
                    start = dt.datetime.strptime(given.iloc[i].strip(), "%d-%m-%Y %H:%M") + dt.timedelta(
                        seconds=int(offsets[i] % 60))
                except ValueError:
                    pass
            starts.append(start)
        return starts, [int(d) for d in durations]

    def end(self, i: int) -> dt.datetime:
        return self.starts[i] + dt.timedelta(seconds=self.seconds[i])


def _fields(q: Questionnaire, frame: pd.DataFrame, extras: tuple[str, ...]) -> list[ToolField]:
    bg = q.background
    present = set(frame.columns)
    out: list[ToolField] = []
    if bg.respondent_column in present:
        out.append(ToolField(bg.respondent_column, "id", "Respondentnummer"))
    for role, bq in (("sector", bg.sector), ("functie", bg.functie), ("schooltype", bg.schooltype)):
        if bq.column not in present:
            continue
        other = bq.other_column if bq.other_column and bq.other_column in present else ""
        out.append(ToolField(bq.column, "closed", BACKGROUND_TEXTS[role], tuple((c.code, c.label) for c in bq.choices),
                          other_code=next((c.code for c in bq.choices if c.other), None)))
        if other:
            out.append(ToolField(other, "other", OTHER_TEXT, parent=bq.column))
    by_column = {it.column: it.id for it in q.items}
    wanted = {by_column.get(x, x) for x in extras}
    items = [it for it in q.items_for(wanted) if it.column in present]
    grids = _grid_keys(items)
    for it in items:
        if it.is_open:
            out.append(ToolField(it.column, "open", it.text(), item=it))
        elif it.closed_scale.kind == "cijfer":
            out.append(ToolField(it.column, "mark", it.text(), item=it))
        else:
            out.append(ToolField(it.column, "closed", it.text(),
                                 tuple((c.code, c.label) for c in it.closed_scale.categories),
                                 item=it, grid=grids.get(it.id, "")))
    return out


def all_columns(q: Questionnaire) -> set[str]:
    bg = q.background
    return {bg.respondent_column, bg.sector.column, bg.functie.column, bg.functie.other_column,
            bg.schooltype.column} | {it.column for it in q.items}


def _grid_keys(items: list[Item]) -> dict[str, str]:
    """Closed items of one theme and scale are asked in one grid (matrix, array), unless a filter is involved."""
    sources = {it.filter.item for it in items if it.filter is not None}
    candidates = [it for it in items if not it.is_open and it.closed_scale.kind != "cijfer" and it.filter is None
                  and it.id not in sources]
    keys = {it.id: (it.theme, it.closed_scale.id) for it in candidates}
    counts = Counter(keys.values())
    return {it.id: f"{it.theme}:{it.closed_scale.id}" for it in candidates if counts[keys[it.id]] >= 2}


def question_units(fields: list[ToolField]) -> list[list[ToolField]]:
    """The questions in the tool's order: one field, or the fields of a grid where its first item stands."""
    units: list[list[ToolField]] = []
    seen: set[str] = set()
    for f in fields:
        if f.kind in ("id", "other"):
            continue
        if f.grid:
            if f.grid not in seen:
                seen.add(f.grid)
                units.append([g for g in fields if g.grid == f.grid])
        else:
            units.append([f])
    return units


def grid_question_text(q: Questionnaire, f: ToolField) -> str:
    theme = f.item.theme if f.item is not None else ""
    return GRID_TEXTS.get(theme) or f"{q.theme(theme).title}: in hoeverre geldt het volgende?"


def other_text_field(fields: list[ToolField], f: ToolField) -> ToolField | None:
    return next((g for g in fields if g.kind == "other" and g.parent == f.column), None)


# --- how a reader matches labels (a koppeling lists only what this cannot resolve) --------------------------

SYNONYMS = {"yes": "ja", "no": "nee", "weetniet": "weetikniet", "dontknow": "weetikniet",
            "nvt": "nietvantoepassing", "wiliknietzeggen": "geenantwoord", "prefernottosay": "geenantwoord"}


def fold_label(text: object) -> str:
    """A label as a reader compares it: no case, accents, spacing or punctuation; common synonyms merged."""
    plain = unicodedata.normalize("NFKD", str(text))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()
    folded = re.sub(r"[^0-9a-z]+", "", plain)
    return SYNONYMS.get(folded, folded)


def is_yes_no(f: ToolField) -> bool:
    return {fold_label(label) for _, label in f.choices} <= {"ja", "nee", "weetikniet"}


def is_agree(f: ToolField) -> bool:
    return any(fold_label(label).endswith("eens") for _, label in f.choices)


# How each tool words our answers where it differs from the questionnaire (keys are folded labels).
WORDING = {
    "qualtrics": {"helemaaleens": "Helemaal mee eens", "eens": "Mee eens", "oneens": "Mee oneens",
                  "helemaaloneens": "Helemaal mee oneens", "jgcoach": "J&G-coach",
                  "speciaalbasisonderwijssosbo": "Speciaal (basis)onderwijs (SO/SBO)"},
    "surveymonkey": {"helemaaleens": "Helemaal mee eens", "eens": "Mee eens", "oneens": "Niet mee eens",
                     "helemaaloneens": "Helemaal niet mee eens",
                     "ondersteuningscoordinator": "Ondersteuningscoordinator"},
    "forms": {"weetikniet": "Weet niet"},
}
MISSING_WORDING = {
    "qualtrics": {"geen_antwoord": "Wil ik niet zeggen", "niet_van_toepassing": "Niet van toepassing"},
    "limesurvey": {"geen_antwoord": "Wil ik niet zeggen", "niet_van_toepassing": "Niet van toepassing"},
    "surveymonkey": {"geen_antwoord": "Zeg ik liever niet", "niet_van_toepassing": "N.v.t."},
    "forms": {"geen_antwoord": "Wil ik niet zeggen", "niet_van_toepassing": "nvt"},
    "spss": {"geen_antwoord": "Wil ik niet zeggen", "niet_van_toepassing": "N.v.t."},
}


def our_label(w: ToolWave, f: ToolField, code: int) -> str:
    return dict(f.choices).get(code) or w.missing_label(code)


def tool_wording(w: ToolWave, tool: str, f: ToolField, code: int) -> str:
    """Our answer (a code of the field, or a missing code) in the tool's words."""
    if code not in dict(f.choices) and code in w.missing:
        return MISSING_WORDING[tool][w.missing[code].kind]
    label = our_label(w, f, code)
    return WORDING.get(tool, {}).get(fold_label(label), label)


def add_answer(koppeling: dict, target: str, written: str, ours: str) -> None:
    koppeling.setdefault("antwoorden", {}).setdefault(target, {})[written] = ours


def add_answer_if_needed(koppeling: dict, target: str, written: str, ours: str) -> None:
    if fold_label(written) != fold_label(ours):
        add_answer(koppeling, target, written, ours)


# --- small writing helpers ----------------------------------------------------------------------------------

def tool_date(value: dt.datetime, style: str = "iso") -> str:
    if style == "us":
        return value.strftime("%m/%d/%Y %I:%M:%S %p")
    return value.strftime("%Y-%m-%d %H:%M:%S")


def csv_text(rows: list[list[str]], delimiter: str = ",", lineterminator: str = "\n") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=lineterminator).writerows(rows)
    return buffer.getvalue()


def tool_token(rng: np.random.Generator, length: int) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(alphabet[k] for k in rng.integers(0, len(alphabet), length))


def exported_at(w: ToolWave) -> dt.datetime:
    """When the export was made: the morning after the last answer."""
    last = max((w.end(i) for i in range(w.n)), default=dt.datetime(w.q.wave, 6, 1))
    return (last + dt.timedelta(days=1)).replace(hour=10, minute=15, second=0)


def save_workbook(w: ToolWave, book: Any, path: Path, creator: str) -> Path:  # book: an openpyxl Workbook
    """Save a tool's workbook as made by `creator` at the export time (exported_at), not at the clock's time that
    openpyxl stamps into the zip and core.xml: the same input gives the same bytes."""
    book.properties.creator = creator
    when = exported_at(w)
    buffer = io.BytesIO()
    book.properties.created = when
    book.save(buffer)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                              lambda m: m.group(1) + stamp + m.group(3), data)
            entry = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, data)
    return path


MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def stamp_sav(path: Path, when: dt.datetime) -> None:
    """Fix the creation date and time that ReadStat takes from the clock (SAV header, bytes 92-108)."""
    data = bytearray(path.read_bytes())
    if bytes(data[:4]) not in (b"$FL2", b"$FL3"):
        raise ValueError(f"Geen SPSS-bestand: {path}")
    data[92:101] = f"{when.day:02d} {MONTHS_EN[when.month - 1]} {when.year % 100:02d}".encode("ascii")
    data[101:109] = when.strftime("%H:%M:%S").encode("ascii")
    path.write_bytes(bytes(data))
