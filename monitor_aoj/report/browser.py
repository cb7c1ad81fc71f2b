"""A headless Chromium-family browser kept open for a run's PDFs, driven over its DevTools pipe (POSIX).

Starting the browser costs about 2 s of the 3.4 s of a one-shot `--print-to-pdf`, and a report takes two prints
(render_pdf), so a run of 12 reports spent most of its PDF time starting browsers. One browser per run prints every
report in a new tab instead; Page.printToPDF gets the parameters `--print-to-pdf` uses, so the PDFs are the same
bytes (measured on the sample report). The protocol is the Chrome DevTools Protocol over `--remote-debugging-pipe`:
JSON messages ending in a NUL byte, commands written to the browser's fd 3, answers and events read from its fd 4.
No port is opened. Windows has no such pipe for us, so there every print is a one-shot `--print-to-pdf`.

The browser runs in its own session (process group): Ctrl-C on the terminal does not reach it, and closing stops it
with every helper it started. If this process dies, the browser reads the end of its pipe and quits by itself.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path

# The parameters headless Chromium's --print-to-pdf passes with --no-pdf-header-footer and
# --generate-pdf-document-outline (page size and margins come from the CSS @page rules).
PRINT_PARAMETERS = {"printBackground": True, "preferCSSPageSize": True, "displayHeaderFooter": False,
                    "generateDocumentOutline": True}
_CLOSE_WAIT = 5.0  # seconds a browser gets to quit on Browser.close before it is killed


class BrowserGone(Exception):
    """The browser quit or closed its pipe. exit_code: its exit status (None if still unknown); stderr: its last
    output."""

    def __init__(self, exit_code: int | None, stderr: str):
        super().__init__(f"browser gone (exit code {exit_code})")
        self.exit_code, self.stderr = exit_code, stderr


class BrowserTimeout(Exception):
    """The browser did not answer in time (it has been stopped)."""


class BrowserError(Exception):
    """The browser answered a command with an error or with something that is not the protocol, or could not load
    the page."""


class BrowserNotStarted(Exception):
    """The browser's program could not be started (missing, not executable, not a program). cause: the OSError."""

    def __init__(self, cause: OSError):
        super().__init__(str(cause))
        self.cause = cause


class Session:
    """One running browser. `print_pdf(path, timeout)` prints a local HTML file; `close()` stops the browser.

    flags: the command-line flags (headless, offline); the profile is a fresh temporary folder, named `prefix` and
    this process's pid, removed on close (one left by a run that was killed is removed by the next run, _sweep).
    Raises BrowserNotStarted, OSError when the temporary folder cannot be written, and per print BrowserGone,
    BrowserTimeout or BrowserError.
    kill() may be called from another thread than the one that prints."""

    def __init__(self, browser: str, flags: tuple[str, ...], prefix: str):
        _sweep(prefix)
        self.work = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-"))
        self._lock = threading.Lock()  # kill() against the reaping of the browser: never signal a reused pid
        self._stderr = tempfile.TemporaryFile()
        self._buffer = bytearray()
        self._events: list[dict] = []
        self._next_id = 0
        self._status: int | None = None
        self.pid: int | None = None
        commands_read, self._commands = os.pipe()
        self._answers, answers_write = os.pipe()
        # Above 2 and apart from 3 and 4, so dup2 onto 3 and 4 never meets one of these (dup2 to the same fd would
        # keep its close-on-exec flag).
        child_read = fcntl.fcntl(commands_read, fcntl.F_DUPFD_CLOEXEC, 10)
        child_write = fcntl.fcntl(answers_write, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(commands_read)
        os.close(answers_write)
        null = os.open(os.devnull, os.O_RDWR)
        argv = [browser, *flags, f"--user-data-dir={self.work / 'profiel'}", "--remote-debugging-pipe",
                "about:blank"]
        try:
            self.pid = os.posix_spawn(browser, argv, os.environ, setsid=True, file_actions=[
                (os.POSIX_SPAWN_DUP2, null, 0), (os.POSIX_SPAWN_DUP2, null, 1),
                (os.POSIX_SPAWN_DUP2, self._stderr.fileno(), 2),
                (os.POSIX_SPAWN_DUP2, child_read, 3), (os.POSIX_SPAWN_DUP2, child_write, 4)])
        except OSError as exc:
            self._close_pipes()
            self._stderr.close()
            shutil.rmtree(self.work, ignore_errors=True)
            raise BrowserNotStarted(exc) from exc
        finally:
            for fd in (null, child_read, child_write):
                os.close(fd)

    # --- printing -------------------------------------------------------------------------------------------------

    def print_pdf(self, page: Path, timeout: float) -> bytes:
        """The PDF of the local HTML file `page`, printed in a new tab that is closed afterwards."""
        deadline = time.monotonic() + timeout
        try:
            target = self._call("Target.createTarget", {"url": "about:blank"}, deadline)["targetId"]
            session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 deadline)["sessionId"]
            try:
                self._call("Page.enable", {}, deadline, session)
                loaded = self._call("Page.navigate", {"url": page.as_uri()}, deadline, session)
                if loaded.get("errorText"):
                    raise BrowserError(f"de pagina kon niet worden geladen ({loaded['errorText']})")
                self._event("Page.loadEventFired", session, deadline)
                printed = self._call("Page.printToPDF", PRINT_PARAMETERS, deadline, session)
            finally:
                self._events = [e for e in self._events if e.get("sessionId") != session]
            self._call("Target.closeTarget", {"targetId": target}, deadline)
            return base64.b64decode(printed["data"], validate=True)
        except (KeyError, TypeError, AttributeError, ValueError) as exc:  # ValueError: JSON, base64, UTF-8
            self.close(force=True)
            raise BrowserError(f"onverwacht antwoord van de browser ({type(exc).__name__})") from exc

    # --- the protocol ---------------------------------------------------------------------------------------------

    def _call(self, method: str, params: dict, deadline: float, session: str | None = None) -> dict:
        self._next_id += 1
        message: dict = {"id": self._next_id, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        self._send(json.dumps(message).encode("utf-8") + b"\0", deadline)
        while True:
            answer = self._receive(deadline)
            if answer.get("id") == message["id"]:
                if "error" in answer:
                    raise BrowserError(f"{method}: {answer['error'].get('message', answer['error'])}")
                return answer.get("result", {})
            if "method" in answer:
                self._events.append(answer)

    def _event(self, method: str, session: str, deadline: float) -> dict:
        for index, event in enumerate(self._events):
            if event.get("method") == method and event.get("sessionId") == session:
                return self._events.pop(index)
        while True:
            event = self._receive(deadline)
            if event.get("method") == method and event.get("sessionId") == session:
                return event
            if "method" in event:
                self._events.append(event)

    def _send(self, data: bytes, deadline: float) -> None:
        view = memoryview(data)
        while view:
            self._wait(self._commands, deadline, write=True)
            try:
                view = view[os.write(self._commands, view):]
            except BrokenPipeError:
                raise self._gone() from None

    def _receive(self, deadline: float) -> dict:
        start = 0
        while (end := self._buffer.find(b"\0", start)) < 0:
            start = len(self._buffer)
            self._wait(self._answers, deadline)
            chunk = os.read(self._answers, 1 << 20)
            if not chunk:
                raise self._gone()
            self._buffer += chunk
        message = json.loads(bytes(self._buffer[:end]))
        del self._buffer[:end + 1]
        if not isinstance(message, dict) or ("id" not in message and "method" not in message):
            raise ValueError("not a DevTools message")  # an answer has an id, an event a method
        return message

    def _wait(self, fd: int, deadline: float, write: bool = False) -> None:
        poller = select.poll()  # poll, not select: no limit on the fd's number
        poller.register(fd, select.POLLOUT if write else select.POLLIN)
        if not poller.poll(max(deadline - time.monotonic(), 0) * 1000):
            self.close(force=True)
            raise BrowserTimeout()

    def _gone(self) -> BrowserGone:
        """The browser closed its pipe: wait briefly for its exit status and stop what is left of it."""
        if self.pid is not None:
            self._reap(self.pid, _CLOSE_WAIT)
        self._stderr.seek(0)
        stderr = self._stderr.read().decode("utf-8", "replace")
        status = self._status
        self.close(force=True)
        return BrowserGone(None if status is None else os.waitstatus_to_exitcode(status), stderr)

    # --- stopping -------------------------------------------------------------------------------------------------

    def kill(self) -> None:
        """Kill the browser's process group, from any thread: a print waiting in another thread ends at once
        (BrowserGone); that thread's close() then tidies up. The pipes stay open, so no fd is closed under it."""
        with self._lock:
            if self.pid is not None and self._status is None:  # not reaped: the pid is still the browser's
                _kill_group(self.pid)

    def close(self, force: bool = False) -> None:
        """Stop the browser (politely unless `force`), every process of its group, and remove its profile. An
        interruption (Ctrl-C) during the polite wait still ends in the kill and the removal."""
        if self.pid is None:
            return
        try:
            if not force and self._status is None:
                writable = select.poll()
                writable.register(self._commands, select.POLLOUT)
                if writable.poll(0):
                    with contextlib.suppress(OSError):
                        os.write(self._commands, json.dumps({"id": 0, "method": "Browser.close"}).encode() + b"\0")
                        self._reap(self.pid, _CLOSE_WAIT)
        finally:
            _kill_group(self.pid)  # its helpers too; the group is the browser's own session
            self._reap(self.pid, 10.0)
            self.pid = None
            self._close_pipes()
            self._stderr.close()
            shutil.rmtree(self.work, ignore_errors=True)

    def _reap(self, pid: int, seconds: float) -> None:
        """Wait up to `seconds` for the browser (`pid`, not yet cleared by close) to exit and keep its wait status."""
        deadline = time.monotonic() + seconds
        while self._status is None:
            with self._lock:
                try:
                    done, status = os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:  # reaped already
                    done, status = pid, 0
                if done:
                    self._status = status
                    return
            if time.monotonic() >= deadline:
                return
            time.sleep(0.02)

    def _close_pipes(self) -> None:
        for fd in (self._commands, self._answers):
            try:
                os.close(fd)
            except OSError:
                pass


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _sweep(prefix: str) -> None:
    """Remove the profile folders of runs that were killed (kill -9, a closed terminal) and could not tidy up:
    a folder's name holds the pid of the run that made it, and only folders of runs no longer alive go."""
    for folder in Path(tempfile.gettempdir()).glob(f"{prefix}*"):
        owner = folder.name[len(prefix):].split("-", 1)[0]
        if owner.isdigit() and int(owner) != os.getpid() and not _alive(int(owner)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
