"""Tool exports: every layout parses with a plain reader and, decoded by hand through its koppeling, gives the
frame back exactly.

The decoder here is deliberately small and independent of monitor_aoj.demo: it reads each file with the csv
module, openpyxl or pyreadstat, names the columns the way the koppeling documentation says, applies `antwoorden`
and matches labels the way a reader promises to (case, accents, spacing and punctuation ignored; a few synonyms).
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
import json
import re
import unicodedata
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyreadstat
import pytest
import yaml

from monitor_aoj.demo.samples import REGIONS, generate_wave
from monitor_aoj.demo.tool_exports import LAYOUTS, koppeling_yaml, write_tool_export

REGION = REGIONS[0]  # Lindewaard: asks both regional extras in 2021
EXTRAS = REGION.waves[2021].extras
HEADER_ROWS = {"qualtrics": 3, "qualtrics-legacy": 2, "qualtrics-insights": 3, "limesurvey": 1,
               "limesurvey-teksten": 1, "limesurvey-r": 1, "surveymonkey-csv": 2, "surveymonkey-xlsx": 2,
               "forms": 1, "spss": 0, "csv-nl": 1, "csv-utf16": 1, "xlsx": 1}


@pytest.fixture(scope="module")
def q(questionnaires):
    return questionnaires[2021]


def plain_frame(q) -> pd.DataFrame:
    return generate_wave(q, REGION, 2021, np.random.default_rng(11))


def missing_frame(q) -> pd.DataFrame:
    """The same kind of frame with 'geen antwoord' and 'niet van toepassing' given as answers here and there."""
    frame = generate_wave(q, REGION, 2021, np.random.default_rng(12))
    frame.loc[2, "sector"] = 99
    frame.loc[4, "schooltype"] = 98
    frame.loc[[3, 9], "T1_2"] = 99
    frame.loc[5, "T2_1"] = 98
    frame.loc[6, "T2_4"] = 99
    frame.loc[7, "T3_1"] = 99
    frame.loc[8, "R1"] = 98
    return frame


@pytest.fixture(scope="module")
def frames(q):
    return {"plain": plain_frame(q), "missing": missing_frame(q)}


@pytest.fixture(scope="module")
def exports(q, frames, tmp_path_factory):
    folder = tmp_path_factory.mktemp("tool_exports")
    out = {}
    for name, frame in frames.items():
        for layout in LAYOUTS:
            stem = f"{name}_{layout.replace('-', '_')}"
            out[(name, layout)] = write_tool_export(frame, q, layout, folder / name, stem, EXTRAS, seed=7)
    return out


# --- a reader's label matching ---------------------------------------------------------------------------

SYNONYMS = {"yes": "ja", "no": "nee", "weetniet": "weetikniet", "dontknow": "weetikniet", "nvt": "nietvantoepassing",
            "wiliknietzeggen": "geenantwoord", "prefernottosay": "geenantwoord"}


def fold(text: object) -> str:
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", str(text)) if not unicodedata.combining(ch))
    folded = re.sub(r"[^0-9a-z]+", "", plain.casefold())
    return SYNONYMS.get(folded, folded)


# --- reading each layout with a plain reader: column name -> raw values (blank = "") ------------------------


def read_csv_rows(path: Path, encoding: str, delimiter: str = ",") -> list[list[str]]:
    with open(path, encoding=encoding, newline="") as handle:
        rows = list(csv.reader(handle, delimiter=delimiter))
    while rows and rows[-1] == []:  # LimeSurvey ends its files with an empty line
        rows.pop()
    return rows


def surveymonkey_names(row1: list[str], row2: list[str]) -> list[str]:
    names, question = [], ""
    for top, sub in zip(row1, row2):
        question = top or question
        names.append(question if sub in ("", "Response", "Open-Ended Response") else f"{question} - {sub}")
    return names


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_r_syntax(path: Path) -> tuple[dict[int, str], dict[int, dict[str, str]]]:
    """Column names and factor labels (code -> label) per column number from LimeSurvey's R syntax file."""
    names, factors = {}, {}
    quoted = r'"((?:\\.|[^"\\])*)"'
    for line in path.read_text(encoding="utf-8").splitlines():
        if m := re.match(r'names\(data\)\[(\d+)\] <- "(.*)"$', line):
            names[int(m.group(1))] = m.group(2)
        elif m := re.match(r"data\[, (\d+)\] <- factor\(data\[, \d+\], levels=c\((.*?)\),labels=c\((.*)\)\)$", line):
            levels = [part.strip().strip('"') for part in m.group(2).split(",")]
            labels = [re.sub(r"\\(.)", r"\1", s) for s in re.findall(quoted, m.group(3))]
            assert len(levels) == len(labels), line
            factors[int(m.group(1))] = dict(zip(levels, labels))
    return names, factors


def read_table(layout: str, files: tuple[Path, ...]) -> tuple[dict[str, list[str]], dict[str, str], int]:
    """(column name -> values, ImportId -> column name, number of header rows) as a plain reader sees them."""
    path = files[0]
    aliases: dict[str, str] = {}
    if layout == "qualtrics":
        rows = read_csv_rows(path, "utf-8-sig")
        aliases = {json.loads(imp)["ImportId"]: name for name, imp in zip(rows[0], rows[2])}
        return dict(zip(rows[0], map(list, zip(*rows[3:])))), aliases, 3
    if layout == "qualtrics-legacy":
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = read_csv_rows(path, "utf-8-sig")
        assert all(row[-1] == "" for row in rows) and raw.endswith(b",\n")  # the legacy trailing comma
        rows = [row[:-1] for row in rows]
        return dict(zip(rows[0], map(list, zip(*rows[2:])))), aliases, 2
    if layout == "qualtrics-insights":
        rows = read_csv_rows(path, "utf-8")
        aliases = {ast.literal_eval(imp)["ImportId"]: name for name, imp in zip(rows[0], rows[2])}
        return dict(zip(rows[0], map(list, zip(*rows[3:])))), aliases, 3
    if layout in ("limesurvey", "limesurvey-teksten"):
        rows = read_csv_rows(path, "utf-8-sig", ";" if layout == "limesurvey-teksten" else ",")
        return dict(zip(rows[0], map(list, zip(*rows[1:])))), aliases, 1
    if layout == "limesurvey-r":
        rows = read_csv_rows(path, "utf-8-sig")
        names, factors = parse_r_syntax(files[1])
        assert sorted(names) == list(range(1, len(rows[0]) + 1))
        columns = list(zip(*rows[1:]))
        table = {names[k]: [factors.get(k, {}).get(v, v) for v in columns[k - 1]] for k in names}
        return table, aliases, 1
    if layout == "surveymonkey-csv":
        rows = read_csv_rows(path, "utf-8-sig")
        return dict(zip(surveymonkey_names(rows[0], rows[1]), map(list, zip(*rows[2:])))), aliases, 2
    if layout == "spss":
        df, meta = pyreadstat.read_sav(str(path), user_missing=True)
        table = {}
        for column in df.columns:
            labels = meta.variable_value_labels.get(column, {})
            table[column] = ["" if (isinstance(v, float) and np.isnan(v)) or v is None
                             else labels.get(v, cell_text(v)) for v in df[column].tolist()]
        return table, aliases, 0
    if layout in ("csv-nl", "csv-utf16"):
        if layout == "csv-utf16":
            assert path.read_bytes().startswith(b"\xff\xfe")
            rows = read_csv_rows(path, "utf-16", "\t")
        else:
            rows = read_csv_rows(path, "cp1252", ";")
        return dict(zip(rows[0], map(list, zip(*rows[1:])))), aliases, 1
    book = openpyxl.load_workbook(path)
    if layout == "xlsx":
        assert book.sheetnames[0] == "Toelichting"
        sheet = book[book.sheetnames[1]]
    else:
        sheet = book.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    if layout == "surveymonkey-xlsx":
        names = surveymonkey_names([cell_text(v) for v in rows[0]], [cell_text(v) for v in rows[1]])
        return dict(zip(names, ([cell_text(v) for v in col] for col in zip(*rows[2:])))), aliases, 2
    return dict(zip(rows[0], ([cell_text(v) for v in col] for col in zip(*rows[1:])))), aliases, 1


# --- decoding through the koppeling ---------------------------------------------------------------------------


def columns_and_kinds(q) -> dict[str, str]:
    bg = q.background
    kinds = {bg.respondent_column: "id", bg.sector.column: "closed", bg.functie.column: "closed",
             bg.functie.other_column: "open", bg.schooltype.column: "closed"}
    for item in q.items:
        kinds[item.column] = "open" if item.is_open else "mark" if item.scale.kind == "cijfer" else "closed"
    return kinds


def label_lookup(q, column: str) -> dict[str, int]:
    bg = q.background
    choices = {bq.column: [(c.code, c.label) for c in bq.choices] for bq in (bg.sector, bg.functie, bg.schooltype)}
    by_column = {it.column: it for it in q.items}
    pairs = choices.get(column) or [(c.code, c.label) for c in getattr(by_column[column].scale, "categories", ())]
    lookup = {fold(label): code for code, label in pairs}
    lookup.update({fold(m.label): m.code for m in q.missing})
    return lookup


def decode(table, aliases, koppeling, q) -> pd.DataFrame:
    kinds = columns_and_kinds(q)
    item_column = {it.id: it.column for it in q.items}
    column_item = {it.column: it.id for it in q.items}
    kolommen = koppeling.get("kolommen") or {name: name for name in table if name in kinds}
    answers = koppeling.get("antwoorden") or {}
    out = {}
    for key, target in kolommen.items():
        column = item_column.get(target, target)
        values = table[key] if key in table else table[aliases[key]]
        kind = kinds[column]
        own = {**answers.get(column, {}), **answers.get(column_item.get(column, ""), {})}
        everywhere = answers.get("alle", {}) if kind in ("closed", "mark") else {}
        decoded = []
        for value in values:
            value = own.get(value, everywhere.get(value, value))
            if kind == "open":
                decoded.append(value)
            elif value == "":
                decoded.append(pd.NA)
            elif kind == "id" or (kind == "mark" and re.fullmatch(r"\d+", value)):
                decoded.append(int(value))
            else:
                lookup = label_lookup(q, column) if kind == "closed" else {fold(m.label): m.code for m in q.missing}
                assert fold(value) in lookup, f"{key} -> {column}: '{value}' is not a label of the questionnaire"
                decoded.append(lookup[fold(value)])
        out[column] = decoded
    frame = pd.DataFrame(out)
    # A filter kept the question from some respondents: their empty cell is 'niet van toepassing'.
    na_code = next((m.code for m in q.missing if m.kind == "niet_van_toepassing"), None)
    for item in q.items:
        if item.filter is not None and item.column in frame and na_code is not None:
            source = frame[q.item(item.filter.item).column]
            outside = ~source.isin(item.filter.codes).fillna(False).astype(bool)
            frame.loc[outside & frame[item.column].isna(), item.column] = na_code
    return frame


def normalised(frame: pd.DataFrame, q) -> pd.DataFrame:
    kinds = columns_and_kinds(q)
    out = {}
    for column in frame.columns:
        if kinds.get(column) == "open":
            out[column] = frame[column].map(lambda v: "" if v is None or (not isinstance(v, str) and pd.isna(v))
                                            else str(v)).astype(object)
        elif column in kinds:
            out[column] = pd.array(frame[column].tolist(), dtype="Int64")
    return pd.DataFrame(out)


# --- tests ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", ["plain", "missing"])
def test_round_trip(layout, name, exports, frames, q):
    export = exports[(name, layout)]
    frame = frames[name]
    assert export.files and all(p.exists() for p in export.files)
    table, aliases, header_rows = read_table(layout, export.files)
    assert header_rows == HEADER_ROWS[layout]
    assert {len(values) for values in table.values()} == {len(frame)}

    k = export.koppeling
    assert k["indeling"] == layout
    kinds = columns_and_kinds(q)
    targets = set(kinds) | {it.id for it in q.items}
    for key, target in (k.get("kolommen") or {}).items():
        assert key in table or aliases.get(key) in table, f"{layout}: koppeling names '{key}', not in the file"
        assert target in targets, f"{layout}: '{target}' is not in the questionnaire"
    assert set(k.get("antwoorden") or {}) <= targets | {"alle"}

    decoded = normalised(decode(table, aliases, k, q), q)
    expected = normalised(frame, q)
    assert sorted(decoded.columns) == sorted(expected.columns)
    pd.testing.assert_frame_equal(decoded[expected.columns], expected, check_dtype=False)


def test_older_questionnaire_round_trips(questionnaires, tmp_path):
    """2016 codes yes/no as 1/0, has three- and four-point scales and no 'niet van toepassing' code."""
    q, region = questionnaires[2016], REGIONS[1]
    frame = generate_wave(q, region, 2016, np.random.default_rng(4))
    for layout in LAYOUTS:
        export = write_tool_export(frame, q, layout, tmp_path, layout, region.waves[2016].extras, seed=2)
        table, aliases, _ = read_table(layout, export.files)
        decoded, expected = normalised(decode(table, aliases, export.koppeling, q), q), normalised(frame, q)
        pd.testing.assert_frame_equal(decoded[expected.columns], expected, check_dtype=False, obj=layout)


def test_same_input_same_bytes(q, frames, tmp_path):
    frame = frames["missing"]
    for layout in LAYOUTS:
        first = write_tool_export(frame, q, layout, tmp_path / "a", "x", EXTRAS, seed=3)
        second = write_tool_export(frame, q, layout, tmp_path / "b", "x", EXTRAS, seed=3)
        assert [p.read_bytes() for p in first.files] == [p.read_bytes() for p in second.files], layout
        assert first.koppeling == second.koppeling


def test_timestamps_come_from_the_data_not_the_clock(exports):
    today = dt.date.today()
    for layout in ("surveymonkey-xlsx", "forms", "xlsx"):
        path = exports[("plain", layout)].files[0]
        with zipfile.ZipFile(path) as archive:
            stamps = {info.date_time[:3] for info in archive.infolist()}
            core = archive.read("docProps/core.xml").decode()
        assert len(stamps) == 1 and stamps.pop()[0] == 2021, layout
        assert str(today) not in core
    header = exports[("plain", "spss")].files[0].read_bytes()[92:109].decode("ascii")
    assert re.fullmatch(r"\d\d [A-Z][a-z]{2} 21\d\d:\d\d:\d\d", header), header


def test_extras_only_when_named(q, frames, tmp_path):
    for layout in ("qualtrics", "spss", "csv-nl"):
        export = write_tool_export(frames["plain"], q, layout, tmp_path, layout, (), seed=1)
        assert not {"R1", "R2"} & set((export.koppeling.get("kolommen") or {}).values())
        table, _, _ = read_table(layout, export.files)
        assert not {"R1", "R2"} & set(table)


def test_tool_shapes(exports):
    """A few things a reader must cope with, checked on the bytes."""
    qualtrics = exports[("plain", "qualtrics")].files[0].read_bytes()
    assert qualtrics.startswith(b"\xef\xbb\xbfStartDate,EndDate,Status,IPAddress")
    assert b'"{""ImportId"":""startDate"",""timeZone"":""Europe/Amsterdam""}"' in qualtrics
    insights = read_csv_rows(exports[("plain", "qualtrics-insights")].files[0], "utf-8")
    assert insights[2][0] == "{'ImportId': 'responseId'}"
    assert "\n" in insights[1][insights[0].index("Q4_1")]  # a question text over more lines, inside quotes
    lime = exports[("plain", "limesurvey")].files[0].read_bytes()
    assert lime.startswith(b'\xef\xbb\xbf"id","submitdate"') and lime.endswith(b"\r\n\r\n")
    assert b',,' in lime  # a question hidden by its filter is NULL: not even quotes
    syntax = exports[("plain", "limesurvey-r")].files[1].read_text(encoding="utf-8")
    assert syntax.startswith('data <- read.csv("plain_limesurvey_r_R_data_file.csv"')
    assert 'labels=c("Ja", "Nee", "Onzeker")' in syntax
    sm = read_csv_rows(exports[("plain", "surveymonkey-csv")].files[0], "utf-8-sig")
    assert sm[0][:3] == ["Respondent ID", "Collector ID", "Start Date"] and "Open-Ended Response" in sm[1]
    forms = openpyxl.load_workbook(exports[("plain", "forms")].files[0]).worksheets[0]
    assert forms.title == "Sheet1"
    assert all(str(v).endswith(";") for (v,) in forms.iter_rows(min_row=2, min_col=7, max_col=7, values_only=True))
    assert exports[("plain", "csv-nl")].files[0].read_bytes().decode("cp1252").startswith("respondent_id;sector;")


def test_koppeling_yaml_reads_back(exports):
    for (name, layout), export in exports.items():
        text = koppeling_yaml(export.koppeling)
        assert text.startswith("# Koppeling")
        assert yaml.safe_load(io.StringIO(text)) == export.koppeling
