"""Shared fixtures: project paths and loaded questionnaires."""

from __future__ import annotations

import os
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
