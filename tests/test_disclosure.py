"""No hidden figure can be worked out from what a run publishes (issue 11, point 1).

The attacker (tests/disclosure.py) reads every workbook's Figures sheet and every report's item-table bases of
a real run and solves every identity it knows: totaal minus shown sectors, a sector minus its shown functies,
totaal minus shown schooltypes, a follow-up's base against its filter's count, asked minus answered, the
shares of an item adding up, trends and sector differences, the benchmark pool minus the shown regions,
sub-theme counts. Whatever it pins down of a suppressed row is a disclosure.

On main before the filter link, the sample gave 46 hidden cells away (all through preventie_afstemming's
base), the generated data with a minimum base of 20 gave 197 (83 through the filter, 114 non-response counts
as asked minus answered).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from monitor_aoj.demo.sample_files import write_sample
from monitor_aoj.figures import schema as F
from monitor_aoj.pipeline import Paths, run

from conftest import QUESTIONNAIRES
from disclosure import attack

DATE = dt.date(2026, 1, 1)


def _run(folder: Path, out: Path) -> Path:
    result = run(Paths(folder, QUESTIONNAIRES, out), report_date=DATE)
    assert result.reports and result.workbooks
    return out


@pytest.fixture(scope="module")
def sample_run(sample_run):
    """The session's run of the sample (conftest); its date is only printed, the published numbers are these."""
    assert sample_run.proc.returncode == 0, sample_run.proc.stderr
    assert list(sample_run.out.glob("*/*/*.html")) and list(sample_run.out.glob("*/*/*.xlsx"))
    return sample_run.out, 5


@pytest.fixture(scope="module")
def strict_run(tmp_path_factory, questionnaires):
    """Generated data with a minimum base of 20: most breakdown groups and many sectors are hidden."""
    folder = tmp_path_factory.mktemp("strikt")
    write_sample(folder, questionnaires)
    config = folder / "regios.yaml"
    text = config.read_text(encoding="utf-8")
    assert "minimum_basis: 5 " in text
    config.write_text(text.replace("minimum_basis: 5 ", "minimum_basis: 20 "), encoding="utf-8")
    return _run(folder, folder / "uit"), 20


# Both are slow: the strict run is a whole pipeline run of its own (generated data, 12 reports), and the attack on
# the sample's outputs alone takes 40-50 s on two cores (the project's mark: 15 s or more).
@pytest.mark.slow
@pytest.mark.parametrize("which", ["sample_run", "strict_run"])
def test_nothing_hidden_can_be_worked_out(which, request, questionnaires):
    out, minimum = request.getfixturevalue(which)
    recovered, published = attack(out, questionnaires, minimum)
    assert not published.conflicts, published.conflicts[:5]  # every output prints the same numbers
    # The attacker must have had something to attack: hidden cells, filter follow-ups among them.
    assert len(published.hidden) > 100
    assert any(v[1][2] == "preventie_afstemming" for v in published.hidden)
    assert not recovered, [(r.var, r.value) for r in recovered[:10]]


@pytest.mark.slow  # reads the strict run (a pipeline run of its own)
def test_a_hidden_filter_group_hides_its_follow_up_and_its_base(strict_run, questionnaires):
    """The follow-up's base of a group whose 'ja' count is hidden is not printed anywhere."""
    out, _ = strict_run
    _, published = attack(out, questionnaires, 20)
    hidden_filter = {v[1][:2] + v[1][3:] for v in published.hidden if v[1][2] == "preventie_signalen"}
    follow_ups = [r for r in published.rows if r["item"] == "preventie_afstemming"
                  and (r["region"], r["wave"], *_unit_tail(r)) in hidden_filter and r["statistic"] != F.COUNT]
    assert follow_ups  # the strict run has such groups
    assert all(r["suppressed"] and r["n"] is None and r["k"] is None for r in follow_ups)


def _unit_tail(r: dict) -> tuple:
    return r["group_type"], r["group"], r["partition"]


@pytest.mark.slow  # reads the strict run (a pipeline run of its own)
def test_the_attacker_finds_a_shown_follow_up_base(strict_run, questionnaires, tmp_path):
    """The attacker is not blind: put back one follow-up base that suppression took away (who were asked,
    in a workbook) and it works out the filter's hidden 'ja' count from it."""
    import openpyxl

    out, minimum = strict_run
    copy = tmp_path / "uit"
    shutil.copytree(out, copy)
    for book_path in sorted(copy.rglob("monitor-aoj_*.xlsx")):
        book = openpyxl.load_workbook(book_path)
        sheet = book["Alle cijfers"]
        col = {c.value: i for i, c in enumerate(sheet[1])}
        for row in sheet.iter_rows(min_row=2):
            if (row[col["Vraag-id"]].value == "preventie_afstemming" and row[col["Statistiek"]].value == "geen antwoord"
                    and row[col["Basis (n)"]].value is None):
                row[col["Basis (n)"]].value = 3  # any number: the filter count follows from it
                book.save(book_path)
                recovered, _ = attack(copy, questionnaires, minimum)
                assert any(r.var[1][2] == "preventie_signalen" for r in recovered)
                return
    pytest.fail("no hidden follow-up base in the strict run")
