"""Draft the mapping ("koppeling") of a new export onto the questionnaire, for the user to check.

`draft_mapping` reads an export with the pipeline's own readers, recognises its layout and proposes, per file
column, the questionnaire column it most likely holds: by name (certain), by question text or variable label
(similarity), by its answers (the labels or text values fit an item's scale) and, for columns that only their
answers identify, by their order in the file. Per mapped column it lists the values that do not decode by
themselves, with the nearest answer of the questionnaire. Nothing is decided silently: every guess is written
with a `# CONTROLEREN` comment, and every column and item that found no partner is listed. How a column fits a
target is koppel_fit's; koppel_yaml.render_yaml writes the draft as a mapping file that `parse_mapping`
accepts as it stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from monitor_aoj.definitions.questionnaire import Questionnaire
from monitor_aoj.definitions.regions import EXTENSION_FORMAT, ExportFile
from monitor_aoj.errors import ConfigError
from monitor_aoj.ingest.columns import FUNCTIE, FUNCTIE_OTHER, RESPONDENT, SCHOOLTYPE, SECTOR
from monitor_aoj.ingest.decode import fold
from monitor_aoj.ingest.formats import read_table
from monitor_aoj.ingest.koppel_answers import AnswerDraft, column_answers
from monitor_aoj.ingest.koppel_fit import (
    ColumnValues,
    answers_fit,
    column_values,
    similarity,
    target_candidates,
    target_names,
    target_texts,
    values_sample,
    written,
)
from monitor_aoj.ingest.mapping import options_for
from monitor_aoj.ingest.table import Table

CERTAIN_TEXT = 0.9  # a question text at least this similar (and fitting answers) needs no check
MIN_TEXT = 0.6  # below this a text says nothing


@dataclass
class ColumnDraft:
    position: int
    source: str  # how the mapping names the file column
    text: str  # question text or variable label in the file
    target: str = ""  # canonical column ("" = not mapped)
    certain: bool = False
    why: str = ""  # Dutch: how it was matched, or why it needs a check
    metadata: bool = False


@dataclass
class Draft:
    export: Path
    wave: int
    layout: str
    rows: int
    codes: str = "labels"
    codes_note: str = ""
    columns: list[ColumnDraft] = field(default_factory=list)
    answers: dict[str, list[AnswerDraft]] = field(default_factory=dict)  # canonical -> values to check
    scales: dict[str, tuple[str, str]] = field(default_factory=dict)  # item id -> (scale id, why)
    missing_items: list[str] = field(default_factory=list)  # canonical columns no file column was found for
    id_note: str = ""  # Dutch: which survey-tool id column can be the respondent id, or why none can

    def mapped(self, certain: bool) -> list[ColumnDraft]:
        return [c for c in self.columns if c.target and c.certain == certain]

    @property
    def unmapped(self) -> list[ColumnDraft]:
        return [c for c in self.columns if not c.target]


def draft_mapping(path: Path, q: Questionnaire) -> Draft:
    """Read an export and propose its mapping onto questionnaire q (see the module docstring).

    Args:
        path: the export (.sav, .zsav, .csv, .txt, .xlsx, or LimeSurvey's R data file with its .R beside it).
        q: the questionnaire of the wave the export belongs to.

    Returns:
        Draft: one ColumnDraft per file column (target "" when none was found; certain or with the reason to check
        it), the values per mapped column that do not decode by themselves (answers), proposed scale variants,
        and the questionnaire columns no file column was found for.

    Raises:
        ConfigError: the file type is not one of the above.
        ReadError: the file cannot be read (see formats.read_table).
    """
    fmt = EXTENSION_FORMAT.get(path.suffix.lower(), "")
    if not fmt:
        raise ConfigError(f"{path.name}: onbekend bestandstype '{path.suffix}'. Geschikt zijn .sav, .csv, .txt "
                          "en .xlsx.")
    export = ExportFile(region="koppel", wave=q.wave, path=path, format=fmt)
    wanted = {fold(it.column) for it in q.items}
    table = read_table(export, wanted)
    header = table.header
    draft = Draft(path, q.wave, header.layout, len(table.body))
    names = list(header.names)
    for pos, name in enumerate(names):
        text = header.texts[pos] if pos < len(header.texts) else ""
        source = name
        if not name or names.count(name) > 1:
            alternatives = [t for t in (text, header.import_ids[pos] if pos < len(header.import_ids) else "")
                            if t and list(header.texts).count(t) == 1]
            source = alternatives[0] if alternatives else ""
        draft.columns.append(ColumnDraft(pos, source, text if fold(text) != fold(name) else "",
                                         metadata=pos in header.metadata))
    usable = [c for c in draft.columns if not c.metadata and c.source]
    for c in draft.columns:
        if not c.source and not c.metadata:
            c.why = "de kolom heeft geen (unieke) naam; geef hem in de export een eigen naam"
    values = {c.position: column_values(table, c.position) for c in usable}
    candidates = target_candidates(q)
    regional = {it.id for it in q.items if it.regional}
    taken: dict[str, ColumnDraft] = {}

    def take(c: ColumnDraft, target: str, certain: bool, why: str) -> None:
        c.target, c.certain, c.why = target, certain, why
        taken[target] = c

    # (a) the name is the questionnaire's own: certain. An id column whose values repeat is no id, whatever its name.
    for c in usable:
        for target in candidates:
            if target not in taken and fold(c.source) in target_names(q, target):
                trouble = values[c.position].id_trouble() if target == RESPONDENT else ""
                if trouble:
                    c.why = f"heet als het respondentnummer, maar is het niet: {trouble}"
                else:
                    take(c, target, True, "zelfde naam")
                break
    # (b) question text, variable label or name against our texts, checked against the answers.
    fits = {(c.position, t): answers_fit(q, t, values[c.position]) for c in usable for t in candidates}
    scored = []
    for c in usable:
        if c.target:
            continue
        for t in candidates:
            fit, variant = fits[(c.position, t)]
            texts = [(s, kind) for s, kind in ((c.text, "vraagtekst"), (c.source, "kolomnaam")) if s]
            sim, against, kind = max(((similarity(s, ours), ours, kind) for s, kind in texts
                                      for ours in target_texts(q, t)), default=(0.0, "", ""))
            if sim < MIN_TEXT or (t == RESPONDENT and fit <= 0):
                if t == RESPONDENT and sim >= CERTAIN_TEXT and not c.why:
                    c.why = f"lijkt op naam het respondentnummer, maar is het niet: {values[c.position].id_trouble()}"
                continue
            if (0 <= fit < 0.5 and fit != 0.4) and sim < 0.85:
                continue  # the answers say it is something else
            score = sim if fit < 0 else 0.7 * sim + 0.3 * fit
            scored.append((score, sim, fit, variant, c.position, t, against, kind))
    scored.sort(key=lambda s: (-s[0], s[4]))
    by_position = {c.position: c for c in usable}
    for score, sim, fit, variant, pos, t, against, kind in scored:
        c = by_position[pos]
        if c.target or t in taken:
            continue
        rivals = [s for s in scored if s[5] == t and s[4] != pos and not by_position[s[4]].target
                  and s[0] >= score - 0.05]
        others = [s for s in scored if s[4] == pos and s[5] != t and s[5] not in taken and s[0] >= score - 0.03]
        # Certain: a (nearly) equal text whose answers fit, or a name inside the text (0.85) whose answers fit
        # this target alone (sector: onderwijs/jeugdhulp; a mark from 1 to 10).
        distinctive = fit >= 0.9 and not any(fits[(pos, o)][0] >= 0.9 for o in candidates if o != t)
        # The questionnaire's own text: the column is certain; an answer that does not fit is asked under
        # antwoorden.
        certain = ((sim >= CERTAIN_TEXT and (fit < 0 or fit >= 0.9)) or (sim >= 0.85 and distinctive)
                   or (sim >= 0.97 and not variant)) \
            and not variant and not rivals and not others
        shown = f"'{against[:60]}{'...' if len(against) > 60 else ''}'"
        why = f"{kind} lijkt {round(100 * sim)}% op {shown}" if sim < 1 else f"{kind} gelijk aan {shown}"
        if rivals:
            why += (f"; ook kolom '{by_position[rivals[0][4]].source[:40]}' past bij {written(q, t)}: twee kolommen "
                    f"passen bij {written(q, t)}")
        if others:
            why += f"; past bijna even goed bij {', '.join(written(q, s[5]) for s in others[:3])}"
        if 0 <= fit < 0.9:
            why += "; niet alle antwoorden passen" + (" (zie antwoorden)" if certain else "")
        take(c, t, certain, why)
    # (c) answers only: background questions by their answers, the rest also by their order in the file.
    for c in usable:
        if c.target:
            continue
        for t in (SECTOR, FUNCTIE, SCHOOLTYPE):
            if t not in taken and fits[(c.position, t)][0] >= 0.6:
                take(c, t, False, f"alleen op de antwoorden ({values_sample(values[c.position])})")
                break
    if RESPONDENT not in taken:
        unique = [c for c in usable if not c.target and fits[(c.position, RESPONDENT)][0] > 0
                  and not any(fits[(c.position, t)][0] >= 0.6 for t in candidates if q.has_item(t))]
        if unique:
            take(unique[0], RESPONDENT, False, "elke rij heeft een eigen waarde: lijkt een respondentnummer"
                 + (f" (ook uniek: {', '.join(u.source for u in unique[1:3])})" if len(unique) > 1 else ""))
    order = {t: i for i, t in enumerate(candidates)}
    last = -1
    for c in draft.columns:
        if c.target:
            last = order[c.target]
            continue
        if c.metadata or not c.source:
            continue
        options = []
        for t in candidates:
            if t in taken or t in regional or not q.has_item(t):
                continue
            fit, variant = fits[(c.position, t)]
            if fit >= 0.5 and not (fit == 0.4):
                options.append((t, fit, variant))
        if not options:
            continue
        free_after = [o for o in options if order[o[0]] > last]

        def value(o: tuple[str, float, str], pool: list[tuple[str, float, str]] = free_after) -> float:
            skipped = sum(1 for p in pool if order[p[0]] < order[o[0]])
            return o[1] - 0.1 * skipped

        pool = free_after or options
        best = max(pool, key=lambda o: (value(o, pool), -order[o[0]]))
        also = [o[0] for o in options if o[0] != best[0]]
        what = "tekstantwoorden" if values[c.position].long_text else values_sample(values[c.position])
        why = f"alleen op de antwoorden ({what}) en de volgorde in het bestand"
        if also:
            why += f"; past ook bij {', '.join(written(q, a) for a in also[:4])}{' en meer' if len(also) > 4 else ''}"
        take(c, best[0], False, why)
        last = order[best[0]]
    asked = [t for t in candidates if t not in regional and t != FUNCTIE_OTHER]
    draft.missing_items = [t for t in asked if t not in taken]
    open_left = [written(q, t) for t in draft.missing_items if q.has_item(t) and q.item(t).is_open]
    for c in usable:
        if not c.target and not c.why:
            v = values[c.position]
            if v.filled == 0:
                # An empty column says nothing about its question; an open one nobody answered is likely.
                c.why = "de kolom is leeg, dus de antwoorden zeggen niet welke vraag het is" + (
                    f"; misschien een open vraag: {', '.join(open_left)}" if open_left else "")
            else:
                c.why = "past bij geen vraag (naam, tekst en antwoorden)"
    _draft_answers(q, draft, values)
    if RESPONDENT not in taken:
        draft.id_note = _metadata_id(q, draft, table)
    return draft


def _metadata_id(q: Questionnaire, draft: Draft, table: Table) -> str:
    """Which id column of the survey tool's own can be the respondent id (Dutch), or why none can."""
    ids = [c for c in draft.columns if c.metadata and re.search(r"response ?id|^id$|respondent", c.source, re.I)]
    troubles = [(c, column_values(table, c.position).id_trouble()) for c in ids]
    usable = [c for c, trouble in troubles if not trouble]
    if usable:
        return f"(als respondentnummer kunt u '{usable[0].source}: {written(q, RESPONDENT)}' onder kolommen zetten)"
    return "".join(f"('{c.source}' is geen bruikbaar respondentnummer: {trouble})" for c, trouble in troubles[:1])


def _draft_answers(q: Questionnaire, draft: Draft, values: dict[int, ColumnValues]) -> None:
    mapped = [c for c in draft.columns if c.target and c.position in values]
    closed = [c for c in mapped if options_for(q, c.target) is not None]
    any_labels = any(values[c.position].labels for c in closed)
    bare = [c for c in closed if values[c.position].numbers and not values[c.position].labels]
    if not any_labels and bare:
        draft.codes = "vragenlijst"
        lines = []
        for c in closed:
            options = options_for(q, c.target) or []
            lines.append(f"{written(q, c.target)}: " + ", ".join(f"{code} = {label}" for code, label, *_ in options))
        draft.codes_note = ("het bestand heeft geen labels, alleen getallen; die zijn gelezen als de codes van de "
                            "vragenlijst. Klopt dat? De codes van de vragenlijst:\n" + "\n".join(lines))
        return
    for c in closed:
        if not values[c.position].labels:
            continue
        entries, (variant, why) = column_answers(q, c.target, values[c.position])
        if variant:
            draft.scales[c.target] = (variant, why)
        if entries:
            draft.answers[c.target] = entries
