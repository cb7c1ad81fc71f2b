"""Issue 14, point 3: the national overview of a run (overzicht_regios.xlsx, .csv and .html).

In-process from the sample's figures: one row per region and wave, values equal to the report's own display
tables (tables.item_table, the headline the report states), a suppressed figure an empty cell, a self-contained
page whose distributions equal a direct computation from the CSV. Through the command line (slow): the overview
is written, listed, kept on a --regio run and removed, and said, when a run has no figures.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import shutil
import statistics

import openpyxl
import pytest

from monitor_aoj.dutch import GROUP_LABELS
from monitor_aoj.figures import schema as F
from monitor_aoj.report.overview import FIXED_HEADER, render_overview
from monitor_aoj.report.sheet_writer import MARK, PCT, rounded
from monitor_aoj.report.tables import item_table, sector_sizes

from htmltables import tables
from test_method import sample  # noqa: F401 (sample: the sample's config and figures, a fixture)
from test_progress import CONFIG, DATE, QUESTIONNAIRES, cli, small  # noqa: F401 (small: a fixture)

DAY = dt.date(2026, 1, 15)
MINIMUM = 5


def _render(figs, config, questionnaires):
    return render_overview(figs, questionnaires, {r.id: r.name for r in config.regions}, DAY, MINIMUM)


@pytest.fixture(scope="module")
def rendered(sample, questionnaires):
    config, figs = sample
    return _render(figs, config, questionnaires)


def _sheet(xlsx: bytes) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(xlsx))["Overzicht regio's"].iter_rows(values_only=True))


def _csv_rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")  # UTF-8 with BOM, as alle_cijfers.csv
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def _number(cell: str) -> float | None:
    return None if cell == "" else float(cell.replace(",", "."))


def test_one_row_per_region_and_wave_in_an_excel_table(sample, questionnaires, rendered):
    config, figs = sample
    xlsx, text, _ = rendered
    assert _render(figs, config, questionnaires) == rendered  # the same input, the same bytes
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert book.sheetnames == ["Toelichting", "Overzicht regio's", "Vragen"]
    ws = book["Overzicht regio's"]
    assert list(ws.tables) == ["tbl_overzicht_regios"] and ws.freeze_panes == "D2"
    rows = _sheet(xlsx)
    assert list(rows[0][:len(FIXED_HEADER)]) == FIXED_HEADER and len(set(rows[0])) == len(rows[0])
    units = sorted({(r, int(w)) for r, w in figs[["region", "wave"]].itertuples(index=False)})
    assert [(r[0], r[2]) for r in rows[1:]] == units and len(units) == 12
    lines = _csv_rows(text)
    assert lines[0] == list(rows[0]) and [(c[0], int(c[2])) for c in lines[1:]] == units
    for sheet_row, cells in zip(rows[1:], lines[1:]):
        for value, cell in zip(sheet_row[3:], cells[3:]):
            assert (value is None) == (cell == "")
            if value is not None:
                assert isinstance(value, (int, float)) and _number(cell) == pytest.approx(value, abs=1e-9)
    # Every item column is explained on the sheet 'Vragen'.
    explained = [r[0] for r in list(book["Vragen"].iter_rows(values_only=True))[1:]]
    assert explained == list(rows[0][len(FIXED_HEADER):])


def _columns_by_wave(xlsx: bytes) -> dict[tuple[str, str, int], str]:
    """(item id, group, wave) -> the header of the column holding it, from the sheet 'Vragen'."""
    groups = {label: g for g, label in GROUP_LABELS.items()}
    vragen = list(openpyxl.load_workbook(io.BytesIO(xlsx))["Vragen"].iter_rows(values_only=True))
    assert vragen[0] == ("Kolom", "Thema", "Vraag-id", "Stelling of vraag", "Cijfer", "Groep", "Metingen")
    out = {}
    for header, _, item, _, _, group, waves in vragen[1:]:
        for wave in str(waves).split(", "):
            key = (item, groups[group], int(wave))
            assert key not in out, key  # a wave's figure in one column only
            out[key] = header
    return out


def test_values_equal_the_headline_of_the_reports_own_tables(sample, questionnaires, rendered):
    _, figs = sample
    rows = _sheet(rendered[0])
    header = rows[0]
    columns = _columns_by_wave(rendered[0])
    checked = 0
    for row in rows[1:]:
        region, wave = row[0], row[2]
        mine = figs[(figs["region"] == region) & (figs["wave"] == wave)]
        q = questionnaires[wave]
        sizes = sector_sizes(mine)
        assert row[3:6] == (sizes[F.TOTAAL], sizes[F.ONDERWIJS], sizes[F.JEUGDHULP])
        for item in q.items:
            if item.is_open or item.per_sector:
                continue
            table = item_table(mine, item)
            if table is None:
                continue
            head = table.mean if table.mean is not None else table.positive  # the report's headline rule
            groups = (F.TOTAAL, F.ONDERWIJS, F.JEUGDHULP) if table.mean is not None else (F.TOTAAL,)
            for g in groups:
                column = columns[(item.id, g, wave)]
                cell = head.cells.get(g)
                expected = (rounded(cell.value, MARK if table.mean is not None else PCT)
                            if cell is not None and cell.shown else None)
                assert row[header.index(column)] == expected, (region, wave, column)
                checked += 1
    assert checked > 200
    # The mirrored item has no figure of all respondents: it is left out, as the notes say.
    assert "Vast contactpersoon" not in header


def test_a_column_holds_one_headline_label_and_says_it(sample, rendered):
    _, figs = sample
    xlsx, text, page = rendered
    rows = _sheet(xlsx)
    header = rows[0]
    columns = _columns_by_wave(xlsx)
    head = figs[figs["statistic"].isin([F.POSITIVE, F.MEAN])]
    labels = {(r, int(w), i, g): lab for r, w, i, g, lab in
              head[["region", "wave", "item", "group", "label"]].itertuples(index=False)}
    # Every column: all its non-empty values come from headline rows with one and the same label.
    held = {}
    for (item, group, wave), column in columns.items():
        i = header.index(column)
        for row in rows[1:]:
            if row[2] == wave and row[i] is not None:
                held.setdefault(column, set()).add(labels[(row[0], wave, item, group)])
    assert held and all(len(found) == 1 for found in held.values()), held
    # The item whose 2016 headline counted only "overal": its 2016 value under a header that says so.
    old, new = columns[("school_in_gezinsplan", F.TOTAAL, 2016)], columns[("school_in_gezinsplan", F.TOTAAL, 2021)]
    assert "overal" in old and "meerderheid" not in old and "meerderheid" in new and old != new
    assert held[old] == {"overal"} and held[new] == {"overal of bij de meerderheid"}
    i = header.index(old)
    assert [row[2] for row in rows[1:] if row[i] is not None] == [2016] * 4
    assert _csv_rows(text)[0][i] == old
    # The page names each wave's own label, and where the reports call the item not comparable, says so.
    assert _item_row(page, 2016, "Functioneren op school")[0].startswith(
        "Functioneren op school in gezinsplan % overal, alle respondenten niet te vergelijken met 2018 en 2021")
    assert "% overal of bij de meerderheid, alle respondenten niet te vergelijken met 2016" in \
        _item_row(page, 2021, "Functioneren op school")[0]
    assert "niet te vergelijken" not in _item_row(page, 2021, "Multidisciplinair overleg aanwezig")[0]


def test_a_suppressed_figure_is_an_empty_cell_and_in_no_distribution(sample, questionnaires):
    config, figs = sample
    figs = figs.copy()
    hidden = ((figs["region"] == "polderrijk") & (figs["wave"] == 2021) & (figs["item"] == "mdo_aanwezig")
              & (figs["group"] == F.TOTAAL) & (figs["statistic"] == F.POSITIVE))
    mark = ((figs["region"] == "duinhoven") & (figs["wave"] == 2021) & (figs["item"] == "rapportcijfer")
            & (figs["group"] == F.ONDERWIJS) & (figs["statistic"] == F.MEAN))
    assert hidden.sum() == 1 and mark.sum() == 1 and figs.loc[hidden | mark, "value"].notna().all()
    figs.loc[hidden | mark, "suppressed"] = True  # the value stays in the table: it must not get out
    xlsx, text, page = _render(figs, config, questionnaires)
    rows = _sheet(xlsx)
    header = rows[0]
    by_unit = {(r[0], r[2]): r for r in rows[1:]}
    assert by_unit[("polderrijk", 2021)][header.index("Multidisciplinair overleg aanwezig")] is None
    assert by_unit[("duinhoven", 2021)][header.index("Rapportcijfer samenwerking (onderwijs)")] is None
    assert by_unit[("duinhoven", 2021)][header.index("Rapportcijfer samenwerking (totaal)")] is not None
    lines = {(c[0], c[2]): c for c in _csv_rows(text)[1:]}
    assert lines[("polderrijk", "2021")][header.index("Multidisciplinair overleg aanwezig")] == ""
    row = _item_row(page, 2021, "Multidisciplinair overleg aanwezig")
    assert row[1] == "3"  # three regions shown, not four


def _item_row(page: str, wave: int, short: str) -> list[str]:
    """The row of an item in a wave's section of the page (the sections stand latest wave first)."""
    section = page.split(f'id="meting-{wave}"', 1)[1].split('class="meting"', 1)[0]
    found = [r for t in tables(section).values() for r in t if r and r[0].startswith(short)]
    assert len(found) == 1, (wave, short)
    return found[0]


def test_the_page_is_self_contained_and_accessible(rendered):
    page = rendered[2]
    assert not re.search(r"https?:", page) and "<script" not in page and "<link" not in page
    assert "<img" not in page and "@import" not in page and "url(" not in page
    assert '<html lang="nl">' in page and "<style>" in page and page.count("<svg") > 40
    assert page.count('role="img"') == page.count("<svg") and page.count("aria-label=") >= page.count("<svg")
    assert page.count("<caption>") == page.count("<table")  # every table says what it is
    text = " ".join(html.unescape(page).split())
    assert "Dit overzicht beslaat 4 regio's en 3 metingen: samen 12 rapporten" in text


def test_distributions_equal_a_direct_computation_from_the_csv(rendered):
    _, text, page = rendered
    lines = _csv_rows(text)
    header, body = lines[0], lines[1:]
    checked = 0
    for wave in (2016, 2018, 2021):
        for column in ("Multidisciplinair overleg aanwezig", "Gezamenlijke scholing", "Afstemming over verzuim",
                       "Rapportcijfer samenwerking (totaal)"):
            i = header.index(column)
            named = [(c[1], _number(c[i])) for c in body if int(c[2]) == wave and c[i] != ""]
            values = sorted(v for _, v in named)
            q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")  # Excel's KWARTIEL.INC
            is_mark = column.startswith("Rapportcijfer")
            shown = [_shown(v, is_mark) for v in (values[0], q1, median, q3, values[-1])]
            row = _item_row(page, wave, column.removesuffix(" (totaal)"))
            assert row[1] == str(len(values))
            assert [row[2].split()[0], row[3], row[4], row[5], row[6].split()[0]] == shown, (wave, column)
            lowest = sorted(name for name, v in named if v == values[0])
            assert row[2].removeprefix(shown[0]).strip() == ", ".join(lowest)
            checked += 1
    assert checked == 12


def _shown(value: float, is_mark: bool) -> str:
    from monitor_aoj import dutch as fmt

    return fmt.decimal(value, 1) if is_mark else fmt.pct(value)


def test_fewer_than_two_regions_give_no_distribution(sample, questionnaires):
    config, figs = sample
    one = figs[figs["region"] == "lindewaard"]
    page = _render(one, config, questionnaires)[2]
    assert "<svg" not in page and "Geen verdeling" not in page
    text = " ".join(html.unescape(page).split())
    assert "Een verdeling over het land vraagt minstens 2 regio's" in text
    assert "over het land verdeeld zijn" not in text and "In de grafiek is elke stip" not in text
    row = _item_row(page, 2021, "Multidisciplinair overleg aanwezig")
    lindewaard = _csv_rows(_render(one, config, questionnaires)[1])
    i = lindewaard[0].index("Multidisciplinair overleg aanwezig")
    assert row[1:] == [_shown(_number(next(c for c in lindewaard[1:] if c[2] == "2021")[i]), False)]


@pytest.mark.slow  # runs the pipeline three times
def test_the_overview_is_listed_kept_on_one_region_and_removed_without_figures(small, tmp_path):
    folder = tmp_path / "invoer"
    shutil.copytree(small, folder)
    out = tmp_path / "uit"
    common = ["--invoer", str(folder), "--uitvoer", str(out), "--vragenlijsten", str(QUESTIONNAIRES),
              "--datum", DATE.isoformat()]
    proc = cli("rapport", *common)
    assert proc.returncode == 0, proc.stderr
    files = [out / f"overzicht_regios{suffix}" for suffix in (".xlsx", ".csv", ".html")]
    for path in files:
        assert f"Overzicht regio's: {path}" in proc.stdout.splitlines()
    whole = [p.read_bytes() for p in files]
    assert [c[0] for c in _csv_rows(whole[1].decode("utf-8"))[1:]] == ["duinhoven", "polderrijk"]

    # One region asked for: the overview is still of the whole input, and the same.
    proc = cli("rapport", *common, "--regio", "duinhoven")
    assert proc.returncode == 0, proc.stderr
    assert [p.read_bytes() for p in files] == whole
    assert f"Overzicht regio's: {files[2]}" in proc.stdout.splitlines()

    # No figures in this run (reports withheld): the old overview goes, and it is said.
    header = (small / "duinhoven_2016.csv").read_text(encoding="cp1252").splitlines()[0]
    (folder / "leeg_2016.csv").write_text(header + "\n", encoding="cp1252")
    config = CONFIG.replace("instellingen:\n", "instellingen:\n  rapport_bij_quarantaine: nee\n") + (
        "  - id: leeg\n    naam: Leeg\n    metingen:\n      - {jaar: 2016, bestand: leeg_2016.csv, "
        "datum_kolom: startdatum, codes: vragenlijst}\n")
    (folder / "regios.yaml").write_text(config, encoding="utf-8")
    proc = cli("rapport", *common, "--stil")
    assert proc.returncode == 4, proc.stderr
    assert not any(p.exists() for p in files)
    for path in files:
        assert any(line.startswith(f"Verwijderd: {path} (deze run heeft geen cijfers") for line in
                   proc.stdout.splitlines()), proc.stdout
