"""`make bench` (tools/bench.py): the generated input, the derived numbers and targets, and one tiny
measured run in a child process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml

from tools import bench


def test_generated_input_rotates_tool_layouts_with_their_koppeling(tmp_path):
    folder = bench.generated_input(2, seed=3, root=tmp_path)
    config = yaml.safe_load((folder / "regios.yaml").read_text(encoding="utf-8"))
    regions = config["regios"]
    assert [r["id"] for r in regions] == ["bench-001", "bench-002"]
    for region in regions:
        assert [m["jaar"] for m in region["metingen"]] == [2016, 2018, 2021]
        for wave in region["metingen"]:
            assert (folder / wave["bestand"]).is_file()
            koppeling = yaml.safe_load((folder / wave["koppeling"]).read_text(encoding="utf-8"))
            assert koppeling["indeling"] == bench.LAYOUT_ROTATION[int(region["id"][-3:]) - 1]
    # Region 1 is SPSS, region 2 the Dutch CSV (LAYOUT_ROTATION), each with its tool's own file type.
    assert regions[0]["metingen"][0]["bestand"].endswith(".sav")
    assert regions[1]["metingen"][0]["bestand"].endswith(".csv")
    # Cached: a larger size reuses the pool; its first regions are the same bytes.
    again = bench.generated_input(3, seed=3, root=tmp_path)
    name = regions[0]["metingen"][0]["bestand"]
    assert (again / name).read_bytes() == (folder / name).read_bytes()
    assert (again / name).stat().st_ino == (folder / name).stat().st_ino  # a hard link, not a second copy


def _results(big_wall: float, small_wall: float, regios: int = 300, cores: int = 2) -> dict:
    def summary(wall: float, region_waves: int) -> dict:
        numbers = {"wall": wall, "cpu": wall, "peak_mb": 900.0, "stage:reports": wall / 2}
        return {"median": numbers, "min": numbers, "region_waves": region_waves, "reports": region_waves}

    results = {"opties": {"regios": regios, "herhaal": 1}, "cpu_count": cores, "help_s": 0.3,
               "commit": "abc", "datum": "2026-01-01", "python": "3.11", "invoer": {},
               "metingen": {"groot": summary(big_wall, regios * 3), "klein": summary(small_wall, regios * 3 // 2),
                            "voorbeeld": summary(6.0, 12), "importvloer": summary(3.0, 0)}}
    results["afgeleid"] = bench.derive(results)
    return results


def test_marginal_cost_and_import_ratio_are_differences_and_ratios():
    r = _results(big_wall=120.0, small_wall=75.0)
    assert r["afgeleid"]["per_regio_meting_s"] == pytest.approx(45.0 / 450)
    assert r["afgeleid"]["voorbeeld_per_importvloer"] == pytest.approx(2.0)


def test_targets_say_gehaald_or_niet_gehaald():
    verdicts = {name: met for name, _, _, met in bench.targets(_results(big_wall=80.0, small_wall=50.0))}
    assert verdicts["landelijke run, tijd"] is True
    assert verdicts["per extra regio-meting"] is True  # 30 s over 450 region-waves: 67 ms
    assert verdicts["voorbeeldrun / importvloer"] is False  # 2.0x
    slow = {name: met for name, _, _, met in bench.targets(_results(big_wall=200.0, small_wall=50.0))}
    assert slow["landelijke run, tijd"] is False and slow["per extra regio-meting"] is False
    # Below the national size the national targets are not judged, and say so.
    small = bench.targets(_results(big_wall=10.0, small_wall=5.0, regios=40))
    assert [met for name, *_, met in small if name.startswith("landelijke run")] == [None, None]
    assert bench.verdict(None).startswith("niet gemeten")
    assert (bench.verdict(True), bench.verdict(False)) == ("gehaald", "NIET gehaald")


def test_compare_prints_both_and_the_ratio(tmp_path, capsys):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(_results(100.0, 60.0)), encoding="utf-8")
    b.write_text(json.dumps(_results(50.0, 40.0)), encoding="utf-8")
    assert bench.main(["--vergelijk", str(a), str(b)]) == 0
    out = capsys.readouterr().out
    wall = next(line for line in out.splitlines() if line.strip().startswith("tijd (proces)"))
    assert "100.00 s" in wall and "50.00 s" in wall and wall.rstrip().endswith("0.50")


@pytest.mark.slow
def test_one_region_measured_in_a_child(tmp_path, monkeypatch, capsys):
    """The smallest real benchmark: one generated region, its run in a child process, JSON out."""
    monkeypatch.setenv("MONITOR_AOJ_BENCH_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "r.json"
    code = bench.main(["--regios", "1", "--klein", "0", "--geen-voorbeeld", "--json", str(out), "--streng"])
    printed = capsys.readouterr().out
    results = json.loads(out.read_text(encoding="utf-8"))
    big = results["metingen"]["groot"]
    assert big["region_waves"] == 3 and big["reports"] == 3
    # The child's own numbers: stage timings from RunResult.timings, and a peak of a process that ran pandas.
    for stage in ("validation", "figures", "reports"):
        assert big["median"][f"stage:{stage}"] > 0
    assert big["median"]["run"] < big["median"]["wall"]
    assert 100 < big["median"]["peak_mb"] < 4096
    assert big["median"]["cpu"] > 1
    assert results["python"] == ".".join(map(str, sys.version_info[:3]))
    # A single region is not the national size: nothing judged, so --streng does not fail.
    assert code == 0
    assert "niet gemeten" in printed and "rapporten" in printed


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Pss is read from /proc")
def test_the_peak_is_that_of_the_whole_process_tree():
    # A process and its forked child hold 150 MB each of their own at the same moment: the tree holds 300 MB,
    # while its largest single process (what ru_maxrss says) holds 150 MB.
    code = ("import os, time\npid = os.fork()\na = bytearray(150 * 2**20)\ntime.sleep(2)\n"
            "if pid:\n    os.waitpid(pid, 0)\n")
    # Measured from a fresh, small process (as `make bench` is): a child forked from this test process would
    # carry its size in ru_maxrss until it execs, and a pytest worker grows to hundreds of MB over a session.
    measure = ("import os, subprocess, sys\nfrom tools import bench\n"
               f"status, _, peak = bench._wait_measuring(subprocess.Popen([sys.executable, '-c', {code!r}]))\n"
               "print(os.waitstatus_to_exitcode(status), peak)\n")
    done = subprocess.run([sys.executable, "-c", measure], capture_output=True, text=True, timeout=120,
                          cwd=bench.REPO, env={**os.environ, "PYTHONPATH": str(bench.REPO)})
    assert done.returncode == 0, done.stderr
    exit_code, peak = done.stdout.split()
    assert exit_code == "0"
    peak_mb = float(peak)
    # Either process alone held ~160 MB: only the sum over the tree reaches 300. (ru_maxrss cannot be compared
    # here: it also counts the pages of the test process that the child shared between fork and exec.)
    assert 290 <= peak_mb <= 340, peak_mb
