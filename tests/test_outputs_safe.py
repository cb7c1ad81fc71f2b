"""A run never destroys what it had: outputs change only by complete region-waves, whatever stops the run.

A first run on two regions makes the previous outputs; the input then changes and a second run is stopped at
several moments (Ctrl-C in a renderer, a crash in another region, a full disk, SIGTERM from outside). Every file
must then be byte-identical to the previous run's or to the complete new run's, a region-wave's report and
workbook must come from the same run, and nothing half-written or left over may remain.
"""

from __future__ import annotations

import datetime as dt
import errno
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from monitor_aoj import pipeline, report_workers
from monitor_aoj.errors import MonitorError
from monitor_aoj.outputs import LOCK_NAME, STAGING_PREFIX, OutputBusy
from monitor_aoj.pipeline import Paths

from conftest import DATA, QUESTIONNAIRES, ROOT

pytestmark = pytest.mark.slow
DATE = dt.date(2026, 11, 29)
CONFIG = ("instellingen:\n  minimum_basis: 1\nregios:\n"
          "  - id: a\n    metingen:\n      - {jaar: 2021, bestand: a.csv, codes: vragenlijst}\n"
          "  - id: b\n    metingen:\n      - {jaar: 2021, bestand: b.csv, codes: vragenlijst}\n")


def make_input(folder: Path, changed: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = (DATA / "handtelling" / "handtelling.csv").read_text(encoding="utf-8")
    if changed:  # another mark for the first respondent: every report and workbook changes
        lines = text.splitlines()
        fields = lines[1].split(";")
        fields[7] = "3"
        lines[1] = ";".join(fields)
        text = "\n".join(lines) + "\n"
    (folder / "a.csv").write_text(text, encoding="utf-8")
    (folder / "b.csv").write_text(text, encoding="utf-8")
    (folder / "regios.yaml").write_text(CONFIG, encoding="utf-8")
    return folder


def snapshot(output: Path) -> dict[str, bytes]:
    return {str(p.relative_to(output)): p.read_bytes() for p in sorted(output.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(output).parts)}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The outputs of a complete old run and of a complete new run (on the changed input)."""
    base = tmp_path_factory.mktemp("veilig")
    old_in, new_in = make_input(base / "oud"), make_input(base / "nieuw", changed=True)
    pipeline.run(Paths(old_in, QUESTIONNAIRES, base / "uit-oud"), report_date=DATE)
    pipeline.run(Paths(new_in, QUESTIONNAIRES, base / "uit-nieuw"), report_date=DATE, processes=2)
    old, new = snapshot(base / "uit-oud"), snapshot(base / "uit-nieuw")
    assert old.keys() == new.keys() and old != new
    # Rendered in one process or in two (on Linux): the same files, byte for byte.
    pipeline.run(Paths(new_in, QUESTIONNAIRES, base / "uit-nieuw-1"), report_date=DATE, processes=1)
    assert snapshot(base / "uit-nieuw-1") == new
    return base, old, new


def previous_output(runs, tmp_path) -> tuple[Path, Path]:
    """An output folder holding the old run's files, and the changed input."""
    base = runs[0]
    output = tmp_path / "uit"
    shutil.copytree(base / "uit-oud", output)
    # The manifest says which regios.yaml wrote it: the changed input lives elsewhere, so copy it in place.
    inp = make_input(tmp_path / "invoer", changed=True)
    return inp, output


def assert_old_or_new(output: Path, old: dict, new: dict) -> dict[str, str]:
    found = snapshot(output)
    assert found.keys() == old.keys(), "a file was lost or left over"
    state = {}
    for name, data in found.items():
        assert data in (old[name], new[name]), f"{name} is neither the old nor the new file"
        state[name] = "oud" if data == old[name] else "nieuw"
    for unit in ("a/2021", "b/2021"):
        pair = {state[f"{unit}/monitor-aoj_{unit.replace('/2021', '')}_2021.{ext}"] for ext in ("html", "xlsx", "docx")}
        assert len(pair) == 1, f"{unit}: report, workbook and Word document from different runs"
    assert not list(output.glob(STAGING_PREFIX + "*")) and not (output / LOCK_NAME).exists()
    return state


@pytest.mark.parametrize("processes", [1, 2])
@pytest.mark.parametrize("stop_in", ["a", "b"])
def test_ctrl_c_while_rendering_leaves_every_unfinished_region_wave_as_it_was(runs, tmp_path, monkeypatch, stop_in,
                                                                              processes):
    _, old, new = runs
    inp, output = previous_output(runs, tmp_path)
    import monitor_aoj.report.excel as excel

    real = excel.render_workbook

    def stopped(data):  # in a worker process too: it inherits this patch
        if data.region.id == stop_in:
            raise KeyboardInterrupt
        return real(data)

    monkeypatch.setattr(excel, "render_workbook", stopped)
    with pytest.raises(KeyboardInterrupt):
        pipeline.run(Paths(inp, QUESTIONNAIRES, output), report_date=DATE, processes=processes)
    state = assert_old_or_new(output, old, new)
    renewed = {k.split("/")[0] for k, v in state.items() if "monitor-aoj_" in k and v == "nieuw"}
    # The region-waves before the stop, in report order, are in place; none after (in two processes as well).
    assert renewed == ({"a"} if stop_in == "b" else set())
    assert not multiprocessing.active_children(), "a report worker outlived the run"


@pytest.mark.parametrize("processes", [1, 2])
def test_a_crash_in_one_region_keeps_the_other_regions_reports(runs, tmp_path, monkeypatch, processes):
    _, old, new = runs
    inp, output = previous_output(runs, tmp_path)
    real = report_workers._render_html  # the report's HTML and charts

    def crashing(data):
        if data.region.id == "b":
            raise RuntimeError("kapot")
        return real(data)

    monkeypatch.setattr(report_workers, "_render_html", crashing)
    with pytest.raises(RuntimeError, match="kapot"):
        pipeline.run(Paths(inp, QUESTIONNAIRES, output), report_date=DATE, processes=processes)
    state = assert_old_or_new(output, old, new)
    assert state["b/2021/monitor-aoj_b_2021.html"] == "oud" and state["a/2021/monitor-aoj_a_2021.html"] == "nieuw"
    assert not multiprocessing.active_children(), "a report worker outlived the run"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="report workers run on Linux only")
def test_a_worker_that_dies_is_said_in_dutch_and_changes_nothing_half(runs, tmp_path, monkeypatch):
    _, old, new = runs
    inp, output = previous_output(runs, tmp_path)
    real = report_workers._render_html

    def killed(data):  # as the kernel ends a process that ran out of memory: no exception, no goodbye
        if data.region.id == "b":
            os._exit(137)
        return real(data)

    monkeypatch.setattr(report_workers, "_render_html", killed)
    with pytest.raises(MonitorError, match="werkproces .* onverwacht gestopt.*--processen 1"):
        pipeline.run(Paths(inp, QUESTIONNAIRES, output), report_date=DATE, processes=2)
    assert_old_or_new(output, old, new)
    assert not multiprocessing.active_children(), "a report worker outlived the run"


def test_a_full_disk_is_said_in_dutch_and_changes_nothing(runs, tmp_path, monkeypatch):
    _, old, new = runs
    inp, output = previous_output(runs, tmp_path)
    import monitor_aoj.outputs as outputs

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(outputs, "write_atomic", full)
    with pytest.raises(MonitorError, match="Schrijven in .* is niet gelukt .*ruimte op de schijf"):
        pipeline.run(Paths(inp, QUESTIONNAIRES, output), report_date=DATE)
    assert snapshot(output) == old


def test_sigterm_from_outside_stops_cleanly(runs, tmp_path):
    _, old, new = runs
    inp, output = previous_output(runs, tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "monitor_aoj", "rapport", "--invoer", str(inp), "--uitvoer",
                             str(output), "--vragenlijsten", str(QUESTIONNAIRES), "--datum", str(DATE)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not list(output.glob(STAGING_PREFIX + "*")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # the run has started writing
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=120)
    if proc.returncode == 0:
        pytest.skip("de run was al klaar voordat hij gestopt kon worden")
    assert proc.returncode == 130 and "Onderbroken" in err and "Traceback" not in err
    assert_old_or_new(output, old, new)


def children(pid: int) -> list[int]:
    """The processes `pid` started that still run (Linux /proc)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="report workers run on Linux only")
def test_sigterm_while_workers_render_stops_them_and_changes_nothing_half(runs, tmp_path):
    _, old, new = runs
    inp, output = previous_output(runs, tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "monitor_aoj", "rapport", "--invoer", str(inp), "--uitvoer",
                             str(output), "--vragenlijsten", str(QUESTIONNAIRES), "--datum", str(DATE),
                             "--processen", "2"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 240
    while len(children(proc.pid)) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # the two report workers have started
    workers = children(proc.pid)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=120)
    if proc.returncode == 0:
        pytest.skip("de run was al klaar voordat hij gestopt kon worden")
    assert proc.returncode == 130 and "Onderbroken" in err and "Traceback" not in err, err
    assert_old_or_new(output, old, new)
    left = [w for w in workers if _alive(w)]
    assert not left, f"report workers outlived the run: {left}"


def test_a_run_in_two_processes_says_nothing_of_them(runs, tmp_path):
    _, old, new = runs
    inp, output = previous_output(runs, tmp_path)
    done = subprocess.run([sys.executable, "-m", "monitor_aoj", "rapport", "--invoer", str(inp), "--uitvoer",
                           str(output), "--vragenlijsten", str(QUESTIONNAIRES), "--datum", str(DATE), "--processen",
                           "2"], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode in (0, 4), done.stderr  # 4: this input has rows in quarantine (reports are made)
    assert "Traceback" not in done.stderr and "Process" not in done.stderr, done.stderr  # no worker's goodbye
    assert snapshot(output) == new


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="report workers run on Linux only")
def test_report_workers_do_not_outlive_a_killed_run(runs, tmp_path):
    inp, output = previous_output(runs, tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "monitor_aoj", "rapport", "--invoer", str(inp), "--uitvoer",
                             str(output), "--vragenlijsten", str(QUESTIONNAIRES), "--datum", str(DATE),
                             "--processen", "2"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while len(children(proc.pid)) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = children(proc.pid)
    if len(workers) < 2:
        proc.wait()
        pytest.skip("de run was al klaar voordat hij gestopt kon worden")
    proc.kill()  # SIGKILL, as the out-of-memory killer does: the run itself can do nothing
    proc.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)], "report workers outlived the killed run"


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def test_a_second_run_on_the_same_folder_is_refused_and_a_dead_runs_lock_taken_over(runs, tmp_path):
    _, old, _ = runs
    inp, output = previous_output(runs, tmp_path)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (output / LOCK_NAME).write_text(f"{sleeper.pid}\n")
        with pytest.raises(OutputBusy, match=f"Er draait al een run die in .* schrijft \\(proces {sleeper.pid}\\)"):
            pipeline.run(Paths(inp, QUESTIONNAIRES, output), report_date=DATE)
        assert snapshot(output) == old
    finally:
        sleeper.kill()
        sleeper.wait()
    result = pipeline.run(Paths(inp, QUESTIONNAIRES, output), report_date=DATE)
    assert result.took_over == sleeper.pid and not (output / LOCK_NAME).exists()


def test_only_region_waves_this_configuration_no_longer_lists_are_removed(runs, tmp_path):
    inp, output = previous_output(runs, tmp_path)
    pipeline.run(Paths(inp, QUESTIONNAIRES, output), report_date=DATE)
    other = make_input(tmp_path / "andere-invoer")
    (other / "regios.yaml").write_text(CONFIG.replace("id: a", "id: c").replace("id: b", "id: d"), encoding="utf-8")
    pipeline.run(Paths(other, QUESTIONNAIRES, output), report_date=DATE)  # another input folder, same output
    assert (output / "a" / "2021" / "monitor-aoj_a_2021.html").exists()  # not this configuration's to remove
    (inp / "regios.yaml").write_text(CONFIG.split("  - id: b")[0], encoding="utf-8")  # region b dropped
    result = pipeline.run(Paths(inp, QUESTIONNAIRES, output), report_date=DATE)
    assert not (output / "b" / "2021" / "monitor-aoj_b_2021.html").exists()
    assert output / "b" / "2021" / "monitor-aoj_b_2021.html" in result.no_longer_configured
    assert (output / "c" / "2021" / "monitor-aoj_c_2021.html").exists()
    assert (output / "a" / "2021" / "monitor-aoj_a_2021.html").exists()


def test_an_output_folder_that_cannot_be_made_is_said_in_dutch(tmp_path):
    inp = make_input(tmp_path / "invoer")
    blocker = tmp_path / "bestand"
    blocker.write_text("geen map")
    proc = subprocess.run([sys.executable, "-m", "monitor_aoj", "rapport", "--invoer", str(inp), "--uitvoer",
                           str(blocker / "uit"), "--vragenlijsten", str(QUESTIONNAIRES)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "Schrijven in" in proc.stderr and "niet gelukt" in proc.stderr


def test_a_relative_output_folder_works(tmp_path, monkeypatch):
    """As `make report` runs it: --uitvoer output, relative to the working folder."""
    make_input(tmp_path / "invoer")
    monkeypatch.chdir(tmp_path)
    result = pipeline.run(Paths(Path("invoer"), QUESTIONNAIRES, Path("uit")), report_date=DATE)
    assert result.reports and all(p.exists() for p in result.reports + list(result.validation_pages.values()))
    assert not list(Path("uit").glob(STAGING_PREFIX + "*")) and not (Path("uit") / LOCK_NAME).exists()
