"""Comparisons: which differences are real. Reads the Figures, adds test rows to them.

- sector test: jeugdhulp versus onderwijs on the whole answer distribution of every closed item, with the test
  that fits the scale (see statistics.py);
- trend: for every harmonised item each region's headline figure between consecutive waves and from the
  first wave to each later one (never a wave after the report's own), tested for all respondents (per sector
  the change is given, not tested);
  "niet gevraagd" and "niet vergelijkbaar" are carried, never compared;
- benchmark (`add_benchmarks`, after suppression): each region beside the other regions of the same wave in
  this input, each region weighted equally (their mean, lowest and highest), described and not tested.
  Regions whose own figure is below the minimum base or hidden are left out, so no comparison can reveal them.
A mirrored item (Item.per_sector) has no sector test: each sector answered its own statement; having no
totaal, it has no totaal trend and no benchmark either. A group below the minimum base is never tested. After
suppression, `adjust` applies the Benjamini-Hochberg correction over all tests shown in one report (region and
wave) and sets the verdicts.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from monitor_aoj.definitions.questionnaire import Questionnaire, per_sector_items
from monitor_aoj.dutch import number_word
from monitor_aoj.figures import schema as F
from monitor_aoj.figures.statistics import ALPHA, compare_distributions, fisher_2x2, mean_test, seed_for
from monitor_aoj.figures.statistics import adjust as bh_adjust


def _kinds(questionnaires: dict[int, Questionnaire]) -> dict[tuple[int, str], tuple[str, tuple[int, ...]]]:
    """(wave, item) -> (test kind, codes in scale order)."""
    out = {}
    for wave, q in questionnaires.items():
        for it in q.items:
            if it.is_open:
                continue
            scale = it.closed_scale
            kind = scale.kind
            if kind == "nominaal":
                kind = "binair" if len(scale.codes) == 2 else "nominaal"
            out[(wave, it.id)] = (kind, scale.codes)
    return out


def _too_small(n: int, minimum: int) -> bool:
    return n < max(minimum, 1)


Variants = dict[tuple[str, int, str], str]  # (region, wave, item) -> id of the scale variant that region used


def variants_of(asked: pd.DataFrame) -> Variants:
    """The scale variants in Responses.asked (items a region asked on another scale than the questionnaire's)."""
    if "variant" not in asked:
        return {}
    own = asked[asked["variant"] != ""]
    return {(r, int(w), i): v for r, w, i, v in own[["region", "wave", "item", "variant"]].itertuples(index=False)}


def add_comparisons(figs: pd.DataFrame, questionnaires: dict[int, Questionnaire], minimum_base: int,
                    variants: Variants | None = None) -> pd.DataFrame:
    """The Figures table plus its sector tests and trends (the stage's first entry point).

    Args:
        figs: the Figures table from indicators.compute_figures (figures.schema.COLUMNS).
        questionnaires: wave -> questionnaire; which items are mirrored (no sector test) and their scales.
        minimum_base: regios.yaml `minimum_basis` (respondents); a group below it is never tested.
        variants: items a region asked on its own scale (variants_of(Responses.asked)); their tests use that
            scale.

    Returns:
        figs with rows added: statistic SECTOR_TEST (one per region x wave x item, group SECTORS_COMPARED) and
        TREND (per region x wave x item x group and earlier wave compare_to), each with its test name and raw
        p-value (0-1); differences in percentage points (shares) or mark points. Corrected p-values and verdicts
        come later (adjust, after suppression); benchmarks too (add_benchmarks).

    Raises:
        Nothing for a valid Figures table. The tests: statistics.compare_distributions, fisher_2x2, mean_test
        (exact or permutation tests, see the Verantwoording).
    """
    variants = variants or {}
    dist = _distributions(figs)
    rows = _sector_tests(figs, questionnaires, minimum_base, variants, dist) + _trends(figs, minimum_base, dist)
    if not rows:
        return figs
    return F.conform(pd.concat([figs, pd.DataFrame(rows)], ignore_index=True))


DISTRIBUTION_KEY = ["region", "wave", "item", "group"]


def _distributions(figs: pd.DataFrame) -> dict[tuple, tuple[np.ndarray, np.ndarray]]:
    """(region, wave, item, group) -> (codes, counts) from the share rows, in scale order (one pass over the
    table; the sector tests and the trends share it)."""
    share = figs[(figs["statistic"] == F.SHARE) & figs["group"].isin(F.SECTOR_GROUPS)]
    codes = share["category"].astype(int).to_numpy()
    counts = share["k"].astype(int).to_numpy()
    order = share["order"].to_numpy()
    out = {}
    for key, index in _groups_in_order(share, DISTRIBUTION_KEY):
        index = index[np.argsort(order[index], kind="stable")]
        out[key] = (codes[index], counts[index])
    return out


def headline_rows(figs: pd.DataFrame) -> pd.DataFrame:
    """The rows of each region, wave, item and group (the sectors and totaal) that hold its headline figure: the
    positive share, or the mean of a mark. The one rule of what an item's headline is (sector tests, the national
    overview)."""
    return figs[figs["statistic"].isin([F.POSITIVE, F.MEAN]) & figs["group"].isin(F.SECTOR_GROUPS)]


def _headline(figs: pd.DataFrame) -> dict[tuple, dict[str, Any]]:
    """(region, wave, item, group) -> the headline figure (headline_rows): its value, category and label."""
    head = headline_rows(figs)
    keys = zip(*(head[k].tolist() for k in DISTRIBUTION_KEY))
    return {key: {"value": v, "category": c, "label": lab} for key, v, c, lab in
            zip(keys, head["value"].tolist(), head["category"].tolist(), head["label"].tolist())}


def _sector_tests(figs: pd.DataFrame, questionnaires: dict[int, Questionnaire], minimum: int,
                  variants: Variants, dist: dict[tuple, tuple[np.ndarray, np.ndarray]]) -> list[dict]:
    head = _headline(figs)
    kinds = _kinds(questionnaires)
    per_sector = per_sector_items(questionnaires)
    rows = []
    items = figs.loc[figs["statistic"] == F.SHARE, ["region", "wave", "item", "theme"]].drop_duplicates()
    for region, wave, item, theme in items.itertuples(index=False):
        if (wave, item) in per_sector:
            continue  # two different statements: comparing them would test the wording, not the sectors
        kind, codes = kinds[(wave, item)]
        if (region, wave, item) in variants:
            scale = questionnaires[wave].scales[variants[(region, wave, item)]]
            codes = scale.codes
            kind = ("binair" if len(codes) == 2 else "nominaal") if scale.kind == "nominaal" else scale.kind
        a = dist.get((region, wave, item, F.JEUGDHULP))
        b = dist.get((region, wave, item, F.ONDERWIJS))
        row = {"region": region, "wave": wave, "item": item, "theme": theme, "group": F.SECTORS_COMPARED,
               "group_type": "vergelijking", "partition": "", "statistic": F.SECTOR_TEST, "compare_to": F.ONDERWIJS,
               "order": -4}
        n_a = int(a[1].sum()) if a else 0
        n_b = int(b[1].sum()) if b else 0
        row["n"] = n_a + n_b
        if a is None or b is None or _too_small(n_a, minimum) or _too_small(n_b, minimum):
            row.update(verdict=F.NOT_TESTED, note=f"te weinig respondenten in een sector (minder dan {minimum})")
            rows.append(row)
            continue
        ha, hb = head[(region, wave, item, F.JEUGDHULP)], head[(region, wave, item, F.ONDERWIJS)]
        result = compare_distributions(kind, a[1], b[1], np.asarray(codes, dtype=float),
                                       seed_for(region, wave, item, "sector"))
        row.update(diff=float(ha["value"] - hb["value"]), test=result.test, p_value=result.p,
                   category=ha["category"], label=ha["label"])
        rows.append(row)
    return rows


def trend_pairs(waves: list[int]) -> list[tuple[int, int]]:
    """(earlier, later) wave pairs to compare, for waves sorted ascending (one region, item and group).

    The report of wave W gets the rows whose later wave is W: W against the wave before it, and, when W is
    not the second wave, against the first. Only W and earlier waves are used, so a report never changes
    when a later wave is added (issue 11: the first wave used to be paired with the last wave overall)."""
    pairs = list(zip(waves[:-1], waves[1:]))
    pairs += [(waves[0], later) for later in waves[2:]]
    return pairs


def _trends(figs: pd.DataFrame, minimum: int, dist: dict[tuple, tuple[np.ndarray, np.ndarray]]) -> list[dict]:
    points = figs[figs["statistic"] == F.TREND_POINT]
    # Plain records, grouped in one pass: a sub-frame and a row lookup per group cost more than the tests.
    fields = ["wave", "theme", "group_type", "partition", "category", "label", "verdict", "note", "scale", "k", "n",
              "value"]
    records = [dict(zip(fields, values)) for values in zip(*(points[f].tolist() for f in fields))]
    rows = []
    for (region, item, group), index in _groups_in_order(points, ["region", "item", "group"]):
        part = sorted((records[i] for i in index), key=lambda p: p["wave"])
        pairs = trend_pairs([p["wave"] for p in part])
        by_wave = {p["wave"]: p for p in part}
        for earlier, later in pairs:
            p0, p1 = by_wave[earlier], by_wave[later]
            row = {"region": region, "wave": later, "item": item, "theme": p1["theme"], "group": group,
                   "group_type": p1["group_type"], "partition": p1["partition"], "statistic": F.TREND,
                   "compare_to": str(earlier), "category": p1["category"], "label": p1["label"], "order": -1}
            # The report's own wave first: an item it did not ask is "niet gevraagd", whatever the earlier wave.
            blocked = [p for p in (p1, p0) if p["verdict"] in (F.NOT_ASKED, F.NOT_COMPARABLE)]
            if blocked:
                which = blocked[0]
                wave_of = earlier if which is p0 else later
                why = which["note"] or which["verdict"].replace("_", " ")
                row.update(verdict=which["verdict"], note=f"{wave_of}: {why}")
                rows.append(row)
                continue
            if p0["scale"] != p1["scale"]:
                # Each wave on its own harmonised scale; different answers cannot be compared.
                row.update(verdict=F.NOT_COMPARABLE, note=f"{earlier}: andere antwoordschaal dan in {later}")
                rows.append(row)
                continue
            row.update(k=p1["k"], n=p1["n"], value=p1["value"])
            notes = [f"{w}: {p['note']}" for w, p in ((earlier, p0), (later, p1)) if p["note"]]
            row["note"] = "; ".join(notes)
            if _too_small(int(p0["n"]), minimum) or _too_small(int(p1["n"]), minimum):
                row.update(verdict=F.NOT_TESTED)
                rows.append(row)
                continue
            row["diff"] = float(p1["value"] - p0["value"])
            if group != F.TOTAAL:
                # The report shows and tests the change of all respondents; per sector the change is given
                # (in the workbook) but not tested, so the FDR family is exactly the tests a reader sees.
                row.update(verdict=F.NOT_TESTED,
                           note="; ".join(filter(None, [row["note"], "per sector niet getoetst"])))
                rows.append(row)
                continue
            if p1["category"] == "":  # a mean mark: the distributions of both waves
                a, b = dist[(region, later, item, group)], dist[(region, earlier, item, group)]
                result = mean_test(a[1], b[1], a[0].astype(float), seed_for(region, later, earlier, item, group))
            else:
                k1, n1, k0, n0 = int(p1["k"]), int(p1["n"]), int(p0["k"]), int(p0["n"])
                result = fisher_2x2((k1, n1 - k1), (k0, n0 - k0))
            row.update(test=result.test, p_value=result.p)
            rows.append(row)
    return rows


# The benchmark, stated once: the report's Verantwoording prints these, the code below follows them.
BENCHMARK_POOLING = ("het gemiddelde van de cijfers van de andere regio's in deze rapportage, waarin elke regio even "
                     "zwaar telt (een grote regio weegt niet zwaarder dan een kleine), met het laagste en het hoogste "
                     "cijfer van die regio's erbij")
BENCHMARK_NOT_TESTED = ("Het verschil met dat gemiddelde is niet getoetst. De regio's in een rapportage zijn geen "
                        "steekproef uit alle regio's, en met zo weinig regio's is niet te schatten hoeveel regio's van "
                        "nature van elkaar verschillen; een toets die alleen het toeval binnen elke regio meetelt, zou "
                        "kleine verschillen al snel 'significant' noemen. Het rapport laat daarom zien waar de regio "
                        "tussen de andere regio's ligt.")

# Said once per report (Verantwoording; workbook sheet 'Benchmark') when no item has a comparison.
NO_BENCHMARK = ("Deze rapportage bevat geen andere regio die in {wave} dezelfde vragen stelde aan minstens {minimum} "
                "respondenten; daarom staat er geen vergelijking met andere regio's in dit rapport.")


def comparison_group(others: int) -> str:
    """Who a region is compared with, in words: 'de drie andere regio's in deze rapportage' (others >= 1)."""
    if others == 1:
        return "de andere regio in deze rapportage"
    return f"de {number_word(others)} andere regio's in deze rapportage"


def add_benchmarks(figs: pd.DataFrame, minimum: int, variants: Variants | None = None) -> pd.DataFrame:
    """Suppressed Figures plus the benchmark rows (see `_benchmarks`). Run after suppression, so that only
    figures a report may show are compared: a region whose headline figure is hidden, for whatever reason,
    is in no other region's mean, lowest or highest, and gets no difference of its own."""
    rows = _benchmarks(figs, minimum, variants or {})
    if not rows:
        return figs
    return F.conform(pd.concat([figs, pd.DataFrame(rows)], ignore_index=True))


def _benchmarks(figs: pd.DataFrame, minimum: int, variants: Variants) -> list[dict]:
    """Each region beside the other regions of the same wave in this input, each region weighted equally.

    One row per region, wave and item that at least one other region asked (on the same scale) of at least
    `minimum` respondents; no row when none did (the report then says once that there is no comparison).
    value: the unweighted mean of the other regions' headline figures (fraction, or mean mark); ci_low and
    ci_high: the lowest and highest of them (the spread, not an interval); k: how many regions; n: their
    respondents together; diff: this region minus that mean. Not tested (BENCHMARK_NOT_TESTED says why): no
    p-value, verdict NOT_TESTED, so the row never enters the Benjamini-Hochberg family (TESTED).
    A mirrored item has no totaal (indicators), so it gets no benchmark row."""
    head = figs[figs["statistic"].isin([F.POSITIVE, F.MEAN]) & (figs["group"] == F.TOTAAL)]
    rows = []
    for (wave, item), index in _groups_in_order(head, ["wave", "item"]):
        part = head.iloc[index]
        regions = part["region"].tolist()
        value = part["value"].to_numpy(dtype=float)
        n = part["n"].to_numpy(dtype=float, na_value=np.nan)
        # A region below the minimum base, or hidden by suppression, stays out of every comparison.
        # (A hidden unit has no n at all: suppression blanks the base of what it hides.)
        shown = ~part["suppressed"].to_numpy(dtype=bool) & ~np.isnan(n)
        shown[shown] = [not _too_small(int(x), minimum) for x in n[shown]]
        # Only regions that offered the very same answers are compared: the regions of one wave and item are
        # pooled once per scale, so the cost grows with the regions, not with their square.
        scale = [variants.get((r, wave, item), "") for r in regions]
        pools: dict[str, np.ndarray] = {}
        for s in dict.fromkeys(scale):
            pools[s] = np.flatnonzero(shown & np.array([x == s for x in scale]))
        themes, categories, labels = part["theme"].tolist(), part["category"].tolist(), part["label"].tolist()
        for i, region in enumerate(regions):
            pool = pools[scale[i]]
            others = pool[pool != i]
            if not len(others):
                continue
            # The mean over the others in table order, exactly as a per-region loop would sum them.
            values = value[others]
            row = {"region": region, "wave": wave, "item": item, "theme": themes[i], "group": F.OTHER_REGIONS,
                   "group_type": "benchmark", "partition": "", "statistic": F.BENCHMARK,
                   "compare_to": comparison_group(len(others)), "category": categories[i], "label": labels[i],
                   "order": -1, "k": len(others), "n": int(n[others].sum()),
                   "value": float(values.mean()), "ci_low": float(values.min()), "ci_high": float(values.max()),
                   "verdict": F.NOT_TESTED}
            if shown[i]:
                row["diff"] = float(value[i] - row["value"])
            rows.append(row)
    return rows


def _groups_in_order(frame: pd.DataFrame, keys: list[str]) -> list[tuple[tuple, np.ndarray]]:
    """(key, row positions) per group of `frame`, groups in order of first appearance (as groupby with
    sort=False), positions ascending: one pass, without a sub-frame per group."""
    groups: dict[tuple, list[int]] = {}
    for i, key in enumerate(zip(*(frame[k].tolist() for k in keys))):
        groups.setdefault(key, []).append(i)
    return [(key, np.asarray(index, dtype=np.intp)) for key, index in groups.items()]


# The kinds of rows that carry a test. The benchmark is described, not tested (BENCHMARK_NOT_TESTED): it has no
# p-value and is no part of the family.
TESTED = (F.SECTOR_TEST, F.TREND)
# The multiple-testing family is one report (region and wave), not one theme: the conclusion and the
# recommendations pick the largest differences from all themes together, so the correction must cover all of
# them; per theme, a theme with one or two items would be almost uncorrected. The Verantwoording says so.
FAMILY = ("region", "wave")


def _in_family(figs: pd.DataFrame) -> pd.Series:
    return figs["statistic"].isin(TESTED) & figs["p_value"].notna() & ~figs["suppressed"]


def family_size(figs: pd.DataFrame) -> dict[str, int]:
    """Tests in the correction family of one report (figs: one region and wave, after `adjust`), per kind
    (F.SECTOR_TEST, F.TREND) and "totaal". Counted from the Figures, so the Verantwoording prints
    exactly the family the p-values were corrected over."""
    tested = figs[_in_family(figs) & figs["p_adjusted"].notna()]
    counts = {kind: int((tested["statistic"] == kind).sum()) for kind in TESTED}
    counts["totaal"] = int(len(tested))
    return counts


def adjust(figs: pd.DataFrame) -> pd.DataFrame:
    """Benjamini-Hochberg over every test shown in one report (FAMILY: region and wave); then the verdicts."""
    figs = figs.copy()
    tested = _in_family(figs)
    for _, index in figs[tested].groupby(list(FAMILY)).groups.items():
        figs.loc[index, "p_adjusted"] = bh_adjust(figs.loc[index, "p_value"].to_numpy())
    figs.loc[tested, "verdict"] = np.where(figs.loc[tested, "p_adjusted"] < ALPHA, F.SIGNIFICANT, F.NOT_SIGNIFICANT)
    return figs
