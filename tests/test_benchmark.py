"""The comparison with other regions and with reference values, on generated inputs run through the pipeline.

- one region in the input: no benchmark in the item texts, no benchmark chapter, one statement;
- several regions: "de N andere regio's in deze rapportage" with the right N, each region weighted equally
  (a hand-computed check: one large and two small regions that differ), described and never tested;
- reference values from the user's file: shown with their source, never tested; bad files give Dutch errors
  and a non-zero exit.
"""

from __future__ import annotations

import html as htmllib
import re
import shutil
import subprocess
import sys
from dataclasses import replace

import numpy as np
import openpyxl
import pandas as pd
import pytest

from monitor_aoj.definitions.references import REFERENCE_RULE
from monitor_aoj.definitions.regions import load_config
from monitor_aoj.demo.sample_files import write_sample
from monitor_aoj.demo.samples import REGIONS, WaveSpec
from monitor_aoj.errors import ConfigError
from monitor_aoj.figures import schema as F
from monitor_aoj.figures.comparisons import BENCHMARK_NOT_TESTED, BENCHMARK_POOLING, NO_BENCHMARK
from monitor_aoj.pipeline import Paths, run

from conftest import QUESTIONNAIRES, ROOT

pytestmark = pytest.mark.slow  # its fixtures run the pipeline on generated regions (15 s or more)

WAVE = 2021
ITEM = "mdo_aanwezig"  # ja / nee / weet ik niet: positive is "ja"
BASE = REGIONS[0]
# One large region that answers badly and two small ones that answer well: pooling respondents would let the
# large one decide; weighting regions equally does not. The focal region sits in between.
PROFILES = (
    replace(BASE, id="focus", name="Focus", level={WAVE: 0.0},
            waves={WAVE: WaveSpec(60, "csv", "codes", "maart 2021")}),
    replace(BASE, id="groot", name="Groot", level={WAVE: -3.0},
            waves={WAVE: WaveSpec(400, "csv", "codes", "maart 2021")}),
    replace(BASE, id="klein-a", name="Klein A", level={WAVE: 1.5},
            waves={WAVE: WaveSpec(30, "csv", "codes", "maart 2021")}),
    replace(BASE, id="klein-b", name="Klein B", level={WAVE: 1.2},
            waves={WAVE: WaveSpec(25, "csv", "codes", "maart 2021")}),
)
REFERENCES = ("item;meting;groep;waarde;bron\n"
              f"{ITEM};{WAVE};totaal;58;Landelijk beeld NJi 2021\n"
              f"{ITEM};{WAVE};onderwijs;51,5%;Landelijk beeld NJi 2021\n"
              f"rapportcijfer;{WAVE};totaal;6,4;Landelijke monitor 2021\n")


def _text(path) -> str:
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<script.*?</script>", " ", page, flags=re.S)
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _section(page: str, section_id: str) -> str:
    found = re.search(rf'<section id="{section_id}">(.*?)</section>', page, flags=re.S)
    return found.group(1) if found else ""


@pytest.fixture(scope="module")
def generated(tmp_path_factory, questionnaires):
    folder = tmp_path_factory.mktemp("regio-s")
    write_sample(folder, questionnaires, seed=11, regions=PROFILES)
    return folder


@pytest.fixture(scope="module")
def several(generated, tmp_path_factory):
    out = tmp_path_factory.mktemp("uit-meer")
    result = run(Paths(generated, QUESTIONNAIRES, out))
    return out, result


@pytest.fixture(scope="module")
def single(generated, tmp_path_factory, questionnaires):
    """Only the focal region, with a reference file the user supplied."""
    folder = tmp_path_factory.mktemp("een-regio")
    write_sample(folder, questionnaires, seed=11, regions=PROFILES[:1])
    config = folder / "regios.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "instellingen:\n", "instellingen:\n  referentie: referentiewaarden.csv\n"), encoding="utf-8")
    (folder / "referentiewaarden.csv").write_text(REFERENCES, encoding="utf-8")
    out = tmp_path_factory.mktemp("uit-een")
    result = run(Paths(folder, QUESTIONNAIRES, out))
    return out, result


def _report(out, region: str):
    return out / region / str(WAVE) / f"monitor-aoj_{region}_{WAVE}.html"


def _positive_share(csv_path, q) -> float:
    """The share 'ja' of all respondents who answered, counted from the export itself."""
    frame = pd.read_csv(csv_path, sep=";", dtype=str, encoding="cp1252")
    item = q.item(ITEM)
    answers = pd.to_numeric(frame[item.column], errors="coerce").dropna().astype(int)
    answers = answers[answers.isin(item.scale.codes)]
    return float(answers.isin(item.scale.positive).mean())


def test_equal_weighting_by_hand(several, generated, questionnaires):
    out, result = several
    q = questionnaires[WAVE]
    shares = {p.id: _positive_share(next(generated.glob(f"{p.id}_{WAVE}.*")), q) for p in PROFILES}
    others = [shares[r] for r in ("groot", "klein-a", "klein-b")]
    by_hand = sum(others) / 3
    sizes = {"groot": 400, "klein-a": 30, "klein-b": 25}
    pooled = sum(shares[r] * sizes[r] for r in sizes) / sum(sizes.values())  # what the old benchmark showed
    assert by_hand - pooled > 0.10  # the input is built so that the difference matters

    book = openpyxl.load_workbook(out / "focus" / str(WAVE) / f"monitor-aoj_focus_{WAVE}.xlsx")
    sheet = book["Benchmark"]
    header = [c.value for c in sheet[1]]
    row = next(dict(zip(header, [c.value for c in r])) for r in sheet.iter_rows(min_row=2)
               if r[0].value == q.item(ITEM).short)
    assert row["Andere regio's: gemiddelde"] == pytest.approx(by_hand, abs=1e-3)
    assert (row["Laagste"], row["Hoogste"]) == (pytest.approx(min(others), abs=1e-3),
                                                pytest.approx(max(others), abs=1e-3))
    assert row["Aantal regio's"] == 3
    # The word rule: the difference of the printed figures in whole points (68% and 51%: 17), as everywhere.
    whole = lambda v: int(np.floor(v * 100 + 0.5))  # noqa: E731  (half up, as the report rounds)
    assert row["Verschil met het gemiddelde"] == whole(shares["focus"]) - whole(by_hand)
    assert row["Eenheid"] == "procentpunt"
    # The report prints the same mean and range, rounded once.
    text = _text(_report(out, "focus"))
    pct = lambda v: f"{int(np.floor(v * 100 + 0.5))}%"  # noqa: E731  (half up, as the report rounds)
    assert (f"In de drie andere regio's in deze rapportage is dit gemiddeld {pct(by_hand)} "
            f"(van {pct(min(others))} tot {pct(max(others))}; niet getoetst).") in text


def test_several_regions_name_the_group_with_the_right_number(several):
    out, result = several
    assert len(result.reports) == 4
    for region in ("focus", "groot", "klein-a", "klein-b"):
        page = _report(out, region).read_text(encoding="utf-8")
        chapter = _section(page, "benchmark")
        assert "de drie andere regio&#39;s in deze rapportage" in chapter, region
        text = _text(_report(out, region))
        assert "In de drie andere regio's in deze rapportage is dit gemiddeld" in text
        assert "alle andere regio" not in text and "meededen" not in text
        assert re.search(r"\b(twee|vier) andere regio's", text) is None, region
        assert BENCHMARK_POOLING in text and BENCHMARK_NOT_TESTED in text
        assert NO_BENCHMARK.format(wave=WAVE, minimum=5) not in text


def test_the_benchmark_is_described_never_tested(several):
    out, _ = several
    book = openpyxl.load_workbook(out / "groot" / str(WAVE) / f"monitor-aoj_groot_{WAVE}.xlsx")
    sheet = book["Alle cijfers"]
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) for name in header}
    bench = [r for r in sheet.iter_rows(min_row=2, values_only=True)
             if str(r[col["Statistiek"]]).startswith("andere regio's")]
    assert len(bench) > 10
    assert all(r[col["p-waarde"]] is None and r[col["p-waarde (gecorrigeerd)"]] is None and r[col["Toets"]] is None
               and r[col["Oordeel"]] == "niet getoetst" for r in bench)
    # No significance mark in the benchmark chapter of any report, nor in its table in the appendix.
    page = _report(out, "groot").read_text(encoding="utf-8")
    chapter = _text_of(_section(page, "benchmark") + _section(page, "bijlage-benchmark"))
    assert "Deze regio naast de andere regio's" in chapter
    assert chapter and "significant" not in chapter.replace(BENCHMARK_NOT_TESTED, "").replace(REFERENCE_RULE, "")


def test_a_region_below_the_minimum_stays_out_of_the_others(generated, tmp_path, questionnaires):
    from test_suppression import figures

    figs = figures(generated, questionnaires, 26)  # klein-b (25 respondents) drops out of every comparison
    bench = figs[(figs["statistic"] == F.BENCHMARK) & (figs["item"] == ITEM)].set_index("region")
    assert bench.at["focus", "compare_to"] == "de twee andere regio's in deze rapportage"
    assert int(bench.at["focus", "k"]) == 2
    head = figs[(figs["statistic"] == F.POSITIVE) & (figs["item"] == ITEM) & (figs["group"] == F.TOTAAL)]
    head = head.set_index("region")["value"]
    assert bench.at["focus", "value"] == pytest.approx((head["groot"] + head["klein-a"]) / 2)
    assert bench.at["klein-b", "value"] == pytest.approx((head["groot"] + head["klein-a"] + head["focus"]) / 3)
    assert pd.isna(bench.at["klein-b", "diff"])  # its own figure is hidden: nothing to set beside it


def test_single_region_has_no_benchmark_and_says_so_once(single):
    from monitor_aoj.report.method_notes import checks_sentence

    out, result = single
    assert len(result.reports) == 1
    page = _report(out, "focus").read_text(encoding="utf-8")
    text = _text(_report(out, "focus"))
    assert "Geen andere regio" not in text
    assert "andere regio's in deze rapportage" not in text and "niet getoetst)." not in text
    assert text.count(NO_BENCHMARK.format(wave=WAVE, minimum=5)) == 1
    # The statement itself: "geen andere regio ... andere regio's" (the Verantwoording's check list aside)
    assert text.replace(checks_sentence(), "").count("andere regio") == 2
    assert 'id="tabel-benchmark"' not in page and "Vergelijking met andere regio" not in text
    book = openpyxl.load_workbook(out / "focus" / str(WAVE) / f"monitor-aoj_focus_{WAVE}.xlsx")
    rows = list(book["Benchmark"].iter_rows(min_row=2, values_only=True))
    assert rows == [(NO_BENCHMARK.format(wave=WAVE, minimum=5),) + (None,) * 10]


def test_reference_values_are_shown_with_their_source_and_never_tested(single, questionnaires):
    out, _ = single
    page = _report(out, "focus").read_text(encoding="utf-8")
    text = _text(_report(out, "focus"))
    assert ("Ter vergelijking, als referentiewaarde (niet getoetst): 58% volgens Landelijk beeld NJi 2021 en "
            "52% voor het onderwijs volgens Landelijk beeld NJi 2021.") in text
    assert "gemiddeld een 6,4 volgens Landelijke monitor 2021" in text
    # The questionnaire's own reference for the mark gives way to the user's value for the same item and group.
    assert "de pilot van het NJi" not in text
    # The chapter states the rule; its table, with the sources, stands in the appendix.
    chapter = _text_of(_section(page, "benchmark") + _section(page, "bijlage-referentie"))
    assert "Vergelijking met referentiewaarden" in text and REFERENCE_RULE in chapter
    assert "Landelijk beeld NJi 2021" in chapter and "Landelijke monitor 2021" in chapter
    assert "significant" not in chapter.replace(REFERENCE_RULE, "")
    book = openpyxl.load_workbook(out / "focus" / str(WAVE) / f"monitor-aoj_focus_{WAVE}.xlsx")
    refs = list(book["Referentiewaarden"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[4], r[5]) for r in refs] == [
        (questionnaires[WAVE].item(ITEM).short, "Totaal", pytest.approx(0.58), "Landelijk beeld NJi 2021"),
        (questionnaires[WAVE].item(ITEM).short, "Onderwijs", pytest.approx(0.515), "Landelijk beeld NJi 2021"),
        (questionnaires[WAVE].item("rapportcijfer").short, "Totaal", pytest.approx(6.4), "Landelijke monitor 2021")]
    # Never a test: nothing in the figure table mentions a reference, and no test row exists for one.
    sheet = book["Alle cijfers"]
    values = [str(v) for r in sheet.iter_rows(min_row=2, values_only=True) for v in r if v is not None]
    assert not any("Landelijk" in v or "referentie" in v.lower() for v in values)


def _text_of(fragment: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


BAD_FILES = {
    "kopregel": ("item;meting;groep;value;bron\nmdo_aanwezig;2021;totaal;58;NJi\n",
                 "rij 1: de kopregel moet de kolommen item, meting, groep, waarde, bron hebben; ontbreekt: waarde; "
                 "onbekend: value"),
    "vraag": ("item;meting;groep;waarde;bron\nmdo_aanwezigg;2021;totaal;58;NJi\n",
              "rij 2, kolom 'item': 'mdo_aanwezigg' is geen gesloten vraag van de vragenlijst van 2021; gebruik de id "
              "uit aoj_2021.yaml (bedoelt u 'mdo_aanwezig'?)"),
    "gespiegeld": ("item;meting;groep;waarde;bron\nvast_contactpersoon;2021;totaal;50;NJi\n",
                   "rij 2, kolom 'groep': vast_contactpersoon is een gespiegelde stelling"),
    "meting": ("item;meting;groep;waarde;bron\nmdo_aanwezig;2020;totaal;58;NJi\n",
               "rij 2, kolom 'meting': '2020' is geen meting met een vragenlijst; gebruik een van 2016, 2018, 2021."),
    "groep": ("item;meting;groep;waarde;bron\nmdo_aanwezig;2021;ouders;58;NJi\n",
              "rij 2, kolom 'groep': 'ouders' is geen groep; gebruik totaal, onderwijs, jeugdhulp."),
    "percentage": ("item;meting;groep;waarde;bron\nmdo_aanwezig;2021;totaal;0,58;NJi\n"
                   "mdo_aanwezig;2018;totaal;158;NJi\n",
                   "rij 3, kolom 'waarde': '158' past niet; verwacht het percentage positief van 0 tot 100"),
    "cijfer": ("item;meting;groep;waarde;bron\nrapportcijfer;2021;totaal;65;NJi\n",
               "rij 2, kolom 'waarde': '65' past niet; verwacht een gemiddeld rapportcijfer van 1 tot 10"),
    "bron": ("item;meting;groep;waarde;bron\nmdo_aanwezig;2021;totaal;58;\n",
             "rij 2, kolom 'bron': de bron ontbreekt"),
    "dubbel": ("item,meting,groep,waarde,bron\nmdo_aanwezig,2021,totaal,58,NJi\nmdo_aanwezig,2021,Totaal,60,CBS\n",
               "rij 3, kolom 'item': mdo_aanwezig in 2021 voor 'Totaal' staat er al (rij 2)"),
    "leeg": ("item;meting;groep;waarde;bron\n", "er staat geen enkele referentiewaarde in"),
}


def _folder_with(tmp_path, generated, reference: str | None, name: str = "referentiewaarden.csv"):
    folder = tmp_path / "invoer"
    folder.mkdir(parents=True)
    for f in generated.glob("focus_*"):
        shutil.copy(f, folder)
    text = (generated / "regios.yaml").read_text(encoding="utf-8")
    text = text[:text.index("  - id: groot")]  # the focal region only
    (folder / "regios.yaml").write_text(text.replace("instellingen:\n", f"instellingen:\n  referentie: {name}\n"),
                                        encoding="utf-8")
    if reference is not None:
        (folder / "referentiewaarden.csv").write_text(reference, encoding="utf-8")
    return folder


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_reference_files_give_dutch_errors(case, tmp_path, generated, questionnaires):
    content, message = BAD_FILES[case]
    folder = _folder_with(tmp_path, generated, content)
    with pytest.raises(ConfigError) as error:
        load_config(folder, questionnaires)
    assert message in str(error.value)
    assert "referentiewaarden.csv" in str(error.value)


def test_a_reference_file_outside_the_input_folder_or_missing_is_refused(tmp_path, generated, questionnaires):
    with pytest.raises(ConfigError, match="ligt buiten de invoermap"):
        load_config(_folder_with(tmp_path / "a", generated, None, name="../referentiewaarden.csv"), questionnaires)
    with pytest.raises(ConfigError, match="het bestand met referentiewaarden bestaat niet"):
        load_config(_folder_with(tmp_path / "b", generated, None), questionnaires)


def test_a_bad_reference_file_stops_the_command_with_a_non_zero_exit(tmp_path, generated):
    folder = _folder_with(tmp_path, generated, BAD_FILES["groep"][0])
    proc = subprocess.run([sys.executable, "-m", "monitor_aoj", "rapport", "--invoer", str(folder), "--uitvoer",
                           str(tmp_path / "uit"), "--vragenlijsten", str(QUESTIONNAIRES)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == ConfigError.exit_code != 0
    assert "'ouders' is geen groep; gebruik totaal, onderwijs, jeugdhulp." in proc.stderr + proc.stdout
    assert not (tmp_path / "uit" / "focus").exists()


def test_a_region_hidden_by_suppression_stays_out_whatever_hid_it(generated, questionnaires):
    """Benchmarks are made after suppression: a total hidden by any rule (not only the minimum base) is in no
    other region's mean, lowest or highest. Real figures of the generated input, with one total hidden."""
    from monitor_aoj.figures.comparisons import add_benchmarks

    from test_suppression import figures

    figs = figures(generated, questionnaires, 5)
    figs = figs[figs["statistic"] != F.BENCHMARK].copy()
    hide = ((figs["region"] == "klein-a") & (figs["item"] == ITEM) & (figs["group"] == F.TOTAAL)
            & (figs["statistic"] == F.POSITIVE))
    assert hide.sum() == 1 and int(figs.loc[hide, "n"].iloc[0]) >= 5
    figs.loc[hide, "suppressed"] = True
    figs.loc[hide, ["value", "ci_low", "ci_high"]] = float("nan")
    bench = add_benchmarks(figs, 5)
    bench = bench[(bench["statistic"] == F.BENCHMARK) & (bench["item"] == ITEM)].set_index("region")
    head = figs[(figs["statistic"] == F.POSITIVE) & (figs["item"] == ITEM) & (figs["group"] == F.TOTAAL)]
    head = head.set_index("region")["value"]
    assert bench.at["focus", "compare_to"] == "de twee andere regio's in deze rapportage"
    assert bench.at["focus", "value"] == pytest.approx((head["groot"] + head["klein-b"]) / 2)
    assert pd.isna(bench.at["klein-a", "diff"])
