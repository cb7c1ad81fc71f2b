"""Writing outputs safely: atomically (a crash leaves the previous file intact) and only inside output/."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from monitor_aoj.errors import MonitorError

# The Jinja2 templates of the report and the validation pages (templates/ in the project folder).
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

_UMASK = os.umask(0o022)
os.umask(_UMASK)


def region_folder(output: Path, region_id: str, wave: int) -> Path:
    """output/<regio>/<jaar>/; the region id was checked against a strict pattern when the config was read."""
    folder = (output / region_id / str(wave)).resolve()
    if output.resolve() not in folder.parents:
        raise MonitorError(f"Regio-id '{region_id}' zou buiten de uitvoermap schrijven; kies een eenvoudige naam.")
    return folder


def write_atomic(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes the file private; reports are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
