"""Draft the mapping ("koppeling") of a new export onto the questionnaire, for the user to check.

`draft_mapping` reads an export with the pipeline's own readers, recognises its layout and proposes, per file
column, the questionnaire column it most likely holds: by name (certain), by question text or variable label
(similarity), by its answers (the labels or text values fit an item's scale) and, for columns that only their
answers identify, by their order in the file. Per mapped column it lists the values that do not decode by
themselves, with the nearest answer of the questionnaire. Nothing is decided silently: every guess is written
with a `# CONTROLEREN` comment, and every column and item that found no partner is listed. `render_yaml`
writes the draft as a mapping file that `parse_mapping` accepts as it stands.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from monitor_aoj.definitions.questionnaire import Questionnaire
from monitor_aoj.definitions.regions import EXTENSION_FORMAT, ExportFile
from monitor_aoj.errors import ConfigError
from monitor_aoj.ingest.columns import FUNCTIE, FUNCTIE_OTHER, RESPONDENT, SCHOOLTYPE, SECTOR
from monitor_aoj.ingest.decode import answer_key, fold, match_label, meaning_table
from monitor_aoj.ingest.formats import read_table
from monitor_aoj.ingest.layouts import LAYOUTS
from monitor_aoj.ingest.mapping import options_for
from monitor_aoj.ingest.table import Table

CERTAIN_TEXT = 0.9  # a question text at least this similar (and fitting answers) needs no check
MIN_TEXT = 0.6  # below this a text says nothing
_STOP = {"er", "is", "een", "de", "het", "en", "van", "in", "op", "met", "uit", "aan", "te", "dat", "die", "om",
         "voor", "zijn", "worden", "wordt", "u", "of", "tot", "bij", "door", "als", "ook", "welk", "welke", "hoe",
         "the", "a", "an", "of", "to", "and", "is", "are", "do", "you", "your", "what", "which", "q"}
# Background questions: words a column name or question text uses for them.
_BACKGROUND_WORDS = {
    RESPONDENT: "respondent respondentnummer respondent id volgnummer",
    SECTOR: "sector werkveld",
    FUNCTIE: "functie beroep",
    SCHOOLTYPE: "schooltype soort onderwijs",
    FUNCTIE_OTHER: "functie anders namelijk",
}
# Answers that mean the same in the field, for suggestions only (the user confirms each one).
_HINTS = {"basisonderwijs": "primair onderwijs", "bao": "primair onderwijs", "jgz": "jeugdverpleegkundige",
          "sbo": "speciaal basisonderwijs", "voortgezet onderwijs": "voortgezet onderwijs regulier"}


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
class AnswerDraft:
    value: str  # the value as the mapping writes it (the file's code or text)
    label: str  # the file's label of it ("" when the value is the text)
    suggestion: str  # the questionnaire's answer
    why: str


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

    def mapped(self, certain: bool) -> list[ColumnDraft]:
        return [c for c in self.columns if c.target and c.certain == certain]

    @property
    def unmapped(self) -> list[ColumnDraft]:
        return [c for c in self.columns if not c.target]


# --- comparing texts ------------------------------------------------------------------------------------


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _tokens(text: str) -> set[str]:
    return {t for t in _plain(text).split() if t not in _STOP}


def similarity(a: str, b: str) -> float:
    """How alike two texts are, 0..1: the better of difflib's ratio and the share of shared words."""
    pa, pb = _plain(a), _plain(b)
    if not pa or not pb:
        return 0.0
    if pa == pb:
        return 1.0
    ratio = difflib.SequenceMatcher(None, pa, pb).ratio()
    ta, tb = _tokens(a), _tokens(b)
    overlap = 0.0
    if ta and tb:
        shared = len(ta & tb) + 0.5 * sum(1 for x in ta - tb if len(x) >= 4 and any(x in y or y in x for y in tb - ta))
        overlap = 2 * shared / (len(ta) + len(tb))
        if min(len(ta), len(tb)) <= 2:  # a short name inside a long text: 'sector' in 'In welke sector ...'
            overlap = max(overlap, 0.85 * shared / min(len(ta), len(tb)))
    return min(1.0, max(ratio, overlap))


# --- what the questionnaire offers --------------------------------------------------------------------------


def written(q: Questionnaire, canonical: str) -> str:
    """The target as the mapping writes it: the questionnaire's column name."""
    bg = q.background
    names = {RESPONDENT: bg.respondent_column, SECTOR: bg.sector.column, FUNCTIE: bg.functie.column,
             SCHOOLTYPE: bg.schooltype.column, FUNCTIE_OTHER: bg.functie.other_column or FUNCTIE_OTHER}
    return names.get(canonical) or q.item(canonical).column


def _candidates(q: Questionnaire) -> list[str]:
    """Canonical targets in questionnaire order: background first, then the items."""
    out = [RESPONDENT, SECTOR, FUNCTIE, SCHOOLTYPE]
    if q.background.functie.other_column:
        out.append(FUNCTIE_OTHER)
    return out + [it.id for it in q.items]


def _target_texts(q: Questionnaire, canonical: str) -> list[str]:
    if canonical in _BACKGROUND_WORDS:
        return [written(q, canonical), _BACKGROUND_WORDS[canonical]]
    item = q.item(canonical)
    return [item.short] + [t for _, t in item.texts]


def _names(q: Questionnaire, canonical: str) -> set[str]:
    names = {fold(written(q, canonical)), fold(canonical)}
    return names


def _label(q: Questionnaire, canonical: str) -> str:
    if canonical in _BACKGROUND_WORDS:
        return written(q, canonical)
    item = q.item(canonical)
    return f"{item.column} ({item.short})"


# --- what a column holds -------------------------------------------------------------------------------------


@dataclass
class _Values:
    labels: dict[str, str]  # answer key -> label shown (file value labels, or the text values themselves)
    coded: bool  # labels are value labels of codes (SPSS, R): the mapping names the code
    numbers: set[str]  # numeric values without a label
    filled: int  # non-blank cells
    distinct: int
    rows: int
    long_text: bool  # free text: many different, long values


def _values(table: Table, pos: int) -> _Values:
    cells = [r[pos] if pos < len(r) else None for r in table.body]
    keys = {}
    for v in cells:
        if v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip()):
            continue
        keys.setdefault(answer_key(v), v)
    filled = sum(1 for v in cells if v is not None and not (isinstance(v, float) and v != v)
                 and not (isinstance(v, str) and not v.strip()))
    file_labels = table.labels.get(pos) or {}
    labels = {answer_key(c): str(lab) for c, lab in file_labels.items()}
    numbers = set()
    texts = {}
    for key, v in keys.items():
        if key in labels:
            continue
        if re.fullmatch(r"-?\d+(\.\d+)?", key):
            numbers.add(key)
        else:
            texts[key] = " ".join(str(v).split())
    long_text = len(texts) >= 3 and sum(len(t) for t in texts.values()) / len(texts) > 25
    if not long_text:
        labels.update(texts)
    return _Values(labels, bool(file_labels), numbers, filled, len(keys), len(cells), long_text)


def _fit(q: Questionnaire, canonical: str, values: _Values) -> tuple[float, str]:
    """How well a column's answers fit a target (0..1), and the scale variant it needs ('' = its own scale).

    -1 when the answers say nothing (empty, or open target with closed answers and the reverse)."""
    if canonical == RESPONDENT:
        unique = values.filled == values.rows and values.distinct == values.rows and values.rows >= 2
        return (1.0 if unique and not values.long_text else 0.0), ""
    if canonical == FUNCTIE_OTHER or (q.has_item(canonical) and q.item(canonical).is_open):
        if values.long_text:
            return 1.0, ""
        return (-1.0 if values.filled == 0 else 0.0), ""
    if not values.labels and not values.numbers:
        return -1.0, ""
    if values.long_text:
        return 0.0, ""
    scale = q.item(canonical).scale if q.has_item(canonical) else None
    variants = [""]
    if scale is not None:
        variants += [sid for sid, s in q.scales.items() if s.kind == scale.kind and s is not scale]
    best = (0.0, "")
    for variant in variants:
        options = options_for(q, canonical, variant) or []
        table = meaning_table(options)
        hits = sum(1 for lab in values.labels.values() if match_label(lab, table) is not None)
        valid_codes = {str(code) for code, _, status, _ in options if status == "geldig"}
        numbers_ok = all(n in valid_codes or n in {str(c) for c, *_ in options} for n in values.numbers)
        if scale is not None and scale.kind == "cijfer":
            if values.numbers and not numbers_ok:
                continue
            score = (1.0 if len(values.numbers) >= 3 else 0.45) if values.numbers else 0.0  # one '1' is no mark
            if values.labels:
                score = min(score or 1.0, hits / len(values.labels))
        elif values.labels:
            score = hits / len(values.labels)
            if values.numbers and not numbers_ok:
                score *= 0.5
            shown = {match_label(lab, table) for lab in values.labels.values()} - {None}
            wanted = {(code, status) for code, _, status, _ in options if status == "geldig"}
            if score == 1.0 and not wanted <= shown:
                score = 0.9  # all answers known, but the scale has more: a scale with fewer fits better
        else:
            score = 0.4 if numbers_ok else 0.0  # bare numbers: only the questionnaire's codes could tell
        if variant:
            score *= 0.6
        if score > best[0]:
            best = (score, variant)
    return best


# --- drafting ---------------------------------------------------------------------------------------------


def draft_mapping(path: Path, q: Questionnaire) -> Draft:
    """Read an export and propose its mapping onto questionnaire q (see the module docstring)."""
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
    values = {c.position: _values(table, c.position) for c in usable}
    candidates = _candidates(q)
    regional = {it.id for it in q.items if it.regional}
    taken: dict[str, ColumnDraft] = {}

    def take(c: ColumnDraft, target: str, certain: bool, why: str) -> None:
        c.target, c.certain, c.why = target, certain, why
        taken[target] = c

    # (a) the name is the questionnaire's own: certain.
    for c in usable:
        for target in candidates:
            if target not in taken and fold(c.source) in _names(q, target):
                take(c, target, True, "zelfde naam")
                break
    # (b) question text, variable label or name against our texts, checked against the answers.
    fits = {(c.position, t): _fit(q, t, values[c.position]) for c in usable for t in candidates}
    scored = []
    for c in usable:
        if c.target:
            continue
        for t in candidates:
            fit, variant = fits[(c.position, t)]
            texts = [(s, kind) for s, kind in ((c.text, "vraagtekst"), (c.source, "kolomnaam")) if s]
            sim, against, kind = max(((similarity(s, ours), ours, kind) for s, kind in texts
                                      for ours in _target_texts(q, t)), default=(0.0, "", ""))
            if sim < MIN_TEXT:
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
                take(c, t, False, f"alleen op de antwoorden ({_sample(values[c.position])})")
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

        def value(o, pool=free_after):
            skipped = sum(1 for p in pool if order[p[0]] < order[o[0]])
            return o[1] - 0.1 * skipped

        pool = free_after or options
        best = max(pool, key=lambda o: (value(o, pool), -order[o[0]]))
        also = [o[0] for o in options if o[0] != best[0]]
        what = "tekstantwoorden" if values[c.position].long_text else _sample(values[c.position])
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
    return draft


def _sample(v: _Values, n: int = 3) -> str:
    shown = list(dict.fromkeys(v.labels.values()))[:n] or sorted(v.numbers, key=lambda x: float(x))[:n]
    return ", ".join(shown) + (" ..." if len(v.labels) + len(v.numbers) > n else "")


def _draft_answers(q: Questionnaire, draft: Draft, values: dict[int, _Values]) -> None:
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
        v = values[c.position]
        if not v.labels:
            continue
        options = options_for(q, c.target) or []
        table = meaning_table(options)
        item = q.item(c.target) if q.has_item(c.target) else None
        variant = ""
        open_labels = {k: lab for k, lab in v.labels.items() if match_label(lab, table) is None}
        if item is not None and open_labels and not any(cat.dont_know for cat in item.scale.categories):
            dont_know = [k for k, lab in open_labels.items()
                         if match_label(lab, meaning_table([(3, "Weet ik niet", "geldig", True)])) is not None]
            if dont_know:
                for sid, scale in q.scales.items():
                    if scale.kind != item.scale.kind or not any(cat.dont_know for cat in scale.categories):
                        continue
                    variant_table = meaning_table(options_for(q, c.target, sid) or [])
                    if all(match_label(v.labels[k], variant_table) is not None for k in dont_know) and all(
                            match_label(lab, variant_table) is not None for lab in v.labels.values()
                            if match_label(lab, table) is not None):
                        variant = sid
                        draft.scales[c.target] = (sid, f"'{open_labels[dont_know[0]]}' staat in het bestand maar "
                                                  f"niet in schaal {item.scale.id} van {item.column}; met {sid} "
                                                  "telt het als antwoord 'Weet ik niet'")
                        break
        if variant:
            options = options_for(q, c.target, variant) or []
            table = meaning_table(options)
            open_labels = {k: lab for k, lab in open_labels.items() if match_label(lab, table) is None}
        entries = []
        for key, lab in open_labels.items():
            suggestion, sim = _nearest(lab, options)
            value = key if v.coded and key not in {answer_key(x) for x in v.labels.values()} else lab
            if v.coded:
                value = key
            why = (f"'{lab}' staat niet in de vragenlijst; lijkt {round(100 * sim)}% op '{suggestion}'"
                   if sim >= 0.3 else f"'{lab}' lijkt op geen antwoord van de vragenlijst; voorlopig "
                   "'Geen antwoord', kies zelf")
            if v.coded:
                why = f"in het bestand {key} = " + why
            entries.append(AnswerDraft(value, lab if v.coded else "", suggestion, why))
        if entries:
            draft.answers[c.target] = entries


def _nearest(label: str, options) -> tuple[str, float]:
    text = _plain(label)
    for word, meant in _HINTS.items():
        if re.search(rf"\b{word}\b", text):
            text = f"{text} {meant}"
    best = ("Geen antwoord", 0.0)
    for _, ours, *_ in options:
        sim = similarity(text, ours)
        if sim > best[1]:
            best = (ours, sim)
    return best if best[1] >= 0.3 else ("Geen antwoord", best[1])


# --- writing ------------------------------------------------------------------------------------------------


def _scalar(value: object) -> str:
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        return value
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000).strip().removesuffix(
        "\n...").removesuffix("...").strip()


def _comment(text: str) -> str:
    return " ".join(text.split())


def render_yaml(draft: Draft, q: Questionnaire, name: str) -> str:
    """The draft as a mapping file, with Dutch comments; deterministic (no date)."""
    out = [
        f"# Koppeling van {draft.export.name} op de vragenlijst van meting {draft.wave}.",
        f"# Ontwerp gemaakt met 'monitor-aoj koppel'. Indeling van het bestand: {LAYOUTS[draft.layout]}.",
        "#",
        "# Dit is een voorstel. Controleer elke regel met CONTROLEREN: klopt de koppeling, laat hem staan;",
        "# klopt hij niet, verbeter de regel (of zet 'negeren' als doel). Regels zonder CONTROLEREN zijn zeker.",
        "# Gebruik: zet dit bestand in de invoermap naast de export en noem het bij de meting in regios.yaml:",
        f"#     koppeling: {name}",
        "# en controleer daarna met: monitor-aoj valideer --invoer <invoermap>",
        "",
        f"indeling: {draft.layout}",
    ]
    if draft.codes == "vragenlijst":
        out.append("codes: vragenlijst  # CONTROLEREN: " + draft.codes_note.splitlines()[0])
        out += [f"#   {line}" for line in draft.codes_note.splitlines()[1:]]
    else:
        out.append("codes: labels  # antwoorden worden op hun label gelezen")
    out += ["", "# Kolom in het bestand: kolom of vraag van de vragenlijst."]
    mapped = [c for c in draft.columns if c.target]
    if mapped:
        out.append("kolommen:")
        for c in mapped:
            note = c.why if c.certain else f"CONTROLEREN: {c.why}"
            out.append(f"  {_scalar(c.source)}: {written(q, c.target)}  # {_comment(note)}")
    else:
        out.append("kolommen: {}  # geen enkele kolom gevonden die bij de vragenlijst past")
    unmapped = [c for c in draft.columns if not c.target]
    if unmapped:
        out += ["", "# Niet gekoppeld: deze kolommen van het bestand worden niet gelezen. Hoort er toch een bij",
                "# de vragenlijst, zet hem dan onder 'kolommen' (bijvoorbeeld  kolomnaam: T1_1)."]
        meta = [c for c in unmapped if c.metadata]
        for c in unmapped:
            if not c.metadata:
                out.append(f"#   {c.source or '(kolom ' + str(c.position + 1) + ')'}: {_comment(c.why)}")
        if meta:
            out.append(f"#   metagegevens van de enquêtetool: {', '.join(c.source for c in meta if c.source)}")
            ids = [c.source for c in meta if re.search(r"response ?id|^id$|respondent", c.source, re.I)]
            if ids and RESPONDENT in draft.missing_items:
                out.append(f"#   (als respondentnummer kunt u '{ids[0]}: {written(q, RESPONDENT)}' onder kolommen "
                           "zetten)")
    if draft.missing_items:
        out += ["", "# Vragen van de vragenlijst zonder kolom in dit bestand "
                    "(niet gesteld, of hierboven niet herkend):"]
        out += [f"#   {_label(q, t)}" for t in draft.missing_items]
    if draft.answers:
        out += ["", "# Antwoorden die niet vanzelf worden herkend: waarde in het bestand: antwoord van de vragenlijst.",
                "antwoorden:"]
        for target, entries in draft.answers.items():
            out.append(f"  {written(q, target)}:")
            for e in entries:
                out.append(f"    {_scalar(e.value)}: {_scalar(e.suggestion)}  # CONTROLEREN: {_comment(e.why)}")
    if draft.scales:
        out += ["", "# Vragen die in deze regio met een andere schaal zijn gesteld.", "schalen:"]
        for item_id, (scale, why) in draft.scales.items():
            out.append(f"  {q.item(item_id).column}: {scale}  # CONTROLEREN: {_comment(why)}")
    return "\n".join(out) + "\n"
