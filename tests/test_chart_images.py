"""Every chart as grafieken/<id>.png and <id>.svg beside the report: files that decode, the same set as the report's
charts, committed with the rest of the region-wave (a crash leaves the previous set, a chart no longer made goes)."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from monitor_aoj import pipeline, report_workers
from monitor_aoj.pipeline import Paths
from monitor_aoj.placement import CHART_FOLDER

from conftest import QUESTIONNAIRES, SAMPLES
from contract_chart import matplotlib_chart
from test_outputs_safe import make_input, snapshot

DATE = dt.date(2026, 11, 29)


def with_charts(monkeypatch, charts: list, crash_in: str | None = None) -> None:
    """The pipeline renders the report as now, with these charts as figures (as the body's render gives them)."""
    from monitor_aoj.report import html as render_html

    def render(data):
        if data.region.id == crash_in:
            raise RuntimeError("kapot")
        figures = "".join(f'<figure class="grafiek" id="{c.id}">{c.svg}<figcaption>{c.title}</figcaption></figure>'
                          for c in charts)
        return render_html.render_report(data).replace("</main>", figures + "</main>"), list(charts)

    monkeypatch.setattr(report_workers, "_render_html", render)


def chart_files(output, region: str) -> dict[str, bytes]:
    folder = output / region / "2021" / CHART_FOLDER
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


@pytest.mark.slow
def test_charts_are_written_as_png_and_svg_that_decode(tmp_path, monkeypatch):
    from lxml import etree
    from PIL import Image

    charts = [matplotlib_chart("grafiek-thema-1", [40, 80]), matplotlib_chart("grafiek-thema-2", [10, 20, 30])]
    with_charts(monkeypatch, charts)
    out = tmp_path / "uit"
    result = pipeline.run(Paths(make_input(tmp_path / "in"), QUESTIONNAIRES, out), report_date=DATE)
    for region in ("a", "b"):
        files = chart_files(out, region)
        assert set(files) == {f"{c.id}{s}" for c in charts for s in (".png", ".svg")}
        for chart in charts:
            image = Image.open(io.BytesIO(files[f"{chart.id}.png"]))
            image.load()
            assert image.size[0] > 100
            assert files[f"{chart.id}.png"] == chart.png
            root = etree.fromstring(files[f"{chart.id}.svg"])
            assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert result.chart_files == {out / r / "2021" / CHART_FOLDER: 4 for r in ("a", "b")}
    assert all(p.exists() for p in result.documents)


@pytest.mark.slow
def test_a_crash_keeps_the_previous_set_and_a_chart_no_longer_made_goes(tmp_path, monkeypatch):
    out, inp = tmp_path / "uit", make_input(tmp_path / "in")
    first = [matplotlib_chart("grafiek-thema-1", [40, 80]), matplotlib_chart("grafiek-thema-2", [10, 20, 30])]
    with_charts(monkeypatch, first)
    pipeline.run(Paths(inp, QUESTIONNAIRES, out), report_date=DATE)
    before = snapshot(out)

    second = [matplotlib_chart("grafiek-thema-1", [60, 90])]
    with_charts(monkeypatch, second, crash_in="b")
    with pytest.raises(RuntimeError):
        pipeline.run(Paths(inp, QUESTIONNAIRES, out), report_date=DATE)
    assert set(chart_files(out, "a")) == {"grafiek-thema-1.png", "grafiek-thema-1.svg"}  # a finished: new set
    assert chart_files(out, "b") == {k.split("/")[-1]: v for k, v in before.items() if k.startswith("b/2021/graf")}
    assert {k: v for k, v in snapshot(out).items() if k.startswith("b/")} == {
        k: v for k, v in before.items() if k.startswith("b/")}, "region b is exactly the previous run's"

    with_charts(monkeypatch, [])
    pipeline.run(Paths(inp, QUESTIONNAIRES, out), report_date=DATE)
    assert not (out / "a" / "2021" / CHART_FOLDER).exists(), "an emptied chart folder goes too"


@pytest.mark.slow
def test_a_pdf_failure_leaves_the_region_wave_as_it_was(tmp_path, monkeypatch):
    from monitor_aoj.report.printing import PdfFailed

    out, inp = tmp_path / "uit", make_input(tmp_path / "in")
    pipeline.run(Paths(inp, QUESTIONNAIRES, out), report_date=DATE)
    before = snapshot(out)
    broken = tmp_path / "browser"
    broken.write_text("#!/bin/sh\nexit 1\n")
    broken.chmod(0o755)
    with pytest.raises(PdfFailed):
        pipeline.run(Paths(make_input(tmp_path / "in", changed=True), QUESTIONNAIRES, out), report_date=DATE,
                     pdf_browser=str(broken))
    assert snapshot(out) == before


@pytest.mark.slow
@pytest.mark.parametrize("processes", [1, 2])
def test_with_pdf_a_report_finished_before_a_crash_goes_into_place_with_its_pdf(tmp_path, monkeypatch, processes):
    """PDFs print while the next reports render; a later report that fails does not hold back the one before it."""
    from monitor_aoj.report.which_browser import find_browser

    browser = find_browser()
    if browser is None:
        pytest.skip("geen browser op deze machine")
    out, inp = tmp_path / "uit", make_input(tmp_path / "in")
    with_charts(monkeypatch, [], crash_in="b")
    with pytest.raises(RuntimeError):
        pipeline.run(Paths(inp, QUESTIONNAIRES, out), report_date=DATE, pdf_browser=browser, processes=processes)
    report = out / "a" / "2021" / "monitor-aoj_a_2021.html"
    assert report.exists() and report.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    assert not (out / "b").exists()


@pytest.mark.slow
def test_sample_report_charts_are_the_files_in_its_chart_folder(tmp_path):
    """On the real report: one PNG and one SVG per chart figure, nothing else (none until the body is merged)."""
    import lxml.html
    from lxml import etree
    from PIL import Image

    result = pipeline.run(Paths(SAMPLES, QUESTIONNAIRES, tmp_path / "uit"), "lindewaard", 2021, DATE)
    (html,) = result.reports
    root = lxml.html.document_fromstring(html.read_text(encoding="utf-8"),
                                         parser=lxml.html.HTMLParser(huge_tree=True))
    ids = [f.get("id") for f in root.iter("figure") if "grafiek" in (f.get("class") or "").split()]
    folder = html.parent / CHART_FOLDER
    found = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    assert found == sorted(f"{i}{s}" for i in ids for s in (".png", ".svg"))
    for chart_id in ids:
        Image.open(folder / f"{chart_id}.png").verify()
        etree.parse(str(folder / f"{chart_id}.svg"))


def test_removed_chart_files_are_told_as_their_folder(tmp_path):
    from monitor_aoj.cli_messages import folded

    folder = tmp_path / "a" / "2021"
    removed = [folder / "monitor-aoj_a_2021.html", *(folder / CHART_FOLDER / f"g{i}.png" for i in range(3)),
               folder / "monitor-aoj_a_2021.xlsx"]
    assert folded(removed) == [str(removed[0]), f"{folder / CHART_FOLDER} (3 grafiekbestanden)", str(removed[-1])]
