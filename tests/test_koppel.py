"""`monitor-aoj koppel`: a drafted mapping for real exports, accepted by parse_mapping and by the pipeline."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from monitor_aoj.cli import app
from monitor_aoj.errors import ConfigError
from monitor_aoj.ingest.koppel import draft_mapping
from monitor_aoj.ingest.koppel_yaml import render_yaml
from monitor_aoj.ingest.mapping import parse_mapping

from conftest import EXTERNAL, QUESTIONNAIRES

CASES = EXTERNAL.parent.parent / "cases" / "ingest"
ZEEVELD = CASES / "zeeveld-eigen-codes" / "zeeveld_2021.sav"
TEXTS = CASES / "csv-komma-in-kop" / "limesurvey_teksten.csv"


def lines_of(text: str) -> dict[str, str]:
    """'  source: target  # comment' lines by source (keys as YAML reads them)."""
    out = {}
    for line in text.splitlines():
        if line.startswith("  ") and ":" in line and not line.rstrip().endswith(":"):
            key = next(iter(yaml.safe_load(line.split("  #")[0].strip())))
            out[str(key)] = line
    return out


def drafted(path: Path, q, name: str = "x.koppeling.yaml") -> tuple[dict, str]:
    text = render_yaml(draft_mapping(path, q), q, name)
    return yaml.safe_load(text), text


@pytest.fixture()
def zeeveld(tmp_path) -> Path:
    target = tmp_path / ZEEVELD.name
    shutil.copy(ZEEVELD, target)
    return target


def test_zeeveld_own_codes(zeeveld, questionnaires, tmp_path):
    q = questionnaires[2021]
    raw, text = drafted(zeeveld, q)
    reference = yaml.safe_load((ZEEVELD.parent / "regios.yaml").read_text())["regios"][0]["metingen"][0]["kolommen"]
    kolommen = raw["kolommen"]
    # Background by name and answers, vr01 and vr14 by their variable labels, the rest by answers and order.
    for source in ("respnr", "v_sector", "v_functie", "v_schooltype", "vr01", "vr14"):
        assert kolommen[source] == reference[source]
    closed = [s for s, t in reference.items() if not t.endswith("_toelichting") and t not in ("T3_2", "T4_3", "T6_1")]
    right = [s for s in closed if kolommen.get(s) == reference[s]]
    assert len(right) == len(closed) == 23
    # Empty open columns cannot be placed by their answers: listed, never dropped silently.
    for source in ("vr08_toel", "vr14_open", "vr16_open", "vr20_open"):
        assert source not in kolommen
        assert f"#   {source}: de kolom is leeg" in text
    assert "#   T1_8_toelichting (Toelichting zicht op jeugdhulp)" in text
    shown = lines_of(text)
    assert "CONTROLEREN" not in shown["v_sector"]
    assert "CONTROLEREN" in shown["vr02"] and "volgorde" in shown["vr02"]
    # The unknown functie label and the extra "Weet ik niet": one decision each, asked for.
    assert raw["antwoorden"]["functie"] == {7: "Jeugdarts of jeugdverpleegkundige (JGZ)"}
    assert "JGZ-verpleegkundige" in shown["7"] and "CONTROLEREN" in shown["7"]
    assert raw["schalen"] == {"T1_4": "ja_nee_weet", "T1_5": "ja_nee_weet"}
    assert "CONTROLEREN" in shown["T1_4"]
    assert raw["codes"] == "labels"
    # Accepted as drafted.
    path = tmp_path / "x.koppeling.yaml"
    path.write_text(text, encoding="utf-8")
    mapping = parse_mapping({}, path, "test", q, tmp_path)
    assert dict(mapping.columns)["vr01"] == "mdo_aanwezig"
    assert mapping.scale_for("mdo_afspraken_aanbod") == "ja_nee_weet"


def test_question_text_headers(questionnaires, tmp_path):
    q = questionnaires[2021]
    raw, text = drafted(TEXTS, q)
    reference = yaml.safe_load((TEXTS.parent / "regios.yaml").read_text())["regios"][0]["metingen"][0]["kolommen"]
    assert raw["kolommen"] == reference
    shown = lines_of(text)
    multi = "Er is een multidisciplinair overleg (MDO), met onderwijs, jeugdhulp en ouders"
    assert "CONTROLEREN: kolomnaam lijkt 74%" in shown[multi]
    assert "CONTROLEREN" not in shown["Ouders nemen deel aan de overleggen, zij worden altijd uitgenodigd"]
    # "Weet ik niet" on T5_1 decodes by itself: nothing to check in antwoorden.
    assert "antwoorden" not in raw
    path = tmp_path / "k.yaml"
    path.write_text(text, encoding="utf-8")
    parse_mapping({}, path, "test", q, tmp_path)


QUALTRICS = [
    ["StartDate", "EndDate", "Status", "ResponseId", "Finished", "Q1", "Q2", "Q3", "Q4", "Q5"],
    ["Start Date", "End Date", "Response Type", "Response ID", "Finished",
     "In welke sector werkt u?",
     "Er is een multidisciplinair overleg waaraan professionals uit onderwijs en jeugdhulp deelnemen.",
     "Jongeren nemen deel aan de overleggen (zij worden altijd uitgenodigd).",
     "Welk rapportcijfer geeft u de samenwerking tussen onderwijs en jeugdhulp?",
     "Hoe kan de samenwerking verbeterd worden, zodat u die hoger waardeert?"],
    ['{"ImportId":"startDate","timeZone":"Europe/Amsterdam"}', '{"ImportId":"endDate"}', '{"ImportId":"status"}',
     '{"ImportId":"_recordId"}', '{"ImportId":"finished"}', '{"ImportId":"QID1"}', '{"ImportId":"QID2"}',
     '{"ImportId":"QID3"}', '{"ImportId":"QID4"}', '{"ImportId":"QID5_TEXT"}'],
    ["2021-03-01 10:00:00", "2021-03-01 10:09:00", "IP Address", "R_1", "True", "Onderwijs", "Ja", "Nee", "7",
     "Vaker samen aan tafel met de school"],
    ["2021-03-01 11:00:00", "2021-03-01 11:05:00", "IP Address", "R_2", "True", "Jeugdhulp", "Nee", "Ja", "8",
     "Meer tijd voor overleg tussen wijkteam en mentor"],
    ["2021-03-02 09:00:00", "2021-03-02 09:07:00", "IP Address", "R_3", "True", "Onderwijs", "Ja", "Nee, nooit", "6",
     "Een vaste contactpersoon per school zou helpen"],
]


def test_qualtrics_three_rows(questionnaires, tmp_path):
    import csv

    q = questionnaires[2021]
    path = tmp_path / "qualtrics.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(QUALTRICS)
    draft = draft_mapping(path, q)
    assert draft.layout == "qualtrics"
    raw, text = drafted(path, q)
    assert raw["kolommen"] == {"Q1": "sector", "Q2": "T1_1", "Q3": "T1_3", "Q4": "T3_1", "Q5": "T3_2"}
    assert "CONTROLEREN" not in lines_of(text)["Q2"]  # the questionnaire's own text
    # Metadata are not answers; the ResponseId is offered as respondent number in a comment.
    assert not {"StartDate", "ResponseId", "Finished"} & set(raw["kolommen"])
    assert "metagegevens van de enquêtetool: StartDate, EndDate, Status, ResponseId, Finished" in text
    assert "'ResponseId: respondent_id'" in text
    # "Nee, nooit" does not decode by itself, and "Nee" is in the file too: two different answers on one is never
    # proposed, so it is an open slot, refused until the user fills it.
    assert raw["antwoorden"] == {"T1_3": {"Nee, nooit": None}}
    assert "# KIES: 'Nee, nooit' staat niet in de vragenlijst" in lines_of(text)["Nee, nooit"]
    assert "Kies zelf: Ja, Nee, Niet van toepassing, Geen antwoord" in lines_of(text)["Nee, nooit"]
    target = tmp_path / "k.yaml"
    target.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"antwoorden, T1_3: 'Nee, nooit' heeft nog geen antwoord"):
        parse_mapping({}, target, "test", q, tmp_path)
    target.write_text(text.replace("Nee, nooit:  #", "Nee, nooit: Nee  #"), encoding="utf-8")
    item = next(it.id for it in q.items if it.column == "T1_3")
    assert parse_mapping({}, target, "test", q, tmp_path).answers_for(item) == {"nee nooit": (2, "geldig")}


def test_command(zeeveld, tmp_path):
    runner = CliRunner()
    args = ["koppel", zeeveld.name, "--meting", "2021", "--invoer", str(tmp_path), "--vragenlijsten",
            str(QUESTIONNAIRES)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Indeling:    SPSS" in out
    assert "Kolommen:    2 zeker gekoppeld, 21 te controleren, 4 niet gekoppeld" in out
    assert "functie: 7 = 'JGZ-verpleegkundige' -> voorstel 'Jeugdarts of jeugdverpleegkundige (JGZ)'" in out
    assert "koppeling: zeeveld_2021.koppeling.yaml" in out
    assert "monitor-aoj valideer" in out
    written = tmp_path / "zeeveld_2021.koppeling.yaml"
    before = written.read_text(encoding="utf-8")
    again = runner.invoke(app, args)
    assert again.exit_code == 2
    assert "bestaat al" in again.output and "--overschrijf" in again.output
    assert written.read_text(encoding="utf-8") == before
    assert runner.invoke(app, args + ["--overschrijf"]).exit_code == 0
    assert written.read_text(encoding="utf-8") == before  # deterministic


def test_end_to_end(zeeveld, tmp_path):
    from monitor_aoj.pipeline import Paths, check

    result = CliRunner().invoke(app, ["koppel", str(zeeveld), "--meting", "2021", "--vragenlijsten",
                                      str(QUESTIONNAIRES)])
    assert result.exit_code == 0, result.output
    (tmp_path / "regios.yaml").write_text(
        "regios:\n  - id: zeeveld\n    naam: Zeeveld\n    metingen:\n      - jaar: 2021\n"
        "        bestand: zeeveld_2021.sav\n        koppeling: zeeveld_2021.koppeling.yaml\n", encoding="utf-8")
    v = check(Paths(tmp_path, QUESTIONNAIRES, tmp_path / "uit")).validation
    assert (v.rows_read, v.rows_quarantined) == (26, 0)
    (file,) = v.files
    assert file.cells_set_aside == 0  # every answer decodes: the drafted answers and scales were used
    # What is left is what the draft could not know: which empty column holds which open question.
    assert sorted(p.column for p in file.problems if p.check == "kolom_ontbreekt") == [
        "T1_8_toelichting", "T3_2", "T4_3", "T6_1"]
