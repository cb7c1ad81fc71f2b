"""Writing outputs safely: atomically (a crash leaves the previous file intact) and only inside output/."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from monitor_aoj.assets import TEMPLATES  # noqa: F401  (the renderers import it from here)
from monitor_aoj.errors import MonitorError, os_reason

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


# --- one run's outputs: staged, swapped in per region and wave, locked ---------------------------------------

LOCK_NAME = ".monitor-aoj.lock"  # one run at a time per output folder
STAGING_PREFIX = ".monitor-aoj-bezig-"  # a run's files before they are complete
MANIFEST_NAME = ".monitor-aoj-uitvoer.json"  # which regios.yaml wrote which region-wave, to know what is stale


class OutputBusy(MonitorError):
    """Another run is writing into the same output folder."""

    exit_code = 3


class OutputRun:
    """All files of one run are written under a staging folder inside the output folder and moved into place
    (each file atomically, with os.replace) only when a region-wave is complete: an interrupted or failed run
    leaves every earlier output as it was. A lock file refuses a second run on the same folder; the lock of a
    process that no longer exists is taken over.

    Use as a context manager; `staged(final)` is where to write a file that will become `final`, `commit`
    moves staged files into place and removes stale ones."""

    def __init__(self, output: Path, source: Path):
        self.output = Path(output)
        self.source = str(Path(source).resolve())  # the regios.yaml of this run, for the manifest
        self.staging = self.output
        self.committed: list[Path] = []
        self.removed: list[Path] = []
        self.took_over: int | None = None  # pid of a dead run whose lock was taken over

    def __enter__(self) -> "OutputRun":
        self.output.mkdir(parents=True, exist_ok=True)
        self._lock()
        try:
            for old in self.output.glob(STAGING_PREFIX + "*"):
                shutil.rmtree(old, ignore_errors=True)  # left by a run that was killed; nobody else runs now
            self.staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.output))
        except BaseException:
            self._unlock()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        self._unlock()

    def staged(self, final: Path) -> Path:
        return self.staging / Path(final).resolve().relative_to(self.output.resolve())

    def commit(self, finals: Iterable[Path], stale: Iterable[Path] = ()) -> None:
        """Put one unit in place: each final file becomes its staged counterpart, or is removed when this run
        did not write it (an old quarantine file would tell a story that is no longer true); stale files of the
        unit are removed too."""
        for final in finals:
            staged = self.staged(final)
            if staged.exists():
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, final)
                self.committed.append(final)
            elif final.exists():
                final.unlink()
                self.removed.append(final)
        for old in stale:
            if old.exists():
                old.unlink()
                self.removed.append(old)

    def manifest(self) -> dict[str, str]:
        """Region-wave folder ('regio/2021') -> the regios.yaml whose run wrote it."""
        try:
            data = json.loads((self.output / MANIFEST_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def record(self, units: dict[str, str]) -> None:
        write_atomic(self.output / MANIFEST_NAME, json.dumps(units, indent=1, sort_keys=True, ensure_ascii=False))

    def _lock(self) -> None:
        path = self.output / LOCK_NAME
        for _ in range(3):
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                pid = _pid_in(path)
                if pid is not None and pid != os.getpid() and _alive(pid):
                    raise OutputBusy(
                        f"Er draait al een run die in {self.output} schrijft (proces {pid}). Wacht tot die klaar is, "
                        f"of kies een andere uitvoermap met --uitvoer. Is er zeker geen andere run, verwijder dan "
                        f"{path}.") from None
                self.took_over = pid
                path.unlink(missing_ok=True)  # the lock of a process that no longer exists
                continue
            with os.fdopen(fd, "w") as handle:
                handle.write(f"{os.getpid()}\n")
            return
        raise OutputBusy(f"De uitvoermap {self.output} kon niet worden vergrendeld. Probeer het opnieuw.")

    def _unlock(self) -> None:
        path = self.output / LOCK_NAME
        if _pid_in(path) == os.getpid():
            path.unlink(missing_ok=True)


def _pid_in(path: Path) -> int | None:
    try:
        return int(path.read_text(encoding="utf-8").split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


@contextlib.contextmanager
def disk_errors_in_dutch(output: Path) -> Iterator[None]:
    """A disk that is full, read-only or gone is said in Dutch, with the folder: never a traceback."""
    try:
        yield
    except OSError as exc:
        where = exc.filename or output
        raise MonitorError(
            f"Schrijven in {where} is niet gelukt ({os_reason(exc)}). Controleer of er ruimte op de schijf is "
            "en of u in die map mag schrijven. Wat er al stond, is niet veranderd.") from exc
