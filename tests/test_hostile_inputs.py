"""Hostile and awkward inputs: each gives a correct result or a clear Dutch error, never a traceback, and no
file outside the input folder is read."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor_aoj.definitions.regions import ExportFile, load_config
from monitor_aoj.errors import ConfigError, MonitorError
from monitor_aoj.ingest.read import read_export

from conftest import QUESTIONNAIRES, ROOT
from test_validate import csv_bytes, hand, rows_of, xlsx

CONFIG = ("instellingen:\n  minimum_basis: 1\nregios:\n  - id: a\n    metingen:\n"
          "      - {{jaar: 2021, bestand: {name}, codes: vragenlijst}}\n")


MEMORY_BOUND_MB = 1024  # no small hostile input may make a run take more than this


def run_cli(folder: Path, *command: str) -> subprocess.CompletedProcess:
    """A real run in its own process, bounded in time (300 s) and memory (MEMORY_BOUND_MB at its peak)."""
    done = subprocess.run([sys.executable, "-m", "monitor_aoj", *(command or ("rapport",)), "--invoer", str(folder),
                           "--uitvoer", str(folder / "uit"), "--vragenlijsten", str(QUESTIONNAIRES)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    # The largest peak of any finished child so far; so every run is bounded.
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 < MEMORY_BOUND_MB
    return done


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_control_characters_in_an_open_answer_are_removed_and_named_not_a_crash(tmp_path, kind):
    frame = hand()
    if kind == "csv":
        frame.loc[0, "T3_2"] = "Vaker\x0bsamen\x01 om tafel"
        (tmp_path / "a.csv").write_bytes(csv_bytes(frame))
    else:
        import zipfile

        # openpyxl refuses to write these characters; other tools do, so they go into the sheet's XML directly.
        frame.loc[0, "T3_2"] = "VAKER_SAMEN"
        xlsx(tmp_path / "a.xlsx", {"Antwoorden": rows_of(frame)})
        with zipfile.ZipFile(tmp_path / "a.xlsx") as source:
            parts = {name: source.read(name) for name in source.namelist()}
        with zipfile.ZipFile(tmp_path / "a.xlsx", "w") as target:
            for name, data in parts.items():
                target.writestr(name, data.replace(b"VAKER_SAMEN", "Vaker&#11;samen&#1; om tafel".encode()))
    name = "a.csv" if kind == "csv" else "a.xlsx"
    (tmp_path / "regios.yaml").write_text(CONFIG.format(name=name), encoding="utf-8")
    proc = run_cli(tmp_path)
    assert "Traceback" not in proc.stderr and proc.returncode in (0, 4), proc.stderr
    if kind == "xlsx":
        # XML cannot hold these characters, so this workbook is broken: a clear message, nothing read.
        problems = (tmp_path / "uit" / "a" / "2021" / "validatie_a_2021.csv").read_text(encoding="utf-8-sig")
        assert proc.returncode == 4 and "een werkblad kan niet worden gelezen" in problems
        return
    assert (tmp_path / "uit" / "a" / "2021" / "monitor-aoj_a_2021.xlsx").exists()
    page = (tmp_path / "uit" / "a" / "2021" / "validatie_a_2021.html").read_text(encoding="utf-8")
    assert "onzichtbare stuurtekens" in page
    review = run_cli(tmp_path, "beoordeling")
    assert review.returncode == 0 and "Traceback" not in review.stderr


@pytest.mark.parametrize("name", ["/etc/passwd", "../../../../etc/passwd", "link.csv"])
def test_a_file_outside_the_input_folder_is_refused(tmp_path, questionnaires, name):
    (tmp_path / "link.csv").symlink_to("/etc/passwd")
    (tmp_path / "regios.yaml").write_text(CONFIG.format(name=name), encoding="utf-8")
    with pytest.raises(ConfigError, match="ligt buiten de invoermap"):
        load_config(tmp_path, questionnaires)


@pytest.mark.parametrize("link", ["folder", "sheet"])
@pytest.mark.slow  # 15 s or more: pipeline runs of its own
def test_a_review_sheet_outside_the_input_folder_is_refused(tmp_path, link):
    """The review folder (or one sheet in it) as a link out of the input folder: refused, nothing read or written
    there."""
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    folder = tmp_path / "invoer"
    folder.mkdir()
    (folder / "a.csv").write_bytes(csv_bytes(hand()))
    (folder / "regios.yaml").write_text(CONFIG.format(name="a.csv"), encoding="utf-8")
    if link == "folder":
        (folder / "beoordeling").symlink_to(elsewhere, target_is_directory=True)
    else:
        (folder / "beoordeling").mkdir()
        (folder / "beoordeling" / "beoordeling_a_2021.xlsx").symlink_to(elsewhere / "blad.xlsx")
    for command in ("beoordeling", "rapport"):
        done = run_cli(folder, command)
        assert done.returncode == 2, done.stdout + done.stderr
        assert "buiten de invoermap" in done.stdout + done.stderr and "Traceback" not in done.stderr
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("text, message", [
    ("regios:\n  - id: a\n   naam: scheef\n", "kan niet worden gelezen: er klopt iets niet op regel 3"),
    ("instellingen:\n  minimum_basis: vijf\nregios: []\n", "minimum_basis: 'vijf' is geen geldige waarde; verwacht "
                                                            "een heel getal"),
    ("instellingen:\n  waarschuwing_non_respons: veel\nregios: []\n", "waarschuwing_non_respons: 'veel'"),
])
def test_configuration_mistakes_are_said_in_dutch(tmp_path, questionnaires, text, message):
    (tmp_path / "regios.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path, questionnaires)


@pytest.mark.slow  # a whole pipeline run with every output: 18 s on a quiet two-core machine
def test_formula_like_text_stays_text_in_the_outputs(tmp_path):
    import openpyxl

    frame = hand()
    frame.loc[0, "T3_2"] = "=HYPERLINK(\"http://example.com\")"
    (tmp_path / "a.csv").write_bytes(csv_bytes(frame))
    (tmp_path / "regios.yaml").write_text(CONFIG.format(name="a.csv"), encoding="utf-8")
    proc = run_cli(tmp_path)
    assert "Traceback" not in proc.stderr
    book = openpyxl.load_workbook(tmp_path / "uit" / "a" / "2021" / "monitor-aoj_a_2021.xlsx")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert not (isinstance(cell.value, str) and cell.value.startswith("=HYPERLINK")) or \
                    cell.data_type != "f", (sheet.title, cell.coordinate)


# --- random bytes and truncated files: a result or a Dutch error, never a traceback -------------------------------

DUTCH = ("bestand", "kan niet", "niet", "geen", "rij", "kolom", "werkblad", "opnieuw", "leeg")


def _valid_files(folder: Path) -> dict[str, bytes]:
    import pyreadstat

    frame = hand()
    (folder / "v.csv").write_bytes(csv_bytes(frame))
    xlsx(folder / "v.xlsx", {"Antwoorden": rows_of(frame)})
    pyreadstat.write_sav(frame[["respondent_id", "sector", "T1_1"]], str(folder / "v.sav"))
    return {ext: (folder / f"v.{ext}").read_bytes() for ext in ("csv", "xlsx", "sav")}


VALID: dict[str, bytes] = {}


def _read_or_refuse(tmp: Path, ext: str, data: bytes, questionnaire) -> None:
    path = tmp / f"f.{ext}"
    path.write_bytes(data)
    fmt = {"csv": "csv", "xlsx": "excel", "sav": "spss"}[ext]
    from monitor_aoj.ingest.mapping import ExportMapping

    try:
        raw = read_export(ExportFile("a", 2021, path, fmt, mapping=ExportMapping(numbers_are_codes=True)),
                          questionnaire)
    except MonitorError as exc:
        assert any(word in str(exc).lower() for word in DUTCH), str(exc)
        return
    assert len(raw.frame) == len(raw.source)  # whatever was read is accounted for, row by row


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(ext=st.sampled_from(["csv", "xlsx", "sav"]), data=st.binary(max_size=2000))
def test_random_bytes_are_read_or_refused_in_dutch(tmp_path_factory, questionnaires, ext, data):
    _read_or_refuse(tmp_path_factory.mktemp("bytes"), ext, data, questionnaires[2021])


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(ext=st.sampled_from(["csv", "xlsx", "sav"]), cut=st.floats(0, 1, exclude_max=True))
def test_truncated_files_are_read_or_refused_in_dutch(tmp_path_factory, questionnaires, ext, cut):
    tmp = tmp_path_factory.mktemp("kort")
    if not VALID:
        VALID.update(_valid_files(tmp))
    data = VALID[ext]
    _read_or_refuse(tmp, ext, data[: int(len(data) * cut)], questionnaires[2021])


# --- a corpus of awkward shapes: each read in bounded time, or refused in Dutch ------------------------------------


def _checked_in_time(tmp_path: Path, name: str, data: bytes, questionnaires, seconds: float = 60,
                     config: str = CONFIG):
    import time

    from monitor_aoj.ingest.validation import validate

    (tmp_path / name).write_bytes(data)
    (tmp_path / "regios.yaml").write_text(config.format(name=name), encoding="utf-8")
    start = time.perf_counter()
    result = validate(load_config(tmp_path, questionnaires), questionnaires).files[0]
    assert time.perf_counter() - start < seconds
    return result


def test_ten_thousand_unused_columns_are_listed_not_a_hang(tmp_path, questionnaires):
    import pandas as pd

    frame = pd.concat([hand(), pd.DataFrame({f"extra_{i}": [""] * 10 for i in range(10_000)})], axis=1)
    f = _checked_in_time(tmp_path, "breed.csv", csv_bytes(frame), questionnaires)
    assert (f.rows_read, f.rows_used) == (10, 10)
    assert any("extra_0" in n and "andere" in n for n in f.notes)  # listed, shortened


def test_a_huge_open_answer_is_kept_whole(tmp_path, questionnaires):
    frame = hand()
    frame.loc[0, "T3_2"] = "Meer overleg, vaker samen. " * 40_000  # about a megabyte in one cell
    f = _checked_in_time(tmp_path, "lang.csv", csv_bytes(frame), questionnaires)
    assert f.rows_used == 10 and len(f.clean.frame["verbetering_open"].iloc[0]) > 1_000_000


@pytest.mark.parametrize("name, data", [
    ("versleuteld.xlsx", bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504 + b"EncryptedPackage"),
    ("kapot.sav", b"$FL2@(#) SPSS DATA FILE" + b"\x00" * 40),
    ("plaatje.csv", bytes.fromhex("89504e470d0a1a0a") + bytes(range(256)) * 4),
])
def test_encrypted_broken_or_foreign_files_are_refused_in_dutch(tmp_path, questionnaires, name, data):
    f = _checked_in_time(tmp_path, name, data, questionnaires)
    if f.clean is None:
        assert any(word in f.errors[0].action for word in ("kan niet", "opnieuw", "geen")), f.errors[0].action
    else:  # read as text: then nothing in it is an answer, and every row is accounted for
        assert f.rows_read == f.rows_used + f.rows_quarantined


def test_a_password_protected_workbook_is_named_as_such(tmp_path, questionnaires):
    """A workbook encrypted with a password the way Excel does it (ECMA-376 agile encryption; the fixture was made
    with msoffcrypto-tool, password 'geheim'), and an old .xls: each gets the message that says what to do."""
    data = (Path(__file__).parent / "data" / "vijandig" / "wachtwoord_geheim.xlsx").read_bytes()
    (tmp_path / "wachtwoord").mkdir()
    (tmp_path / "oud").mkdir()
    f = _checked_in_time(tmp_path / "wachtwoord", "a.xlsx", data, questionnaires)
    assert f.clean is None and "met een wachtwoord beveiligd" in f.errors[0].action
    old = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504 + "Workbook".encode("utf-16-le")
    f = _checked_in_time(tmp_path / "oud", "b.xlsx", old, questionnaires)
    assert f.clean is None and "Excel 97-2003" in f.errors[0].action


def test_strange_spss_labels_do_not_crash_and_decode_nothing_by_guess(tmp_path, questionnaires):
    import pyreadstat

    frame = hand()[["respondent_id", "sector", "T1_1"]].copy()
    frame["T1_1"] = frame["T1_1"].map({"Ja": 1.0, "Nee": 2.0})
    frame["respondent_id"] = frame["respondent_id"].astype(float)
    labels = {"T1_1": {1.0: "Ja\x07 <b>!</b> " + "x" * 200, 2.0: ""}}
    pyreadstat.write_sav(frame, str(tmp_path / "raar.sav"), variable_value_labels=labels)
    f = _checked_in_time(tmp_path, "raar.sav", (tmp_path / "raar.sav").read_bytes(), questionnaires,
                         config=CONFIG.replace(", codes: vragenlijst", ""))
    assert f.rows_used == 10 and f.cells_set_aside == 10  # labels that mean nothing: set aside, never guessed
