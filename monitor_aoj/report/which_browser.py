"""Which browser prints the PDFs: its path, or what to install. A Chromium-family browser (Chromium, Chrome,
Edge): the one named in MONITOR_AOJ_BROWSER, else the first on PATH, else Edge or Chrome in the usual Windows
folders. `python -m monitor_aoj.report.which_browser` prints the path (the Makefile asks it to decide on --pdf).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from monitor_aoj.errors import MonitorError

BROWSER_ENV = "MONITOR_AOJ_BROWSER"  # a browser's full path, tried before anything on PATH
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "msedge")
# Under "Program Files" and "Program Files (x86)" on Windows, Edge first: every Windows 10/11 has it.
WINDOWS_BROWSERS = (("Microsoft", "Edge", "Application", "msedge.exe"),
                    ("Google", "Chrome", "Application", "chrome.exe"))
WINDOWS_PROGRAM_FOLDERS = (("ProgramFiles", r"C:\Program Files"), ("ProgramFiles(x86)", r"C:\Program Files (x86)"))

INSTALL_HINT = ("Installeer een browser: op Debian of Ubuntu met 'sudo apt-get install chromium', op Windows met "
                "Microsoft Edge (staat er meestal al) of Google Chrome. Staat de browser op een andere plek, zet dan "
                f"de omgevingsvariabele {BROWSER_ENV} op het volledige pad van het programma.")


class BrowserMissing(MonitorError):
    """`--pdf` was asked, but no browser to print with was found."""

    exit_code = 2


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


def main() -> int:
    """`python -m monitor_aoj.report.which_browser`: print the browser's path and exit 0, or say what to install
    and exit 1 (the Makefile asks this to decide on --pdf)."""
    browser = find_browser()
    if browser is None:
        print(missing_browser_message(), file=sys.stderr)
        return 1
    print(browser)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
