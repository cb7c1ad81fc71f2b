"""The report in a real browser: Debian's chromium, driven headless by playwright (never a downloaded browser).

It must load without console errors and without any request leaving the machine, draw every chart, print to
an A4 PDF, and a screenshot must show a page, not a blank. CI installs chromium (.ci/run) and sets
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
        page.wait_for_selector("body[data-grafieken]", timeout=120_000)
        yield page, errors, requests
        browser.close()


def test_loads_without_console_errors_and_without_network(page):
    _, errors, requests = page
    assert errors == []
    assert requests == []  # nothing is fetched from anywhere: plotly.js is inside the file


def test_every_chart_is_drawn(page):
    pg, _, _ = page
    expected = pg.evaluate("document.querySelectorAll('.grafiek').length")
    assert expected >= 20
    assert pg.get_attribute("body", "data-grafieken") == str(expected)
    empty = pg.evaluate("""() => Array.from(document.querySelectorAll('.grafiek'))
        .filter(el => !el.querySelector('svg.main-svg') ||
                      el.querySelectorAll('.trace, .bars path, .points path').length === 0)
        .map(el => el.id)""")
    assert empty == []


def test_prints_to_a4_pdf(page, tmp_path):
    pg, _, _ = page
    pdf = pg.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert pages >= 15
    # A4 is 595 x 842 points.
    assert b"/MediaBox [0 0 595" in pdf or b"/MediaBox [0 0 594" in pdf
    (tmp_path / "rapport.pdf").write_bytes(pdf)


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
    assert scripts == 3  # plotly.js, the chart data, the drawing code
    assert pg.evaluate("document.querySelectorAll('ul.citaten q').length") > 5
    assert pg.evaluate("document.documentElement.lang") == "nl"
