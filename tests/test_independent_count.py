"""An independent count of one region's export with plain pandas, compared with the HTML report and workbook.

Nothing from monitor_aoj is used to count: the export is read with pandas, the questionnaire with yaml, and
each figure is counted and rounded here. The outputs must show exactly these numbers.
"""

from __future__ import annotations

import math
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pandas as pd
import pytest
import yaml

from monitor_aoj.report.sheet_writer import FRACTION_DECIMALS

from conftest import QUESTIONNAIRES, ROOT, SAMPLES
from htmltables import tables

pytestmark = pytest.mark.slow
REGION, WAVE = "beekdal-noord", 2021
GROUP_NL = {"onderwijs": "Onderwijs", "jeugdhulp": "Jeugdhulp", "totaal": "Totaal"}


def whole_percent(k: int, n: int) -> int:
    return int((Decimal(k) * 100 / Decimal(n)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def wilson_text(k: int, n: int) -> str:
    """The 95% Wilson interval written out from its textbook formula, shown as whole percentages."""
    z = 1.959963984540054
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    low, high = max(0.0, centre - half), min(1.0, centre + half)
    as_pct = [int((Decimal(repr(x)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)) for x in (low, high)]
    return f"{as_pct[0]}–{as_pct[1]}%"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    subprocess.run([sys.executable, "-m", "monitor_aoj", "rapport", "--invoer", str(SAMPLES), "--uitvoer", str(out),
                    "--vragenlijsten", str(QUESTIONNAIRES), "--regio", REGION, "--meting", str(WAVE)],
                   cwd=ROOT, check=True, capture_output=True, timeout=600)
    stem = out / REGION / str(WAVE) / f"monitor-aoj_{REGION}_{WAVE}"
    return stem.with_suffix(".html").read_text(encoding="utf-8"), openpyxl.load_workbook(stem.with_suffix(".xlsx"))


def _single(expected):
    """The (item, group, "+") keys of items whose positive answer is one category (ja)."""
    q = yaml.safe_load((QUESTIONNAIRES / f"aoj_{WAVE}.yaml").read_text(encoding="utf-8"))
    single = {v["id"] for v in q["vragen"]
              if v.get("schaal") and len(q["schalen"][v["schaal"]].get("positief", [])) == 1}
    return {key for key in expected if key[2] == "+" and key[0] in single}


@pytest.fixture(scope="module")
def expected():
    """{(item, group, label): (k, n)} counted straight from the CSV."""
    q = yaml.safe_load((QUESTIONNAIRES / f"aoj_{WAVE}.yaml").read_text(encoding="utf-8"))
    regions = yaml.safe_load((SAMPLES / "regios.yaml").read_text(encoding="utf-8"))
    wave = next(m for r in regions["regios"] if r["id"] == REGION for m in r["metingen"] if m["jaar"] == WAVE)
    data = pd.read_csv(SAMPLES / wave["bestand"], sep=";", encoding="cp1252", dtype=str, keep_default_na=False)
    bg = q["achtergrond"]
    functie_sector = {c["label"]: c.get("sector") for c in bg["functie"]["categorieen"]}
    stated = data[bg["sector"]["kolom"]].str.lower()
    by_functie = data[bg["functie"]["kolom"]].map(functie_sector)
    data["_sector"] = by_functie.where(by_functie.notna(), stated)
    extras = set(wave.get("extra_vragen", []))
    counts = {}
    for item in q["vragen"]:
        if item.get("soort") == "open" or (item.get("regionaal") and item["id"] not in extras):
            continue
        scale = q["schalen"][item["schaal"]]
        answers = data[item["kolom"]]
        asked = pd.Series(True, index=data.index)
        if "filter" in item:
            flt = item["filter"]
            source = next(v for v in q["vragen"] if v["id"] == flt["vraag"])
            ok = {c["label"] for c in q["schalen"][source["schaal"]]["categorieen"] if c["code"] in flt["codes"]}
            asked = data[source["kolom"]].isin(ok)
        if scale["soort"] == "cijfer":
            labels = [str(m) for m in range(scale["minimum"], scale["maximum"] + 1)]
            positive = []
        else:
            labels = [c["label"] for c in scale["categorieen"]]
            positive = [c["label"] for c in scale["categorieen"] if c["code"] in scale.get("positief", [])]
        valid = asked & answers.isin(labels)
        # A text per sector: each sector answered its own statement, so there is no totaal (issue 11).
        mirrored = isinstance(item["tekst"], dict) and item.get("sectoren_vergelijkbaar") not in ("ja", True)
        for group in ("onderwijs", "jeugdhulp") if mirrored else ("onderwijs", "jeugdhulp", "totaal"):
            in_group = valid if group == "totaal" else valid & (data["_sector"] == group)
            n = int(in_group.sum())
            for label in labels:
                counts[(item["id"], group, label)] = (int((in_group & (answers == label)).sum()), n)
            if positive:
                counts[(item["id"], group, "+")] = (int((in_group & answers.isin(positive)).sum()), n)
    return counts


def test_html_tables_show_the_independent_counts(outputs, expected):
    html, _ = outputs
    single_positive = _single(expected)
    found = tables(html)
    checked = 0
    for (item, group, label), (k, n) in expected.items():
        rows = found[f"tabel-{item}"]
        column = rows[0].index(GROUP_NL[group])
        if label == "+":
            row = next((r for r in rows if r[0].startswith("Samen:")), None)
            if row is None:  # a single positive category ("ja") is its own row: no "Samen" row needed
                assert (item, group, "+") in single_positive
                continue
        else:
            row = next(r for r in rows if r[0] == label)
        shown = f"{whole_percent(k, n)}% ({k}) {wilson_text(k, n)}" if n else "–"
        assert row[column] == shown, (item, group, label)
        base = next(r for r in rows if r[0].startswith("Aantal respondenten met antwoord"))
        assert base[column] == str(n), (item, group)
        checked += 1
    assert checked > 190  # 199 since the mirrored item lost its 5 totaal cells (issue 11)


def test_workbook_shows_the_independent_counts(outputs, expected):
    _, book = outputs
    sheet = book["Alle cijfers"]
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) for name in header}
    seen = {}
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if row[col["Meting"]] != WAVE or row[col["Soort groep"]] not in ("sector", "totaal"):
            continue
        if row[col["Statistiek"]] == "aandeel":
            key = (row[col["Vraag-id"]], row[col["Groep"]].lower(), row[col["Label"]])
        elif row[col["Statistiek"]] == "samengevoegd (positief)":
            key = (row[col["Vraag-id"]], row[col["Groep"]].lower(), "+")
        else:
            continue
        seen[key] = (row[col["Aantal (k)"]], row[col["Basis (n)"]], row[col["Waarde"]])
    assert set(seen) == set(expected)
    for key, (k, n) in expected.items():
        got_k, got_n, value = seen[key]
        assert (got_k, got_n) == (k, n), key
        # Stored to FRACTION_DECIMALS (sheet_writer.ROUNDING): k / n within half a last decimal.
        assert value == pytest.approx(k / n, abs=0.5 * 10 ** -FRACTION_DECIMALS + 1e-12), key
