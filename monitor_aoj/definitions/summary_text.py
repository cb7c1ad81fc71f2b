"""The coordinator's own text for the Bestuurlijke samenvatting: a Markdown file per region and wave.

The file lies beside the exports (SUMMARY_NAME); the report shows it as written.
"""

from __future__ import annotations

from pathlib import Path

from monitor_aoj.errors import ConfigError

SUMMARY_NAME = "{region}_{wave}_samenvatting.md"
MAX_SUMMARY_CHARS = 20_000  # about four pages: a summary, not a second report


def read_summary(path: Path) -> str | None:
    """The coordinator's Markdown text for one region and wave, or None when the file is not there.

    Raises ConfigError (in Dutch, naming the file) when it is not UTF-8 text or longer than MAX_SUMMARY_CHARS."""
    if not path.is_file():
        return None
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ConfigError(f"{path.name}: dit bestand is geen UTF-8-tekst (fout bij teken {e.start + 1}). Sla het op "
                          "als UTF-8, bijvoorbeeld in Kladblok met 'Opslaan als' en codering UTF-8.") from None
    if len(text) > MAX_SUMMARY_CHARS:
        raise ConfigError(f"{path.name}: de toelichting is {len(text)} tekens lang; dat is meer dan de "
                          f"{MAX_SUMMARY_CHARS} die in de samenvatting passen. Maak de tekst korter.")
    return text
