"""A real spreadsheet client opens every workbook: LibreOffice Calc, headless, converts each generated workbook
and the converted sheets hold the same values as ours, cell for cell (numbers as numbers, text as text). The
converted 'Alle cijfers' sheets, of each region and of the run-wide alle_cijfers.xlsx, hold the numbers of the
Figures table computed here in-process with the pipeline's functions; headers stay unique and the Excel Tables
(ListObjects) survive the round trip.

The workbook's numbers are checked against the Figures table by tests/test_end_to_end.py and
tests/test_independent_count.py; here the question is whether another program reads them the same way. CI
installs LibreOffice (.ci/run) and sets MONITOR_AOJ_REQUIRE_LIBREOFFICE=1, so there a missing program fails.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from monitor_aoj.dutch import GROUP_LABELS, STATISTIC_LABELS
from monitor_aoj.pipeline import Paths, figures_for, open_answers_for, setup
from monitor_aoj.report.all_figures import FIGURE_HEADER
from monitor_aoj.report.sheet_writer import FRACTION_DECIMALS, MARK_DECIMALS, P_DECIMALS
from monitor_aoj.report_workers import report_inputs

from conftest import QUESTIONNAIRES, SAMPLE_DATE, SAMPLES

REPORT_DATE = dt.date(2021, 5, 25)

pytestmark = pytest.mark.slow


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if os.environ.get("MONITOR_AOJ_REQUIRE_LIBREOFFICE"):
        pytest.fail("LibreOffice ontbreekt; .ci/run installeert het met 'apt-get install libreoffice-calc'.")
    pytest.skip("geen LibreOffice op deze machine (installeer met: apt-get install libreoffice-calc)")


@pytest.fixture(scope="module")
def run_output(sample_run) -> tuple[Path, str]:
    """The session's run of the sample (conftest), dated REPORT_DATE."""
    assert sample_run.proc.returncode == 0, sample_run.proc.stderr
    assert SAMPLE_DATE == REPORT_DATE.isoformat()
    return sample_run.out, sample_run.proc.stdout


@pytest.fixture(scope="module")
def workbooks(run_output) -> list[Path]:
    """The twelve region workbooks, then the run-wide alle_cijfers.xlsx."""
    out, _ = run_output
    found = sorted(out.glob("*/*/*.xlsx"))
    assert len(found) == 12
    return found + [out / "alle_cijfers.xlsx"]


@pytest.fixture(scope="module")
def converted(workbooks, tmp_path_factory) -> dict[Path, Path]:
    """Each workbook opened by LibreOffice and saved again as .xlsx (one LibreOffice start for all)."""
    program = soffice()
    out = tmp_path_factory.mktemp("libreoffice")
    # Same names in different region folders: give each its own input name.
    inputs = []
    for book in workbooks:
        copy = out / "in" / (f"{book.parent.parent.name}_{book.name}" if book.name != "alle_cijfers.xlsx"
                             else book.name)
        copy.parent.mkdir(exist_ok=True)
        shutil.copy(book, copy)
        inputs.append(copy)
    proc = subprocess.run([program, "--headless", "--norestore", f"-env:UserInstallation={(out / 'profiel').as_uri()}",
                           "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out / "uit"),
                           *map(str, inputs)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    result = {}
    for book, copy in zip(workbooks, inputs):
        target = out / "uit" / copy.name
        assert target.is_file(), f"LibreOffice schreef {copy.name} niet: {proc.stdout} {proc.stderr}"
        result[book] = target
    return result


def _same(ours, theirs) -> bool:
    if isinstance(ours, (int, float)) and not isinstance(ours, bool):
        return isinstance(theirs, (int, float)) and math.isclose(ours, theirs, rel_tol=1e-12, abs_tol=1e-12)
    if ours in (None, ""):
        return theirs in (None, "")
    return ours == theirs


def test_libreoffice_reads_every_sheet_of_every_workbook_as_written(converted):
    for ours_path, theirs_path in converted.items():
        ours = load_workbook(ours_path, read_only=True, data_only=True)
        theirs = load_workbook(theirs_path, read_only=True, data_only=True)
        assert ours.sheetnames == theirs.sheetnames, ours_path.name
        checked = 0
        for name in ours.sheetnames:
            a, b = ours[name], theirs[name]
            a.reset_dimensions()
            b.reset_dimensions()
            rows_a = [r for r in a.iter_rows(values_only=True)]
            rows_b = [r for r in b.iter_rows(values_only=True)]
            for i, row in enumerate(rows_a):
                other = rows_b[i] if i < len(rows_b) else ()
                for j, value in enumerate(row):
                    seen = other[j] if j < len(other) else None
                    assert _same(value, seen), (f"{ours_path.name} / {name} rij {i + 1} kolom {j + 1}: "
                                                f"{value!r} -> {seen!r}")
                    checked += isinstance(value, (int, float))
        assert checked > 500, ours_path.name  # real numbers, not text


@pytest.fixture(scope="module")
def expected() -> tuple[pd.DataFrame, dict[tuple[str, int], pd.DataFrame]]:
    """The Figures table of the sample run computed here, as pipeline.run computes it, and per region and wave
    the rows its workbook holds (its own figures and its trend history)."""
    from monitor_aoj.ingest.responses import build_responses
    from monitor_aoj.ingest.validation import validate

    paths = Paths(SAMPLES, QUESTIONNAIRES, Path("/nonexistent"))
    s = setup(paths)
    validation = validate(s.config, s.questionnaires, list(s.config.exports))
    responses = build_responses(validation.clean_exports(), s.questionnaires)
    opens, _ = open_answers_for(paths, s, responses)
    figures = figures_for(responses, s.questionnaires, s.config.settings.minimum_base, opens.figures)
    per_book = {}
    for data in report_inputs(s, validation.without_rows(), figures, REPORT_DATE, opens):
        per_book[(data.region.id, data.wave)] = pd.concat([data.figures,
                                                           data.history[data.history["wave"] != data.wave]])
    return figures, per_book


FROM_STATISTIC = {v: k for k, v in STATISTIC_LABELS.items()}
FROM_GROUP = {v: k for k, v in GROUP_LABELS.items()}
# The coarsest of sheet_writer.ROUNDING's rules: every stored value lies within half its last decimal.
TOLERANCE = 0.5 * 10 ** -min(FRACTION_DECIMALS, MARK_DECIMALS, P_DECIMALS) + 1e-12
NUMBERS = {"Aantal (k)": "k", "Basis (n)": "n", "Waarde": "value", "95%-BI onder": "ci_low",
           "95%-BI boven": "ci_high", "Verschil": "diff", "p-waarde": "p_value",
           "p-waarde (gecorrigeerd)": "p_adjusted"}


def _key(region, wave, item, group_type, group, partition, statistic, category, compare_to) -> tuple:
    return (region, int(wave), item, group_type, group, partition, statistic, category, compare_to)


def _figures_by_key(figs: pd.DataFrame) -> dict[tuple, dict]:
    out = {}
    for r in figs.to_dict("records"):
        key = _key(r["region"], r["wave"], r["item"], r["group_type"], r["group"], r["partition"], r["statistic"],
                   r["category"], r["compare_to"])
        assert key not in out, key  # the key names one row
        out[key] = r
    return out


def _compare_sheet(path: Path, figs: pd.DataFrame) -> int:
    """Every row of the converted 'Alle cijfers' sheet is one Figures row, with the same numbers; every
    Figures row is there. Returns how many numbers were compared."""
    book = load_workbook(path, read_only=True, data_only=True)
    rows = book["Alle cijfers"].iter_rows(values_only=True)
    header = list(next(rows))
    assert header == FIGURE_HEADER, path.name
    col = {h: i for i, h in enumerate(header)}
    wanted = _figures_by_key(figs)
    seen, compared = set(), 0
    for values in rows:
        if all(v is None for v in values):
            continue

        def text(name, values=values):
            v = values[col[name]]
            return "" if v is None else str(v)

        key = _key(text("Regio-id"), values[col["Meting"]], text("Vraag-id"), text("Soort groep"),
                   text("Groep-id"), FROM_GROUP.get(text("Deel van"), text("Deel van")),
                   FROM_STATISTIC[text("Statistiek")], text("Categorie"), text("Vergeleken met"))
        assert key in wanted, (path.name, key)
        assert key not in seen, (path.name, key)
        seen.add(key)
        fig = wanted[key]
        for name, column in NUMBERS.items():
            got, want = values[col[name]], fig[column]
            if fig["suppressed"] and column not in ("n",):
                continue  # hidden: tests/test_suppression.py checks the empty cells
            if pd.isna(want):
                assert got is None, (path.name, key, name, got)
            else:
                assert isinstance(got, (int, float)) and abs(got - float(want)) <= TOLERANCE, (path.name, key, name,
                                                                                                 got, want)
                compared += 1
        assert (values[col["Onderdrukt"]] == "ja") == bool(fig["suppressed"]), (path.name, key)
    assert seen == set(wanted), (path.name, len(set(wanted) - seen))
    book.close()
    return compared


def test_libreoffice_reads_the_figures_of_every_region_as_computed(converted, expected):
    _, per_book = expected
    assert len(per_book) == 12
    for ours, theirs in converted.items():
        if ours.name == "alle_cijfers.xlsx":
            continue
        region, wave = ours.parent.parent.name, int(ours.parent.name)
        assert _compare_sheet(theirs, per_book[(region, wave)]) > 1000, ours.name


def test_libreoffice_reads_the_run_wide_table_as_computed(converted, expected, run_output):
    figures, _ = expected
    out, stdout = run_output
    assert f"Alle cijfers: {out / 'alle_cijfers.xlsx'}" in stdout
    assert f"Alle cijfers: {out / 'alle_cijfers.csv'}" in stdout
    assert _compare_sheet(converted[out / "alle_cijfers.xlsx"], figures) > 10 * len(figures) // 4
    # The CSV has the same rows (tests/test_workbook.py checks its format).
    lines = (out / "alle_cijfers.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].split(";") == FIGURE_HEADER and len(lines) == len(figures) + 1


def test_headers_stay_unique_and_tables_survive_libreoffice(converted):
    for ours, theirs in converted.items():
        book = load_workbook(theirs)
        tables = []
        for ws in book.worksheets:
            header = [c.value for c in ws[1]]
            if ws.title != "Toelichting":
                assert len(header) == len(set(header)), (theirs.name, ws.title)
                tables += list(ws.tables)
        assert "tbl_alle_cijfers" in tables, theirs.name
        if ours.name != "alle_cijfers.xlsx":
            assert {"tbl_vragen", "tbl_rapportcijfer", "tbl_respondenten"} <= set(tables), (theirs.name, tables)
