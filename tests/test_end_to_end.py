"""The whole job through the command line on the sample data: what a user gets in output/."""

from __future__ import annotations

import re
import subprocess
import sys

import openpyxl
import pytest

from monitor_aoj.definitions.regions import load_config

from conftest import QUESTIONNAIRES, ROOT, SAMPLES
from htmltables import script_tags, tables

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(sample_run):
    """The session's run of the sample (conftest: all regions and waves, --datum 2021-05-25)."""
    return sample_run.proc, sample_run.out


def test_cli_succeeds_and_speaks_dutch(run):
    proc, _ = run
    assert proc.returncode == 0, proc.stderr
    assert "Klaar: 12 rapporten" in proc.stdout
    assert "lindewaard_2021.sav: 61 gelezen = 61 gebruikt + 0 in quarantaine" in proc.stdout
    assert "Totaal: 753 rijen gelezen = 753 gebruikt + 0 in quarantaine" in proc.stdout


def test_a_report_and_a_workbook_per_region_and_wave(run, questionnaires):
    _, out = run
    config = load_config(SAMPLES, questionnaires)
    assert len(config.exports) == 12
    for e in config.exports:
        stem = out / e.region / str(e.wave) / f"monitor-aoj_{e.region}_{e.wave}"
        assert stem.with_suffix(".html").stat().st_size > 100_000
        assert stem.with_suffix(".xlsx").stat().st_size > 5_000


def test_html_is_self_contained_dutch_and_covers_every_theme(run, questionnaires):
    _, out = run
    html = (out / "beekdal-noord" / "2021" / "monitor-aoj_beekdal-noord_2021.html").read_text(encoding="utf-8")
    assert '<html lang="nl">' in html
    assert script_tags(html) == []  # charts are inline SVG: no script, nothing loaded from elsewhere
    assert html.count('<figure class="grafiek"') >= 6  # an overview per theme, the trends, the benchmark
    q = questionnaires[2021]
    for theme in ("Vormen van samenwerking", "Organisatie van de zorg", "Oordeel over de samenwerking", "Preventie",
                  "Evalueren, leren en ontwikkelen", "Regionale extra vragen"):
        assert f"{theme}</h2>" in html, theme  # in the body
        assert f"{theme}</h3>" in html, theme  # and in the appendix
    found = tables(html)
    closed = [it for it in q.items_for(("extra_jg_coach_preventief",)) if not it.is_open]
    for item in closed:
        rows = found[f"tabel-{item.id}"]
        base = next(r for r in rows if r[0].startswith("Aantal respondenten met antwoord"))
        assert all(re.fullmatch(r"\d+", c) for c in base[1:]), (item.id, base)  # n for every group
    assert "Totaal is" in html or "totaal" in html


def test_workbook_has_dutch_sheets_real_numbers_and_filters(run):
    _, out = run
    book = openpyxl.load_workbook(out / "polderrijk" / "2018" / "monitor-aoj_polderrijk_2018.xlsx")
    assert book.sheetnames == ["Toelichting", "Respondenten", "Vragen", "Rapportcijfer", "Verschillen sectoren",
                               "Trends", "Veranderingen", "Benchmark", "Referentiewaarden", "Uitsplitsing",
                               "Open antwoorden", "Citaten",
                               "Indeling open vragen",
                               "Alle cijfers"]
    vragen = book["Vragen"]
    # The filter is the Excel Table's own (issue 13), not one set on the sheet.
    assert vragen.freeze_panes == "A2" and vragen.tables["tbl_vragen"].autoFilter.ref.startswith("A1:")
    header = [c.value for c in vragen[1]]
    pct_col = header.index("Onderwijs %") + 1
    values = [vragen.cell(row=r, column=pct_col) for r in range(2, vragen.max_row + 1)]
    numeric = [c for c in values if c.value is not None]
    assert numeric and all(isinstance(c.value, (int, float)) and c.number_format == "0%" for c in numeric)
    alle = book["Alle cijfers"]
    assert alle.freeze_panes == "A2" and alle.tables["tbl_alle_cijfers"].autoFilter.ref


def test_the_benchmark_names_the_regions_of_this_input_and_leaves_out_what_none_else_asked(run):
    import html as htmllib

    _, out = run
    page = (out / "duinhoven" / "2018" / "monitor-aoj_duinhoven_2018.html").read_text(encoding="utf-8")
    text = " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", " ", page,
                                                                    flags=re.S))).split())
    assert "alle andere regio" not in text and "meededen" not in text and "Geen andere regio" not in text
    assert "In de drie andere regio's in deze rapportage is dit gemiddeld" in text
    # Only Duinhoven asked its extra question: no benchmark in its text, one sentence under the table.
    item = re.search(r'<div class="vraag" id="vraag-extra_thuiszitters_overleg">(.*?)</div>', page, flags=re.S)
    assert item and "andere regio" not in item.group(1)
    assert text.count("heeft geen andere regio in deze rapportage") == 1


def test_same_input_gives_the_same_bytes(run, tmp_path):
    proc, out = run
    again = tmp_path / "again"
    subprocess.run(
        [sys.executable, "-m", "monitor_aoj", "rapport", "--invoer", str(SAMPLES), "--uitvoer", str(again),
         "--vragenlijsten", str(QUESTIONNAIRES), "--datum", "2021-05-25", "--regio", "duinhoven"],
        cwd=ROOT, check=True, capture_output=True, timeout=600,
    )
    for wave in (2016, 2018, 2021):
        for ext in ("html", "xlsx"):
            name = f"duinhoven/{wave}/monitor-aoj_duinhoven_{wave}.{ext}"
            assert (again / name).read_bytes() == (out / name).read_bytes(), name


def test_help_is_dutch_and_fast():
    proc = subprocess.run([sys.executable, "-m", "monitor_aoj", "--help"], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0
    assert "rapport" in proc.stdout and "enquête-export" in proc.stdout
    # --help must not import the heavy libraries (timing is left to `make bench`).
    probe = subprocess.run(
        [sys.executable, "-c", "import sys; sys.argv=['monitor-aoj','--help']\n"
         "import monitor_aoj.cli as c\ntry:\n    c.main()\nexcept SystemExit:\n    pass\n"
         "print(sorted(m for m in ('pandas','great_expectations','plotly','openpyxl','scipy','matplotlib')"
         " if m in sys.modules))"],
        capture_output=True, text=True, timeout=60)
    assert probe.stdout.strip().splitlines()[-1] == "[]"


def test_bad_config_gives_dutch_message_and_nonzero_exit(tmp_path):
    (tmp_path / "regios.yaml").write_text("regios:\n  - id: Regio Met Spaties\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "monitor_aoj", "rapport", "--invoer", str(tmp_path), "--uitvoer",
         str(tmp_path / "out"), "--vragenlijsten", str(QUESTIONNAIRES)],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "Fout:" in proc.stderr and "kleine letters" in proc.stderr
    assert "Traceback" not in proc.stderr


def _text(html: str) -> str:
    """The report's words, without tags, entities decoded, whitespace collapsed."""
    import html as html_lib

    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_2016_four_point_item_is_not_compared_and_the_report_says_why(run, questionnaires):
    """Issue 11: 'Vroegtijdiger en snellere inzet' had no neutral option in 2016; its recoding made every region
    'drop'. It is 'niet vergelijkbaar', and the reason stands where the trend would be."""
    _, out = run
    reason = questionnaires[2016].item("snellere_inzet").harmonisation.reason
    assert "neutrale middencategorie" in reason
    short = questionnaires[2021].item("snellere_inzet").short
    for region in load_config(SAMPLES, questionnaires).regions:
        for wave in (2018, 2021):
            html = (out / region.id / str(wave) / f"monitor-aoj_{region.id}_{wave}.html").read_text("utf-8")
            text = _text(html)
            assert f"Met 2016 is dit niet te vergelijken: {reason}." in text, (region.id, wave)
            assert f"{short} (2016): {reason}" in text  # the remarks under the trend table
            row = next(r for r in tables(html)["tabel-trends"] if r[0] == short)
            header = tables(html)["tabel-trends"][0]
            assert row[header.index("2016")] == "niet vergelijkbaar"
            assert row[header.index(f"Verandering 2016–{wave}")] == "–"


def test_first_wave_in_the_input_is_not_called_the_first_time(run, questionnaires):
    """The sample's regios.yaml does not say whether a region held the monitor before 2016 (there was a pilot in
    2014/2015), so the 2016 reports do not claim 'de eerste keer'."""
    from monitor_aoj.report.introduction import NO_EARLIER_IN_INPUT

    _, out = run
    for region in load_config(SAMPLES, questionnaires).regions:
        text = _text((out / region.id / "2016" / f"monitor-aoj_{region.id}_2016.html").read_text("utf-8"))
        assert "Dit is de eerste keer" not in text and NO_EARLIER_IN_INPUT in text
        later = _text((out / region.id / "2021" / f"monitor-aoj_{region.id}_2021.html").read_text("utf-8"))
        assert "Dit is de derde keer dat de monitor in de regio wordt uitgevoerd (eerder in 2016 en 2018)." in later


# --- issue 12: summary first, a short body, every figure per question in the appendix -----------------------------


def _reports(out):
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(out.glob("*/*/monitor-aoj_*.html"))}


def test_every_report_is_at_most_2_mb(run):
    _, out = run
    sizes = {p.name: p.stat().st_size for p in out.glob("*/*/monitor-aoj_*.html")}
    assert len(sizes) == 12 and max(sizes.values()) <= 2_000_000, sizes


def test_headings_go_down_one_level_at_a_time(run):
    _, out = run
    for name, html in _reports(out).items():
        levels = [int(h) for h in re.findall(r"<h([1-6])\b", html)]
        assert levels[0] == 1 and levels.count(1) == 1, name
        jumps = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
        assert jumps == [], (name, jumps)


# What only the appendix and the Verantwoording may name: p-values, tests and the correction.
TECHNICAL = re.compile(r"\bp\s*[=<>]|p-waarde|Fisher|Mann-Whitney|permutatietoets|Freeman-Halton|Benjamini-Hochberg",
                       re.I)


def test_no_p_values_or_test_names_outside_the_appendix_and_the_verantwoording(run):
    _, out = run
    for name, html in _reports(out).items():
        body, rest = html.split('<section id="bijlage"', 1)
        appendix, verantwoording = rest.split('<section id="verantwoording">', 1)
        text = _text(re.sub(r"<style>.*?</style>", " ", body, flags=re.S))
        assert TECHNICAL.findall(text) == [], name
        assert "Bestuurlijke samenvatting" in text and "Tabellen per vraag" in text
        # The tests are still there, where a methodologist looks for them.
        assert re.search(r"na correctie p", _text(appendix)), name
        assert "Benjamini-Hochberg" in verantwoording, name


def test_summary_comes_first_and_every_statement_links_to_its_table(run, questionnaires):
    _, out = run
    for name, html in _reports(out).items():
        sections = re.findall(r'<section id="([^"]+)"', html)
        assert sections[0] == "samenvatting" and sections[-1] == "verantwoording", name
        assert sections.index("bijlage") > sections.index("aanbevelingen"), name
        summary = html.split('<section id="samenvatting">', 1)[1].split("</section>", 1)[0]
        assert 3 <= summary.count('<li class="kern-') <= 5, name
        assert "Toelichting van de regio" in summary
        body = html.split('<section id="bijlage"', 1)[0]
        appendix = html.split('<section id="bijlage"', 1)[1]
        for item_id in re.findall(r'<div class="vraag" id="vraag-(\w+)">', appendix):
            assert f'href="#vraag-{item_id}"' in body, (name, item_id)  # linked from its theme
            assert f'id="tabel-{item_id}"' in appendix, (name, item_id)


def test_every_chart_has_a_text_alternative(run):
    _, out = run
    for name, html in _reports(out).items():
        figures = re.findall(r'<figure class="grafiek" id="([a-z0-9-]+)"><svg ([^>]*)>(.*?)</svg>'
                             r'<figcaption>(.*?)</figcaption>', html, flags=re.S)
        assert len(figures) == html.count('<figure class="grafiek"') >= 5, name
        for chart_id, attrs, inner, caption in figures:
            alt = re.search(r'aria-label="([^"]{40,})"', attrs)
            assert 'role="img"' in attrs and alt, (name, chart_id)
            assert inner.lstrip().startswith("<title>") and "<desc>" in inner and caption.strip()


def test_a_base_is_never_split_over_two_lines(run):
    """Every "(n = 51)" of the running text sits in a span that does not wrap; the text itself is unchanged."""
    for name, page in _reports(run[1]).items():
        html = re.sub(r"<svg\b.*?</svg>", "", page, flags=re.S)
        bases = re.findall(r"\(n = [0-9.]+", html)
        kept = re.findall(r'<span class="basis-n">\(n = [0-9.]+[^\s<]*</span>', html)
        assert bases and len(kept) == len(bases), name
        assert ".basis-n, .aantal { white-space: nowrap; }" in html
