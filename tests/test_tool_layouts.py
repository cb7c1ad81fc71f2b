"""One region-wave written as every survey tool exports it (their own codes, labels and header rows, by
monitor_aoj.demo.tool_exports) and read back through its mapping: the Figures are identical in every layout."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from monitor_aoj.demo.samples import REGIONS, generate_wave
from monitor_aoj.demo.tool_exports import LAYOUTS, koppeling_yaml, write_tool_export
from monitor_aoj.ingest.responses import build_responses
from monitor_aoj.pipeline import Paths, figures_for, setup

from conftest import QUESTIONNAIRES

pytestmark = pytest.mark.slow
REGION = next(r for r in REGIONS if r.id == "beekdal-noord")


def run(folder: Path, frame: pd.DataFrame, questionnaires, wave: int, layout: str):
    from monitor_aoj.ingest.validation import validate

    extras = REGION.waves[wave].extras
    written = write_tool_export(frame, questionnaires[wave], layout, folder, f"beekdal_{wave}", extras=extras, seed=3)
    (folder / "koppeling.yaml").write_text(koppeling_yaml(written.koppeling), encoding="utf-8")
    (folder / "regios.yaml").write_text(
        "regios:\n  - id: beekdal-noord\n    metingen:\n"
        f"      - jaar: {wave}\n        bestand: {written.files[0].name}\n        koppeling: koppeling.yaml\n"
        + (f"        extra_vragen: [{', '.join(extras)}]\n" if extras else ""), encoding="utf-8")
    s = setup(Paths(folder, QUESTIONNAIRES, folder / "uit"))
    v = validate(s.config, s.questionnaires, list(s.exports))
    return v, figures_for(build_responses(v.clean_exports(), s.questionnaires), s.questionnaires, 5)


@pytest.fixture(scope="module", params=[2021])
def reference(request, tmp_path_factory, questionnaires):
    wave = request.param
    frame = generate_wave(questionnaires[wave], REGION, wave, np.random.default_rng(7))
    _, figures = run(tmp_path_factory.mktemp("eigen"), frame, questionnaires, wave, "csv-nl")
    return wave, frame, figures


@pytest.mark.parametrize("layout", [name for name in LAYOUTS if name != "csv-nl"])
def test_every_layout_gives_the_same_figures(layout, reference, tmp_path, questionnaires):
    wave, frame, figures = reference
    v, found = run(tmp_path, frame, questionnaires, wave, layout)
    f = v.files[0]
    assert (f.rows_read, f.rows_used, f.rows_quarantined, f.cells_set_aside) == (len(frame), len(frame), 0, 0)
    assert not f.errors, [p.action for p in f.errors]
    pd.testing.assert_frame_equal(found, figures)


def test_sample_data_has_regions_as_survey_tools_write_them():
    """make report demonstrates the real path: exports in a tool's own codes, each with its mapping."""
    from monitor_aoj.definitions.questionnaire_reader import load_questionnaires
    from monitor_aoj.definitions.regions import load_config

    from conftest import SAMPLES

    config = load_config(SAMPLES, load_questionnaires(QUESTIONNAIRES))
    tools = {e.mapping.layout for e in config.exports if e.mapping.layout}
    assert {"qualtrics", "spss"} <= tools
