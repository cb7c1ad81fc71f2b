"""One HTML file printed to PDF bytes by a headless browser (which_browser finds it), offline, with a fresh,
empty profile. On POSIX one browser stays open for a run's prints (browser.Session: its start-up was most of a
print's time); on Windows every print is a one-shot `--print-to-pdf`. A failure is a PdfFailed with a Dutch
message that says what the browser said.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from monitor_aoj.errors import MonitorError, os_reason

if TYPE_CHECKING:  # imported when a browser is started
    from monitor_aoj.report.browser import Session

# Headless, offline, no state kept: no request may leave the machine (host resolver maps every name to nothing).
HEADLESS_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                  "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND")
PRINT_FLAGS = ("--no-pdf-header-footer", "--generate-pdf-document-outline")  # page numbers come from the CSS
PRINT_TIMEOUT = 180  # seconds per print; a 45-page report prints in 1-3 s on a busy 2-core machine
WORK_PREFIX = "monitor-aoj-pdf-"  # + the run's pid: a temporary folder with the browser's profile and the page


class PdfFailed(MonitorError):
    """The browser was found but did not deliver a PDF (crash, timeout, unreadable output)."""

    exit_code = 5


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
        self._session: Session | None = None
        self._killed = threading.Event()  # set by kill(), which may come from another thread

    def __enter__(self) -> Printer:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            session.close()

    def kill(self) -> None:
        """Stop the browser at once, also while another thread prints with it (that print raises PdfFailed), and
        start no other: a print still to begin raises PdfFailed too."""
        self._killed.set()
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
                if self._killed.is_set():
                    raise BrowserGone(None, "gestopt")
                self._session = Session(self.browser, HEADLESS_FLAGS, WORK_PREFIX)
                if self._killed.is_set():  # kill() came while the browser started and did not see it
                    self._session.kill()
            page = self._session.work / "rapport.html"
            page.write_text(html, encoding="utf-8")
            data = self._session.print_pdf(page, self.timeout)
        except BrowserNotStarted as exc:
            code = exc.cause.errno
            reason = (_NOT_STARTED.get(code) if code is not None else None) or os_reason(exc.cause)
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


def _run(command: list[str], timeout: float) -> tuple[int | None, str]:
    """(exit code or None after a timeout, stderr). The browser's helper processes are stopped with it."""
    try:
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=os.name == "posix")  # the default, False, elsewhere
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

