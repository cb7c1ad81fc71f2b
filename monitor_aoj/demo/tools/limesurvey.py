"""LimeSurvey exports: answer codes or full texts as headings, or the R data file with its syntax file."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from monitor_aoj.demo.tools.fields import (
    MISSING_WORDING,
    ToolField,
    ToolWave,
    add_answer,
    add_answer_if_needed,
    fold_label,
    grid_question_text,
    is_agree,
    is_yes_no,
    other_text_field,
    our_label,
    question_units,
    tool_date,
)

LIMESURVEY_META = (  # (code heading, full-text heading, R field type)
    ("id", "Response ID", "F"), ("submitdate", "Date submitted", "DATETIME23.2"), ("lastpage", "Last page", "F"),
    ("startlanguage", "Start language", "A"), ("seed", "Seed", "A"), ("startdate", "Date started", "DATETIME23.2"),
    ("datestamp", "Date last action", "DATETIME23.2"),
)
# LimeSurvey's own answer texts in a Dutch survey: Yes/No, Yes/No/Uncertain and the 'Other' option.
LIMESURVEY_YES_NO = {"Y": "Ja", "N": "Nee", "U": "Onzeker"}
LIMESURVEY_OTHER = "Anders"


@dataclass
class _LQuestion:
    code: str  # G01Q02
    type: str  # LimeSurvey question type: L list, ! dropdown, F array, C array yes/no/uncertain, Y yes/no,
    #            N numerical input, T long free text
    text: str
    fields: list[ToolField]
    answers: list[tuple[int, str, str]]  # (our code, answer code, answer text) in LimeSurvey's order
    other: ToolField | None = None


def _limesurvey_answers(w: ToolWave, fs: list[ToolField], qtype: str) -> list[tuple[int, str, str]]:
    """The answer options a survey designer would set up for these fields."""
    f = fs[0]
    by_fold = {fold_label(label): code for code, label in f.choices}
    if qtype in ("Y", "C"):
        letters = {"ja": "Y", "nee": "N", "weetikniet": "U"}
        return [(by_fold[key], letter, LIMESURVEY_YES_NO[letter]) for key, letter in letters.items() if key in by_fold]
    if f.kind == "mark":
        answers = [(code, str(code), str(code)) for code in f.item_scale.codes]
    elif f.item is None and f.column == w.q.background.schooltype.column:
        used: set[str] = set()
        answers = []
        for code, label in f.choices:  # short codes a designer types: po, so, vo ...
            inner = re.findall(r"\(([^()]*)\)\s*$", label)
            short = re.sub(r"[^0-9a-z]", "", (inner[0] if inner else label[:3]).casefold())[:5] or "x"
            while short in used:
                short = short[:4] + str(len(used))
            used.add(short)
            answers.append((code, short, label))
    elif is_yes_no(f):
        letters = {"ja": "J", "nee": "N", "weetikniet": "W"}
        answers = [(code, letters[fold_label(label)], label) for code, label in f.choices]
    elif is_agree(f):  # numbered from disagree to agree, as the designer put them on screen
        answers = [(code, str(k), label) for k, (code, label) in enumerate(reversed(f.choices), start=1)]
    else:
        answers = [(code, f"A{k}", label) for k, (code, label) in
                   enumerate([c for c in f.choices if c[0] != f.other_code], start=1)]
        if f.other_code is not None and other_text_field(w.fields, f) is not None:
            answers.append((f.other_code, "-oth-", LIMESURVEY_OTHER))  # LimeSurvey's own 'Other' option
    numeric = all(code.isdigit() for _, code, _ in answers)
    for code in w.used_missing(fs):
        kind = w.missing[code].kind
        answer_code = str(code) if numeric else {"geen_antwoord": "WNZ", "niet_van_toepassing": "NVT"}[kind]
        answers.append((code, answer_code, MISSING_WORDING["limesurvey"][kind]))
    return answers


def _limesurvey_survey(w: ToolWave) -> list[_LQuestion]:
    groups: dict[str, int] = {}
    counts: Counter = Counter()
    questions = []
    for fs in question_units(w.fields):
        f = fs[0]
        group = 1 if f.item is None else groups.setdefault(f.item.theme, len(groups) + 2)
        counts[group] += 1
        code = f"G{group:02d}Q{counts[group]:02d}"
        plain = not w.used_missing(fs)
        if f.kind == "open":
            qtype = "T"
        elif f.kind == "mark":
            qtype = "N" if plain else "L"
        elif f.item is None:
            qtype = "!" if f.column == w.q.background.schooltype.column else "L"
        elif len(fs) > 1:
            qtype = "C" if plain and is_yes_no(f) and len(f.choices) == 3 else "F"
        else:
            # A plain yes/no question uses LimeSurvey's Yes/No type; its full-text export writes 'N/A' (in
            # Dutch) for a blank, so the region that exports full texts asked it as a list instead.
            qtype = "Y" if (plain and is_yes_no(f) and len(f.choices) == 2
                            and w.layout != "limesurvey-teksten") else "L"
        answers = [] if qtype in ("T", "N") else _limesurvey_answers(w, fs, qtype)
        other = other_text_field(w.fields, f) if any(c == "-oth-" for _, c, _ in answers) else None
        text = grid_question_text(w.q, f) if len(fs) > 1 else f.text
        questions.append(_LQuestion(code, qtype, text, fs, answers, other))
    return questions


def _limesurvey_columns(lq: _LQuestion) -> list[tuple[str, str, str, str, ToolField]]:
    """(code heading, full-text heading, R name, R variable label, field) per column of a question."""
    if len(lq.fields) > 1 or lq.type in ("F", "C"):
        return [(f"{lq.code}[SQ{k:03d}]", f"{lq.text} [{f.text}]", f"{lq.code}_SQ{k:03d}", f"[{f.text}] {lq.text}", f)
                for k, f in enumerate(lq.fields, start=1)]
    columns = [(lq.code, lq.text, lq.code, lq.text, lq.fields[0])]
    if lq.other is not None:
        columns.append((f"{lq.code}[other]", f"{lq.text} [{LIMESURVEY_OTHER}]", f"{lq.code}_other",
                        f"[{LIMESURVEY_OTHER}] {lq.text}", lq.other))
    return columns


def _limesurvey_line(values: Sequence[str | None], separator: str, quote_all: bool = False) -> str:
    """One record as LimeSurvey's CsvWriter writes it: every value quoted, a NULL as nothing at all."""
    return separator.join('""' if v is None and quote_all else "" if v is None
                          else '"' + str(v).replace('"', '""') + '"' for v in values)


def _r_string(text: str) -> str:
    """PHP's addslashes, as the R syntax writer applies it to labels."""
    return re.sub(r"([\\'\"])", r"\\\1", text)


def write_limesurvey(w: ToolWave, folder: Path, stem: str) -> tuple[list[Path], dict]:
    layout = w.layout
    full, r_export = layout == "limesurvey-teksten", layout == "limesurvey-r"
    survey = _limesurvey_survey(w)
    question_of = {id(f): lq for lq in survey for f in lq.fields}
    columns = [c for lq in survey for c in _limesurvey_columns(lq)]
    id_field = next((f for f in w.fields if f.kind == "id"), None)
    rng = w.rng
    seeds = rng.integers(10_000_000, 2_000_000_000, w.n)
    pages = len({lq.code[:3] for lq in survey})

    def value(f: ToolField, i: int) -> str | None:
        if f.kind in ("open", "other"):
            return w.text(f, i)
        if w.hidden(f, i):
            return None  # not shown: NULL in the response table
        code = w.code(f, i)
        lq = question_of[id(f)]
        if code is None:
            return None if lq.type == "N" else ""  # skipped: an empty string, a number column stays NULL
        if lq.type == "N":
            return str(code)
        match = next(a for a in lq.answers if a[0] == code)
        if full:
            return match[2]
        if r_export and lq.type in ("Y", "C"):
            return {"Y": "1", "N": "2", "U": "3"}[match[1]]
        return match[1]

    records: list[list[str | None]] = []
    for i in range(w.n):
        respondent = str(w.code(id_field, i)) if id_field else str(i + 1)
        meta: list[str | None] = [respondent, tool_date(w.end(i)), str(pages), "nl", str(seeds[i]),
                                  tool_date(w.starts[i]), tool_date(w.end(i))]
        records.append(meta + [value(c[4], i) for c in columns])

    koppeling: dict = {"indeling": layout, "codes": "labels", "kolommen": {}}
    key_index = 2 if r_export else 1 if full else 0
    if id_field:
        koppeling["kolommen"][LIMESURVEY_META[0][1 if full else 0]] = id_field.column
    for column in columns:
        f = column[4]
        lq = question_of.get(id(f))
        target = f.target if full and f.kind != "other" else f.column
        koppeling["kolommen"][column[key_index]] = target
        if lq is None or f.kind not in ("closed", "mark"):
            continue
        for code, answer_code, text in lq.answers:
            if f.kind == "mark" and code not in w.missing:
                continue
            ours = our_label(w, f, code)
            if layout == "limesurvey":
                add_answer(koppeling, target, answer_code, ours)
            elif answer_code == "-oth-" and r_export:
                add_answer(koppeling, target, "-oth-", ours)  # the syntax file has no label for 'Other'
            else:
                add_answer_if_needed(koppeling, target, text, ours)

    files = []
    if r_export:
        data_path = folder / f"{stem}_R_data_file.csv"
        header = [m[1] for m in LIMESURVEY_META] + [c[1] for c in columns]
        lines = [_limesurvey_line(header, ",", True)] + [_limesurvey_line(r, ",", True) for r in records]
        data_path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n\r\n").encode("utf-8"))
        syntax_path = folder / f"{stem}_R_syntax_file.R"
        syntax_path.write_bytes(_r_syntax(data_path.name, survey, columns, question_of).encode("utf-8"))
        files = [data_path, syntax_path]
    else:
        separator = ";" if full else ","
        header = [m[1] if full else m[0] for m in LIMESURVEY_META] + [c[1] if full else c[0] for c in columns]
        lines = [_limesurvey_line(header, separator)] + [_limesurvey_line(r, separator) for r in records]
        path = folder / f"{stem}.csv"
        path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n\r\n").encode("utf-8"))
        files = [path]
    return files, koppeling


def _r_syntax(data_name: str, survey: list[_LQuestion], columns: list, question_of: dict) -> str:
    """The syntax file of LimeSurvey's R export: types, variable labels, factor levels and names."""
    out = [f'data <- read.csv("{data_name}", quote = "\'\\"", na.strings=c("", "\\"\\""), '
           'stringsAsFactors=FALSE, fileEncoding="UTF-8-BOM")', "", ""]

    def block(i: int, field_type: str, label: str, name: str, factor: str = "") -> None:
        kind = "numeric" if field_type == "F" else "character"
        out.append(f"# LimeSurvey Field type: {field_type}")
        out.append(f"data[, {i}] <- as.{kind}(data[, {i}])")
        out.append(f'attributes(data)$variable.labels[{i}] <- "{_r_string(label)}"')
        if factor:
            out.append(factor)
        out.append(f'names(data)[{i}] <- "{name}"')

    for i, (name, _, field_type) in enumerate(LIMESURVEY_META, start=1):
        block(i, field_type, name, name)
    for i, (_, _, r_name, r_label, f) in enumerate(columns, start=len(LIMESURVEY_META) + 1):
        lq = question_of.get(id(f))
        if lq is None or lq.type in ("T", "N"):
            block(i, "F" if lq is not None and lq.type == "N" else "A", r_label, r_name)
            continue
        if lq.type in ("Y", "C"):
            levels = [({"Y": "1", "N": "2", "U": "3"}[code], text) for _, code, text in lq.answers]
            numeric = True
        else:
            levels = [(code, text) for _, code, text in lq.answers if code != "-oth-"]
            numeric = all(code.isdigit() for code, _ in levels) and lq.other is None
        level_text = ",".join(code if numeric else f'"{code}"' for code, _ in levels)
        label_text = ", ".join(f'"{_r_string(text)}"' for _, text in levels)
        factor = f"data[, {i}] <- factor(data[, {i}], levels=c({level_text}),labels=c({label_text}))"
        block(i, "F" if numeric else "A", r_label, r_name, factor)
    return "\n".join(out) + "\n"
