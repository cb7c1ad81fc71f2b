"""A real spreadsheet client opens every workbook: LibreOffice Calc, headless, converts each generated workbook
and the converted sheets hold the same values as ours, cell for cell (numbers as numbers, text as text).

The workbook's numbers are checked against the Figures table by tests/test_end_to_end.py and
tests/test_independent_count.py; here the question is whether another program reads them the same way. CI
installs LibreOffice (.ci/run) and sets MONITOR_AOJ_REQUIRE_LIBREOFFICE=1, so there a missing program fails.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import QUESTIONNAIRES, SAMPLES

pytestmark = pytest.mark.slow


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if os.environ.get("MONITOR_AOJ_REQUIRE_LIBREOFFICE"):
        pytest.fail("LibreOffice ontbreekt; .ci/run installeert het met 'apt-get install libreoffice-calc'.")
    pytest.skip("geen LibreOffice op deze machine (installeer met: apt-get install libreoffice-calc)")


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("werkboeken")
    proc = subprocess.run([sys.executable, "-m", "monitor_aoj", "rapport", "--invoer", str(SAMPLES), "--uitvoer",
                           str(out), "--vragenlijsten", str(QUESTIONNAIRES), "--datum", "2021-05-25"],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    found = sorted(out.glob("*/*/*.xlsx"))
    assert len(found) == 12
    return found


@pytest.fixture(scope="module")
def converted(workbooks, tmp_path_factory) -> dict[Path, Path]:
    """Each workbook opened by LibreOffice and saved again as .xlsx (one LibreOffice start for all)."""
    program = soffice()
    out = tmp_path_factory.mktemp("libreoffice")
    # Same names in different region folders: give each its own input name.
    inputs = []
    for book in workbooks:
        copy = out / "in" / f"{book.parent.parent.name}_{book.name}"
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
                    assert _same(value, seen), f"{ours_path.name} / {name} rij {i + 1} kolom {j + 1}: {value!r} -> {seen!r}"
                    checked += isinstance(value, (int, float))
        assert checked > 500, ours_path.name  # real numbers, not text
