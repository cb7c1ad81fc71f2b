"""No planted personal detail reaches any output: report, workbook, validation pages, quarantine CSV, review sheet.

A corpus of invented personal details is typed into the open answers of a small export (and of a row that goes
to quarantine); after a full run and a review run every output file is scanned for each detail, as typed and with
its spaces removed.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from monitor_aoj import pipeline
from monitor_aoj.pipeline import Paths

from conftest import QUESTIONNAIRES

HANDTELLING = Path(__file__).resolve().parent / "data" / "handtelling"

# Every detail as it is typed into an answer; the scan looks for the detail itself, not for its label.
DETAILS = {
    "naam": ["Anouk de Vries", "Anouk", "Vries", "Pieter Jansen", "Jansen", "Korteweg"],
    "e-mail": ["anouk.devries@lindewaard-jeugd.nl", "p.jansen@example.org"],
    "telefoonnummer": ["06-41872953", "+31 20 718 2934", "0513-287465"],
    "iban": ["NL91 ABNA 0417 1643 00", "DE89370400440532013000", "nl44 rabo 0123 4567 89", "ABNA0417164300",
             "RABO0123456789"],
    "datum": ["12-03-2008", "14 juni 2011", "2009-07-23", "3-11-2012"],
    "kenteken": ["GJ-123-X", "ZT-45-PK", "12ABC3", "8-KLN-47"],
    "nummer": ["61234987", "4471203", "S2093841"],
    "bsn": ["283746159", "274.615.983"],
    "postcode": ["8431 KT"],
    "adres": ["Kerkweg 31"],
}
PLANTED = [d for details in DETAILS.values() for d in details]

# Open answers with the details, for T3_2 (verbetering) and T6_1 (trots); readable, so they compete for quotes.
ANSWERS_T3_2 = [
    "Meer overleg met Anouk de Vries (06-41872953), zij kent de leerling (12-03-2008) goed.",
    "Korte lijnen: bel Pieter Jansen op +31 20 718 2934 of mail anouk.devries@lindewaard-jeugd.nl.",
    "Betaal de J&G coach via NL91 ABNA 0417 1643 00, KvK 61234987, dan gaat het sneller.",
    "De leerling, geboren op 14 juni 2011, leerlingnummer 4471203, zat maanden thuis.",
    "Zijn geboortedatum is 2009-07-23 en zijn BSN 283746159, dat deelden we veilig.",
    "Meer overleg graag, de samenwerking met school is goed en de lijnen zijn kort.",
    "De wachttijden zijn te lang, kinderen wachten maanden op hulp van de jeugdhulp.",
    "Mevrouw Korteweg kwam met auto GJ-123-X, kenteken 12ABC3, naar Kerkweg 31, 8431 KT.",
    "Studentnummer: S2093841, rekening nl44 rabo 0123 4567 89, bsn 274.615.983.",
    "Vaker samen om tafel met het wijkteam, dan lossen we meer op.",
]
ANSWERS_T6_1 = [
    "Trots op de aanpak met p.jansen@example.org en 0513-287465, het kind (3-11-2012) gaat weer naar school.",
    "Het overleg met Jansen over de leerling: mooi resultaat.",
    "De auto ZT-45-PK en 8-KLN-47 stonden klaar voor het vervoer naar school, knap geregeld.",
    "Trots op de samenwerking met het wijkteam, de korte lijnen werken echt goed.",
    "Rekening DE89370400440532013000 voor de ouderbijdrage, geregeld door de school.",
    "Goede samenwerking tussen school en jeugdhulp bij thuiszitters.",
    "Trots dat de leerplichtambtenaar snel aansloot bij het overleg.",
    "Samen een plan gemaakt, de leerling is weer op school.",
    "Het zorgadviesteam werkt goed, iedereen is er bij.",
    "Wij zijn trots op de J&G coaches die op elke school aanwezig zijn.",
]
# A second row with respondent number 1 goes to quarantine: its answers are in the quarantine CSV.
QUARANTINE_ANSWER = ("Bel Anouk op 06-41872953 of stort op NL91ABNA0417164300 (KvK 61234987), geboren 12-03-2008, "
                     "kenteken GJ-123-X")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> list[tuple[Path, str]]:
    root = tmp_path_factory.mktemp("leaks")
    folder = root / "invoer"
    shutil.copytree(HANDTELLING, folder)
    path = folder / "handtelling.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8")), delimiter=";"))
    header, body = rows[0], rows[1:]
    header.append("T6_1")
    t3 = header.index("T3_2")
    for i, row in enumerate(body):
        row[t3] = ANSWERS_T3_2[i]
        row.append(ANSWERS_T6_1[i])
    bad = list(body[0])
    bad[t3] = QUARANTINE_ANSWER
    bad[-1] = QUARANTINE_ANSWER
    body.append(bad)
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\n").writerows([header, *body])
    path.write_text(buffer.getvalue(), encoding="utf-8")

    output = root / "uitvoer"
    paths = Paths(folder, QUESTIONNAIRES, output)
    review = pipeline.review(paths)
    result = pipeline.run(paths, report_date=datetime.date(2026, 11, 29))
    assert result.reports and result.workbooks and review.review_files
    files = sorted(p for p in [*output.rglob("*"), *(folder / "beoordeling").rglob("*")] if p.is_file())
    return [(p, text) for p in files for text in readable(p)]


def readable(path: Path) -> list[str]:
    """The text of an output file: the XML inside a workbook or Word document, the HTML as it is (its charts are
    inline SVG), nothing of a PNG (a chart: pixels drawn from figures; its SVG twin is read as text)."""
    if path.suffix == ".png":
        return []
    if path.suffix in (".xlsx", ".docx"):
        with zipfile.ZipFile(path) as z:
            return [z.read(name).decode("utf-8") for name in z.namelist() if name.endswith((".xml", ".rels"))]
    return [path.read_text(encoding="utf-8")]


def test_every_kind_of_output_is_scanned(outputs):
    names = {p.name for p, _ in outputs}
    assert any(n.startswith("monitor-aoj_") and n.endswith(".html") for n in names)
    assert any(n.endswith(".xlsx") for n in names)
    assert any(n.endswith(".docx") for n in names)
    assert any(n.endswith(".csv") for n in names)
    assert any("quarantaine" in n or "quarantine" in n for n in names), names
    assert any(p.parent.name == "beoordeling" for p, _ in outputs)
    everything = "\n".join(text for _, text in outputs)
    # The answers did reach the outputs, anonymised: quotes, review sheet and quarantine file.
    for placeholder in ("[iban]", "[datum]", "[kenteken]", "[nummer]", "[naam]", "[telefoonnummer]"):
        assert placeholder in everything, placeholder


@pytest.mark.parametrize("detail", PLANTED)
def test_no_planted_detail_in_any_output(outputs, detail):
    plain = detail.lower()
    squeezed = re.sub(r"\s+", "", plain)
    pattern = re.compile(rf"(?<![^\W_]){re.escape(plain)}(?![^\W_])") if plain.isalpha() else None
    for path, text in outputs:
        low = text.lower()
        if pattern is not None:
            assert not pattern.search(low), (detail, path.name)  # a name as a word, not inside "Vriesland"
            continue
        assert plain not in low, (detail, path.name)
        assert squeezed not in re.sub(r"\s+", "", low), (detail, path.name)
