"""`make bench`: the whole job on generated regions, timed, against the targets in DESIGN.md.

  python -m monitor_aoj.bench [--regios N] [--export-mb M] [--streng]

Writes N fictional regions x 3 waves (copies of the sample regions with their own seed) to a temporary folder,
runs validation, figures and every report in one process, and prints time, time per report, peak memory and
`monitor-aoj --help` time. Targets: --help within 0.5 s; 300 regions x 3 waves within 90 s and 2 GB; at most
100 ms per extra report. With --export-mb M (issue 10: 200) it also writes one region's CSV export of M MB (the
sample's 2021 rows repeated under new respondent ids, about 760,000 respondents for 200 MB) and runs
`monitor-aoj rapport` on it in a child process: its peak memory must stay under 2 GB. With --streng a missed
target gives exit code 1.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HELP_TARGET = 0.5
NATIONAL_REGIONS, NATIONAL_SECONDS, NATIONAL_MB = 300, 90.0, 2048
LARGE_EXPORT_MB = 2048  # peak memory of a whole run on one large CSV export
PER_REPORT_TARGET = 0.100


def _help_seconds() -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "monitor_aoj", "--help"], check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def _regions(count: int):
    from monitor_aoj.samples import REGIONS

    out = []
    for i in range(count):
        base = REGIONS[i % len(REGIONS)]
        out.append(dataclasses.replace(base, id=f"bench-{i + 1:03d}", name=f"Benchregio {i + 1}"))
    return tuple(out)


def _run(folder: Path, questionnaires_folder: Path | None, output: Path, region: str | None = None) -> tuple[float, int]:
    from monitor_aoj.pipeline import Paths, run

    start = time.perf_counter()
    result = run(Paths(folder, questionnaires_folder, output), region=region, report_date=dt.date(2021, 5, 25))
    return time.perf_counter() - start, len(result.reports)


def _large_export(folder: Path, megabytes: float) -> Path:
    """One region's 2021 CSV of about `megabytes` MB: the sample's rows repeated with new respondent ids."""
    import csv
    import io

    from monitor_aoj.questionnaire import load_questionnaires
    from monitor_aoj.samples import REGIONS, write_sample

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


def _child_run(invoer: Path, output: Path) -> tuple[float, float, int]:
    """(seconds, peak MB, exit code) of `monitor-aoj rapport` in its own process."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "monitor_aoj", "rapport", "--invoer", str(invoer), "--uitvoer",
                           str(output)], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, done.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Meet de snelheid van monitor-aoj op gegenereerde regio's.")
    parser.add_argument("--regios", type=int, default=12, help="aantal gegenereerde regio's (standaard 12)")
    parser.add_argument("--export-mb", type=float, default=0,
                        help="meet ook één grote CSV-export van zoveel MB (bijvoorbeeld 200)")
    parser.add_argument("--streng", action="store_true", help="foutcode 1 als een doel niet gehaald wordt")
    args = parser.parse_args(argv)

    from monitor_aoj.questionnaire import load_questionnaires
    from monitor_aoj.samples import write_sample

    questionnaires_folder = None  # the shipped questionnaires
    help_time = _help_seconds()
    with tempfile.TemporaryDirectory(prefix="monitor-aoj-bench-") as tmp:
        folder = Path(tmp) / "invoer"
        write_sample(folder, load_questionnaires(questionnaires_folder), regions=_regions(args.regios))
        one_time, _ = _run(folder, questionnaires_folder, Path(tmp) / "een", region="bench-001")
        all_time, reports = _run(folder, questionnaires_folder, Path(tmp) / "alle")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    per_report = (all_time - one_time) / max(1, reports - 3)
    national = all_time / args.regios * NATIONAL_REGIONS
    rows = [
        ("monitor-aoj --help", f"{help_time:.2f} s", f"<= {HELP_TARGET} s", help_time <= HELP_TARGET),
        (f"{args.regios} regio's x 3 metingen ({reports} rapporten)", f"{all_time:.1f} s", "", True),
        ("tijd per extra rapport", f"{per_report * 1000:.0f} ms", f"<= {PER_REPORT_TARGET * 1000:.0f} ms",
         per_report <= PER_REPORT_TARGET),
        (f"geschat voor {NATIONAL_REGIONS} regio's", f"{national:.0f} s", f"<= {NATIONAL_SECONDS:.0f} s",
         national <= NATIONAL_SECONDS),
        ("piekgeheugen", f"{peak_mb:.0f} MB", f"<= {NATIONAL_MB} MB", peak_mb <= NATIONAL_MB),
    ]
    if args.export_mb:
        with tempfile.TemporaryDirectory(prefix="monitor-aoj-bench-") as tmp:
            invoer = _large_export(Path(tmp), args.export_mb)
            size = (invoer / "beekdal-noord_2021.csv").stat().st_size / 1024 / 1024
            seconds, mb, code = _child_run(invoer, Path(tmp) / "uit")
        rows += [(f"export van {size:.0f} MB: tijd (foutcode {code})", f"{seconds:.0f} s", "", True),
                 (f"export van {size:.0f} MB: piekgeheugen", f"{mb:.0f} MB", f"<= {LARGE_EXPORT_MB} MB",
                  mb <= LARGE_EXPORT_MB and code in (0, 4))]  # 4: rows in quarantine, reports made
    width = max(len(r[0]) for r in rows)
    for name, value, target, ok in rows:
        mark = "" if not target else ("gehaald" if ok else "NIET gehaald")
        print(f"{name:<{width}}  {value:>10}  {target:>12}  {mark}")
    missed = [r for r in rows if r[2] and not r[3]]
    return 1 if args.streng and missed else 0


if __name__ == "__main__":
    sys.exit(main())
