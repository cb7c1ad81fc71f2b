"""regios.yaml is checked whole: every independent mistake is named in one message, in the order of the file, so a
coordinator with three typos mends them in one go instead of running the tool three times."""

from __future__ import annotations

import subprocess
import sys

import pytest

from monitor_aoj.definitions.config_problems import ConfigProblems
from monitor_aoj.definitions.regions import load_config
from monitor_aoj.errors import ConfigError

from conftest import QUESTIONNAIRES, ROOT

KNOWN_SETTINGS = ("max_bestandsgrootte_mb, max_citaten, minimum_basis, rapport_bij_quarantaine, referentie, "
                  "waarschuwing_non_respons")
KNOWN_REGION_KEYS = ("eerdere_metingen, eigen_vragen, gemeenten, id, metingen, naam, opdrachtgever, organisaties, "
                     "weglaten")
CLEAN = """\
instellingen:
  minimum_basis: 5
regios:
  - id: noord
    naam: Noord
    metingen:
      - jaar: 2018
        bestand: noord_2018.csv
      - jaar: 2021
        bestand: noord_2021.csv
        veldwerk: maart 2021
  - id: zuid
    metingen:
      - jaar: 2018
        bestand: zuid_2018.csv
      - jaar: 2021
        bestand: zuid_2021.csv
"""
# What a coordinator writes with three typos in three places: a setting, a wave of one region, a year of another.
SETTING_TYPO = ("  minimum_basis: 5", "  minimum_bassis: 5")
NO_FILE = ("        bestand: noord_2021.csv\n", "")
YEAR_TYPO = ("      - jaar: 2018\n        bestand: zuid", "      - jaar: 20l8\n        bestand: zuid")
THREE_MESSAGES = (
    f"regios.yaml, instellingen: onbekend veld 'minimum_bassis'. Bekende velden: {KNOWN_SETTINGS}.",
    "regios.yaml, regio 'noord', meting 2: elke meting heeft een 'jaar' en een 'bestand'.",
    "regios.yaml, regio 'zuid', meting 1: jaar '20l8' is geen jaartal.",
)


def _with(*changes: tuple[str, str], text: str = CLEAN) -> str:
    """CLEAN with each (old, new) made once; a change that finds nothing is a broken test."""
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def _error(folder, text, questionnaires) -> ConfigError:
    """The ConfigError that load_config raises for this regios.yaml (its exports exist, with a header only)."""
    for name in ("noord_2018.csv", "noord_2021.csv", "zuid_2018.csv", "zuid_2021.csv"):
        (folder / name).write_text("respondent_id\n", encoding="utf-8")
    (folder / "regios.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(folder, questionnaires)
    return caught.value


def test_three_mistakes_in_three_places_are_all_named_in_one_message(tmp_path, questionnaires):
    error = _error(tmp_path, _with(SETTING_TYPO, NO_FILE, YEAR_TYPO), questionnaires)
    (tmp_path / "regios.yaml").write_text(CLEAN, encoding="utf-8")
    assert len(load_config(tmp_path, questionnaires).exports) == 4  # without the typos the file is fine
    assert isinstance(error, ConfigProblems)
    assert error.problems == THREE_MESSAGES
    assert str(error).splitlines() == ["3 fouten gevonden; verbeter ze alle drie en draai de opdracht opnieuw:",
                                       *(f"  - {m}" for m in THREE_MESSAGES)]


def test_the_command_prints_every_mistake_and_exits_with_the_code_of_a_config_error(tmp_path):
    for name in ("noord_2018.csv", "zuid_2021.csv"):
        (tmp_path / name).write_text("respondent_id\n", encoding="utf-8")
    (tmp_path / "regios.yaml").write_text(_with(SETTING_TYPO, NO_FILE, YEAR_TYPO), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "monitor_aoj", "valideer", "--invoer", str(tmp_path), "--uitvoer",
                           str(tmp_path / "uit"), "--vragenlijsten", str(QUESTIONNAIRES), "--stil"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == ConfigError.exit_code == 2
    assert done.stderr.splitlines() == ["Fout: 3 fouten gevonden; verbeter ze alle drie en draai de opdracht opnieuw:",
                                        *(f"  - {m}" for m in THREE_MESSAGES)]
    assert not (tmp_path / "uit").exists()


@pytest.mark.parametrize("change, message", [
    (SETTING_TYPO, THREE_MESSAGES[0]),
    (NO_FILE, THREE_MESSAGES[1]),
    (YEAR_TYPO, THREE_MESSAGES[2]),
    (("    naam: Noord\n", "    naam: Noord\n    kleur: blauw\n"),
     f"regios.yaml, regio 'noord': onbekend veld 'kleur'. Bekende velden: {KNOWN_REGION_KEYS}."),
])
def test_a_single_mistake_reads_exactly_as_its_own_message(tmp_path, questionnaires, change, message):
    error = _error(tmp_path, _with(change), questionnaires)
    assert str(error) == message
    assert isinstance(error, ConfigProblems) and error.problems == (message,)


def test_the_mistakes_come_in_the_order_of_the_file(tmp_path, questionnaires):
    # The settings after the regions; in a region, eerdere_metingen above metingen; in a wave, uitgenodigd above
    # jaar: the order the checks run in is not the order the coordinator reads.
    text = _with(("instellingen:\n  minimum_basis: 5\n", ""), text=CLEAN + "instellingen:\n  max_citaten: -1\n")
    text = _with(("  - id: noord\n    naam: Noord\n", "  - id: noord\n    eerdere_metingen: [2030]\n    naam: Noord\n"),
                 ("      - jaar: 2021\n        bestand: zuid_2021.csv\n",
                  "      - uitgenodigd: {onderwijs: 0}\n        jaar: 2021\n        bestand: zuid_2021.exe\n"),
                 text=text)
    error = _error(tmp_path, text, questionnaires)
    assert isinstance(error, ConfigProblems)
    assert [m.split(":")[0] for m in error.problems] == [
        "regios.yaml, regio 'noord', eerdere_metingen",
        "regios.yaml, regio 'zuid', meting 2, uitgenodigd",
        "regios.yaml, regio 'zuid', meting 2",
        "regios.yaml, instellingen",
    ]
    assert "2030 ligt in de toekomst" in error.problems[0]
    assert "van bestand 'zuid_2021.exe' is het formaat onbekend" in error.problems[2]
    assert error.problems[3].endswith("max_citaten kan niet negatief zijn.")


def test_independent_mistakes_inside_one_wave_and_one_region_are_all_named(tmp_path, questionnaires):
    text = _with(("      - jaar: 2021\n        bestand: noord_2021.csv\n        veldwerk: maart 2021\n",
                  "      - jaar: 2021\n        bestand: ../noord_2021.csv\n        veldwrk: maart 2021\n"
                  "        uitgenodigd: {onderwijs: 0, jeugdhulp: tien}\n"),
                 ("  - id: zuid\n", "  - id: Zuid Holland\n    gemeenten: {Zuid: 1}\n"),
                 ("      - jaar: 2021\n        bestand: zuid_2021.csv\n", "      - jaar: 2030\n        bestand: "
                                                                           "zuid_2021.csv\n"))
    error = _error(tmp_path, text, questionnaires)
    assert isinstance(error, ConfigProblems)
    where = [m.split(": ")[0] for m in error.problems]
    assert where == [
        "regios.yaml, regio 'noord', meting 2, bestand",
        "regios.yaml, regio 'noord', meting 2",  # the unknown field veldwrk
        "regios.yaml, regio 'noord', meting 2, uitgenodigd",
        "regios.yaml, regio 'noord', meting 2, uitgenodigd",
        "regios.yaml",  # the id is no folder name: said as today, by the region's number
        "regios.yaml, regio nummer 2, gemeenten",
        "regios.yaml, regio nummer 2, meting 2",
    ]
    assert "'../noord_2021.csv' ligt buiten de invoermap" in error.problems[0]
    assert "onbekend veld 'veldwrk'" in error.problems[1]
    assert "onderwijs 0 kan niet" in error.problems[2] and "jeugdhulp 'tien' is geen heel getal" in error.problems[3]
    assert error.problems[4].startswith("regios.yaml: regio nummer 2 heeft id 'Zuid Holland'.")
    assert "voor meting 2030 is geen vragenlijst" in error.problems[6]


def test_a_mistake_is_not_followed_by_the_mistakes_it_causes(tmp_path, questionnaires):
    # The 2021 wave cannot be read (its file lies outside the folder), but its year still counts: 2019 lies before
    # it, and the wave is not "missing" for the name left out of all waves.
    text = _with(("  - id: noord\n    naam: Noord\n",
                  "  - id: noord\n    naam: Noord\n    eerdere_metingen: [2019]\n"
                  "    weglaten: [extra_jg_coach_preventief]\n"),
                 ("        bestand: noord_2021.csv\n", "        bestand: /tmp/noord_2021.csv\n"))
    error = _error(tmp_path, text, questionnaires)
    assert error.problems == ("regios.yaml, regio 'noord', meting 2, bestand: '/tmp/noord_2021.csv' ligt buiten de "
                              f"invoermap. Zet het bestand in {tmp_path} en noem alleen de naam.",)


def test_a_region_listed_twice_is_named_even_when_a_copy_has_a_mistake_of_its_own(tmp_path, questionnaires):
    text = CLEAN + "  - id: noord\n    metingen:\n      - {jaar: 2016, bestand: noord_2016.csv, formaat: pdf}\n"
    (tmp_path / "noord_2016_samenvatting.md").write_bytes(b"\xff\xfe")  # said once, though two waves use it
    text = _with(("      - {jaar: 2016", "      - {jaar: 2016, bestand: noord_2016.csv}\n      - {jaar: 2016"),
                 text=text)
    assert _error(tmp_path, text, questionnaires).problems == (
        "noord_2016_samenvatting.md: dit bestand is geen UTF-8-tekst (fout bij teken 1). Sla het op als UTF-8, "
        "bijvoorbeeld in Kladblok met 'Opslaan als' en codering UTF-8.",
        "regios.yaml, regio 'noord': meting 2016 staat er twee keer in.",
        "regios.yaml, regio 'noord', meting 2: van bestand 'noord_2016.csv' is het formaat onbekend. Geef "
        "'formaat: spss', 'csv' of 'excel' op.",
        "regios.yaml: deze regio's staan er twee keer in: noord",
    )


def test_a_file_that_cannot_be_read_further_stops_there(tmp_path, questionnaires):
    # Broken YAML: nothing after the mistake can be read, so nothing else is said (as before).
    broken = _error(tmp_path, _with(SETTING_TYPO, ("    naam: Noord\n", "    naam: Noord: Oost\n")), questionnaires)
    assert str(broken).startswith("Het bestand regios.yaml kan niet worden gelezen: er klopt iets niet op regel 5, "
                                  "kolom 16.")
    # 'regios' is no list: there are no regions to check, but the settings above it are.
    no_list = _error(tmp_path, "instellingen:\n  minimum_basis: nul\nregios: noord\n", questionnaires)
    assert str(no_list) == (
        "2 fouten gevonden; verbeter ze alle twee en draai de opdracht opnieuw:\n"
        "  - regios.yaml, instellingen, minimum_basis: 'nul' is geen geldige waarde; verwacht een heel getal, "
        "bijvoorbeeld 5.\n"
        "  - regios.yaml: 'regios' is een lijst van regio's, elk beginnend met '- id:' (zie de README voor een "
        "voorbeeld).")


def test_a_five_digit_year_and_metingen_not_a_list_say_what_is_wrong(tmp_path, questionnaires):
    """A typo'd year (20188) is not 'in the future', and `metingen: x.csv` is not 'a wave without a file'."""
    text = _with(("  - id: zuid\n", "  - id: zuid\n    eerdere_metingen: [20188]\n"),
                 ("    naam: Noord\n    metingen:\n      - jaar: 2018\n        bestand: noord_2018.csv\n"
                  "      - jaar: 2021\n        bestand: noord_2021.csv\n        veldwerk: maart 2021\n",
                  "    naam: Noord\n    metingen: noord_2021.csv\n"))
    assert _error(tmp_path, text, questionnaires).problems == (
        "regios.yaml, regio 'noord': 'metingen' is een lijst van metingen, elk beginnend met '- jaar:' en met een "
        "'bestand' (zie de README voor een voorbeeld).",
        "regios.yaml, regio 'zuid', eerdere_metingen: 20188 is geen plausibel jaar van een meting; verwacht een "
        "jaartal van vier cijfers vanaf 2010.")
