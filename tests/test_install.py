"""The program as a coordinator installs it: a built wheel (not an editable checkout) in a fresh virtual
environment, run from a folder that is not the checkout. Templates, questionnaires, codebooks and name lists must
come from inside the installed package.

The fresh environment gets the project's dependencies through a .pth file pointing at the test environment's
site-packages (installing pandas, scipy and GX again would take minutes and the network); the .pth files there
(the editable install's import hook among them) are not run for such a path, so monitor_aoj itself can only come
from the wheel. The test checks that too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


def _run(args: list, cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # From a copy without build/ (setuptools would reuse what an earlier build left there) and without the
    # checkout's environment and outputs; built as pip builds it for a user, in an isolated build environment.
    source = out / "bron"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "*.egg-info", "__pycache__", ".pytest_cache", "output", "sample_responses"))
    proc = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, source], cwd=out)
    assert proc.returncode == 0, proc.stderr
    return next(out.glob("monitor_aoj-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed; returns its bin (Scripts on Windows) folder."""
    venv = tmp_path_factory.mktemp("venv")
    proc = _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=venv)
    assert proc.returncode == 0, proc.stderr
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], venv).stdout.strip())
    (site / "project_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    proc = _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q", wheel], cwd=venv)
    assert proc.returncode == 0, proc.stderr
    return bin_dir


def test_the_wheel_carries_templates_questionnaires_codebooks_and_name_lists(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "monitor_aoj").rglob("*.py")}
    assert modules - names == set()  # every module of the package, in every subpackage
    for folder in ("templates", "questionnaires", "questionnaires/codeboeken"):
        shipped = {p.relative_to(ROOT).as_posix() for p in (ROOT / folder).iterdir() if p.is_file()}
        assert {f"monitor_aoj/{p}" for p in shipped} <= names, folder
    assert {"monitor_aoj/anonymise/data/voornamen.txt", "monitor_aoj/anonymise/data/achternamen.txt"} <= names


def test_installed_program_runs_the_sample_job_from_another_folder(installed, tmp_path):
    work = tmp_path / "ergens"  # a coordinator's own folder, nowhere near the checkout
    work.mkdir()
    exe = installed / ("monitor-aoj.exe" if os.name == "nt" else "monitor-aoj")
    python = installed / ("python.exe" if os.name == "nt" else "python")

    where = _run([python, "-c", "import monitor_aoj, monitor_aoj.assets as a; print(monitor_aoj.__file__);"
                  "print(a.TEMPLATES); print(a.QUESTIONNAIRES)"], work)
    assert where.returncode == 0, where.stderr
    for line in where.stdout.split():
        assert ROOT not in Path(line).parents, f"uit de checkout in plaats van de installatie: {line}"

    version = _run([exe, "--version"], work)
    assert version.returncode == 0 and version.stdout.startswith("monitor-aoj "), version.stderr
    assert _run([python, "-m", "monitor_aoj", "--version"], work).stdout == version.stdout

    samples = _run([exe, "voorbeelddata", "--uitvoer", "invoer"], work)
    assert samples.returncode == 0, samples.stderr
    report = _run([exe, "rapport", "--invoer", "invoer", "--uitvoer", "uitvoer", "--regio", "duinhoven",
                   "--meting", "2021"], work)
    assert report.returncode == 0, report.stdout + report.stderr
    html = work / "uitvoer" / "duinhoven" / "2021" / "monitor-aoj_duinhoven_2021.html"
    assert html.is_file() and "Duinhoven" in html.read_text(encoding="utf-8")
    assert (work / "uitvoer" / "duinhoven" / "2021" / "monitor-aoj_duinhoven_2021.xlsx").is_file()


def test_a_regions_own_questionnaire_folder_is_used_when_given(installed, tmp_path):
    exe = installed / ("monitor-aoj.exe" if os.name == "nt" else "monitor-aoj")
    proc = _run([exe, "rapport", "--invoer", tmp_path, "--uitvoer", tmp_path / "uit", "--vragenlijsten",
                 tmp_path / "bestaat-niet"], tmp_path)
    assert proc.returncode == 2
    assert "De map met vragenlijsten bestaat niet" in proc.stderr and "bestaat-niet" in proc.stderr
