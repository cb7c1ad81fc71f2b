"""National scale: the group-wise versions of loops that used to filter whole tables per region give exactly
what a plain per-key computation gives, on small inputs of several regions and waves; validation codes each
export column once; a sheet without formulas is not read twice.

Each reference below is written the straightforward way (a loop over the keys, filtering rows), so a grouping
that mixes up regions, waves, sectors or scales fails here.
"""

from __future__ import annotations

import random

import numpy as np
import openpyxl
import pandas as pd
import pytest

from monitor_aoj.definitions.codebooks import OTHER, load_codebooks
from monitor_aoj.figures import schema as F
from monitor_aoj.figures.comparisons import _benchmarks, comparison_group
from monitor_aoj.open_answers.answers import OpenAnswers, subtheme_figures

from conftest import QUESTIONNAIRES, SAMPLES

REGIONS = ("noord", "oost", "zuid", "west")
WAVES = (2018, 2021)


@pytest.fixture(scope="module")
def books():
    return load_codebooks(QUESTIONNAIRES)


def _open_answers(books, seed: int = 7) -> pd.DataFrame:
    """Coded open answers of several regions, waves, questions and sectors, in a shuffled order."""
    rng = random.Random(seed)
    rows = []
    for region in REGIONS:
        for wave in WAVES:
            for item in ("verbetering_open", "trots_open"):
                codes = [s.id for s in books[item].subthemes]
                for i in range(rng.randint(0, 9)):
                    picked = tuple(rng.sample(codes, rng.randint(0, 2))) or (OTHER,)
                    sector = rng.choice([F.ONDERWIJS, F.JEUGDHULP])
                    rows.append({"key": f"{region}/{wave}/{item}/{i}", "region": region, "wave": wave,
                                 "respondent": str(i), "sector": sector, "item": item, "text": "tekst",
                                 "codes": picked})
    rng.shuffle(rows)
    return pd.DataFrame(rows)


def test_subtheme_counts_equal_a_count_per_region_wave_question_and_group(books, questionnaires):
    answers = _open_answers(books)
    figs = subtheme_figures(answers, questionnaires, books)
    assert set(figs["region"]) == set(answers["region"]) and len(figs)
    got = {(r.region, r.wave, r.item, r.group, r.category): (int(r.k), int(r.n))
           for r in figs.itertuples(index=False)}
    assert len(got) == len(figs)  # one row per key
    for (region, wave, item, group, code), (k, n) in got.items():
        mine = answers[(answers["region"] == region) & (answers["wave"] == wave) & (answers["item"] == item)]
        if group != F.TOTAAL:
            mine = mine[mine["sector"] == group]
        assert n == len(mine), (region, wave, item, group)
        assert k == sum(code in codes for codes in mine["codes"]), (region, wave, item, group, code)
    # Every sub-theme of every question asked in a region and wave is there, in every group.
    for (region, wave, item), _ in answers.groupby(["region", "wave", "item"]):
        for group in F.SECTOR_GROUPS:
            for s in books[item].subthemes:
                assert (region, wave, item, group, s.id) in got
    assert np.allclose(figs["value"], figs["k"].astype(float) / figs["n"].astype(float), equal_nan=True)


def _headline_figures(seed: int = 3) -> tuple[pd.DataFrame, dict]:
    """Totaal headline rows of several regions, waves and items: some hidden, some below the base, some on a
    region's own scale."""
    rng = np.random.default_rng(seed)
    rows, variants = [], {}
    for wave in WAVES:
        for item, statistic in (("mdo_aanwezig", F.POSITIVE), ("rapportcijfer", F.MEAN), ("vraag_x", F.POSITIVE)):
            for region in REGIONS + ("klein", "eigen", "verborgen"):
                n = int(rng.integers(3, 40)) if region == "klein" else int(rng.integers(20, 200))
                suppressed = region == "verborgen" or bool(rng.random() < 0.1)
                value = float(rng.uniform(4, 9)) if statistic == F.MEAN else float(rng.random())
                rows.append({"region": region, "wave": wave, "item": item, "theme": "t", "group": F.TOTAAL,
                             "group_type": "totaal", "statistic": statistic, "n": pd.NA if suppressed else n,
                             "value": np.nan if suppressed else value, "suppressed": suppressed,
                             "category": "" if statistic == F.MEAN else "1", "label": "x", "order": -1})
                if region == "eigen" or (region == "oost" and item == "vraag_x"):
                    variants[(region, wave, item)] = "eigen_schaal"
    rows = [rows[i] for i in rng.permutation(len(rows))]
    return F.conform(pd.DataFrame(rows)), variants


def test_benchmark_equals_pooling_the_other_regions_one_region_at_a_time():
    figs, variants = _headline_figures()
    minimum = 10
    got = {(r["region"], r["wave"], r["item"]): r for r in _benchmarks(figs, minimum, variants)}
    head = figs[figs["statistic"].isin([F.POSITIVE, F.MEAN])]
    expected = {}
    for own in head.itertuples(index=False):
        scale = variants.get((own.region, own.wave, own.item), "")
        others = head[(head["wave"] == own.wave) & (head["item"] == own.item) & (head["region"] != own.region)
                      & ~head["suppressed"] & head["n"].notna()]
        others = others[[int(n) >= minimum and variants.get((r, own.wave, own.item), "") == scale
                         for r, n in zip(others["region"], others["n"])]]
        if others.empty:
            continue
        values = others["value"].to_numpy(dtype=float)
        shown = not own.suppressed and not pd.isna(own.n) and int(own.n) >= minimum
        expected[(own.region, own.wave, own.item)] = {
            "k": len(others), "n": int(others["n"].astype(int).sum()), "value": float(values.mean()),
            "ci_low": float(values.min()), "ci_high": float(values.max()),
            "compare_to": comparison_group(len(others)),
            "diff": float(own.value - values.mean()) if shown else None}
    assert set(got) == set(expected) and len(expected) > 20
    # a scale no other region used: compared with nobody; the hidden region is in no one's pool
    assert ("eigen", 2021, "mdo_aanwezig") not in got and ("eigen", 2018, "rapportcijfer") not in got
    assert all(row["k"] <= len(REGIONS) + 1 for row in got.values())  # the four and "klein", never more
    for key, want in expected.items():
        row = got[key]
        for field in ("k", "n", "value", "ci_low", "ci_high", "compare_to"):
            assert row[field] == want[field], (key, field)  # exactly: the same numbers in the same order
        assert row.get("diff") == want["diff"], key
        assert row["verdict"] == F.NOT_TESTED


def test_selecting_one_region_and_wave_equals_filtering_every_table(books, questionnaires):
    answers = _open_answers(books, seed=11)
    figures = subtheme_figures(answers, questionnaires, books)
    quotes = answers[["region", "wave", "item"]].assign(code="x", label="x", rank=0, text="t")
    replacements = pd.DataFrame({"region": ["oost", "noord", "oost"], "wave": [2021, 2018, 2018],
                                 "kind": ["naam", "naam", "email"], "count": [1, 2, 3]})
    opens = OpenAnswers(answers, quotes, replacements, figures)
    for region in REGIONS + ("nergens",):
        for wave in WAVES + (2016,):
            picked = opens.select(region, wave)
            for mine, whole in ((picked.answers, answers), (picked.quotes, quotes),
                                (picked.replacements, replacements), (picked.figures, figures)):
                want = whole[(whole["region"] == region) & (whole["wave"] == wave)]
                pd.testing.assert_frame_equal(mine, want)
                assert list(mine.index) == list(want.index)
    # Asked twice, the same answer (the grouping is made once and reused).
    pd.testing.assert_frame_equal(opens.select("oost", 2021).answers, opens.select("oost", 2021).answers)
    empty = OpenAnswers(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
    assert empty.select("oost", 2021).answers.empty


def test_each_column_of_a_clean_export_is_coded_once(monkeypatch):
    """Validation, the file checks, the clean export and the tidy Responses share one coding per column."""
    from monitor_aoj.ingest import decode, read
    from monitor_aoj.ingest.responses import build_responses
    from monitor_aoj.ingest.validation import validate
    from monitor_aoj.pipeline import Paths, setup

    calls: list[str] = []
    original = decode.code_values

    def counting(values, lookup):
        if len(values) > 1:  # the one-row look at a possible second header row is not a coding of the column
            calls.append(str(values.name))
        return original(values, lookup)

    monkeypatch.setattr(read, "code_values", counting)
    monkeypatch.setattr(decode, "code_values", counting)
    s = setup(Paths(SAMPLES, None, SAMPLES / "unused"), "beekdal-noord", 2021)
    result = validate(s.config, s.questionnaires, list(s.exports))
    (f,) = result.files
    assert f.rows_quarantined == 0 and f.clean is not None and not f.clean.user_missing  # the case tested
    responses = build_responses(result.clean_exports(), s.questionnaires)
    assert len(responses.answers) and calls
    repeated = {c: calls.count(c) for c in set(calls) if calls.count(c) > 1}
    assert not repeated, repeated


def test_formulas_are_found_in_the_sheet_xml(tmp_path):
    from monitor_aoj.ingest.excel_files import _has_formulas

    for name, cell in (("met.xlsx", "=1+1"), ("zonder.xlsx", 2)):
        book = openpyxl.Workbook()
        book.active.append(["id", "vraag"])
        book.active.append([1, cell])
        book.save(tmp_path / name)
    assert _has_formulas(tmp_path / "met.xlsx", "xl/worksheets/sheet1.xml")
    assert not _has_formulas(tmp_path / "zonder.xlsx", "/xl/worksheets/sheet1.xml")
    assert _has_formulas(tmp_path / "zonder.xlsx", "xl/worksheets/sheet9.xml")  # unknown: read it again
