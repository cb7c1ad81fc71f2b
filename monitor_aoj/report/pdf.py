"""The PDF of a report, printed by a Chromium-family browser found on this machine.

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
import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from monitor_aoj.errors import MonitorError, os_reason

BROWSER_ENV = "MONITOR_AOJ_BROWSER"  # a browser's full path, tried before anything on PATH
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "msedge")
# Under "Program Files" and "Program Files (x86)" on Windows, Edge first: every Windows 10/11 has it.
WINDOWS_BROWSERS = (("Microsoft", "Edge", "Application", "msedge.exe"),
                    ("Google", "Chrome", "Application", "chrome.exe"))
WINDOWS_PROGRAM_FOLDERS = (("ProgramFiles", r"C:\Program Files"), ("ProgramFiles(x86)", r"C:\Program Files (x86)"))
# Headless, offline, no state kept: no request may leave the machine (host resolver maps every name to nothing).
HEADLESS_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                  "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND")
PRINT_FLAGS = ("--no-pdf-header-footer", "--generate-pdf-document-outline")  # page numbers come from the CSS
PRINT_TIMEOUT = 180  # seconds per print; a 45-page report prints in 1-3 s on a busy 2-core machine
MAX_PASSES = 3  # first print, numbered print, and one more if the numbers moved pages
WORK_PREFIX = "monitor-aoj-pdf-"  # + the run's pid: a temporary folder with the browser's profile and the page
PLACEHOLDER = 88  # a page number of two digits (reports have 10-99 pages)

INSTALL_HINT = ("Installeer een browser: op Debian of Ubuntu met 'sudo apt-get install chromium', op Windows met "
                "Microsoft Edge (staat er meestal al) of Google Chrome. Staat de browser op een andere plek, zet dan "
                f"de omgevingsvariabele {BROWSER_ENV} op het volledige pad van het programma.")


class BrowserMissing(MonitorError):
    """`--pdf` was asked, but no browser to print with was found."""

    exit_code = 2


class PdfFailed(MonitorError):
    """The browser was found but did not deliver a PDF (crash, timeout, unreadable output)."""

    exit_code = 5


def find_browser() -> str | None:
    """The browser to print with: the path in MONITOR_AOJ_BROWSER, else the first of BROWSER_NAMES on PATH, else
    Edge or Chrome in the usual Windows folders. None when there is none (a set but wrong variable counts as none)."""
    configured = os.environ.get(BROWSER_ENV, "").strip()
    if configured:
        path = Path(configured)
        return str(path) if path.is_file() and os.access(path, os.X_OK) else shutil.which(configured)
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    if sys.platform == "win32":
        for variable, default in WINDOWS_PROGRAM_FOLDERS:
            for parts in WINDOWS_BROWSERS:
                path = Path(os.environ.get(variable) or default, *parts)
                if path.is_file():
                    return str(path)
    return None


def missing_browser_message() -> str:
    configured = os.environ.get(BROWSER_ENV, "").strip()
    where = (f"{BROWSER_ENV} wijst naar '{configured}', maar daar staat geen programma." if configured else
             f"Gezocht naar {', '.join(BROWSER_NAMES)} en naar Edge en Chrome in de programmamappen van Windows.")
    return (f"Voor --pdf is een browser nodig om het rapport af te drukken, maar die is niet gevonden. {where} "
            f"{INSTALL_HINT}")


def require_browser() -> str:
    """The browser path, or BrowserMissing (exit code 2) with what to install."""
    browser = find_browser()
    if browser is None:
        raise BrowserMissing(missing_browser_message())
    return browser


def render_pdf(html: str, printer: Printer, report_date: dt.date | None = None) -> bytes:
    """The report as an A4 PDF with page numbers in its table of contents.

    html: the rendered report (one self-contained file); its `<nav class="inhoud">` links `<a href="#id">` get the
    page on which section `id` starts. printer: the run's browser (Printer). report_date: the PDF's creation and
    change date (the browser would write the time of printing), so the same report gives the same bytes. Returns
    the PDF's bytes. Raises PdfFailed when the browser fails, times out, or the numbers do not settle within
    MAX_PASSES prints."""
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


# Why a browser's program did not start, by errno (os_reason speaks of files and folders).
_NOT_STARTED = {errno.ENOENT: "dat programma bestaat niet", errno.EACCES: "het mag niet worden uitgevoerd",
                errno.ENOEXEC: "het is geen programma"}


class Printer:
    """The browser that prints a run's PDFs: started at the first print and kept open until `close()` (or the end
    of a `with` block), so a run pays the browser's start-up once (browser.Session). On Windows every print is a
    one-shot `--print-to-pdf`. After a failed print the browser is stopped; the next print starts a new one.

    browser: the browser's path (find_browser); timeout: seconds per print. `print(html)` returns the PDF's
    bytes or raises PdfFailed with a Dutch message."""

    def __init__(self, browser: str, timeout: float = PRINT_TIMEOUT):
        self.browser, self.timeout = browser, timeout
        self._session = None
        self._killed = False

    def __enter__(self) -> Printer:
        return self

    def __exit__(self, *_) -> None:
        self.close()

    def close(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            session.close()

    def kill(self) -> None:
        """Stop the browser at once, also while another thread prints with it (that print raises PdfFailed), and
        start no other: a print still to begin raises PdfFailed too."""
        self._killed = True
        session = self._session
        if session is not None:
            session.kill()

    def print(self, html: str) -> bytes:
        """One print of `html`: the PDF's bytes. Raises PdfFailed, OSError when the temporary folder cannot be
        written (the pipeline says that as a disk problem)."""
        if os.name != "posix":
            return _print_once(html, self.browser, self.timeout)
        from monitor_aoj.report.browser import BrowserError, BrowserGone, BrowserNotStarted, BrowserTimeout, Session

        try:
            if self._session is None:
                if self._killed:
                    raise BrowserGone(None, "gestopt")
                self._session = Session(self.browser, HEADLESS_FLAGS, WORK_PREFIX)
                if self._killed:  # kill() came while the browser started and did not see it
                    self._session.kill()
            page = self._session.work / "rapport.html"
            page.write_text(html, encoding="utf-8")
            data = self._session.print_pdf(page, self.timeout)
        except BrowserNotStarted as exc:
            reason = _NOT_STARTED.get(exc.cause.errno) or os_reason(exc.cause)
            raise PdfFailed(f"De browser {self.browser} kon niet worden gestart ({reason}); de PDF is niet "
                            "gemaakt.") from None
        except BrowserTimeout:
            self.close()
            raise PdfFailed(_too_slow(self.browser, self.timeout)) from None
        except BrowserGone as gone:
            self.close()
            raise PdfFailed(_failed(self.browser, gone.exit_code, gone.stderr)) from None
        except BrowserError as error:
            self.close()
            raise PdfFailed(_failed(self.browser, None, str(error))) from None
        if not data.startswith(b"%PDF"):
            raise PdfFailed(_failed(self.browser, None, "wat de browser teruggaf, is geen PDF"))
        return data


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

    def submit(self, html: str, report_date: dt.date | None):
        if self._pool is not None:
            return self._pool.submit(self._print, html, report_date)
        from concurrent.futures import Future

        done: Future = Future()
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

    def __exit__(self, kind, *_) -> None:
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


def print_pdf(html: str, browser: str, timeout: float = PRINT_TIMEOUT) -> bytes:
    """One print of `html` by a browser started for it alone; the PDF's bytes. Raises PdfFailed."""
    with Printer(browser, timeout) as printer:
        return printer.print(html)


def _too_slow(browser: str, timeout: float) -> str:
    return (f"De browser ({browser}) was na {timeout:.0f} seconden nog niet klaar met afdrukken en is gestopt; de "
            "PDF is niet gemaakt. Draai de opdracht opnieuw, of zonder --pdf.")


def _failed(browser: str, code: int | None, stderr: str) -> str:
    """code: the browser's exit code (negative: the signal that stopped it), None while it still runs."""
    how = "" if code is None else f" (gestopt door signaal {-code})" if code < 0 else f" (afsluitcode {code})"
    return (f"De browser ({browser}) kon het rapport niet als PDF afdrukken{how}; de PDF is niet gemaakt. "
            f"Melding van de browser: {_last_lines(stderr)}")


def _print_once(html: str, browser: str, timeout: float) -> bytes:
    """One print by a browser started for it with --print-to-pdf (where browser.Session has no pipe: Windows)."""
    work = Path(tempfile.mkdtemp(prefix=f"{WORK_PREFIX}{os.getpid()}-"))
    try:
        page, target, profile = work / "rapport.html", work / "rapport.pdf", work / "profiel"
        page.write_text(html, encoding="utf-8")
        command = [browser, *HEADLESS_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={target}", *PRINT_FLAGS,
                   page.as_uri()]
        code, stderr = _run(command, timeout)
        if code is None:
            raise PdfFailed(_too_slow(browser, timeout))
        data = target.read_bytes() if target.is_file() else b""
        if code != 0 or not data.startswith(b"%PDF"):
            raise PdfFailed(_failed(browser, code, stderr))
        return data
    finally:
        shutil.rmtree(work, ignore_errors=True)


# The browser's dates in the document information: "(D:YYYYMMDDHHmmSS+HH'mm')".
_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}[+-]\d\d'\d\d'\)")


def _dated(pdf: bytes, day: dt.date) -> bytes:
    """The PDF with `day` as its dates; the same length, so every offset in the file still holds."""
    stamp = f"D:{day:%Y%m%d}000000+00'00'".encode()
    return _PDF_DATE.sub(lambda m: b"/" + m.group(1) + b" (" + stamp + b")", pdf)


def _run(command: list[str], timeout: float) -> tuple[int | None, str]:
    """(exit code or None after a timeout, stderr). The browser's helper processes are stopped with it."""
    new_group = {"start_new_session": True} if os.name == "posix" else {}
    try:
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                **new_group)
    except OSError as exc:
        raise PdfFailed(f"De browser {command[0]} kon niet worden gestart ({exc.strerror or exc}); de PDF is niet "
                        "gemaakt.") from exc
    try:
        _, err = proc.communicate(timeout=timeout)
        return proc.returncode, err.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return None, ""
    finally:
        if proc.poll() is None:  # timed out or interrupted
            _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    """Stop the browser and, on POSIX, every helper process it started (they share its process group)."""
    if os.name == "posix":
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    elif proc.poll() is None:
        proc.kill()
    try:
        proc.communicate(timeout=10)
    except (subprocess.TimeoutExpired, ValueError):
        pass


# Chromium logs harmless complaints about D-Bus and the GPU on headless servers; they explain nothing.
_NOISE = re.compile(r"dbus|gpu|Fontconfig|bytes written to file|unexpected operator", re.IGNORECASE)


def _last_lines(stderr: str, count: int = 3) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip() and not _NOISE.search(line)]
    return " / ".join(lines[-count:]) or "(geen)"


def section_pages(pdf: bytes) -> dict[str, int]:
    """Link target id -> page number (1 = first page) where it starts, from the PDF's named destinations."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return {name.lstrip("/"): reader.get_destination_page_number(dest) + 1
            for name, dest in reader.named_destinations.items()}


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


def _nav(html: str):
    import lxml.html

    match = _NAV.search(html)
    return None if match is None else lxml.html.fragment_fromstring(match.group(0))


def _links(nav) -> list:
    return [a for a in nav.iter("a") if (a.get("href") or "").startswith("#") and len(a.get("href")) > 1]


def main() -> int:
    """`python -m monitor_aoj.report.pdf`: print the browser's path and exit 0, or say what to install and exit 1
    (the Makefile asks this to decide on --pdf)."""
    browser = find_browser()
    if browser is None:
        print(missing_browser_message(), file=sys.stderr)
        return 1
    print(browser)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
