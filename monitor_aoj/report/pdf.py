"""The PDF of a report: the HTML report printed by a Chromium-family browser (which_browser finds it, printing
drives it), with page numbers in its table of contents and fixed dates; several reports printed at once.

Why a browser and not a Python PDF library: the HTML report is the one layout, and a browser prints it as readers
see it (the same fonts, SVG charts and CSS paged media: page numbers in `@page` margin boxes, page breaks). A
Python library would be a second layout to keep in step (reportlab) or needs system libraries that Windows users
do not have (weasyprint: Pango). Debian has `apt-get install chromium`; Windows has Edge (always) or Chrome.
Nothing is downloaded: the browser runs headless with networking off and a fresh, empty profile. One browser
prints all reports of a run (Printer, browser.Session): its start-up was most of a print's time.

The table of contents gets page numbers in two passes: print, read on which page each linked section starts (the
browser writes a named destination per link target, so the numbers are exact), write the numbers into a copy of
the HTML, print again and check that they still hold (one more pass if not). The saved .html has no numbers.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import threading
from concurrent.futures import Future
from typing import Any

from monitor_aoj.report.printing import PRINT_TIMEOUT, PdfFailed, Printer

MAX_PASSES = 3  # first print, numbered print, and one more if the numbers moved pages
PLACEHOLDER = 88  # a page number of two digits (reports have 10-99 pages)


def render_pdf(html: str, printer: Printer, report_date: dt.date | None = None) -> bytes:
    """The report as an A4 PDF with page numbers in its table of contents.

    Args:
        html: the rendered report (html.render, one self-contained file); each link `<a href="#id">` of its
            `<nav class="inhoud">` gets the page on which section `id` starts.
        printer: the run's browser (printing.Printer).
        report_date: the PDF's creation and change date (the browser would write the time of printing), so the
            same report gives the same bytes; 2000-01-01 without it.

    Returns:
        The PDF's bytes.

    Raises:
        PdfFailed: the browser failed or timed out, or the page numbers did not settle within MAX_PASSES prints.
        OSError: the temporary folder for the browser cannot be written (said as a disk problem upstream).
    """
    # The first print has placeholders as wide as real numbers, so the contents take the same lines.
    numbered = with_page_numbers(html, {target: PLACEHOLDER for target in toc_targets(html)})
    for _ in range(MAX_PASSES):
        pdf = printer.print(numbered)
        pages = section_pages(pdf)
        again = with_page_numbers(html, {t: pages.get(t, 0) for t in toc_targets(html)})
        if again == numbered:
            return _dated(pdf, report_date or dt.date(2000, 1, 1))
        numbered = again
    raise PdfFailed("De paginanummers in de inhoudsopgave van de PDF bleven verschuiven; de PDF is niet gemaakt. "
                    "Meld dit aan de beheerder van monitor_aoj, met het HTML-rapport erbij.")


class Printers:
    """Up to `count` reports printed at once (render_pdf), each by its own Printer in a thread of its own: the
    browsers do the work, so threads are enough, and two browsers use both cores where one print uses about one.

    `submit(html, report_date)` returns a Future of the PDF's bytes (its result() raises PdfFailed). Leaving the
    `with` block normally waits for the prints and closes the browsers; leaving it by an exception (Ctrl-C, a
    failed print) kills the browsers first, so no print keeps the run waiting. Where a print cannot be stopped
    from another thread (Windows: one-shot prints), each report is printed in the caller's thread, as it comes."""

    def __init__(self, browser: str, count: int, timeout: float = PRINT_TIMEOUT):
        from concurrent.futures import ThreadPoolExecutor

        self.browser, self.timeout = browser, timeout
        threads = max(1, count) if os.name == "posix" else 0
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="pdf") if threads else None
        self._own = threading.local()
        self._printers: list[Printer] = []
        self._lock = threading.Lock()
        self._stopped = False

    def submit(self, html: str, report_date: dt.date | None) -> Future[bytes]:
        if self._pool is not None:
            return self._pool.submit(self._print, html, report_date)
        done: Future[bytes] = Future()
        try:
            done.set_result(self._print(html, report_date))
        except PdfFailed as failed:
            done.set_exception(failed)
        return done

    def _print(self, html: str, report_date: dt.date | None) -> bytes:
        printer = getattr(self._own, "printer", None)
        if printer is None:
            printer = self._own.printer = Printer(self.browser, self.timeout)
            with self._lock:
                self._printers.append(printer)
                if self._stopped:
                    printer.kill()
        return render_pdf(html, printer, report_date)

    def __enter__(self) -> Printers:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        try:
            if kind is not None:
                with self._lock:
                    self._stopped = True
                    for printer in self._printers:
                        printer.kill()
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
        finally:
            for printer in self._printers:
                with contextlib.suppress(Exception):  # one printer's trouble must not keep the others open
                    printer.close()


# The browser's dates in the document information: "(D:YYYYMMDDHHmmSS+HH'mm')".
_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}[+-]\d\d'\d\d'\)")


def _dated(pdf: bytes, day: dt.date) -> bytes:
    """The PDF with `day` as its dates; the same length, so every offset in the file still holds."""
    stamp = f"D:{day:%Y%m%d}000000+00'00'".encode()
    return _PDF_DATE.sub(lambda m: b"/" + m.group(1) + b" (" + stamp + b")", pdf)


def section_pages(pdf: bytes) -> dict[str, int]:
    """Link target id -> page number (1 = first page) where it starts, from the PDF's named destinations."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    pages = {name: reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}
    return {name.lstrip("/"): page + 1 for name, page in pages.items() if page is not None}  # None: on no page


# --- the table of contents: <nav class="inhoud"> -------------------------------------------------------------

_NAV = re.compile(r"<nav\b[^>]*\bclass=\"[^\"]*\binhoud\b[^\"]*\"[^>]*>.*?</nav>", re.DOTALL | re.IGNORECASE)


def toc_targets(html: str) -> list[str]:
    """The ids the table of contents links to, in its order."""
    nav = _nav(html)
    return [] if nav is None else [a.get("href")[1:] for a in _links(nav)]


def with_page_numbers(html: str, pages: dict[str, int]) -> str:
    """A copy of `html` whose table-of-contents entries end in dot leaders and `<span class="pagina">N</span>`.

    Only the nav is parsed and rewritten (with lxml); the rest of the file, charts and scripts included, is kept
    byte for byte. Targets missing from `pages` get no number."""
    import lxml.html

    match = _NAV.search(html)
    nav = _nav(html)
    if match is None or nav is None:
        return html
    for link in _links(nav):
        page = pages.get(link.get("href")[1:])
        if page is None:
            continue
        # <span class="toc-regel"><a>..</a><span class="puntjes"></span><span class="pagina">N</span></span>
        line = lxml.html.Element("span", {"class": "toc-regel"})
        link.addprevious(line)
        tail, link.tail = link.tail, None
        line.append(link)
        line.tail = tail
        dots = lxml.html.Element("span", {"class": "puntjes", "aria-hidden": "true"})
        number = lxml.html.Element("span", {"class": "pagina"})
        number.text = str(page)
        line.append(dots)
        line.append(number)
    text = lxml.html.tostring(nav, encoding="unicode")
    return html[:match.start()] + text + html[match.end():]


def _nav(html: str) -> Any:  # the lxml.html element of the contents, or None
    import lxml.html

    match = _NAV.search(html)
    return None if match is None else lxml.html.fragment_fromstring(match.group(0))


def _links(nav: Any) -> list:
    return [a for a in nav.iter("a") if (a.get("href") or "").startswith("#") and len(a.get("href")) > 1]

