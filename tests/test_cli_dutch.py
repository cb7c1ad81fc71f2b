"""The command speaks Dutch, also where the command-line framework speaks: help pages and usage errors. And the
size limit of exports (`max_bestandsgrootte_mb`)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_responses"
QUESTIONNAIRES = ROOT / "questionnaires"

ENGLISH = ("Usage", "Options", "Arguments", "Commands", "Show this", "is not a valid", "No such", "Missing",
           "unexpected extra", "[default", "[required]", "Try '", "Error:", "Did you mean", "<path>", "<int>")


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "monitor_aoj", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def no_english(proc: subprocess.CompletedProcess) -> None:
    said = proc.stdout + proc.stderr
    found = [fragment for fragment in ENGLISH if fragment in said]
    assert not found, f"Engels in de uitvoer: {found}\n{said}"


@pytest.mark.parametrize("args, code, dutch", [
    (("--help",), 0, ["Gebruik: monitor-aoj", "Opties:", "Opdrachten:", "Toon deze hulp en stop.", "--version"]),
    ((), 2, ["Gebruik: monitor-aoj", "Opdrachten:"]),  # no command: the help page, as a usage error
    (("rapport", "--help"), 0, ["Gebruik: monitor-aoj rapport [OPTIES]", "[standaard:", "'uitvoer' in de invoermap",
                                "--meting JAARTAL"]),
    (("koppel", "--help"), 0, ["Argumenten:", "BESTAND", "[verplicht]"]),
    # --stil says precisely what is still shown
    (("rapport", "--help"), 0, ["--stil", "Geen voortgangsbalken", "alleen waarschuwingen", "slotregel"]),
    (("valideer", "--help"), 0, ["--stil", "slotregel"]),
    (("beoordeling", "--help"), 0, ["--stil", "slotregel"]),
    (("rapport", "--stil=ja"), 2, ["Fout: de optie --stil krijgt geen waarde."]),
    (("valideer", "--regio"), 2, ["Fout: na de optie --regio hoort een waarde."]),
    (("rapport", "--meting", "abc"), 2, ["Fout: ongeldige waarde voor '--meting': 'abc' is geen heel getal.",
                                         "Hulp: monitor-aoj rapport --help"]),
    (("rapport", "--processen", "0"), 2, ["'--processen': '0' is te klein: het moet minstens 1 zijn."]),
    (("rapport", "--processen", "{ge}"), 2, ["'--processen': '{ge}' is geen heel getal."]),
    (("raport",), 2, ["Fout: onbekende opdracht 'raport'. Bedoelt u 'rapport'?"]),
    (("--foo",), 2, ["Fout: onbekende optie: --foo."]),
    (("rapport", "--foo"), 2, ["Fout: onbekende optie: --foo.\n"]),  # no far-fetched "Bedoelt u --pdf?"
    (("rapport", "--metin", "2021"), 2, ["Fout: onbekende optie: --metin. Bedoelt u --meting?"]),
    (("koppel",), 2, ["Fout: het argument 'BESTAND' ontbreekt."]),
    (("koppel", "x.csv"), 2, ["Fout: de optie '--meting' ontbreekt."]),
    (("koppel", "x.csv", "--meting"), 2, ["Fout: na de optie --meting hoort een waarde."]),
    (("rapport", "extra"), 2, ["Fout: onverwachte extra invoer: extra."]),
])
def test_cli_framework_texts_are_dutch(args, code, dutch):
    proc = cli(*args)
    assert proc.returncode == code, proc.stdout + proc.stderr
    for text in dutch:
        assert text in proc.stdout + proc.stderr
    no_english(proc)
    if code == 2 and args:
        assert proc.stdout == ""  # a usage error goes to stderr only


def test_ctrl_c_outside_a_job_is_said_in_dutch(monkeypatch, tmp_path):
    """While the program loads or prints what it did, Ctrl-C gives a Dutch word and exit code 130, no
    traceback (a job itself says more: see test_progress)."""
    from typer.testing import CliRunner

    from monitor_aoj import cli

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_parse_date", interrupted)  # runs before the job starts
    result = CliRunner().invoke(cli.app, ["rapport", "--uitvoer", str(tmp_path)])
    assert result.exit_code == 130
    assert result.output.strip() == "Onderbroken."
    assert not list(tmp_path.iterdir())


def test_cli_version():
    from monitor_aoj import __version__

    proc = cli("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"monitor-aoj {__version__}"
    no_english(proc)


def test_sample_data_never_replaces_what_is_in_the_folder(tmp_path):
    own = tmp_path / "regios.yaml"
    own.write_text("# mijn eigen regio's\n", encoding="utf-8")
    proc = cli("voorbeelddata", "--uitvoer", str(tmp_path))
    assert proc.returncode == 2
    assert "regios.yaml" in proc.stderr and "--overschrijf" in proc.stderr
    no_english(proc)
    assert own.read_text(encoding="utf-8") == "# mijn eigen regio's\n"
    assert [p.name for p in tmp_path.iterdir()] == ["regios.yaml"]


@pytest.mark.slow  # 15 s or more: pipeline runs of its own
def test_a_file_where_a_folder_should_be_is_said_in_dutch(tmp_path):
    file = tmp_path / "bestand"
    file.write_text("niet weg\n", encoding="utf-8")
    proc = cli("voorbeelddata", "--uitvoer", str(file))
    assert proc.returncode == 2 and "is een bestand, geen map" in proc.stderr, proc.stderr
    folder = _input(tmp_path, "200")
    proc = cli("valideer", "--invoer", str(folder), "--uitvoer", str(file))
    assert proc.returncode != 0 and "er staat een bestand met die naam waar een map moet komen" in proc.stderr
    assert "Traceback" not in proc.stderr
    no_english(proc)
    proc = cli("valideer", "--invoer", str(tmp_path / "nergens"))
    assert proc.returncode == 2 and "bestaat niet" in proc.stderr and "--invoer" in proc.stderr
    assert file.read_text(encoding="utf-8") == "niet weg\n"


def test_without_uitvoer_the_reports_go_into_the_input_folder(tmp_path):
    """Two input folders run without --uitvoer never write into the same output folder."""
    folder = _input(tmp_path, "200")
    proc = subprocess.run([sys.executable, "-m", "monitor_aoj", "valideer", "--invoer", str(folder)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert (folder / "uitvoer" / "validatie.html").is_file()
    assert not (tmp_path / "output").exists()


def _input(tmp_path: Path, limit: str) -> Path:
    folder = tmp_path / "invoer"
    folder.mkdir()
    for name in ("beekdal-noord_2021.csv", "polderrijk_2021.csv", "polderrijk_2021.koppeling.yaml"):
        shutil.copy(SAMPLES / name, folder / name)
    (folder / "regios.yaml").write_text(
        f"instellingen:\n  max_bestandsgrootte_mb: {limit}\n"
        "regios:\n"
        "  - id: beekdal-noord\n    metingen:\n      - jaar: 2021\n        bestand: beekdal-noord_2021.csv\n"
        "  - id: polderrijk\n    metingen:\n      - jaar: 2021\n        bestand: polderrijk_2021.csv\n"
        "        koppeling: polderrijk_2021.koppeling.yaml\n", encoding="utf-8")
    return folder


def _validate(folder: Path) -> subprocess.CompletedProcess:
    return cli("valideer", "--invoer", str(folder), "--uitvoer", str(folder / "uit"), "--vragenlijsten",
               str(QUESTIONNAIRES))


def test_cli_export_larger_than_the_limit_is_refused(tmp_path):
    folder = _input(tmp_path, "0.001")
    proc = _validate(folder)
    assert proc.returncode == 4, proc.stdout + proc.stderr
    message = "beekdal-noord_2021.csv is 0,0469 MB, groter dan de grens van 0,001 MB; het bestand is niet gelezen."
    assert message in proc.stdout
    assert "max_bestandsgrootte_mb: 0.05" in proc.stdout  # how to raise the limit
    assert message in (folder / "uit" / "validatie.csv").read_text(encoding="utf-8-sig")
    assert "bestand niet te lezen" in (folder / "uit" / "validatie.csv").read_text(encoding="utf-8-sig")
    no_english(proc)


def test_cli_size_limit_refuses_one_file_and_reads_the_others(tmp_path):
    # beekdal-noord_2021.csv is 48 KB, polderrijk_2021.csv 25 KB: a limit of 0.04 MB (41 KB) refuses only the first.
    folder = _input(tmp_path, "0.04")
    proc = _validate(folder)
    assert proc.returncode == 4, proc.stdout + proc.stderr
    assert "Niet gelezen: beekdal-noord_2021.csv is 0,0469 MB, groter dan de grens van 0,04 MB" in proc.stdout
    assert "beekdal-noord_2021.csv: 0 gelezen" in proc.stdout
    assert "polderrijk_2021.csv: 43 gelezen = 43 gebruikt" in proc.stdout  # the run went on with the other file


@pytest.mark.parametrize("value, expected", [
    ("groot", "regios.yaml, instellingen, max_bestandsgrootte_mb: 'groot' is geen geldige waarde; verwacht een "
              "getal in megabyte, bijvoorbeeld 200."),
    ("0", "regios.yaml, instellingen: max_bestandsgrootte_mb moet groter zijn dan 0"),
])
def test_cli_bad_size_limit_is_a_dutch_setting_error(tmp_path, value, expected):
    proc = _validate(_input(tmp_path, value))
    assert proc.returncode == 2
    assert f"Fout: {expected}" in proc.stderr
    no_english(proc)


def test_size_limit_reaches_the_export_and_defaults_to_200(tmp_path):
    from monitor_aoj.definitions.regions import load_config

    config = load_config(_input(tmp_path, "12.5"))
    assert config.settings.max_file_mb == 12.5
    assert {e.max_file_mb for e in config.exports} == {12.5}
    (tmp_path / "invoer" / "regios.yaml").write_text(
        "regios:\n  - id: proef\n    metingen:\n      - jaar: 2021\n        bestand: polderrijk_2021.csv\n",
        encoding="utf-8")
    config = load_config(tmp_path / "invoer")
    assert config.settings.max_file_mb == 200 and config.exports[0].max_file_mb == 200
