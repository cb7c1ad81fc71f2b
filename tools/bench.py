"""`make bench`: the whole job on generated national-size input, measured per stage, against the design targets.

  python tools/bench.py [--regios 300] [--klein 150] [--herhaal K] [--json FILE] [--streng] [--export-mb M]
  python tools/bench.py --vergelijk A.json B.json

A developer's instrument, not part of the product: nothing in the pipeline imports it.

Input. N regions x 3 waves x about 120 respondents, written as the survey tools write them: the layouts of
demo.tool_exports rotate over the regions, each export with the koppeling it returns beside it and named in
regios.yaml. Region i depends only on (seed, i), so the regions are generated once into a pool on disk (keyed by
seed and respondents) and a size's input folder is hard links to the pool plus its regios.yaml. Generation is not
timed.

Measurements. Every measurement is one child process (`--intern-run`), so its peak memory (of its process tree: the
run and its report workers, _wait_measuring) and CPU (user + sys, its workers' included) are its own. The child
calls pipeline.run as `monitor-aoj rapport` does, without PDF, and writes RunResult.timings (seconds per stage) and
the modules it imported as JSON into a file. Measured: the size N, the size --klein, the sample run
(sample_responses) and the import floor: a child that only imports the modules the sample run had imported
(third-party ones, with their submodules). Derived: the marginal cost per region-wave, (wall N - wall klein) /
(region-waves N - region-waves klein), and sample run / import floor.

Targets (DESIGN.md, issue 14): national run (300 regions) <= 90 s wall and <= 2 GB peak on 2 cores; <= 100 ms per
extra region-wave; sample run <= 1.5 x import floor; `monitor-aoj --help` <= 0.5 s. With --export-mb M (issue 10)
also one region's CSV export of M MB, whose run must stay under 2 GB peak. --streng: exit 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # read for their types only (resource is Unix-only; the package is imported when needed)
    import resource

    from monitor_aoj.definitions.questionnaire import Questionnaire
    from monitor_aoj.demo.samples import RegionProfile

HELP_TARGET_S = 0.5
NATIONAL_REGIONS = 300
NATIONAL_WALL_S = 90.0
NATIONAL_PEAK_MB = 2048
NATIONAL_CORES = 2  # the targets hold on a machine with this many cores
PER_REGION_WAVE_TARGET_S = 0.100
IMPORT_FLOOR_RATIO_TARGET = 1.5
LARGE_EXPORT_MB = 2048  # peak memory of a whole run on one large CSV export
RESPONDENTS = 120  # per region-wave, give or take RESPONDENTS_SPREAD
RESPONDENTS_SPREAD = 20
DEFAULT_SEED = 14
REPORT_DATE = dt.date(2021, 5, 25)  # fixed, so runs of two commits write the same text
# Rotated over the regions, the common tools first; every layout of demo.tool_exports is in it.
LAYOUT_ROTATION = ("spss", "csv-nl", "xlsx", "qualtrics", "limesurvey", "surveymonkey-csv", "forms",
                   "qualtrics-legacy", "limesurvey-teksten", "surveymonkey-xlsx", "csv-utf16", "qualtrics-insights",
                   "limesurvey-r")
REPO = Path(__file__).resolve().parents[1]
SAMPLE_INPUT = REPO / "sample_responses"
# What a child reports and the parent keeps, per measurement (seconds, MB).
METRICS = ("wall", "cpu", "peak_mb")


# --- input: generated regions, cached on disk ---------------------------------------------------------------


def cache_root() -> Path:
    return Path(os.environ.get("MONITOR_AOJ_BENCH_CACHE", Path(tempfile.gettempdir()) / "monitor-aoj-bench"))


def _region_profile(i: int, seed: int) -> RegionProfile:
    import dataclasses

    import numpy as np

    from monitor_aoj.demo.samples import REGIONS

    base = REGIONS[i % len(REGIONS)]
    rng = np.random.default_rng([seed, i])
    layout = LAYOUT_ROTATION[i % len(LAYOUT_ROTATION)]
    waves = {wave: dataclasses.replace(spec, tool=layout, n=int(rng.integers(
        RESPONDENTS - RESPONDENTS_SPREAD, RESPONDENTS + RESPONDENTS_SPREAD + 1))) for wave, spec in base.waves.items()}
    return dataclasses.replace(base, id=f"bench-{i + 1:03d}", name=f"Benchregio {i + 1}", waves=waves)


def _pool_region(pool: Path, i: int, seed: int, questionnaires: dict[int, Questionnaire]) -> dict:
    """Region i's exports and koppelingen in `pool` (written once); returns its regios.yaml entry as a dict."""
    import numpy as np

    from monitor_aoj.demo.samples import generate_wave
    from monitor_aoj.demo.tool_exports import koppeling_yaml, write_tool_export

    region = _region_profile(i, seed)
    marker = pool / f"{region.id}.json"
    if marker.exists():
        return json.loads(marker.read_text(encoding="utf-8"))
    entry: dict[str, Any] = {"id": region.id, "naam": region.name, "opdrachtgever": region.commissioner,
                             "gemeenten": list(region.municipalities), "organisaties": list(region.organisations),
                             "metingen": []}
    files = []
    for wave, spec in region.waves.items():
        rng = np.random.default_rng([seed, i, wave])
        frame = generate_wave(questionnaires[wave], region, wave, rng)
        stem = f"{region.id}_{wave}"
        tool = write_tool_export(frame, questionnaires[wave], spec.tool, pool, stem, spec.extras, seed=seed + i)
        koppeling = pool / f"{stem}.koppeling.yaml"
        koppeling.write_text(koppeling_yaml(tool.koppeling), encoding="utf-8")
        files += [p.name for p in tool.files] + [koppeling.name]
        wave_entry = {"jaar": wave, "bestand": tool.files[0].name, "koppeling": koppeling.name}
        if spec.extras:
            wave_entry["extra_vragen"] = list(spec.extras)
        entry["metingen"].append(wave_entry)
    entry["_bestanden"] = files
    marker.write_text(json.dumps(entry), encoding="utf-8")  # last: a half-written region is written again
    return entry


def generated_input(regions: int, seed: int = DEFAULT_SEED, root: Path | None = None) -> Path:
    """The input folder of `regions` generated regions x 3 waves (created on first use, then reused)."""
    import yaml

    root = root or cache_root()
    pool = root / f"pool-s{seed}-r{RESPONDENTS}"
    folder = root / f"invoer-s{seed}-r{RESPONDENTS}-n{regions}"
    if (folder / "regios.yaml").exists():
        return folder
    from monitor_aoj.definitions.questionnaire_reader import load_questionnaires

    pool.mkdir(parents=True, exist_ok=True)
    questionnaires = load_questionnaires()
    entries = []
    for i in range(regions):
        entries.append(_pool_region(pool, i, seed, questionnaires))
        if (i + 1) % 10 == 0 or i + 1 == regions:
            print(f"  invoer maken: {i + 1}/{regions} regio's", file=sys.stderr, flush=True)
    staging = folder.with_name(folder.name + ".tmp")
    if staging.exists():
        import shutil

        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    for entry in entries:
        for name in entry.pop("_bestanden"):
            os.link(pool / name, staging / name)
    config = {"instellingen": {"minimum_basis": 5, "rapport_bij_quarantaine": True}, "regios": entries}
    (staging / "regios.yaml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                         encoding="utf-8")
    staging.rename(folder)
    return folder


def sample_input(root: Path | None = None) -> Path:
    """The sample data `make report` runs on: the repository's folder, else written once into the cache."""
    if (SAMPLE_INPUT / "regios.yaml").exists():
        return SAMPLE_INPUT
    folder = (root or cache_root()) / "voorbeelddata"
    if not (folder / "regios.yaml").exists():
        from monitor_aoj.definitions.questionnaire_reader import load_questionnaires
        from monitor_aoj.demo.sample_files import write_sample

        write_sample(folder, load_questionnaires())
    return folder


# --- measurements: one child process each -------------------------------------------------------------------


def _child(args: list[str]) -> tuple[float, dict, int]:
    """Run `python tools/bench.py <args>`; (wall seconds, {cpu, peak_mb}, exit status) of that child."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), *args], stdout=subprocess.DEVNULL)
    status, usage, peak = _wait_measuring(process)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return wall, {"cpu": usage.ru_utime + usage.ru_stime, "peak_mb": peak}, process.returncode


SAMPLE_EVERY_S = 0.1  # how often the memory of a running child's process tree is read


def _wait_measuring(process: subprocess.Popen) -> tuple[int, resource.struct_rusage, float]:
    """Wait for `process`: (wait status, its rusage with that of its waited-for children, peak memory in MB).

    The peak is that of the whole process tree (the run and its report workers) at any one moment: on Linux the
    highest sum of the processes' proportional set size (Pss: a page shared by k processes counts 1/k in each),
    read every SAMPLE_EVERY_S; elsewhere, and when it reads higher, the largest single process (ru_maxrss), which
    misses what workers add beside the main process."""
    peak_kb = 0
    try:
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            peak_kb = max(peak_kb, _tree_pss_kb(process.pid))
            time.sleep(SAMPLE_EVERY_S)
    except BaseException:  # stopped (Ctrl-C): a national run left behind would go on for many minutes
        process.kill()
        process.wait()
        raise
    # ru_maxrss is in KB on Linux, in bytes on macOS.
    largest_kb = usage.ru_maxrss / (1024 if sys.platform == "darwin" else 1)
    return status, usage, max(peak_kb, largest_kb) / 1024


def _tree_pss_kb(root: int) -> int:
    """Sum of Pss (KB) of `root` and all its descendants now; 0 where /proc does not tell (not Linux)."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
                total += next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as children:
                    todo += [int(c) for c in children.read().split()]
        except (OSError, ValueError):  # ended meanwhile, or no /proc: counts nothing
            continue
    return total


def measure_run(invoer: Path) -> dict:
    """One whole run on `invoer` in a child: wall, cpu, peak_mb, the child's stage timings and module list."""
    with tempfile.TemporaryDirectory(prefix="monitor-aoj-bench-") as tmp:
        result_file = Path(tmp) / "resultaat.json"
        wall, usage, code = _child(["--intern-run", str(invoer), str(Path(tmp) / "uitvoer"), str(result_file)])
        if code != 0 or not result_file.exists():
            raise RuntimeError(f"De meting op {invoer} is mislukt (foutcode {code}).")
        inner = json.loads(result_file.read_text(encoding="utf-8"))
    return {"wall": wall, **usage, **inner}


def measure_imports(modules: list[str]) -> dict:
    """A child that only imports `modules`: wall, cpu, peak_mb."""
    with tempfile.TemporaryDirectory(prefix="monitor-aoj-bench-") as tmp:
        listing = Path(tmp) / "modules.json"
        listing.write_text(json.dumps(modules), encoding="utf-8")
        wall, usage, code = _child(["--intern-imports", str(listing)])
    if code != 0:
        raise RuntimeError(f"De importmeting is mislukt (foutcode {code}).")
    return {"wall": wall, **usage}


def _intern_run(invoer: str, uitvoer: str, result_file: str) -> int:
    """In the child: pipeline.run as `monitor-aoj rapport` runs it, without PDF; results as JSON in a file."""
    from monitor_aoj.pipeline import Paths, run

    start = time.perf_counter()
    result = run(Paths(Path(invoer), None, Path(uitvoer)), report_date=REPORT_DATE)
    seconds = time.perf_counter() - start
    stdlib = set(sys.stdlib_module_names)
    # The third-party modules this run needed: the import floor imports exactly these.
    modules = sorted(name for name in list(sys.modules)
                     if name.split(".")[0] not in stdlib and name.split(".")[0] not in ("monitor_aoj", "__main__"))
    Path(result_file).write_text(json.dumps({
        "run": seconds, "timings": dict(result.timings), "reports": len(result.reports),
        "region_waves": len(result.validation.files), "modules": modules}), encoding="utf-8")
    return 0


def _intern_imports(listing: str) -> int:
    import importlib

    for name in json.loads(Path(listing).read_text(encoding="utf-8")):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - some modules only import as part of their parent; the parent counts
            pass
    return 0


def help_seconds(repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "monitor_aoj", "--help"], check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def _large_export(folder: Path, megabytes: float) -> Path:
    """One region's 2021 CSV of about `megabytes` MB: the sample's rows repeated with new respondent ids."""
    import csv
    import io

    from monitor_aoj.definitions.questionnaire_reader import load_questionnaires
    from monitor_aoj.demo.sample_files import write_sample
    from monitor_aoj.demo.samples import REGIONS

    region = next(r for r in REGIONS if r.id == "beekdal-noord")
    source = folder / "bron"
    write_sample(source, load_questionnaires(), regions=(region,))
    text = (source / "beekdal-noord_2021.csv").read_bytes().decode("cp1252")
    header, *rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    invoer = folder / "groot"
    invoer.mkdir()
    target, number = megabytes * 1024 * 1024, 0
    with open(invoer / "beekdal-noord_2021.csv", "w", encoding="cp1252", newline="") as f:
        out = csv.writer(f, delimiter=";", lineterminator="\n")
        out.writerow(header)
        while f.tell() < target:
            for row in rows:
                number += 1
                out.writerow([f"R{number:08d}", *row[1:]])
    (invoer / "regios.yaml").write_text(
        "instellingen:\n  max_bestandsgrootte_mb: %d\nregios:\n  - id: beekdal-noord\n    naam: Beekdal-Noord\n"
        "    metingen:\n      - jaar: 2021\n        bestand: beekdal-noord_2021.csv\n"
        "        datum_kolom: startdatum\n        extra_vragen: [extra_jg_coach_preventief, extra_verzuim_stap_open]\n"
        % (megabytes * 2 + 1), encoding="utf-8")
    return invoer


def _large_export_run(invoer: Path, output: Path) -> dict:
    """`monitor-aoj rapport` on the large export in its own process: wall, cpu, peak_mb, exit code."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "monitor_aoj", "rapport", "--invoer", str(invoer), "--uitvoer",
                                str(output), "--stil"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    status, usage, peak = _wait_measuring(process)
    return {"wall": time.perf_counter() - start, "cpu": usage.ru_utime + usage.ru_stime,
            "peak_mb": peak, "code": os.waitstatus_to_exitcode(status)}


# --- summary, targets, comparison ---------------------------------------------------------------------------


def summarise(runs: list[dict]) -> dict:
    """Median and minimum of every number the runs have (stage timings flattened as 'stage:<key>')."""
    def numbers(r: dict) -> dict[str, float]:
        out = {k: r[k] for k in ("wall", "cpu", "peak_mb", "run") if k in r}
        out.update({f"stage:{k}": v for k, v in r.get("timings", {}).items()})
        return out

    flat = [numbers(r) for r in runs]
    keys = [k for k in flat[0] if all(k in f for f in flat)]
    return {"median": {k: statistics.median(f[k] for f in flat) for k in keys},
            "min": {k: min(f[k] for f in flat) for k in keys},
            "region_waves": runs[0].get("region_waves"), "reports": runs[0].get("reports")}


def derive(results: dict) -> dict:
    m = results["metingen"]
    out: dict[str, float | None] = {}
    big, small = m.get("groot"), m.get("klein")
    if big and small and big["region_waves"] != small["region_waves"]:
        extra = big["region_waves"] - small["region_waves"]
        out["per_regio_meting_s"] = (big["median"]["wall"] - small["median"]["wall"]) / extra
        # CPU seconds too: on a loaded machine wall time includes waiting for a core, CPU time does not.
        out["per_regio_meting_cpu_s"] = (big["median"]["cpu"] - small["median"]["cpu"]) / extra
    if m.get("voorbeeld") and m.get("importvloer"):
        out["voorbeeld_per_importvloer"] = m["voorbeeld"]["median"]["wall"] / m["importvloer"]["median"]["wall"]
        out["voorbeeld_per_importvloer_cpu"] = m["voorbeeld"]["median"]["cpu"] / m["importvloer"]["median"]["cpu"]
    return out


def targets(results: dict) -> list[tuple[str, str, str, bool | None]]:
    """(name, measured, target, met); met is None when not measured at the size the target is about."""
    m, d = results["metingen"], results["afgeleid"]
    rows: list[tuple[str, str, str, bool | None]] = []
    big = m.get("groot")
    if big:
        national = results["opties"]["regios"] == NATIONAL_REGIONS
        cores = results["cpu_count"]
        note = "" if cores == NATIONAL_CORES else f" ({cores} kernen, doel geldt voor {NATIONAL_CORES})"
        wall, peak = big["median"]["wall"], big["median"]["peak_mb"]
        rows.append((f"landelijke run, tijd{note}", f"{wall:.1f} s", f"<= {NATIONAL_WALL_S:.0f} s",
                     wall <= NATIONAL_WALL_S if national else None))
        rows.append(("landelijke run, piekgeheugen", f"{peak:.0f} MB", f"<= {NATIONAL_PEAK_MB} MB",
                     peak <= NATIONAL_PEAK_MB if national else None))
    if d.get("per_regio_meting_s") is not None:
        v = d["per_regio_meting_s"]
        rows.append(("per extra regio-meting", f"{v * 1000:.0f} ms", f"<= {PER_REGION_WAVE_TARGET_S * 1000:.0f} ms",
                     v <= PER_REGION_WAVE_TARGET_S))
    if d.get("voorbeeld_per_importvloer") is not None:
        v = d["voorbeeld_per_importvloer"]
        rows.append(("voorbeeldrun / importvloer", f"{v:.2f}x", f"<= {IMPORT_FLOOR_RATIO_TARGET}x",
                     v <= IMPORT_FLOOR_RATIO_TARGET))
    for key, name, text in (("per_regio_meting_cpu_s", "per extra regio-meting, CPU",
                             lambda v: f"{v * 1000:.0f} ms"),
                            ("voorbeeld_per_importvloer_cpu", "voorbeeldrun / importvloer, CPU",
                             lambda v: f"{v:.2f}x")):
        if d.get(key) is not None:  # shown beside the wall-time target, not judged: the target is wall time
            rows.append((name, text(d[key]), "", None))
    if results.get("help_s") is not None:
        v = results["help_s"]
        rows.append(("monitor-aoj --help", f"{v:.2f} s", f"<= {HELP_TARGET_S} s", v <= HELP_TARGET_S))
    if results.get("export"):
        e = results["export"]
        rows.append((f"export van {e['mb']:.0f} MB: piekgeheugen (foutcode {e['code']}, {e['wall']:.0f} s)",
                     f"{e['peak_mb']:.0f} MB", f"<= {LARGE_EXPORT_MB} MB",
                     e["peak_mb"] <= LARGE_EXPORT_MB and e["code"] in (0, 4)))  # 4: rows in quarantine, reports made
    return rows


def verdict(met: bool | None) -> str:
    return {True: "gehaald", False: "NIET gehaald", None: f"niet gemeten (alleen bij --regios {NATIONAL_REGIONS})"}[met]


STAGE_ORDER = ("validation", "figures", "reports", "pdf", "review")
NAMES = {"groot": "groot", "klein": "klein", "voorbeeld": "voorbeelddata", "importvloer": "importvloer"}


def _metric_label(key: str) -> str:
    from monitor_aoj.progress import STAGES

    if key.startswith("stage:"):
        stage = key.split(":", 1)[1]
        return f"  {STAGES[stage][1] if stage in STAGES else stage}"
    return {"wall": "tijd (proces)", "run": "tijd (pipeline.run)", "cpu": "CPU (user+sys)",
            "peak_mb": "piekgeheugen"}[key]


def _metric_value(key: str, value: float) -> str:
    return f"{value:.0f} MB" if key == "peak_mb" else f"{value:.2f} s"


def _metric_keys(summary: dict) -> list[str]:
    keys = [k for k in ("wall", "run") if k in summary["median"]]
    keys += [f"stage:{s}" for s in STAGE_ORDER if f"stage:{s}" in summary["median"]]
    return keys + [k for k in ("cpu", "peak_mb") if k in summary["median"]]


def print_results(results: dict) -> None:
    repeats = results["opties"]["herhaal"]
    print(f"monitor-aoj bench  commit {results['commit']}  Python {results['python']}  "
          f"{results['cpu_count']} kernen  {results['datum']}")
    for name, summary in results["metingen"].items():
        size = f", {summary['region_waves']} regio-metingen" if summary.get("region_waves") else ""
        print(f"\n{NAMES[name]} ({results['invoer'][name]}{size})"
              + ("" if repeats == 1 else f": mediaan en minimum van {repeats} metingen"))
        for key in _metric_keys(summary):
            median, low = summary["median"][key], summary["min"][key]
            extra = "" if repeats == 1 else f"  (min {_metric_value(key, low)})"
            print(f"  {_metric_label(key):<24} {_metric_value(key, median):>10}{extra}")
    print("\nDoelen")
    rows = targets(results)
    width = max((len(r[0]) for r in rows), default=0)
    for name, value, target, met in rows:
        print(f"  {name:<{width}}  {value:>10}  {target:>10}  {verdict(met) if target else '(ter vergelijking)'}")


def compare(a: dict, b: dict) -> None:
    """Two --json results side by side: every median, and B / A."""
    print(f"A: commit {a['commit']} ({a['datum']}, {a['cpu_count']} kernen)")
    print(f"B: commit {b['commit']} ({b['datum']}, {b['cpu_count']} kernen)")
    print(f"\n{'':<40} {'A':>10} {'B':>10} {'B/A':>7}")
    for name in NAMES:
        if name not in a["metingen"] or name not in b["metingen"]:
            continue
        sa, sb = a["metingen"][name], b["metingen"][name]
        print(f"{NAMES[name]} ({sa.get('region_waves') or '-'} / {sb.get('region_waves') or '-'} regio-metingen)")
        for key in _metric_keys(sa):
            if key not in sb["median"]:
                continue
            va, vb = sa["median"][key], sb["median"][key]
            ratio = f"{vb / va:.2f}" if va else "-"
            print(f"  {_metric_label(key):<38} {_metric_value(key, va):>10} {_metric_value(key, vb):>10} {ratio:>7}")
    for key, label, unit in (("per_regio_meting_s", "per extra regio-meting", 1000),
                             ("per_regio_meting_cpu_s", "per extra regio-meting, CPU", 1000),
                             ("voorbeeld_per_importvloer", "voorbeeldrun / importvloer", 1),
                             ("voorbeeld_per_importvloer_cpu", "voorbeeldrun / importvloer, CPU", 1)):
        va, vb = a["afgeleid"].get(key), b["afgeleid"].get(key)
        if va is not None and vb is not None:
            text = (lambda v: f"{v * 1000:.0f} ms") if unit == 1000 else (lambda v: f"{v:.2f}x")
            print(f"{label:<40} {text(va):>10} {text(vb):>10} {vb / va if va else 0:>7.2f}")


def _commit() -> str:
    try:
        done = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, timeout=10)
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return done.stdout.strip() + ("+gewijzigd" if dirty else "") if done.returncode == 0 else "onbekend"
    except (OSError, subprocess.SubprocessError):
        return "onbekend"


def _load_json(path: str) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise SystemExit(f"Kan {path} niet lezen als resultaat van 'bench --json': {e}") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python tools/bench.py",
        description="Meet monitor-aoj op gegenereerde regio's (3 metingen, ongeveer 120 respondenten elk), per "
                    "fase, in een apart proces per meting, tegen de doelen uit het ontwerp.")
    parser.add_argument("--regios", type=int, default=NATIONAL_REGIONS,
                        help=f"aantal regio's van de grote meting (standaard {NATIONAL_REGIONS}, landelijk)")
    parser.add_argument("--klein", type=int, default=None,
                        help="aantal regio's van de kleine meting, voor de kosten per extra regio-meting "
                             "(standaard de helft van --regios; 0: overslaan)")
    parser.add_argument("--herhaal", type=int, default=1, help="meet elke meting zo vaak (mediaan en minimum)")
    parser.add_argument("--json", metavar="BESTAND", help="schrijf alle resultaten als JSON, voor --vergelijk")
    parser.add_argument("--vergelijk", nargs=2, metavar=("A.json", "B.json"),
                        help="zet twee --json-resultaten naast elkaar (met B/A) en stop")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed van de gegenereerde invoer")
    parser.add_argument("--geen-voorbeeld", action="store_true",
                        help="sla de voorbeeldrun, de importvloer en --help over")
    parser.add_argument("--export-mb", type=float, default=0,
                        help="meet ook één grote CSV-export van zoveel MB (bijvoorbeeld 200)")
    parser.add_argument("--streng", action="store_true", help="foutcode 1 als een doel niet gehaald wordt")
    # Internal: what a measuring child does.
    parser.add_argument("--intern-run", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--intern-imports", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.intern_run:
        return _intern_run(*args.intern_run)
    if args.intern_imports:
        return _intern_imports(args.intern_imports)
    if args.vergelijk:
        compare(_load_json(args.vergelijk[0]), _load_json(args.vergelijk[1]))
        return 0
    klein = args.regios // 2 if args.klein is None else args.klein
    if args.regios < 1 or args.herhaal < 1 or klein < 0 or klein >= args.regios:
        parser.error("--regios en --herhaal moeten minstens 1 zijn, en --klein kleiner dan --regios")

    # The small size first: its numbers come sooner, and a long national run can be stopped after them.
    sizes = {**({"klein": klein} if klein else {}), "groot": args.regios}
    folders = {name: generated_input(n, args.seed) for name, n in sizes.items()}
    inputs = {name: f"{n} regio's" for name, n in sizes.items()}
    runs: dict[str, list[dict]] = {name: [] for name in sizes}
    if not args.geen_voorbeeld:
        folders["voorbeeld"] = sample_input()
        inputs["voorbeeld"] = str(folders["voorbeeld"])
        runs["voorbeeld"] = []
        runs["importvloer"] = []
        inputs["importvloer"] = "alleen imports van de voorbeeldrun"
    for k in range(args.herhaal):
        # Interleaved, so drift of the machine over time falls on every size alike.
        for name, folder in folders.items():
            print(f"  meting {k + 1}/{args.herhaal}: {NAMES[name]}", file=sys.stderr, flush=True)
            r = measure_run(folder)
            runs[name].append(r)
            stages = ", ".join(f"{_metric_label('stage:' + key).strip()} {v:.1f} s" for key, v in r["timings"].items())
            print(f"    tijd {r['wall']:.1f} s ({stages}), CPU {r['cpu']:.1f} s, piek {r['peak_mb']:.0f} MB",
                  file=sys.stderr, flush=True)
        if "importvloer" in runs:
            runs["importvloer"].append(measure_imports(runs["voorbeeld"][0]["modules"]))
    results: dict[str, Any] = {
        "commit": _commit(), "python": platform.python_version(), "cpu_count": os.cpu_count(),
        "datum": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "platform": platform.platform(),
        "opties": {"regios": args.regios, "klein": klein, "herhaal": args.herhaal, "seed": args.seed,
                   "respondenten": RESPONDENTS},
        "invoer": inputs,
        "metingen": {name: summarise(r) for name, r in runs.items()},
        "runs": runs,
    }
    if "voorbeeld" in runs:
        results["modules"] = len(runs["voorbeeld"][0]["modules"])
        for r in runs["voorbeeld"]:
            r.pop("modules")
        results["help_s"] = help_seconds()
    for name in sizes:
        for r in runs[name]:
            r.pop("modules", None)
    if args.export_mb:
        with tempfile.TemporaryDirectory(prefix="monitor-aoj-bench-") as tmp:
            invoer = _large_export(Path(tmp), args.export_mb)
            size = (invoer / "beekdal-noord_2021.csv").stat().st_size / 1024 / 1024
            results["export"] = {"mb": size, **_large_export_run(invoer, Path(tmp) / "uit")}
    results["afgeleid"] = derive(results)
    results["doelen"] = [{"naam": n, "gemeten": v, "doel": t, "gehaald": m} for n, v, t, m in targets(results)]
    print_results(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    return 1 if args.streng and any(m is False for *_, m in targets(results)) else 0


if __name__ == "__main__":
    sys.exit(main())
