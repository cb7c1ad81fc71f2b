"""Shared fixtures: project paths, loaded questionnaires, and the sample run and figures shared by a session."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QUESTIONNAIRES = ROOT / "questionnaires"
SAMPLES = ROOT / "sample_responses"
DATA = Path(__file__).resolve().parent / "data"
# Real exports from public projects; read in place, never copied into the repository. They live beside the
# project (../shared/fixtures/external); MONITOR_AOJ_FIXTURES points elsewhere when the clone is not there.
def _external() -> Path:
    if os.environ.get("MONITOR_AOJ_FIXTURES"):
        return Path(os.environ["MONITOR_AOJ_FIXTURES"])
    for folder in ROOT.parents:
        candidate = folder / "shared" / "fixtures" / "external"
        if candidate.is_dir():
            return candidate
    return ROOT.parent / "shared" / "fixtures" / "external"


EXTERNAL = _external()
# Real-shaped input folders that once failed, each with its right result (../shared/cases/ingest/README.md).
CASES = EXTERNAL.parent.parent / "cases" / "ingest"


@pytest.fixture(scope="session")
def questionnaires():
    from monitor_aoj.definitions.questionnaire_reader import load_questionnaires

    return load_questionnaires(QUESTIONNAIRES)


# --- the shared sample run --------------------------------------------------------------------------------------
# The options of the one run of the sample that every test reading "the sample's outputs" shares: all regions and
# waves, through the real command, dated so the reports' text is fixed. A test that needs other options or inputs
# makes its own run.
SAMPLE_DATE = "2021-05-25"


@dataclass(frozen=True)
class SampleRun:
    """The finished command: its output folder and the process (return code, Dutch stdout and stderr)."""

    out: Path
    proc: subprocess.CompletedProcess


def _shared_folder(tmp_path_factory) -> Path:
    """This session's temporary folder, the same for every xdist worker of the session (their parent)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory) -> SampleRun:
    """`monitor-aoj rapport` on sample_responses/ with --datum 2021-05-25, once per test session.

    Under pytest-xdist the first worker that asks runs it, behind a file lock; the others wait and read its
    outputs and its recorded process, so the sample is run once however many workers there are."""
    from filelock import FileLock

    root = _shared_folder(tmp_path_factory)
    out, record = root / "sample-run", root / "sample-run.json"
    with FileLock(str(root / "sample-run.lock")):
        if not record.is_file():
            shutil.rmtree(out, ignore_errors=True)  # what a failed earlier attempt left
            done = subprocess.run([sys.executable, "-m", "monitor_aoj", "rapport", "--invoer", str(SAMPLES),
                                   "--uitvoer", str(out), "--vragenlijsten", str(QUESTIONNAIRES),
                                   "--datum", SAMPLE_DATE], cwd=ROOT, capture_output=True, text=True, timeout=900)
            if done.returncode != 0:  # no record: the next worker tries again and fails the same way
                return SampleRun(out, done)
            record.write_text(json.dumps({"args": done.args, "stdout": done.stdout, "stderr": done.stderr}),
                              encoding="utf-8")
    kept = json.loads(record.read_text(encoding="utf-8"))
    return SampleRun(out, subprocess.CompletedProcess(kept["args"], 0, kept["stdout"], kept["stderr"]))


@pytest.fixture(scope="session")
def sample_figures(questionnaires):
    """The sample's config and Figures table computed in-process (no validation stage), once per session.

    Shared by every module that reads them: treat the DataFrame as read-only."""
    from test_method import figures  # the tests' own helper (load, read, build, compute)

    return figures(SAMPLES, questionnaires)
