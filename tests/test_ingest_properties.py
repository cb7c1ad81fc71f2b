"""Property tests of the ingest: random exports as survey tools write them, read and validated.

Each property builds random respondents in the 2021 questionnaire's codes, writes them with
monitor_aoj.demo.tool_exports in a survey tool's layout (with the koppeling beside it and a regios.yaml naming
it), optionally damages the file, and validates. Hypothesis runs derandomized (the same examples in every run)
and with few examples: one validation costs about 1.7 s (Great Expectations), whatever the number of files,
so every example validates several exports at once where it can. The file takes about a minute.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import re
import tempfile
from pathlib import Path

import openpyxl
import pandas as pd
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from monitor_aoj.definitions.questionnaire_reader import load_questionnaires
from monitor_aoj.definitions.regions import load_config
from monitor_aoj.demo.tool_exports import LAYOUTS, koppeling_yaml, write_tool_export
from monitor_aoj.errors import MonitorError
from monitor_aoj.ingest.columns import RESPONDENT, ROW
from monitor_aoj.ingest.decode import INVALID, VALID
from monitor_aoj.ingest.layouts import parse_r_syntax
from monitor_aoj.ingest.responses import build_responses, respondent_ids
from monitor_aoj.ingest.validation import validate

from conftest import QUESTIONNAIRES

WAVE = 2021
EXTRAS = ("extra_jg_coach_preventief", "extra_verzuim_stap_open")


def props(examples: int):
    # MONITOR_AOJ_NO_SHRINK=1 reports a failure as found, without minutes of shrinking (while developing).
    phases = [p for p in Phase if p != Phase.shrink or not os.environ.get("MONITOR_AOJ_NO_SHRINK")]
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None, phases=phases,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@functools.cache
def questionnaires():
    return load_questionnaires(QUESTIONNAIRES)


def q2021():
    return questionnaires()[WAVE]


HEADER_ROWS = {"qualtrics": 3, "qualtrics-legacy": 2, "qualtrics-insights": 3, "limesurvey": 1,
               "limesurvey-teksten": 1, "limesurvey-r": 1, "surveymonkey-csv": 2, "surveymonkey-xlsx": 2,
               "forms": 1, "spss": 0, "csv-nl": 1, "csv-utf16": 1, "xlsx": 1}
SEPARATOR = {"qualtrics": ",", "qualtrics-legacy": ",", "qualtrics-insights": ",", "limesurvey": ",",
             "limesurvey-teksten": ";", "surveymonkey-csv": ",", "csv-nl": ";", "csv-utf16": "\t"}
# Placeholder ids: write_tool_export writes an id as int(id), so text ids ("007") are put into the file after
# writing. Ten digits, all of the same length, so that one never is part of another.
PLACEHOLDER = 4_321_000_000


# --- strategies --------------------------------------------------------------------------------------------

SAFE_TEXT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ABCDEëéï0123456789.,;:!?-'()/&", max_size=40)


def text_ids(n: int):
    """n distinct ids as text. Small numbers with 0-2 leading zeros, so that '7', '07' and '007' (different
    respondents) often meet in one file; now and then one with letters."""
    one = st.one_of(
        st.builds(lambda zeros, k: "0" * zeros + str(k), st.integers(0, 2), st.integers(0, 60)),
        st.builds(lambda p, k: f"{p}{k}", st.sampled_from(["R", "resp-", "A"]), st.integers(0, 999)),
    )
    return st.lists(one, min_size=n, max_size=n, unique=True)


def numeric_ids(n: int):
    """SPSS ids: the writer stores them as numbers, so '007' cannot be written there."""
    return st.lists(st.integers(1, 999_999), min_size=n, max_size=n, unique=True).map(
        lambda ks: [str(k) for k in ks])


@st.composite
def respondent(draw, q, open_text=SAFE_TEXT) -> dict:
    bg = q.background
    row: dict[str, object] = {}
    row[bg.sector.column] = draw(st.sampled_from([c.code for c in bg.sector.choices]))
    functie = draw(st.one_of(st.none(), st.sampled_from([c.code for c in bg.functie.choices])))
    row[bg.functie.column] = functie
    other = next(c.code for c in bg.functie.choices if c.other)
    row[bg.functie.other_column] = draw(open_text) if functie == other else ""
    row[bg.schooltype.column] = draw(st.one_of(st.none(), st.sampled_from([c.code for c in bg.schooltype.choices])))
    missing = [m.code for m in q.missing]
    for item in q.items_for(EXTRAS):
        if item.is_open:
            row[item.column] = draw(st.one_of(st.just(""), open_text))
        else:
            codes = list(item.scale.codes)
            row[item.column] = draw(st.one_of(st.sampled_from(codes), st.sampled_from(missing), st.none()))
    # One real answer per respondent: a row without any is put in quarantine by design ('lege_rij').
    first = q.items[0]
    row[first.column] = draw(st.sampled_from(list(first.scale.codes)))
    return row


@st.composite
def frames(draw, q, spss: bool = False, max_n: int = 40, open_text=SAFE_TEXT):
    """(frame in our codes with placeholder ids, the ids as text in row order)."""
    n = draw(st.integers(1, max_n))
    ids = draw(numeric_ids(n) if spss else text_ids(n))
    rows = [draw(respondent(q, open_text)) for _ in range(n)]
    frame = pd.DataFrame(rows, dtype=object)
    column = q.background.respondent_column
    frame.insert(0, column, [int(i) for i in ids] if spss else [PLACEHOLDER + i for i in range(n)])
    return frame, ids


# --- writing an input folder -------------------------------------------------------------------------------


def _encoding(data: bytes, layout: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return "cp1252" if layout == "csv-nl" else "utf-8"


def put_ids(path: Path, layout: str, ids: list[str]) -> None:
    """Replace the placeholder ids in a written export by the text ids, each exactly once."""
    if layout == "spss":
        return
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path)
        hits = 0
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, int) and 0 <= cell.value - PLACEHOLDER < len(ids):
                        cell.value = ids[cell.value - PLACEHOLDER]
                        hits += 1
        assert hits == len(ids)
        book.save(path)
        return
    data = path.read_bytes()
    encoding = _encoding(data, layout)
    text = data.decode(encoding)
    for i, new in enumerate(ids):
        text, hits = re.subn(rf"(?<!\d){PLACEHOLDER + i}(?!\d)", new, text)
        assert hits == 1, (path, i)
    path.write_bytes(text.encode(encoding))


@functools.cache
def region_name(rid: str) -> str:
    return {"r0": "Aaltenveld", "r1": "Bergerheide", "r2": "Coevorden-Zuid"}.get(rid, rid.upper())


def write_region(folder: Path, rid: str, frame: pd.DataFrame, ids: list[str], layout: str, seed: int = 0,
                 **fields) -> dict:
    """Write one region's export into folder; return its entry under 'metingen' (as YAML lines)."""
    export = write_tool_export(frame, q2021(), layout, folder, f"{rid}_{layout.replace('-', '_')}", EXTRAS, seed)
    put_ids(export.files[0], layout, ids)
    # The writer names some layouts by the file it wrote ('surveymonkey-csv'): `indeling:` accepts those too.
    koppeling = dict(export.koppeling)
    name = f"{rid}.koppeling.yaml"
    (folder / name).write_text(koppeling_yaml(koppeling), encoding="utf-8")
    return {"bestand": export.files[0].name, "koppeling": name, **fields}


def write_config(folder: Path, regions: dict[str, dict]) -> None:
    lines = ["regios:"]
    for rid, meting in regions.items():
        lines += [f"  - id: {rid}", f"    naam: {region_name(rid)}", "    metingen:", f"      - jaar: {WAVE}",
                  f"        extra_vragen: [{', '.join(EXTRAS)}]"]
        lines += [f"        {k}: {v}" for k, v in meting.items()]
    (folder / "regios.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(folder: Path):
    qs = questionnaires()
    return validate(load_config(folder, qs), qs)


def used_ids(f) -> list[str]:
    """Ids of the used rows; a used row without an id column is named after its row (and so is no id written)."""
    if f.clean is None:
        return []
    frame = f.clean.frame
    if RESPONDENT not in frame:
        return [f"rij {r}" for r in frame[ROW]]
    return respondent_ids(frame[RESPONDENT]).tolist()


def accounted(f) -> None:
    assert f.rows_read == f.rows_used + f.rows_quarantined, f.name
    assert f.rows_used == (len(f.clean.frame) if f.clean is not None else 0), f.name


def looks_dutch(text: str) -> bool:
    words = set(re.findall(r"[a-zë]+", text.lower()))
    return len(words & {"de", "het", "een", "niet", "van", "is", "in", "of", "bestand", "rij", "kolom"}) >= 2


# --- a. random valid exports in every layout ---------------------------------------------------------------

@st.composite
def valid_exports(draw):
    layouts = draw(st.lists(st.sampled_from(LAYOUTS), min_size=1, max_size=3, unique=True))
    return [(layout, *draw(frames(q2021(), spss=layout == "spss"))) for layout in layouts]


@props(examples=8)
@given(valid_exports())
def test_every_physical_data_row_is_read_once_and_keeps_its_id(exports):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        config = {f"r{k}": write_region(folder, f"r{k}", frame, ids, layout, seed=k)
                  for k, (layout, frame, ids) in enumerate(exports)}
        write_config(folder, config)
        v = run(folder)
    assert len(v.files) == len(exports)
    for f, (layout, frame, ids) in zip(v.files, exports):
        accounted(f)
        assert f.rows_read == len(frame), (layout, [p.action for p in f.errors])
        assert f.rows_quarantined == 0, (layout, f.quarantine["reden"].tolist())
        assert used_ids(f) == ids, layout
        assert f.cells_set_aside == 0, (layout, [(p.column, p.value, p.action) for p in f.errors][:3])


# --- b. several regions in one export, told apart by a region column ------------------------------------------


@st.composite
def shared_exports(draw):
    regions = [f"r{k}" for k in range(draw(st.integers(2, 3)))]
    frame, ids = draw(frames(q2021(), max_n=30))
    # What a row's region cell says: a configured region (by id or by name, in any case), one not configured,
    # or nothing at all (then the row belongs to no region).
    spelled = st.one_of(st.sampled_from(regions), st.sampled_from(regions).map(region_name),
                        st.sampled_from(regions).map(lambda r: region_name(r).upper()),
                        st.sampled_from(["Elders", "onbekend-gebied", ""]))
    frame["regio"] = [draw(spelled) for _ in range(len(frame))]
    layout = draw(st.sampled_from(["csv-nl", "csv-utf16"]))
    return regions, layout, frame, ids


def owner(cell: str, regions: list[str]) -> str | None:
    for rid in regions:
        if cell.casefold() in (rid, region_name(rid).casefold()):
            return rid
    return None


@props(examples=4)
@given(shared_exports())
def test_a_shared_export_gives_every_row_to_exactly_one_region(shared):
    regions, layout, frame, ids = shared
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        meting = write_region(folder, "gedeeld", frame, ids, layout, regio_kolom="regio")
        write_config(folder, {rid: meting for rid in regions})
        v = run(folder)
    owners = [owner(c, regions) for c in frame["regio"]]
    by_region = {f.export.region: f for f in v.files}
    assert set(by_region) == set(regions)
    seen: dict[str, str] = {}
    for rid, f in by_region.items():
        accounted(f)
        assert f.rows_read == len(frame)
        assert used_ids(f) == [i for i, o in zip(ids, owners) if o == rid], rid
        for i in used_ids(f):
            assert i not in seen, f"{i} in {seen.get(i)} and {rid}"
            seen[i] = rid
        # Rows of regions that regios.yaml does not name, or of none, are in quarantine in every region's file.
        rows = set(f.quarantine[ROW])
        header = HEADER_ROWS[layout]
        assert {header + k + 1 for k, o in enumerate(owners) if o is None} <= rows
    assert set(seen) == {i for i, o in zip(ids, owners) if o is not None}


# --- c. damaged files: every row still accounted for, none with another row's values ---------------------------

CORRUPTIONS = ("open_quote", "trailing_separator", "sep_line", "empty_line", "too_many_fields")
CSV_LAYOUTS = ("csv-nl", "qualtrics", "limesurvey", "surveymonkey-csv", "limesurvey-teksten")
MARKER = "Zie bijlage"


def damage_csv(path: Path, layout: str, damage: list[tuple[str, int]]) -> None:
    data = path.read_bytes()
    encoding = _encoding(data, layout)
    text = data.decode(encoding)
    bom = text.startswith("\ufeff")
    text = text.lstrip("\ufeff")
    eol = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(eol)
    trailing_eol = lines and lines[-1] == ""
    if trailing_eol:
        lines.pop()
    sep = SEPARATOR[layout]
    header = HEADER_ROWS[layout]
    data_lines = len(lines) - header
    for kind, at in damage:
        row = header + at % data_lines
        if kind == "open_quote":
            # A quote typed by a respondent: inside the marked open answer ('Zie "bijlage'), or opening it and
            # never closing ('"Zie bijlage'), which csv would let swallow the rest of the line.
            if at % 2:
                lines = [line.replace(MARKER, MARKER.replace(" ", ' "'), 1) for line in lines]
            else:
                lines = [line.replace(MARKER, '"' + MARKER, 1) for line in lines]
        elif kind == "trailing_separator":
            lines = [line + sep for line in lines]
        elif kind == "sep_line":
            if not lines[0].startswith("sep="):
                lines.insert(0, f"sep={sep}")
                header += 1
        elif kind == "empty_line":
            lines.insert(row + 1, "")
        elif kind == "too_many_fields":
            lines[row] += f"{sep}waarde te veel"
    text = ("\ufeff" if bom else "") + eol.join(lines) + (eol if trailing_eol else "")
    path.write_bytes(text.encode(encoding))


def damage_xlsx(path: Path, layout: str, damage: list[tuple[str, int]]) -> None:
    book = openpyxl.load_workbook(path)
    sheet = next(s for s in book.worksheets if s.max_row > 1 and s.title != "Toelichting")
    header = HEADER_ROWS[layout]
    data_rows = sheet.max_row - header
    for kind, at in damage:
        row = header + 1 + at % data_rows
        if kind == "open_quote":
            for cells in sheet.iter_rows():
                for cell in cells:
                    if isinstance(cell.value, str) and cell.value.startswith(MARKER):
                        cell.value = '"' + cell.value  # in a workbook a quote is only text
        elif kind == "empty_line":
            sheet.insert_rows(row + 1)
        elif kind == "too_many_fields":
            sheet.cell(row=row, column=sheet.max_column + 1, value="waarde te veel")
    book.save(path)


@st.composite
def damaged_exports(draw):
    layout = draw(st.sampled_from(CSV_LAYOUTS + ("xlsx",)))
    frame, ids = draw(frames(q2021(), max_n=15, open_text=st.text(alphabet="abcdefgh ij,;", max_size=20)))
    # One open answer carries a marker, for the unclosed quote.
    opens = [it.column for it in q2021().items_for(EXTRAS) if it.is_open]
    at = draw(st.integers(0, len(frame) - 1))
    frame.at[at, draw(st.sampled_from(opens))] = f"{MARKER}{at}"
    kinds = CORRUPTIONS if layout != "xlsx" else ("open_quote", "empty_line", "too_many_fields")
    damage = draw(st.lists(st.tuples(st.sampled_from(kinds), st.integers(0, 100)), min_size=1, max_size=4))
    return layout, frame, ids, damage


def decoded(f, q) -> pd.DataFrame:
    """Questionnaire codes per used row (closed items), by respondent id."""
    raw = f.clean
    out = pd.DataFrame({item.id: raw.decode(item.id).code for item in q.items_for(EXTRAS)
                        if not item.is_open and item.id in raw.frame})
    out.index = used_ids(f)
    return out


def written(frame: pd.DataFrame, ids: list[str], q) -> pd.DataFrame:
    """The codes written per respondent, where a reader must give them back: answers on the scale."""
    out = pd.DataFrame({item.id: frame[item.column].map(lambda c, s=item.scale: c if c in s.codes else None)
                        for item in q.items_for(EXTRAS) if not item.is_open})
    out.index = ids
    return out


@props(examples=8)
@given(damaged_exports())
def test_a_damaged_file_loses_no_row_and_shifts_no_value(case):
    layout, frame, ids, damage = case
    q = q2021()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        meting = write_region(folder, "r0", frame, ids, layout)
        path = folder / meting["bestand"]
        (damage_xlsx if path.suffix == ".xlsx" else damage_csv)(path, layout, damage)
        write_config(folder, {"r0": meting})
        try:
            v = run(folder)
        except MonitorError as exc:
            assert looks_dutch(str(exc)), str(exc)
            return
    f = v.files[0]
    accounted(f)
    if f.clean is None:
        assert f.errors and all(looks_dutch(p.action) for p in f.errors)
        return
    got = used_ids(f)
    assert len(got) == len(set(got)) and set(got) <= set(ids)
    # Every used row holds the answers of the respondent whose id it has: nothing moved to another column.
    mine = decoded(f, q)
    theirs = written(frame, ids, q).loc[got]
    for item in theirs.columns.intersection(mine.columns):  # a missing column is reported, not shifted
        expected = theirs[item]
        on_scale = expected.notna()
        assert (mine.loc[on_scale, item].astype(object) == expected[on_scale].astype(object)).all(), item


# --- d. a wrong value sets one cell aside, not the row -------------------------------------------------------

MARK_TEXT = ["acht", "7,5", "11", "0", "zeven en een half", "8 of 9", "8+", "8-"]
UNKNOWN_LABEL = ["Misschien", "Soms", "Af en toe", "Weet niet precies"]


@st.composite
def bad_cells(draw):
    q = q2021()
    layout = draw(st.sampled_from(["csv-nl", "csv-utf16", "xlsx"]))
    frame, ids = draw(frames(q, max_n=20))
    mark = next(it for it in q.items if not it.is_open and it.scale.kind == "cijfer")
    sources = {it.filter.item for it in q.items if it.filter is not None}
    # Not the question a filter depends on (its set-aside answer rightly changes who the filtered one applies
    # to), nor the filtered one (outside the filter any answer is 'niet van toepassing', a wrong one too).
    yes_no = [it for it in q.items if not it.is_open and it.scale.id == "ja_nee" and it.id not in sources
              and it.filter is None]
    targets = [mark] + yes_no
    # At most two per row: a first row of nearly only unknown labels is taken for a second header row.
    cells = draw(st.lists(st.tuples(st.integers(0, len(frame) - 1), st.sampled_from(targets)), min_size=1,
                          max_size=6, unique_by=lambda c: (c[0], c[1].id)))
    per_row: dict[int, int] = {}
    bad = []
    for row, item in cells:
        if per_row.get(row, 0) < 2:
            per_row[row] = per_row.get(row, 0) + 1
            value = draw(st.sampled_from(MARK_TEXT if item is mark else UNKNOWN_LABEL))
            bad.append((row, item, value))
    return layout, frame, ids, bad


def set_cells(path: Path, layout: str, bad: list[tuple[int, object, str]]) -> None:
    """Write the bad values into the cells of the export, under the questionnaire's column names."""
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path)
        sheet = book["Gegevens"]
        names = [c.value for c in sheet[1]]
        for row, item, value in bad:
            sheet.cell(row=row + 2, column=names.index(item.column) + 1, value=value)
        book.save(path)
        return
    data = path.read_bytes()
    encoding = _encoding(data, layout)
    text = data.decode(encoding)
    bom = text[:1] == "\ufeff"
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=SEPARATOR[layout]))
    for row, item, value in bad:
        rows[row + 1][rows[0].index(item.column)] = value
    out = io.StringIO()
    csv.writer(out, delimiter=SEPARATOR[layout], lineterminator="\r\n").writerows(rows)
    path.write_bytes((("\ufeff" if bom else "") + out.getvalue()).encode(encoding))


@props(examples=5)
@given(bad_cells())
def test_a_wrong_value_sets_its_cell_aside_and_keeps_the_row(case):
    layout, frame, ids, bad = case
    q = q2021()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        meting = write_region(folder, "r0", frame, ids, layout)
        set_cells(folder / meting["bestand"], layout, bad)
        write_config(folder, {"r0": meting})
        v = run(folder)
    f = v.files[0]
    accounted(f)
    assert f.rows_read == len(frame) and f.rows_quarantined == 0, f.quarantine["reden"].tolist()
    assert used_ids(f) == ids
    assert f.cells_set_aside == len(bad), [(p.row, p.column, p.value) for p in f.errors]
    answers = build_responses(v.clean_exports(), questionnaires()).answers.set_index(["respondent", "item"])
    aside = {(ids[row], item.id) for row, item, _ in bad}
    for key in aside:
        assert answers.at[key, "status"] == INVALID, key
    # Every other answer on the scale keeps its code (outside a filter's reach).
    filtered = {it.id for it in q.items if it.filter is not None}
    for item in q.items_for(EXTRAS):
        if item.is_open or item.id in filtered:
            continue
        for respondent, code in zip(ids, frame[item.column]):
            if (respondent, item.id) in aside:
                continue
            status = answers.at[(respondent, item.id), "status"]
            assert status != INVALID, (respondent, item.id)
            if code in item.scale.codes:
                assert status == VALID and answers.at[(respondent, item.id), "code"] == code, (respondent, item.id)


# --- shapes the properties once found wrong, kept as plain examples ---------------------------------------------


def test_r_syntax_with_numeric_levels_keeps_its_labels():
    syntax = 'data[, 1] <- factor(data[, 1], levels=c(1,2),labels=c("Ja", "Nee"))\n'
    _, _, values = parse_r_syntax(syntax)
    assert values == {0: {"1": "Ja", "2": "Nee"}}


def _read_one(folder: Path, text: str):
    from monitor_aoj.ingest.read import read_export

    (folder / "a.csv").write_text(text, encoding="utf-8")
    (folder / "regios.yaml").write_text(f"regios:\n  - id: r\n    metingen:\n      - jaar: {WAVE}\n"
                                        "        bestand: a.csv\n", encoding="utf-8")
    export = load_config(folder, questionnaires()).exports[0]
    return read_export(export, q2021())


def _kept_or_faulted(raw, row: int, expected: dict[str, str]) -> bool:
    """A damaged row is either put aside (a row fault) or keeps every answer in its own column."""
    if row in dict(raw.row_faults):
        return True
    found = raw.frame.set_index(ROW).loc[row]
    return all(found.get(k) == v for k, v in expected.items())


OPEN_QUOTE = ("Een open aanhalingsteken aan het begin van een open antwoord dat niet gesloten wordt, voegt de rest "
              "van de regel bij dat antwoord: de antwoorden erna gaan zonder rijfout verloren. ")


def test_an_unclosed_quote_on_the_last_line_loses_no_answer(tmp_path):
    raw = _read_one(tmp_path, 'respondent_id;sector;T1_8_toelichting;T1_9\n1;Onderwijs;"Zie bijlage;Ja\n')
    assert _kept_or_faulted(raw, 2, {"kindveiligheid_meldcode": "Ja"})


def test_an_unclosed_quote_on_a_middle_line_loses_no_answer(tmp_path):
    raw = _read_one(tmp_path, 'respondent_id;sector;T1_8_toelichting;T1_9\n1;Onderwijs;"Zie bijlage;Ja\n'
                              '2;Jeugdhulp;Goed;Nee\n')
    assert _kept_or_faulted(raw, 2, {"kindveiligheid_meldcode": "Ja"})


def test_an_unclosed_quote_between_quoted_fields_shifts_no_answer(tmp_path):
    raw = _read_one(tmp_path, '"respondent_id","sector","T1_8_toelichting","T1_9","T1_1"\n'
                              '"1","Onderwijs","Zie bijlage,"Ja","Nee"\n"2","Jeugdhulp","Goed","Nee","Ja"\n')
    assert _kept_or_faulted(raw, 2, {"kindveiligheid_meldcode": "Ja", "mdo_aanwezig": "Nee"})


def test_a_mark_with_a_plus_or_minus_is_not_read_as_the_mark(tmp_path):
    raw = _read_one(tmp_path, "respondent_id;sector;T3_1\n1;Onderwijs;8+\n2;Onderwijs;8-\n")
    assert raw.decode("rapportcijfer").status.tolist() == [INVALID, INVALID]


def test_a_row_without_region_in_a_shared_export_is_not_used_twice(tmp_path):
    (tmp_path / "a.csv").write_text("respondent_id;sector;T1_1;regio\n1;Onderwijs;Ja;\n", encoding="utf-8")
    entry = "    metingen:\n      - jaar: 2021\n        bestand: a.csv\n        regio_kolom: regio\n"
    (tmp_path / "regios.yaml").write_text(f"regios:\n  - id: r0\n{entry}  - id: r1\n{entry}", encoding="utf-8")
    v = run(tmp_path)
    assert sum(f.rows_used for f in v.files) <= 1
