"""The mapping of one export onto the questionnaire ("koppeling"): columns, answers and scale variants, as data.

A mapping is written by the user (or drafted by `monitor-aoj koppel`) in a YAML file beside the export, named
under `koppeling:` in regios.yaml, or inline in the wave's entry there. It says
- `indeling`: the survey tool's layout, when detection should not decide (see layouts.LAYOUTS);
- `codes`: `labels` (default: values are decoded by their label) or `vragenlijst` (bare numbers in a file
  without value labels are the questionnaire's own codes);
- `kolommen`: file column (its name, question text or Qualtrics ImportId) -> questionnaire column or item id,
  or `negeren`;
- `antwoorden`: per questionnaire column or item id (or `alle`): a value as the file writes it (label or
  code) -> the questionnaire's answer (label, code, 'Geen antwoord');
- `schalen`: per item, the scale this region asked it with (for example `ja_nee_weet` where the standard
  has `ja_nee`).
Every entry is checked when the configuration is read; mistakes are configuration errors that name the entry
and suggest the likely fix.
`column_codings` settles, per column of an export, how its values decode under the mapping; `merged_answers`
finds the answers a mapping puts together on one answer of a scale whose other answers then stay empty.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from monitor_aoj.definitions.questionnaire import Questionnaire
from monitor_aoj.errors import ConfigError, invariant
from monitor_aoj.ingest.columns import FUNCTIE, FUNCTIE_OTHER, RESPONDENT, SCHOOLTYPE, SECTOR
from monitor_aoj.ingest.decode import (
    VALID,
    ColumnCoding,
    Option,
    answer_key,
    choice_options,
    column_coding,
    decode_key,
    fold,
    resolve_answer,
    same_meaning,
    scale_options,
)
from monitor_aoj.ingest.layouts import LAYOUT_ALIASES, LAYOUTS

MAPPING_KEYS = ("indeling", "codes", "kolommen", "antwoorden", "schalen")
IGNORE = "negeren"  # a target that says: this file column is not an answer
ALL = "alle"  # an `antwoorden` target that applies to every column
CODES = {"labels": False, "vragenlijst": True}
KIND_NAMES = {"nominaal": "nominale schaal", "ordinaal": "ordinale schaal", "cijfer": "cijferschaal"}


@dataclass(frozen=True)
class ExportMapping:
    """How one export maps onto the questionnaire of its wave (empty: the file uses the questionnaire's names)."""

    where: str = ""  # where the mapping was written, for messages
    layout: str = ""  # "" = detect
    numbers_are_codes: bool = False
    columns: tuple[tuple[str, str], ...] = ()  # (file column as the user wrote it, canonical target or IGNORE)
    answers: tuple[tuple[str, tuple[tuple[str, int, str], ...]], ...] = ()  # target -> (answer key, code, status)
    scales: tuple[tuple[str, str], ...] = ()  # item id -> scale id of this region's variant

    def answers_for(self, canonical: str) -> dict[str, tuple[int, str]]:
        """The user's answer mapping for one column: entries under `alle` first, the column's own win."""
        out: dict[str, tuple[int, str]] = {}
        for target in (ALL, canonical):
            for t, entries in self.answers:
                if t == target:
                    out.update({key: (code, status) for key, code, status in entries})
        return out

    def scale_for(self, item_id: str) -> str:
        return dict(self.scales).get(item_id, "")


def targets(q: Questionnaire) -> dict[str, str]:
    """Folded name a user may write as target -> canonical column: questionnaire columns and item ids."""
    bg = q.background
    out = {fold(bg.respondent_column): RESPONDENT, fold(bg.sector.column): SECTOR, fold(bg.functie.column): FUNCTIE,
           fold(bg.schooltype.column): SCHOOLTYPE}
    if bg.functie.other_column:
        out[fold(bg.functie.other_column)] = FUNCTIE_OTHER
    for canonical in (RESPONDENT, SECTOR, FUNCTIE, SCHOOLTYPE, FUNCTIE_OTHER):
        out.setdefault(fold(canonical), canonical)
    for item in q.items:
        out[fold(item.column)] = item.id
        out[fold(item.id)] = item.id
    return out


def options_for(q: Questionnaire, canonical: str, scale_id: str = "") -> list[Option] | None:
    """The answers a canonical column allows (None for open and id columns)."""
    bg = q.background
    choices = {SECTOR: bg.sector.choices, FUNCTIE: bg.functie.choices, SCHOOLTYPE: bg.schooltype.choices}
    if canonical in choices:
        return choice_options(choices[canonical], q.missing)
    if q.has_item(canonical) and not q.item(canonical).is_open:
        scale = q.scales[scale_id] if scale_id else q.item(canonical).closed_scale
        return scale_options(scale, q.missing)
    return None


def _suggest(name: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(name, candidates, n=3, cutoff=0.5)
    return f" Bedoelt u {' of '.join(repr(c) for c in close)}?" if close else ""


def parse_mapping(inline: dict[str, Any], file: Path | None, where: str, q: Questionnaire | None,
                  folder: Path) -> ExportMapping:
    """The mapping of one export from its regios.yaml entry (inline keys) and/or its `koppeling` file."""
    from monitor_aoj.definitions.yaml_reader import load_yaml

    raw: dict[str, Any] = {k: inline[k] for k in MAPPING_KEYS if k in inline}
    if file is not None:
        if not file.is_file():
            raise ConfigError(f"{where}: koppelingsbestand '{file.name}' staat niet in {folder}. Maak het met "
                              "'monitor-aoj koppel' of corrigeer de naam.")
        content = load_yaml(file, "Koppelingsbestand") or {}
        if not isinstance(content, dict):
            raise ConfigError(f"Koppelingsbestand {file.name}: verwacht de onderdelen {', '.join(MAPPING_KEYS)}.")
        unknown = sorted(str(k) for k in content if k not in MAPPING_KEYS)
        if unknown:
            raise ConfigError(f"Koppelingsbestand {file.name}: onbekend onderdeel {', '.join(map(repr, unknown))}. "
                              f"Bekende onderdelen: {', '.join(MAPPING_KEYS)}.")
        both = sorted(k for k in content if k in raw)
        if both:
            raise ConfigError(f"{where}: '{both[0]}' staat zowel in regios.yaml als in {file.name}. Houd één plek.")
        raw.update(content)
        where = f"Koppelingsbestand {file.name}"
    return _Parser(where, q).mapping(raw)


class _Parser:
    def __init__(self, where: str, q: Questionnaire | None):
        self.where = where
        self.q = q
        self.targets = targets(q) if q is not None else {}

    def fail(self, part: str, what: str) -> ConfigError:
        return ConfigError(f"{self.where}, {part}: {what}")

    def table(self, raw: Any, part: str) -> dict:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            raise self.fail(part, "verwacht regels 'naam: waarde'.")
        return raw

    def target(self, name: Any, part: str, entry: str) -> str:
        text = str(name).strip()
        if fold(text) == IGNORE:
            return IGNORE
        if self.q is None:
            return text
        canonical = self.targets.get(fold(text))
        if canonical is None:
            names = sorted({it.column for it in self.q.items} | {it.id for it in self.q.items})
            raise self.fail(part, f"'{entry}': '{text}' is geen kolom of vraag van de vragenlijst van {self.q.wave}."
                            f"{_suggest(text, names)} Doelen zijn kolomnamen (zoals T1_1), vraag-id's (zoals "
                            f"mdo_aanwezig), de achtergrondkolommen of '{IGNORE}'.")
        return canonical

    def mapping(self, raw: dict[str, Any]) -> ExportMapping:
        layout = str(raw.get("indeling") or "").strip().casefold()
        layout = LAYOUT_ALIASES.get(layout, layout)
        if layout and layout not in LAYOUTS:
            raise self.fail("indeling", f"'{layout}' is onbekend. Kies uit: {', '.join(LAYOUTS)}.")
        codes = str(raw.get("codes") or "labels").strip().casefold()
        if codes not in CODES:
            raise self.fail("codes", f"'{codes}' is onbekend. Kies 'labels' (antwoorden op hun label lezen) of "
                            "'vragenlijst' (de getallen in het bestand zijn de codes van de vragenlijst).")
        columns = []
        seen: dict[str, str] = {}
        for source, target in self.table(raw.get("kolommen"), "kolommen").items():
            canonical = self.target(target, "kolommen", f"{source}: {target}")
            if canonical != IGNORE and canonical in seen:
                raise self.fail("kolommen", f"'{seen[canonical]}' en '{source}' wijzen allebei naar '{target}'. "
                                "Eén kolom per vraag: verwijder of verbeter een van beide regels.")
            seen[canonical] = str(source)
            columns.append((str(source), canonical))
        scales = []
        for item, scale in self.table(raw.get("schalen"), "schalen").items():
            canonical = self.target(item, "schalen", f"{item}: {scale}")
            if self.q is not None:
                if not self.q.has_item(canonical) or self.q.item(canonical).is_open:
                    raise self.fail("schalen", f"'{item}' is geen gesloten vraag.")
                if str(scale) not in self.q.scales:
                    raise self.fail("schalen", f"'{item}: {scale}': schaal '{scale}' staat niet in de vragenlijst."
                                    f"{_suggest(str(scale), list(self.q.scales))} Schalen: "
                                    f"{', '.join(self.q.scales)}.")
                own, other = self.q.item(canonical).closed_scale.kind, self.q.scales[str(scale)].kind
                if own != other:
                    raise self.fail("schalen", f"'{item}: {scale}': de vraag heeft een {KIND_NAMES[own]} en '{scale}' "
                                    f"is een {KIND_NAMES[other]}; een variant moet dezelfde soort schaal zijn.")
            scales.append((canonical, str(scale)))
        answers = []
        for target, entries in self.table(raw.get("antwoorden"), "antwoorden").items():
            canonical = ALL if fold(target) == ALL else self.target(target, "antwoorden", str(target))
            resolved = []
            for value, ours in self.table(entries, f"antwoorden, {target}").items():
                if ours is None or not str(ours).strip():
                    # An open slot of a drafted mapping (# KIES): the user has to say what the answer means.
                    allowed = self.allowed(canonical, dict(scales).get(canonical, "")) if self.q else ""
                    raise self.fail(f"antwoorden, {target}", f"'{value}' heeft nog geen antwoord. Zet achter "
                                    f"'{value}:' het antwoord van de vragenlijst dat het betekent"
                                    + (f" (mogelijk: {allowed})" if allowed else "") + ".")
                hit = self.answer(canonical, dict(scales).get(canonical, ""), ours)
                if hit is None:
                    allowed = self.allowed(canonical, dict(scales).get(canonical, ""))
                    raise self.fail(f"antwoorden, {target}", f"'{value}: {ours}': '{ours}' is geen antwoord van "
                                    f"deze vraag. Mogelijk: {allowed}.")
                resolved.append((answer_key(value), hit[0], hit[1]))
            answers.append((canonical, tuple(resolved)))
        return ExportMapping(self.where, layout, CODES[codes], tuple(columns), tuple(answers), tuple(scales))

    def answer(self, canonical: str, scale_id: str, ours: Any) -> tuple[int, str] | None:
        if self.q is None:
            return (0, "")
        if canonical == ALL:
            # Under `alle` only the answers every column has: the missing codes.
            return resolve_answer(ours, [o for o in choice_options((), self.q.missing)])
        options = options_for(self.q, canonical, scale_id)
        if options is None:
            raise self.fail("antwoorden", f"'{canonical}' is een open vraag of een nummer; daar worden antwoorden "
                            "niet gekoppeld.")
        return resolve_answer(ours, options)

    def allowed(self, canonical: str, scale_id: str) -> str:
        # Only asked after answer() found no match, which needs the questionnaire.
        q = invariant(self.q, "allowed() without a questionnaire")
        options = (choice_options((), q.missing) if canonical == ALL else options_for(q, canonical, scale_id) or [])
        return ", ".join(f"{label} ({code})" for code, label, _, _ in options)


def column_codings(q: Questionnaire, mapping: ExportMapping, columns: Iterable[str],
                   labels: dict[str, dict]) -> dict[str, ColumnCoding]:
    """How each of `columns` decodes under this mapping (canonical column -> ColumnCoding); `labels`: the file's
    value labels per column. Raises ConfigError when 'codes: vragenlijst' contradicts the file's labels."""
    out = {}
    for canonical in columns:
        options = options_for(q, canonical, mapping.scale_for(canonical))
        if options is None:
            continue
        file_labels = labels.get(canonical)
        scale = q.item(canonical).scale if q.has_item(canonical) else None
        is_mark = scale is not None and scale.kind == "cijfer"
        out[canonical] = column_coding(
            # Codes the file labels are read by their label; the others are ours only when the user said so.
            options, numbers_are_codes=mapping.numbers_are_codes, is_mark=is_mark,
            file_labels=file_labels, answers=mapping.answers_for(canonical))
        if mapping.numbers_are_codes and file_labels:
            _contradictions(canonical, options, file_labels, out[canonical], mapping)
    return out


def _contradictions(canonical: str, options: list[Option], file_labels: dict, coding: ColumnCoding,
                    mapping: ExportMapping) -> None:
    """'codes: vragenlijst' while the file's own labels say a code means something else: never guess."""
    ours = {str(code): label for code, label, _, _ in options}
    wrong = [f"{answer_key(code)} = '{label}' in het bestand, '{ours[answer_key(code)]}' in de vragenlijst"
             for code, label in file_labels.items()
             if answer_key(code) in ours and coding.lookup.get(answer_key(code), (None,))[0] != int(answer_key(code))]
    if wrong:
        raise ConfigError(
            f"{mapping.where or 'regios.yaml'}: 'codes: vragenlijst' klopt niet voor kolom '{canonical}': "
            f"{'; '.join(wrong[:4])}. Laat 'codes' weg: de antwoorden worden dan op hun label gelezen.")


@dataclass(frozen=True)
class MergedAnswers:
    """Different answers of one file column that land on one answer of the item's scale, at least one of them by
    the mapping, while other answers of that scale get none in the file: a mapping accepted unchecked, or meant."""

    answer: str  # the questionnaire's answer they land on
    values: tuple[str, ...]  # the file's answers, as the file writes them (a code with its label)
    unused: tuple[str, ...]  # the scale's answers no value of the file lands on

    @property
    def values_text(self) -> str:
        return _quoted(self.values)

    @property
    def unused_text(self) -> str:
        return _quoted(self.unused)


def _quoted(texts: tuple[str, ...]) -> str:
    """'a', 'b' en 'c'."""
    shown = [f"'{t}'" for t in texts]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " en " + shown[-1]


def merged_answers(q: Questionnaire, mapping: ExportMapping, canonical: str, values: pd.Series,
                   coding: ColumnCoding) -> list[MergedAnswers]:
    """Where the mapping merges answers of one item column (see MergedAnswers); [] for background, open and mark
    columns, and when every answer of the scale still gets its own."""
    if not coding.mapped or not q.has_item(canonical) or q.item(canonical).is_open:
        return []  # without answers of the mapping the column is read by meaning alone: nothing merged by hand
    variant = mapping.scale_for(canonical)
    scale = q.scales[variant] if variant else q.item(canonical).closed_scale
    if scale.kind == "cijfer":
        return []
    shown: dict[str, str] = {}
    for value in values[values.notna()].unique():
        key = answer_key(value)
        if key and key not in shown:
            label = coding.file_labels.get(key)
            shown[key] = f"{key} = {label}" if label is not None else " ".join(str(value).split())
    by_code: dict[int, list[str]] = {}
    for key in shown:
        hit = decode_key(key, coding.lookup)
        if hit is not None and hit[1] == VALID:
            by_code.setdefault(hit[0], []).append(key)
    out = []
    for code, keys in by_code.items():
        distinct: list[str] = []  # one key per meaning: 'Ja' and 'yes' are one answer
        for key in keys:
            if not any(same_meaning(key, d) for d in distinct):
                distinct.append(key)
        unused = tuple(c.label for c in scale.categories if c.code not in by_code)
        if len(distinct) > 1 and unused and any(key in coding.mapped for key in keys):
            label = next((c.label for c in scale.categories if c.code == code), str(code))
            out.append(MergedAnswers(label, tuple(shown[k] for k in distinct), unused))
    return out
