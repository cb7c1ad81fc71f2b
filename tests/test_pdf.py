"""The PDF: printed by the browser on the machine, A4, page numbers on the pages and in the table of contents.

The printed PDF is read back with pypdf and checked by its text, not by how render_pdf found the numbers: a
contents entry says page N, so the heading must be on page N. The sample report's summary must start on page 2
and its body (up to the appendix "Tabellen per vraag") take at most twelve pages. CI has chromium
(MONITOR_AOJ_REQUIRE_BROWSER=1): there a missing browser fails these tests instead of skipping them.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from monitor_aoj.report import pdf as render_pdf
from monitor_aoj.report import printing, which_browser

from conftest import QUESTIONNAIRES, ROOT, SAMPLES

A4 = (595.0, 842.0)  # points
SUMMARY = "Bestuurlijke samenvatting"
APPENDIX = "Tabellen per vraag"
MAX_BODY_PAGES = 12


def browser() -> str:
    found = which_browser.find_browser()
    if found:
        return found
    if os.environ.get("MONITOR_AOJ_REQUIRE_BROWSER") == "1":
        pytest.fail("geen browser om de PDF mee te maken; .ci/run installeert chromium ('apt-get install chromium').")
    pytest.skip("geen browser op deze machine (installeer met: apt-get install chromium)")


def cli(*args: str, env: dict | None = None, out: Path | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "monitor_aoj", "rapport", "--invoer", str(SAMPLES), "--vragenlijsten",
               str(QUESTIONNAIRES), *args]
    if out is not None:
        command += ["--uitvoer", str(out)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900, env=env)


# --- the sample report, printed ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """(the HTML's path, its PDF's pages as text lines, the PDF reader) of the sample region's 2021 report."""
    from pypdf import PdfReader

    browser()
    out = tmp_path_factory.mktemp("pdf")
    proc = cli("--regio", "lindewaard", "--meting", "2021", "--datum", "2021-05-25", "--pdf", out=out)
    assert proc.returncode == 0, proc.stderr
    html = out / "lindewaard" / "2021" / "monitor-aoj_lindewaard_2021.html"
    pdf = html.with_suffix(".pdf")
    assert f"PDF:       {pdf}" in proc.stdout
    reader = PdfReader(pdf)
    lines = [[line.strip() for line in page.extract_text().splitlines() if line.strip()] for page in reader.pages]
    return html, lines, reader


def contents(html: Path) -> list[str]:
    """The titles in the HTML's table of contents, in order."""
    import lxml.html

    nav = lxml.html.fragment_fromstring(render_pdf._NAV.search(html.read_text(encoding="utf-8")).group(0))
    return [" ".join(a.text_content().split()) for a in render_pdf._links(nav)]


def printed_numbers(titles: list[str], lines: list[list[str]]) -> dict[str, int]:
    """Title -> the page number printed after it in the PDF's table of contents."""
    numbers = {}
    for index, page in enumerate(lines):
        for title in titles:
            for line in page:
                found = re.fullmatch(re.escape(title) + r"\s*(\d+)", line)
                if found and title not in numbers:
                    numbers[title] = int(found.group(1))
        if len(numbers) == len(titles):
            break
    return numbers


def heading_page(title: str, lines: list[list[str]], titles: list[str]) -> int | None:
    """The first page after the title page with `title` as a line of its own (as a heading is; "Bijlage: <title>"
    counts too). On a page with contents entries ("<title> <page>"), only the lines below the last entry count."""
    entry = re.compile("(?:" + "|".join(re.escape(t) for t in titles) + r")\s*\d+")
    for index in range(1, len(lines)):
        page = lines[index]
        below = [i for i, line in enumerate(page) if entry.fullmatch(line)]
        page = page[below[-1] + 1:] if below else page
        if any(line == title or line.endswith(f": {title}") for line in page):
            return index + 1
    return None


@pytest.mark.slow
def test_pdf_is_written_next_to_the_html_on_a4(printed):
    html, lines, reader = printed
    assert html.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    assert len(reader.pages) >= 3
    for number, page in enumerate(reader.pages, 1):
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert abs(size[0] - A4[0]) < 2 and abs(size[1] - A4[1]) < 2, f"pagina {number} is {size}, geen A4"
    print(f"\nPDF: {len(reader.pages)} pagina's")


@pytest.mark.slow
def test_every_page_after_the_title_page_has_its_number(printed):
    _, lines, _ = printed
    missing = [n for n, page in enumerate(lines, 1) if n > 1 and str(n) not in page]
    assert missing == []


@pytest.mark.slow
def test_each_contents_entry_has_the_page_its_heading_is_on(printed):
    html, lines, _ = printed
    titles = contents(html)
    numbers = printed_numbers(titles, lines)
    assert set(numbers) == set(titles), f"zonder paginanummer: {[t for t in titles if t not in numbers]}"
    found = {t: heading_page(t, lines, titles) for t in titles}
    wrong = {t: (numbers[t], found[t]) for t in titles if found[t] != numbers[t]}
    assert wrong == {}, "titel: (nummer in de inhoud, pagina waar de kop staat)"
    assert list(numbers.values()) == sorted(numbers.values()), "de inhoud volgt de volgorde van het rapport"


@pytest.mark.slow
def test_the_saved_html_has_no_page_numbers(printed):
    html, _, _ = printed
    assert 'class="pagina"' not in html.read_text(encoding="utf-8")


@pytest.mark.slow
def test_summary_starts_on_page_two(printed):
    html, lines, _ = printed
    page = heading_page(SUMMARY, lines, contents(html))
    print(f"\n'{SUMMARY}' op pagina {page}")
    assert page == 2


@pytest.mark.slow
def test_body_up_to_the_appendix_is_at_most_twelve_pages(printed):
    html, lines, _ = printed
    appendix = heading_page(APPENDIX, lines, contents(html))
    assert appendix is not None, f"geen kop '{APPENDIX}' in de PDF"
    body = appendix - 2  # pages 2 .. appendix - 1: everything after the title page, before the appendix
    print(f"\nbijlage '{APPENDIX}' op pagina {appendix}: {body} pagina's daarvoor (na de titelpagina)")
    assert body <= MAX_BODY_PAGES


# --- without the real report ----------------------------------------------------------------------------------

def test_without_a_browser_pdf_says_what_to_install_and_stops_before_the_run(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != which_browser.BROWSER_ENV}
    env["PATH"] = str(tmp_path / "leeg")  # a PATH with no browser on it (python is called by its full path)
    env["PYTHONPATH"] = str(ROOT)
    proc = cli("--pdf", env=env, out=tmp_path / "uit")
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "apt-get install chromium" in proc.stderr and "Edge" in proc.stderr and "Chrome" in proc.stderr
    assert not (tmp_path / "uit").exists(), "de controle komt voor de run"


def test_browser_is_found_by_variable_then_on_path(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "google-chrome"
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.delenv(which_browser.BROWSER_ENV, raising=False)
    assert which_browser.find_browser() == str(fake)
    own = tmp_path / "mijn-browser"
    own.write_text("#!/bin/sh\nexit 0\n")
    own.chmod(0o755)
    monkeypatch.setenv(which_browser.BROWSER_ENV, str(own))
    assert which_browser.find_browser() == str(own)
    monkeypatch.setenv(which_browser.BROWSER_ENV, str(tmp_path / "bestaat-niet"))
    assert which_browser.find_browser() is None  # a wrong setting is not silently replaced by another browser
    assert "bestaat-niet" in which_browser.missing_browser_message()


def test_a_browser_that_fails_gives_a_dutch_message(tmp_path):
    fake = tmp_path / "kapot"
    fake.write_text("#!/bin/sh\necho 'iets ging mis' >&2\nexit 3\n")
    fake.chmod(0o755)
    with pytest.raises(printing.PdfFailed, match=r"kon het rapport niet als PDF afdrukken \(afsluitcode 3\).*"
                                                    r"iets ging mis"):
        printing.print_pdf("<html><body><p>x</p></body></html>", str(fake))


def test_a_browser_that_hangs_is_stopped_with_its_children(tmp_path):
    pids = tmp_path / "pids"
    fake = tmp_path / "traag"
    # The "browser" starts a helper and both wait forever; both must be gone after the timeout.
    fake.write_text(f"#!/bin/sh\nsleep 300 &\necho $$ $! > {pids}\nwait\n")
    fake.chmod(0o755)
    with pytest.raises(printing.PdfFailed, match="na 1 seconden nog niet klaar"):
        printing.print_pdf("<html><body><p>x</p></body></html>", str(fake), timeout=1)
    for pid in map(int, pids.read_text().split()):
        assert not _alive(pid), f"proces {pid} draait nog"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead too (it only waits to be reaped by its parent).
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def test_page_numbers_go_into_a_copy_of_the_contents_only():
    html = ('<html><body><nav class="inhoud"><h2>Inhoud</h2><ul><li><a href="#a">Één</a></li>'
            '<li class="thema"><a href="#b">Twee</a> <ul><li><a href="#c">Drie</a></li></ul></li></ul></nav>'
            '<section id="a"><svg viewBox="0 0 1 1"><path d="M0 0"/></svg></section>'
            '<script>var x = "<nav>";</script></body></html>')
    assert render_pdf.toc_targets(html) == ["a", "b", "c"]
    numbered = render_pdf.with_page_numbers(html, {"a": 2, "b": 3})
    before, after = html.split("</nav>", 1)[1], numbered.split("</nav>", 1)[1]
    assert before == after, "outside the contents nothing changes"
    assert html.split("<nav", 1)[0] == numbered.split("<nav", 1)[0]
    assert re.findall(r'<span class="pagina">(\d+)</span>', numbered) == ["2", "3"]
    assert '<span class="toc-regel"><a href="#a">' in numbered and "Twee</a>" in numbered
    assert render_pdf.toc_targets(numbered) == ["a", "b", "c"]


def test_the_print_block_puts_page_numbers_in_the_margin():
    css = (ROOT / "templates" / "rapport.css").read_text(encoding="utf-8")
    block = css[css.index("/* === Print: page numbers"):]
    assert "@bottom-center" in block and "counter(page)" in block
    assert block.rstrip().endswith("/* === end of the print block === */")


def _pdf_pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.slow
def test_a_long_contents_gets_numbers_that_hold_and_the_same_bytes(tmp_path):
    """A contents long enough that its numbers matter: they match the pages after the passes, and the PDF carries
    the report's date, not the time of printing."""
    browser_path = browser()
    entries = "".join(f'<li><a href="#s{i}">Hoofdstuk {i}</a></li>' for i in range(1, 40))
    sections = "".join(f'<section id="s{i}"><h2>Hoofdstuk {i}</h2>' + "<p>tekst</p>" * (i % 7 * 9) + "</section>"
                       for i in range(1, 40))
    css = (ROOT / "templates" / "rapport.css").read_text(encoding="utf-8")
    html = (f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><style>{css}</style></head><body><main>'
            f'<nav class="inhoud"><ul>{entries}</ul></nav>{sections}</main></body></html>')
    with printing.Printer(browser_path) as printer:
        pdf = render_pdf.render_pdf(html, printer, dt.date(2021, 5, 25))
    with printing.Printer(browser_path) as printer:
        assert render_pdf.render_pdf(html, printer, dt.date(2021, 5, 25)) == pdf, "same input, same bytes"
    assert b"/CreationDate (D:20210525000000+00'00')" in pdf
    pages = render_pdf.section_pages(pdf)
    numbered = render_pdf.with_page_numbers(html, pages)
    assert render_pdf.section_pages(printing.print_pdf(numbered, browser_path)) == pages
    assert _pdf_pages(pdf) > 5 and len(pages) == 39


@pytest.mark.slow
def test_the_kept_browser_prints_what_a_one_shot_print_prints():
    """One browser prints all PDFs of a run (over its DevTools pipe); each PDF is the same bytes as the browser's
    own --print-to-pdf makes (the way Windows prints), apart from the time of printing."""
    browser_path = browser()
    css = (ROOT / "templates" / "rapport.css").read_text(encoding="utf-8")
    pages = [f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><style>{css}</style></head><body><main>'
             f'<h1>Rapport {n}</h1>' + "<p>tekst met een é en een €</p>" * (40 * n) + "</main></body></html>"
             for n in (1, 2)]
    day = dt.date(2021, 5, 25)
    with printing.Printer(browser_path) as printer:
        kept = [render_pdf._dated(printer.print(page), day) for page in pages]
        pid = printer._session.pid
        assert render_pdf._dated(printer.print(pages[0]), day) == kept[0]
        assert printer._session.pid == pid, "one browser for every print"
    assert not _alive(pid), "closed, the browser is gone"
    once = [render_pdf._dated(printing._print_once(page, browser_path, 60), day) for page in pages]
    assert kept == once
    assert _pdf_pages(kept[1]) > _pdf_pages(kept[0])


@pytest.mark.slow
def test_a_browser_that_dies_during_a_run_gives_a_dutch_message_and_the_next_print_works():
    browser_path = browser()
    with printing.Printer(browser_path) as printer:
        printer.print("<html><body><p>x</p></body></html>")
        pid = printer._session.pid
        os.killpg(pid, 9)  # as the out-of-memory killer would
        with pytest.raises(printing.PdfFailed, match="kon het rapport niet als PDF afdrukken"):
            printer.print("<html><body><p>y</p></body></html>")
        assert printer.print("<html><body><p>z</p></body></html>").startswith(b"%PDF")
        assert printer._session.pid != pid


@pytest.mark.slow
def test_reports_printed_at_once_are_the_bytes_printed_one_by_one():
    browser_path = browser()
    pages = [f'<html><body><h1>Rapport {n}</h1>' + "<p>tekst</p>" * (30 * n) + "</body></html>" for n in (1, 2, 3)]
    day = dt.date(2021, 5, 25)
    with printing.Printer(browser_path) as printer:
        one_by_one = [render_pdf.render_pdf(page, printer, day) for page in pages]
    with render_pdf.Printers(browser_path, 2) as printers:
        futures = [printers.submit(page, day) for page in pages]
        at_once = [future.result() for future in futures]
        assert len(printers._printers) == 2, "two browsers"
    assert at_once == one_by_one


def test_a_run_stopped_while_pdfs_print_does_not_wait_for_them(tmp_path):
    """A run that stops (Ctrl-C, a failure elsewhere) while browsers print kills them: it does not wait for their
    prints (here: browsers that never answer), and no browser or helper is left."""
    import time

    pids, fake = tmp_path / "pids", tmp_path / "traag"
    fake.write_text(f"#!/bin/sh\nsleep 300 &\necho $$ $! >> {pids}\nwait\n")
    fake.chmod(0o755)
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt), render_pdf.Printers(str(fake), 2, timeout=120) as printers:
        futures = [printers.submit("<html><body><p>x</p></body></html>", None) for _ in range(3)]
        while not (pids.exists() and len(pids.read_text().split()) == 4) and time.monotonic() - start < 20:
            time.sleep(0.05)  # both browsers have started and wait
        raise KeyboardInterrupt
    assert time.monotonic() - start < 30
    assert len(pids.read_text().split()) == 4, "two browsers, each with a helper"
    assert all(f.cancelled() or isinstance(f.exception(), printing.PdfFailed) for f in futures)
    for pid in map(int, pids.read_text().split()):
        assert not _alive(pid), f"proces {pid} draait nog"


# A "browser" that speaks the pipe but not the protocol: it answers every command with `answer` (a Python
# expression that may use the command) and says the page has loaded.
FAKE_PROTOCOL = """#!{python}
import json, os
buffer = b""
while True:
    chunk = os.read(3, 65536)
    if not chunk:
        break
    buffer += chunk
    while b"\\0" in buffer:
        message, buffer = buffer.split(b"\\0", 1)
        command = json.loads(message)
        os.write(4, ({answer}) + b"\\0")
        os.write(4, b'{{"method": "Page.loadEventFired", "sessionId": "s"}}\\0')
"""


@pytest.mark.parametrize("answer", [
    'b"dit is geen json"',
    'b"\\xff\\xfe"',
    'b"{}"',
    'json.dumps({"id": command["id"], "result": {"targetId": "t", "sessionId": "s", "data": "@@@"}}).encode()',
    'json.dumps({"id": command["id"], "result": {"targetId": "t", "sessionId": "s", "data": "eHl6"}}).encode()',
])
def test_a_browser_that_does_not_speak_the_protocol_gives_a_dutch_message(tmp_path, answer):
    fake = tmp_path / "vreemd"
    fake.write_text(FAKE_PROTOCOL.format(python=sys.executable, answer=answer))
    fake.chmod(0o755)
    with pytest.raises(printing.PdfFailed, match=r"^De browser \(.*vreemd\) kon het rapport niet als PDF afdrukken"):
        printing.print_pdf("<html><body><p>x</p></body></html>", str(fake), timeout=20)


def test_a_temporary_folder_that_cannot_be_written_is_a_disk_problem_not_a_browser_problem(tmp_path, monkeypatch):
    import tempfile

    full = tmp_path / "geen-map"
    full.write_text("")  # a file where the temporary folder should be: every write there fails
    monkeypatch.setattr(tempfile, "tempdir", str(full))
    with pytest.raises(OSError) as raised:
        printing.print_pdf("<html><body><p>x</p></body></html>", "/bin/true")
    assert not isinstance(raised.value, printing.PdfFailed)


def test_a_killed_runs_browser_folder_is_removed_by_the_next_run(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    gone = subprocess.Popen(["true"])
    gone.wait()
    living = subprocess.Popen(["sleep", "60"])
    try:
        stale = tmp_path / f"{printing.WORK_PREFIX}{gone.pid}-abc"
        busy = tmp_path / f"{printing.WORK_PREFIX}{living.pid}-abc"
        for folder in (stale, busy):
            (folder / "profiel").mkdir(parents=True)
        fake = tmp_path / "kapot"
        fake.write_text("#!/bin/sh\nexit 3\n")
        fake.chmod(0o755)
        with pytest.raises(printing.PdfFailed):
            printing.print_pdf("<html><body><p>x</p></body></html>", str(fake))
        assert not stale.exists(), "left by a run that is gone"
        assert busy.exists(), "in use by a run that is alive"
        assert not list(tmp_path.glob(f"{printing.WORK_PREFIX}{os.getpid()}-*")), "this run tidied up"
    finally:
        living.kill()
        living.wait()


def test_a_run_stopped_before_a_printer_started_does_not_wait_for_it(tmp_path):
    import time

    fake = tmp_path / "traag"
    fake.write_text("#!/bin/sh\nsleep 300 &\nwait\n")
    fake.chmod(0o755)
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt), render_pdf.Printers(str(fake), 2, timeout=60) as printers:
        printers.submit("<html><body><p>x</p></body></html>", None)
        raise KeyboardInterrupt
    assert time.monotonic() - start < 15


def test_an_interrupted_print_leaves_no_browser_behind(tmp_path):
    """Ctrl-C while the browser prints: the browser (in its own process group, so the terminal's Ctrl-C does not
    reach it) and its helpers are stopped when the printer is left."""
    import signal

    pids = tmp_path / "pids"
    fake = tmp_path / "traag"
    fake.write_text(f"#!/bin/sh\nsleep 300 &\necho $$ $! > {pids}\nwait\n")
    fake.chmod(0o755)

    def interrupt(*_):
        if pids.exists() and len(pids.read_text().split()) == 2:  # the browser and its helper are running
            raise KeyboardInterrupt
        signal.setitimer(signal.ITIMER_REAL, 0.1)

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.5)
        with pytest.raises(KeyboardInterrupt), printing.Printer(str(fake), timeout=60) as printer:
            printer.print("<html><body><p>x</p></body></html>")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    for pid in map(int, pids.read_text().split()):
        assert not _alive(pid), f"proces {pid} draait nog"
