"""History without data (issue 11, point 5): `eerdere_metingen` in regios.yaml, and no false "eerste keer".

A region can name the waves it held whose data is not in the input. The introduction then counts them ("de
derde keer (eerder in 2016 en 2018)") and says that no trend figures exist for them. Without that key and
without an earlier wave in the input, the report cannot know whether this is the first time, and does not
claim it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import openpyxl
import pytest

from monitor_aoj.definitions.regions import FIRST_PLAUSIBLE_YEAR, load_config
from monitor_aoj.demo import sample_files, samples
from monitor_aoj.errors import ConfigError
from monitor_aoj.pipeline import Paths, run
from monitor_aoj.report.introduction import NO_EARLIER_IN_INPUT, introduction

from conftest import QUESTIONNAIRES

FIRST_TIME = "Dit is de eerste keer"


def _config(tmp_path, questionnaires, history_line: str, waves=(2018, 2021)):
    """A one-region regios.yaml with exports for `waves` and the given `eerdere_metingen` line."""
    lines = ["regios:", "  - id: noord", "    naam: Noord"]
    if history_line:
        lines.append(f"    {history_line}")
    lines.append("    metingen:")
    for w in waves:
        (tmp_path / f"noord_{w}.csv").write_text("respondent_id\n", encoding="utf-8")
        lines += [f"      - jaar: {w}", f"        bestand: noord_{w}.csv", "        codes: vragenlijst"]
    (tmp_path / "regios.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_config(tmp_path, questionnaires).region("noord")


@pytest.mark.parametrize("line, expected", [
    ("", None),
    ("eerdere_metingen: [2016]", (2016,)),
    ("eerdere_metingen: [2017, 2016]", (2016, 2017)),
    ("eerdere_metingen: 2016", (2016,)),
    ("eerdere_metingen: ['2016']", (2016,)),
    ("eerdere_metingen: []", ()),
    ("eerdere_metingen: geen", ()),
])
def test_earlier_waves_are_read(tmp_path, questionnaires, line, expected):
    region = _config(tmp_path, questionnaires, line)
    assert region.held_without_data == expected
    assert region.held_without_data_before(2018) == (None if expected is None else
                                                     tuple(w for w in expected if w < 2018))


def test_a_year_between_waves_with_data_counts_only_for_the_later_reports(tmp_path, questionnaires):
    region = _config(tmp_path, questionnaires, "eerdere_metingen: [2019]", waves=(2018, 2021))
    assert region.held_without_data_before(2018) == ()
    assert region.held_without_data_before(2021) == (2019,)


@pytest.mark.parametrize("line, message", [
    ("eerdere_metingen: [twintig]", "'twintig' is geen jaartal"),
    ("eerdere_metingen: [2016.5]", "'2016.5' is geen jaartal"),
    ("eerdere_metingen: [ja]", "is geen jaartal"),
    ("eerdere_metingen: {2016: x}", "is geen jaartal"),
    (f"eerdere_metingen: [{FIRST_PLAUSIBLE_YEAR - 1}]", f"{FIRST_PLAUSIBLE_YEAR - 1} is geen plausibel jaar"),
    ("eerdere_metingen: [2016, 2016]", "2016 staat er twee keer in"),
    ("eerdere_metingen: [2016, 2018]", "van meting 2018 staat een export onder 'metingen'"),
    ("eerdere_metingen: [2023]", "2023 is later dan de laatste meting met gegevens (2021)"),
])
def test_wrong_earlier_waves_are_dutch_config_errors(tmp_path, questionnaires, line, message):
    with pytest.raises(ConfigError) as error:
        _config(tmp_path, questionnaires, line)
    assert message in str(error.value)
    assert "regios.yaml, regio 'noord', eerdere_metingen" in str(error.value)


def test_a_wave_in_the_future_is_refused(tmp_path, questionnaires):
    future = dt.date.today().year + 1
    with pytest.raises(ConfigError, match=f"{future} ligt in de toekomst"):
        _config(tmp_path, questionnaires, f"eerdere_metingen: [{future}]")


def test_introduction_counts_waves_without_data():
    text = introduction("Noord", "", "maart 2021", 2021, (), held_without_data=(2016, 2018))
    assert "Dit is de derde keer dat de monitor in de regio wordt uitgevoerd (eerder in 2016 en 2018)." in text
    assert ("De gegevens van de metingen in 2016 en 2018 zitten niet in deze rapportage; voor die metingen zijn "
            "geen trendcijfers beschikbaar.") in text
    mixed = introduction("Noord", "", "", 2021, (2018,), held_without_data=(2016,))
    assert "de derde keer" in mixed and "(eerder in 2016 en 2018)" in mixed
    assert "De gegevens van de meting in 2016 zitten niet in deze rapportage; voor die meting zijn" in mixed


def test_first_time_only_when_the_region_said_so():
    unknown = introduction("Noord", "", "", 2021, ())
    assert FIRST_TIME not in unknown and NO_EARLIER_IN_INPUT in unknown
    assert FIRST_TIME in introduction("Noord", "", "", 2021, (), held_without_data=())
    # With data of earlier waves the count is known from the input itself.
    assert "Dit is de tweede keer" in introduction("Noord", "", "", 2021, (2018,))


@pytest.fixture(scope="module")
def reports(tmp_path_factory, questionnaires):
    """Three regions with only 2021 data: one lists 2016 and 2018, one says 'geen', one says nothing."""
    root = tmp_path_factory.mktemp("history")
    regions = tuple(dataclasses.replace(r, waves={2021: r.waves[2021]}) for r in samples.REGIONS[:3])
    sample_files.write_sample(root / "invoer", questionnaires, regions=regions)
    config = root / "invoer" / "regios.yaml"
    text = config.read_text(encoding="utf-8")
    for region, value in zip(regions, ("[2016, 2018]", "geen")):
        text = text.replace(f"  - id: {region.id}\n", f"  - id: {region.id}\n    eerdere_metingen: {value}\n")
    config.write_text(text, encoding="utf-8")
    result = run(Paths(root / "invoer", QUESTIONNAIRES, root / "uit"), report_date=dt.date(2026, 11, 29))
    assert len(result.reports) == 3

    def read(region):
        html = (root / "uit" / region.id / "2021" / f"monitor-aoj_{region.id}_2021.html").read_text("utf-8")
        book = openpyxl.load_workbook(root / "uit" / region.id / "2021" / f"monitor-aoj_{region.id}_2021.xlsx")
        intro = {row[0]: row[1] for row in book["Toelichting"].iter_rows(values_only=True) if row[0]}
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)), intro["Eerdere metingen"]

    return [read(r) for r in regions]


@pytest.mark.slow
def test_report_of_a_region_with_history_but_no_earlier_data(reports):
    text, earlier = reports[0]
    assert "Dit is de derde keer dat de monitor in de regio wordt uitgevoerd (eerder in 2016 en 2018)." in text
    assert "voor die metingen zijn geen trendcijfers beschikbaar" in text
    assert "voor de derde keer (eerder in 2016 en 2018)" in text  # the conclusion agrees
    assert FIRST_TIME not in text and "Ontwikkeling sinds" not in text
    assert earlier == "2016 (geen gegevens), 2018 (geen gegevens)"


@pytest.mark.slow
def test_report_says_first_time_only_when_declared(reports):
    declared, declared_earlier = reports[1]
    assert FIRST_TIME in declared and declared_earlier == "geen"
    unknown, unknown_earlier = reports[2]
    assert FIRST_TIME not in unknown and NO_EARLIER_IN_INPUT in unknown
    assert unknown_earlier == "geen in deze rapportage"
