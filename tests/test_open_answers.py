"""Open answers: codebook matching, frequency words, quote selection, the review loop, hostile text, privacy."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from monitor_aoj.anonymise.anonymiser import KINDS
from monitor_aoj.definitions.codebooks import OTHER, load_codebooks, normalise
from monitor_aoj.open_answers.quotes import (
    MAX_PLACEHOLDER_SHARE,
    PLACEHOLDER,
    placeholder_share,
    readability,
    select_quotes,
)
from monitor_aoj.report.open_answer_text import subtheme_sentence
from monitor_aoj.report.phrases import frequency

from conftest import QUESTIONNAIRES, ROOT, SAMPLES
from htmltables import tables


@pytest.fixture(scope="module")
def books():
    return load_codebooks(QUESTIONNAIRES)


# --- codebooks ----------------------------------------------------------------------------------------------


def test_every_open_question_has_a_codebook(books, questionnaires):
    open_items = {it.id for q in questionnaires.values() for it in q.items if it.is_open}
    assert open_items == set(books)


@pytest.mark.parametrize("text, code", [
    ("Meer J&G-coaches op school", "jg_coaches"),
    ("MEER J&G COACHES", "jg_coaches"),
    ("De wachtlijsten zijn te lang", "wachttijden"),  # plural of a keyword
    ("Duidelijke taken en rollen", "rollen"),  # taak -> taken, rol -> rollen
    ("Wie is verantwoordelijk? Onduidelijke verantwoordelijkheden.", "rollen"),  # prefix keyword
    ("Privacy-afspraken helpen", "privacy"),
    ("Een vaste contactpersoon per school", "vast_aanspreekpunt"),
])
def test_keywords_match_word_forms_case_and_accents(books, text, code):
    assert code in books["verbetering_open"].code(text)


def test_accents_do_not_matter(books):
    assert normalise("Coördinatie én overleg") == "coordinatie en overleg"
    assert "overleg" in books["trots_open"].code("Het överleg is goed")


def test_several_codes_and_overig(books):
    codes = books["verbetering_open"].code("Meer J&G coaches en kortere wachttijden")
    assert codes == ("jg_coaches", "wachttijden")
    assert books["verbetering_open"].code("Het weer was mooi") == (OTHER,)
    assert books["verbetering_open"].code("") == (OTHER,)


def test_a_keyword_is_a_word_not_any_substring(books):
    # "rol" must not match "controle" or "rolstoel"; "taak" not "taakstraf"? (taak + straf is no Dutch ending)
    assert "rollen" not in books["verbetering_open"].code("Meer controle op de rolstoeltoegankelijkheid")


# --- frequency words ----------------------------------------------------------------------------------------

RANGES = {
    "vrijwel alle respondenten": (0.90, 1.0), "een grote meerderheid": (0.80, 0.90),
    "ongeveer driekwart": (0.70, 0.80), "ongeveer twee derde": (0.60, 0.70),
    "iets meer dan de helft": (0.50, 0.60), "de helft": (0.5, 0.5), "bijna de helft": (0.45, 0.50),
    "ruim een derde": (0.37, 0.45), "ongeveer een derde": (0.30, 0.37), "ongeveer een kwart": (0.20, 0.30),
    "een klein deel": (0.10, 0.20), "enkele respondenten": (0.0, 0.10),
}


def test_frequency_words_never_say_more_or_less_than_the_numbers():
    for n in range(2, 80):
        for k in range(2, n):
            words = frequency(k, n)
            low, high = RANGES[words]
            share = k / n
            assert low <= share <= high and not (share == high and high < 1 and words != "de helft"), (k, n, words)


def test_frequency_edge_cases():
    assert frequency(0, 10) == "niemand"
    assert frequency(1, 10) == "één respondent"
    assert frequency(10, 10) == "alle respondenten"
    assert frequency(9, 20) == "bijna de helft"  # the reference report's "vrijwel de helft"
    assert subtheme_sentence("J&G coaches", 9, 20) == "Bijna de helft (9 van de 20) noemt J&G coaches."
    assert subtheme_sentence("Wachttijden", 3, 40) == "Enkele respondenten (3 van de 40) noemen wachttijden."


# --- quotes -------------------------------------------------------------------------------------------------


def answers_frame(rows):
    return pd.DataFrame(rows, columns=["key", "region", "wave", "respondent", "sector", "item", "text", "codes",
                                       "quote"])


def candidate_rows():
    texts = [
        ("onderwijs", "Meer J&G coaches op school, zodat er sneller hulp is voor leerlingen die vastlopen."),
        ("onderwijs", "Meer J&G coaches op school, zodat er sneller hulp is voor leerlingen die vastlopen."),
        ("onderwijs", "j&g coaches"),
        ("onderwijs", "MEER J&G COACHES EN MINDER PRATEN, WANT DAT HELPT NIEMAND VERDER IN DE KLAS."),
        ("onderwijs", "De J&G coach zou vaker aan moeten sluiten bij het zorgadviesteam op onze school."),
        ("jeugdhulp", "Uitbreiding van de uren van de J&G coach, nu is er maar één ochtend per week."),
        ("jeugdhulp", "Als er meer J&G coaches zijn, kunnen zij [naam] en collega's beter helpen met de trajecten."),
        ("jeugdhulp", "J&G coaches moeten meer ruimte krijgen om preventief te werken met de klassen."),
    ]
    return [(f"r|2021|verbetering_open|{i}", "r", 2021, str(i), sector, "verbetering_open", text, ("jg_coaches",),
             None) for i, (sector, text) in enumerate(texts)]


def test_quotes_are_deterministic_spread_over_sectors_and_capped(books):
    rows = candidate_rows()
    first = select_quotes(answers_frame(rows), books, 3)
    for seed in range(5):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        again = select_quotes(answers_frame(shuffled), books, 3)
        assert list(again["text"]) == list(first["text"])
    assert len(first) == 3
    assert set(first["sector"]) == {"onderwijs", "jeugdhulp"}
    assert len(set(first["text"])) == 3  # the duplicate answer is quoted once at most
    assert "j&g coaches" not in set(first["text"])  # too short to be a readable quote
    assert not any(t.isupper() for t in first["text"])  # shouting is not quoted


def test_review_flags_win_in_quote_selection(books):
    rows = candidate_rows()
    rows[2] = rows[2][:-1] + (True,)  # the coordinator wants the short one
    best = select_quotes(answers_frame(candidate_rows()), books, 3)
    banned = best["key"].iloc[0]
    rows = [r[:-1] + (False,) if r[0] == banned else r for r in rows]
    chosen = select_quotes(answers_frame(rows), books, 3)
    assert "j&g coaches" in set(chosen["text"])
    assert banned not in set(chosen["key"])
    assert len(chosen) == 3


def rows_for(texts, quote=None):
    return [(f"r|2021|verbetering_open|{i}", "r", 2021, str(i), sector, "verbetering_open", text, ("jg_coaches",),
             quote) for i, (sector, text) in enumerate(texts)]


def test_quotes_prefer_answers_without_placeholders(books):
    with_placeholder = [
        ("onderwijs", "Meer J&G coaches op school, zodat [naam] en collega's sneller hulp kunnen bieden."),
        ("jeugdhulp", "Bij leerling [bsn] ging de overdracht mis, meer J&G coaches zouden echt helpen."),
    ]
    clean = [
        # less readable: no capital, no stop
        ("onderwijs", "meer J&G coaches op school graag, dat helpt de leerlingen"),
        ("jeugdhulp", "de J&G coach moet vaker aansluiten bij het overleg op school"),
        ("onderwijs", "Een J&G coach op elke school helpt."),
    ]
    texts = with_placeholder + clean
    for _, text in clean:
        assert readability(text) >= 0
    assert min(readability(t) for _, t in with_placeholder) > max(readability(t) for _, t in clean)
    chosen = list(select_quotes(answers_frame(rows_for(texts)), books, 3)["text"])
    # The answers without a placeholder win, although the others rank higher on readability alone.
    assert set(chosen) == {t for _, t in clean}
    # With room for more, an answer with a few placeholders may still be quoted, after the clean ones.
    more = list(select_quotes(answers_frame(rows_for(texts)), books, 5)["text"])
    assert len(more) == 5 and set(more[:3]) == set(chosen)


def test_answers_that_are_mostly_placeholders_are_never_chosen(books):
    mostly = "Bel [naam] ([telefoonnummer]) of [naam] via [e-mail] over de J&G coach."  # 5 of 11 words
    assert placeholder_share(mostly) > MAX_PLACEHOLDER_SHARE and readability(mostly) >= 0
    assert placeholder_share("De J&G coach [naam] helpt echt goed op onze school.") <= MAX_PLACEHOLDER_SHARE
    texts = [("onderwijs", mostly), ("jeugdhulp", "[naam]: [naam] [naam] [naam] J&G coaches!")]
    assert select_quotes(answers_frame(rows_for(texts)), books, 3).empty
    # The coordinator's "ja" still wins: a person decided.
    assert list(select_quotes(answers_frame(rows_for(texts[:1], quote=True)), books, 3)["text"]) == [mostly]


def test_placeholder_pattern_knows_every_kind():
    for kind in KINDS:
        assert PLACEHOLDER.fullmatch(f"[{kind}]")
    assert placeholder_share("[iban] [datum] [kenteken] [nummer]") == 1.0
    assert placeholder_share("") == 0.0


def test_readability_prefers_complete_sentences():
    assert readability("Meer overleg tussen school en jeugdhulp, elke maand een vast moment.") > readability(
        "meer overleg")
    assert readability("DIT IS EEN ANTWOORD IN HOOFDLETTERS ZONDER EINDE") < 0


# --- the whole loop on sample data ----------------------------------------------------------------------------


def run(args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "monitor_aoj", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(scope="module")
def region_copy(tmp_path_factory):
    """One sample region (Beekdal-Noord) in a folder of its own, with its own output."""
    folder = tmp_path_factory.mktemp("beekdal")
    for path in SAMPLES.glob("beekdal-noord_*"):
        shutil.copy(path, folder)
    config = (SAMPLES / "regios.yaml").read_text(encoding="utf-8")
    head, regions = config.split("regios:\n", 1)
    block = regions[regions.index("  - id: beekdal-noord"):]
    block = block[:block.index("  - id: polderrijk")]
    (folder / "regios.yaml").write_text(head + "regios:\n" + block, encoding="utf-8")
    return folder


def report_tables(folder: Path, wave: int = 2021) -> dict:
    html = (folder / "uit" / "beekdal-noord" / str(wave) / f"monitor-aoj_beekdal-noord_{wave}.html").read_text(
        encoding="utf-8")
    return html, tables(html)


@pytest.mark.slow  # 15 s or more: pipeline runs of its own
def test_review_round_trip(region_copy):
    proc = run(["beoordeling", "--invoer", str(region_copy), "--uitvoer", str(region_copy / "uit"),
                "--vragenlijsten", str(QUESTIONNAIRES), "--meting", "2021"])
    assert proc.returncode == 0, proc.stderr
    sheet_path = region_copy / "beoordeling" / "beoordeling_beekdal-noord_2021.xlsx"
    assert sheet_path.exists() and "Beoordelingslijst" in proc.stdout
    proc = run(["rapport", "--invoer", str(region_copy), "--uitvoer", str(region_copy / "uit"), "--vragenlijsten",
                str(QUESTIONNAIRES), "--meting", "2021", "--datum", "2021-05-25"])
    assert proc.returncode == 0, proc.stderr
    html_before, before = report_tables(region_copy)

    # The coordinator: forbids the first quote, moves one answer to "Wachttijden", and types a wrong code.
    book = openpyxl.load_workbook(sheet_path)
    sheet = book["Antwoorden"]
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) + 1 for name in header}
    quoted = re.findall(r"<q>(.*?)</q>", html_before)
    assert quoted
    banned = quoted[0].replace("&#39;", "'").replace("&amp;", "&").replace("&quot;", '"')
    moved = wrong = None
    for row in range(2, sheet.max_row + 1):
        text = sheet.cell(row, col["Antwoord (geanonimiseerd)"]).value
        item = sheet.cell(row, col["Vraag"]).value
        if text == banned:
            sheet.cell(row, col["Citaat in rapport"]).value = "nee"
        elif item == "verbetering_open" and moved is None and "Geen suggestie" not in str(
                sheet.cell(row, col["Voorgestelde subthema's"]).value) and "Wachttijden" not in str(
                sheet.cell(row, col["Voorgestelde subthema's"]).value):
            sheet.cell(row, col["Subthema's (uw keuze)"]).value = "Wachttijden"
            moved = row
        elif wrong is None and item == "trots_open":
            sheet.cell(row, col["Subthema's (uw keuze)"]).value = "Bestaat niet"
            wrong = row
    book.save(sheet_path)

    proc = run(["rapport", "--invoer", str(region_copy), "--uitvoer", str(region_copy / "uit"), "--vragenlijsten",
                str(QUESTIONNAIRES), "--meting", "2021", "--datum", "2021-05-25"])
    assert proc.returncode == 0, proc.stderr
    assert f"rij {wrong}: subthema 'Bestaat niet' bestaat niet" in proc.stdout
    html_after, after = report_tables(region_copy)
    assert f"<q>{quoted[0]}</q>" not in html_after  # the review changed the next report

    def wachttijden(t):
        row = next(r for r in t["tabel-verbetering_open"] if r[0] == "Wachttijden")
        return int(re.search(r"\((\d+)\)", row[3]).group(1))

    assert wachttijden(after) == wachttijden(before) + 1
    assert "van de" in html_after and "antwoorden zijn door een coördinator beoordeeld" in html_after
    # Per open question: before the review nothing was reviewed, after it the note under the question says how much.
    def note(html, item):
        block = html.split(f'id="vraag-{item}"', 1)[1]
        return re.search(r'<p class="toelichting indeling">(.*?)</p>', block, re.S).group(1)

    assert "(nog) niet door een coördinator nagekeken" in note(html_before, "verbetering_open")
    assert re.search(r"een coördinator heeft de indeling van [1-9]\d* van de \d+ antwoorden nagekeken",
                     note(html_after, "verbetering_open"))

    # A corrected export changes one reviewed answer: flagged, not silently merged.
    export = region_copy / "beekdal-noord_2021.csv"
    data = export.read_bytes().decode("cp1252")
    moved_key = openpyxl.load_workbook(sheet_path)["Antwoorden"].cell(moved, col["Respondent"]).value
    lines = data.split("\r\n")
    header_cells = lines[0].split(";")
    at = header_cells.index("T3_2")
    for i, line in enumerate(lines[1:], start=1):
        cells = line.split(";")
        if cells and cells[0] == str(moved_key):
            cells[at] = "Een heel ander antwoord over overleg."
            lines[i] = ";".join(cells)
    export.write_bytes("\r\n".join(lines).encode("cp1252"))
    proc = run(["rapport", "--invoer", str(region_copy), "--uitvoer", str(region_copy / "uit"), "--vragenlijsten",
                str(QUESTIONNAIRES), "--meting", "2021", "--datum", "2021-05-25"])
    assert f"respondent {moved_key} op 'verbetering_open' is veranderd sinds de beoordeling" in proc.stdout
    _, changed = report_tables(region_copy)
    assert wachttijden(changed) == wachttijden(before)  # the automatic codes again
    run(["beoordeling", "--invoer", str(region_copy), "--uitvoer", str(region_copy / "uit"), "--vragenlijsten",
         str(QUESTIONNAIRES), "--meting", "2021"])
    refreshed = openpyxl.load_workbook(sheet_path)["Antwoorden"]
    statuses = {refreshed.cell(r, col["Respondent"]).value: refreshed.cell(r, col["Status"]).value
                for r in range(2, refreshed.max_row + 1)
                if refreshed.cell(r, col["Vraag"]).value == "verbetering_open"}
    assert statuses[moved_key] == "gewijzigd sinds beoordeling"


HOSTILE = [
    "<script>alert('x')</script> Meer overleg graag met de J&G coach op school.",
    "=HYPERLINK(\"http://evil.example\",\"klik\") meer wachttijd dan nodig",
    "+31 6 12345678 is mijn nummer, bel mevrouw Jansen maar over de wachtlijst",
    "MEER J&G COACHES!!! BEL DHR. DE BOER OP 06-12345678",
    "Goede samenwerking 👍🏽 met het wijkteam, korte lijnen 😀",
    "   ",
    "x" * 5000 + " Anouk de Vries",
]


def test_hostile_answers_are_escaped_anonymised_and_never_formulas(tmp_path):
    from conftest import DATA

    frame = pd.read_csv(DATA / "handtelling" / "handtelling.csv", sep=";", dtype=str, keep_default_na=False)
    frame["T3_2"] = HOSTILE + ["Meer overleg.", "Korte lijnen en overleg.", "Betere terugkoppeling graag."]
    frame.to_csv(tmp_path / "vijandig.csv", sep=";", index=False, encoding="utf-8")
    (tmp_path / "regios.yaml").write_text(
        "instellingen:\n  minimum_basis: 1\n  max_citaten: 10\nregios:\n  - id: proef\n    metingen:\n"
        "      - {jaar: 2021, bestand: vijandig.csv}\n", encoding="utf-8")
    out = tmp_path / "uit"
    run(["rapport", "--invoer", str(tmp_path), "--uitvoer", str(out), "--vragenlijsten", str(QUESTIONNAIRES)])
    html = (out / "proef" / "2021" / "monitor-aoj_proef_2021.html").read_text(encoding="utf-8")
    body = html.split("<script>", 1)[0] + html.rsplit("</script>", 1)[-1]
    assert "<script>alert" not in html and "&lt;script&gt;alert" in body
    for secret in ("12345678", "Jansen", "De Boer", "DE BOER", "Anouk", "de Vries"):
        assert secret not in body, secret
    book = openpyxl.load_workbook(out / "proef" / "2021" / "monitor-aoj_proef_2021.xlsx")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)


# --- no personal data anywhere in the outputs of the sample run --------------------------------------------------


def secrets_in_sample() -> set[str]:
    """The personal details in the sample's open answers, found without the anonymiser."""
    from monitor_aoj.definitions.questionnaire_reader import load_questionnaires
    from monitor_aoj.definitions.regions import load_config
    from monitor_aoj.demo.samples import FIRST_NAMES, REGIONS, SURNAMES
    from monitor_aoj.ingest.read import read_export

    qs = load_questionnaires(QUESTIONNAIRES)
    config = load_config(SAMPLES, qs)
    texts = []
    for e in config.exports:
        raw = read_export(e, qs[e.wave])
        for item in qs[e.wave].items_for(e.extras):
            if item.is_open and item.id in raw.frame:
                texts += [str(t) for t in raw.frame[item.id] if t]
    found = set()
    for t in texts:
        found |= set(re.findall(r"06-\d{8}", t))
        found |= set(re.findall(r"[\w.]+@[\w.-]+", t))
        found |= set(re.findall(r"https?://\S+", t))
        for name in FIRST_NAMES + [s.split()[-1] for s in SURNAMES]:
            if re.search(rf"\b{re.escape(name)}\b", t):
                found.add(name)
        for region in REGIONS:
            for org in region.organisations:
                if org in t:
                    found.add(org)
    return found


def output_texts(folder: Path):
    for path in folder.rglob("*"):
        if path.suffix == ".html":
            yield path, path.read_text(encoding="utf-8")  # charts are inline SVG: their text is scanned too
        elif path.suffix == ".csv":
            yield path, path.read_bytes().decode("utf-8-sig")
        elif path.suffix == ".svg":
            yield path, path.read_text(encoding="utf-8")
        elif path.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(path) as z:
                yield path, " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))


@pytest.mark.slow  # 15 s or more: pipeline runs of its own
def test_no_personal_data_from_the_sample_survives_into_any_output(tmp_path):
    secrets = secrets_in_sample()
    assert len(secrets) > 15  # the sample really holds names, phone numbers, e-mail addresses and URLs
    out = tmp_path / "uit"
    proc = run(["rapport", "--uitvoer", str(out), "--datum", "2021-05-25"])
    assert proc.returncode == 0, proc.stderr
    scanned = 0
    for path, text in output_texts(out):
        scanned += 1
        for secret in secrets:
            assert not re.search(rf"(?<![\w]){re.escape(secret)}(?![\w])", text), (path.name, secret)
    assert scanned >= 12 * 4
