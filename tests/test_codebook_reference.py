"""The codebooks on real open answers of this monitor, read where they stand (never copied into the repository).

../shared/reference/004_*.txt is a hand-written report of a real region (Noord-Kennemerland, 2021). Under the
headings of its open questions it lists the respondents' answers as bullets, and for two questions it groups
them under its own sub-theme headings. Those bullets are the real answers here: the codebooks must place them
(few in "Overig"), place the answers about J&G coaches under the J&G coach sub-theme, and leave answers that name
no sub-theme in "Overig" (no false positives).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor_aoj.definitions.codebooks import OTHER, load_codebooks

from conftest import EXTERNAL, QUESTIONNAIRES

# The reference texts live beside the project: ../shared/reference (EXTERNAL is ../shared/fixtures/external).
REFERENCE = EXTERNAL.parent.parent / "reference"
# Heading in the reference report -> the open question whose answers follow it as bullets. The trots and
# verbetering answers sit under the report's own sub-theme headings, which end nothing: they are listed as
# part of the question. A heading of another kind ends the bullets.
QUESTION_HEADINGS = {
    "Samenwerking school en jeugdhulp": "zicht_toelichting_open",
    "Welke stappen kunnen nog gezet worden?": "preventie_stap_open",
    "Terugdringen schoolverzuim": "extra_verzuim_stap_open",
    "Voorbeelden om trots op te zijn": "trots_open",
    "Verbetervoorstellen": "verbetering_open",
}
SUB_HEADINGS = {"Algemeen", "De samenwerking met de J&G coaches", "Aandacht voor verzuim en thuiszitters",
                "Samenwerken met diverse partners", "J&G coaches", "Rollen, taken en verantwoordelijkheden",
                "Verbinding met Jeugdhulp", "M@ZL"}
# The most an open question may leave in "Overig" on these answers (before the widening: up to 50%).
MAX_OTHER_SHARE = 0.20


def reference_answers(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Open question id -> (the report's own sub-heading or "", answer text) for every bullet under it."""
    out: dict[str, list[tuple[str, str]]] = {}
    item, sub = None, ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line in QUESTION_HEADINGS:
            item, sub = QUESTION_HEADINGS[line], ""
        elif line in SUB_HEADINGS and item is not None:
            sub = line
        elif line.startswith("- ") and item is not None:
            out.setdefault(item, []).append((sub, line[2:].strip("* ")))
        elif not line.startswith("- ") and len(line) < 60 and not line.endswith((".", ":", "?")):
            item = None  # another heading: the bullets of this question have ended
    return out


@pytest.fixture(scope="module")
def answers() -> dict[str, list[tuple[str, str]]]:
    found = sorted(REFERENCE.glob("004_*.txt"))
    if not found:
        pytest.skip(f"De echte referentieteksten staan niet naast het project ({REFERENCE}); deze test leest ze "
                    "daar en kopieert ze nooit.")
    return reference_answers(found[0])


@pytest.fixture(scope="module")
def books():
    return load_codebooks(QUESTIONNAIRES)


def test_the_reference_answers_are_read(answers):
    counts = {item: len(rows) for item, rows in answers.items()}
    assert counts == {"zicht_toelichting_open": 4, "preventie_stap_open": 6, "extra_verzuim_stap_open": 5,
                      "trots_open": 22, "verbetering_open": 8}


def test_overig_share_per_question_is_bounded(answers, books):
    shares = {}
    for item, rows in answers.items():
        other = sum(books[item].code(text) == (OTHER,) for _, text in rows)
        shares[item] = other / len(rows)
    assert max(shares.values()) <= MAX_OTHER_SHARE, shares


def _code(books, item: str, answers, start: str) -> tuple[str, ...]:
    text = next(t for _, t in answers[item] if t.startswith(start))
    return books[item].code(text)


@pytest.mark.parametrize("item, start, expected", [
    # Asking for more J&G coaches, in the words real answers use.
    ("preventie_stap_open", "Vrijwel de helft van de professionals noemt meer inzet van de J&G-coaches", "jg_coaches"),
    ("verbetering_open", "Bij meer capaciteit J&G coaches vo", "jg_coaches"),
    ("preventie_stap_open", "Daarnaast wordt het versterken van de Jeugd-GGZ", "jeugd_ggz"),
    ("preventie_stap_open", "Ook wordt aangegeven dat er de mogelijkheid", "laagdrempelig"),
    ("preventie_stap_open", "Kennis over de sociale kaart bij mentoren", "signaleren"),
    ("preventie_stap_open", "Een reële overdracht vanuit het primair onderwijs", "overdracht"),
    ("preventie_stap_open", "Ten slotte wordt meerdere malen benoemd dat het belangrijk is dat de wachttijden",
     "wachttijden"),
    ("extra_verzuim_stap_open", "De inzet/uitbreiding van M@ZL", "ziekteverzuim"),
    ("extra_verzuim_stap_open", "Ook wordt genoemd dat geoorloofd verzuim", "geoorloofd"),
    ("extra_verzuim_stap_open", "Ten slotte werd genoemd dat het belangrijk is om jongeren een maatje", "maatje"),
    ("verbetering_open", "Bij multi-problematiek is een regiehouder", "rollen"),
    ("verbetering_open", "Jeugdhulp die standaard het initiatief neemt", "verbinding_jeugdhulp"),
    ("verbetering_open", "Het uitrollen van M@ZL op alle scholen", "verzuim"),
    ("trots_open", "De snelle inzet van de J&G coach vo", "jg_coaches"),
    ("trots_open", "Inzet JGZ heeft er zorg voor gedragen", "verzuim"),
    ("trots_open", "De pilot JGGZ-VO", "partners"),
    ("zicht_toelichting_open", "Als ouders of leerling niet melden", "melden"),
    ("zicht_toelichting_open", "In de praktijk zien we grote verschillen in de betrokkenheid", "betrokkenheid"),
])
def test_answers_go_to_the_sub_theme_a_reader_would_choose(answers, books, item, start, expected):
    assert expected in _code(books, item, answers, start)


@pytest.mark.parametrize("heading, expected", [
    ("De samenwerking met de J&G coaches", "jg_coaches"),
    ("Aandacht voor verzuim en thuiszitters", "verzuim"),
    ("J&G coaches", "jg_coaches"),
    ("Rollen, taken en verantwoordelijkheden", "rollen"),
    ("Verbinding met Jeugdhulp", "verbinding_jeugdhulp"),
])
def test_most_answers_under_a_reference_heading_get_its_sub_theme(answers, books, heading, expected):
    """The hand-written report grouped these answers itself; at least half of each group gets that sub-theme."""
    rows = [(item, t) for item, found in answers.items() for h, t in found if h == heading]
    hits = sum(expected in books[item].code(t) for item, t in rows)
    assert rows and hits * 2 >= len(rows), (heading, hits, len(rows))


@pytest.mark.parametrize("item, text", [
    # Real-sounding answers that name none of the sub-themes must stay "Overig" (no false positives).
    ("preventie_stap_open", "Ik weet het eerlijk gezegd ook niet goed, het is per school verschillend."),
    ("verbetering_open", "Meer geld van het Rijk en minder bureaucratie bij de aanbesteding."),
    ("trots_open", "Op mijn eigen team, iedereen is heel betrokken."),
    ("extra_verzuim_stap_open", "Geen mening."),
    # "coach" alone (a sport or life coach) is not a J&G coach.
    ("verbetering_open", "Mijn dochter heeft een voetbalcoach die veel voor haar betekent."),
])
def test_answers_without_a_sub_theme_stay_overig(books, item, text):
    assert books[item].code(text) == (OTHER,)


@pytest.mark.parametrize("item, text, expected", [
    # The ways real answers write J&G coaches, and Dutch compounds of a keyword.
    ("verbetering_open", "Meer J&G-coaches op de scholen!", "jg_coaches"),
    ("verbetering_open", "Uitbreiding van de jeugd- en gezinscoaches", "jg_coaches"),
    ("preventie_stap_open", "meer uren JGC per school", "jg_coaches"),
    ("preventie_stap_open", "Meer J&G'ers in het vo", "jg_coaches"),
    ("preventie_stap_open", "Inzet J en G coach vo uitbreiden", "jg_coaches"),
    ("trots_open", "Het wekelijkse casusoverleg met de wijkteams", "overleg"),
    ("verbetering_open", "De jeugdzorgwachtlijsten zijn veel te lang", "wachttijden"),
    ("preventie_stap_open", "Een sociale vaardigheidstraining voor de brugklas", "trainingen"),
    ("preventie_stap_open", "Meer schoolmaatschappelijk werk in de school", "laagdrempelig"),
    ("verbetering_open", "Dat jeugdhulpverleners ons op de hoogte houden", "verbinding_jeugdhulp"),
])
def test_real_word_forms_and_compounds(books, item, text, expected):
    assert expected in books[item].code(text)


def test_short_keywords_do_not_match_inside_compounds(books):
    # "rol" (shorter than codebooks.MIN_HEAD) must not find "hoofdrol" or "controle".
    assert "rollen" not in books["verbetering_open"].code("De jeugdhulp speelt de hoofdrol, met meer controle")
