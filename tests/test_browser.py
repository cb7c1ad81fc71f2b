"""The report in a real browser: Debian's chromium, driven headless by playwright (never a downloaded browser).

It must load without console errors and without any request leaving the machine, show every chart, print to
an A4 PDF with the summary on page 2 and a body of at most twelve pages, and a screenshot must show a page, not
a blank. CI installs chromium (.ci/run) and sets
MONITOR_AOJ_REQUIRE_BROWSER=1, so there a missing browser fails; on a machine without chromium the test is
skipped and says why.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import QUESTIONNAIRES, ROOT, SAMPLES

pytestmark = pytest.mark.slow
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND"]


def chromium() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("MONITOR_AOJ_REQUIRE_BROWSER") == "1":
        pytest.fail("chromium ontbreekt; .ci/run installeert het met 'apt-get install chromium'.")
    pytest.skip("geen chromium op deze machine (installeer met: apt-get install chromium)")


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("uit")
    subprocess.run([sys.executable, "-m", "monitor_aoj", "rapport", "--invoer", str(SAMPLES), "--uitvoer", str(out),
                    "--vragenlijsten", str(QUESTIONNAIRES), "--regio", "lindewaard", "--meting", "2021",
                    "--datum", "2021-05-25"], cwd=ROOT, check=True, capture_output=True, timeout=600)
    return out / "lindewaard" / "2021" / "monitor-aoj_lindewaard_2021.html"


@pytest.fixture(scope="module")
def page(report):
    from playwright.sync_api import sync_playwright

    executable = chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1200, "height": 1600})
        errors, requests = [], []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))

        def only_the_file(route):
            if not route.request.url.startswith("file://"):
                requests.append(route.request.url)
                route.abort()
            else:
                route.continue_()

        page.route("**/*", only_the_file)
        page.goto(report.as_uri())
        page.wait_for_load_state("load")
        yield page, errors, requests
        browser.close()


def test_loads_without_console_errors_and_without_network(page):
    _, errors, requests = page
    assert errors == []
    assert requests == []  # nothing is fetched from anywhere: the charts are inline SVG


def test_every_chart_is_shown(page):
    pg, _, _ = page
    expected = pg.evaluate("document.querySelectorAll('figure.grafiek').length")
    assert expected >= 8  # an overview per theme, the mark and the themes over time, the benchmark
    # Each chart is on the page at the text width, with its drawing (paths) and its text alternative.
    shown = pg.evaluate("""() => Array.from(document.querySelectorAll('figure.grafiek'))
        .filter(el => { const svg = el.querySelector('svg[role=img]');
                        return svg && svg.getAttribute('aria-label').length > 40 &&
                               svg.getBoundingClientRect().width > 500 && svg.querySelectorAll('path').length > 10; })
        .length""")
    assert shown == expected


def test_prints_to_a4_pdf(page, tmp_path):
    pg, _, _ = page
    pdf = pg.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert pages >= 15  # the appendix holds every table
    # A4 is 595 x 842 points.
    assert b"/MediaBox [0 0 595" in pdf or b"/MediaBox [0 0 594" in pdf
    (tmp_path / "rapport.pdf").write_bytes(pdf)


def body_pages(pdf: bytes) -> tuple[int, int]:
    """(page of the summary, pages from the summary up to the appendix), 1-based, read from the PDF's text."""
    from pypdf import PdfReader

    texts = [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]
    summary = next(i for i, t in enumerate(texts) if "Bestuurlijke samenvatting" in t) + 1
    appendix = next(i for i, t in enumerate(texts) if "Deze bijlage geeft per vraag alle cijfers" in t) + 1
    return summary, appendix - summary


@pytest.mark.parametrize("region", ["duinhoven", "lindewaard", "beekdal-noord", "polderrijk"])
def test_summary_on_page_2_and_a_body_of_at_most_twelve_pages(region, tmp_path):
    """Issue 12: printed by chromium on A4 as a user would (--print-to-pdf, no header or footer)."""
    executable = chromium()
    out = tmp_path / "uit"
    subprocess.run([sys.executable, "-m", "monitor_aoj", "rapport", "--invoer", str(SAMPLES), "--uitvoer", str(out),
                    "--vragenlijsten", str(QUESTIONNAIRES), "--regio", region, "--meting", "2021",
                    "--datum", "2021-05-25"], cwd=ROOT, check=True, capture_output=True, timeout=600)
    html = out / region / "2021" / f"monitor-aoj_{region}_2021.html"
    pdf = tmp_path / "rapport.pdf"
    subprocess.run([executable, "--headless", *ARGS, f"--user-data-dir={tmp_path / 'profiel'}",
                    "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri()],
                   check=True, capture_output=True, timeout=300)
    summary, body = body_pages(pdf.read_bytes())
    assert summary == 2, region
    assert body <= 12, (region, body)


def test_screenshot_is_not_blank(page):
    from PIL import Image

    pg, _, _ = page
    pg.locator("#vraag-vast_contactpersoon").scroll_into_view_if_needed()
    image = Image.open(io.BytesIO(pg.screenshot())).convert("RGB")
    pixels = list(image.get_flattened_data())
    not_white = sum(1 for p in pixels if sum(p) < 720) / len(pixels)
    assert not_white > 0.03
    assert len(set(pixels)) > 50  # text, bars in several colours, lines


def test_respondent_text_is_shown_as_text(page):
    pg, _, _ = page
    # Quotes are in <q> elements and never become markup: no script or element comes from an answer.
    scripts = pg.evaluate("document.querySelectorAll('script').length")
    assert scripts == 0  # charts are inline SVG: the report runs no code at all
    assert pg.evaluate("document.querySelectorAll('ul.citaten q').length") > 5
    assert pg.evaluate("document.documentElement.lang") == "nl"
