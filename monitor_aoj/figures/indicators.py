"""Indicators: Responses -> Figures for every closed item, region, wave and group.

All counting happens here, vectorised over every region and wave at once:
- the distribution over the categories per sector and totaal (pooled over respondents, never the mean of
  the two sector percentages), each with k, n and a 95% Wilson interval;
- the positive share (ja, top-2) counted on the respondents first and rounded only when shown;
- for the rapportcijfer the mean with its t-interval and the share "onvoldoende";
- item non-response per group;
- the background of the respondents (functie and schooltype per sector);
- breakdowns of the headline figure by functie (within each sector) and by schooltype;
- trend points: the headline figure on the harmonised scale, so that waves can be compared.
A mirrored item (each sector asked about the other, Item.per_sector) is two statements: it gets figures per
sector only, no totaal and no schooltype breakdown (both would pool the two statements).
Tests, trends, benchmarks and suppression are later stages (comparisons, suppression).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from monitor_aoj.definitions.questionnaire import Questionnaire, per_sector_items
from monitor_aoj.figures import schema as F
from monitor_aoj.figures.item_facts import category_table, harmonised_facts, item_facts
from monitor_aoj.figures.statistics import mean_from_sums, wilson
from monitor_aoj.ingest.decode import INVALID, NO_ANSWER, VALID
from monitor_aoj.ingest.responses import Responses

KEY = ["region", "wave", "item"]


def _asked(responses: Responses) -> pd.DataFrame:
    asked = responses.asked
    return asked if "variant" in asked else asked.assign(variant="")


def _share(k: pd.Series, n: pd.Series) -> np.ndarray:
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, k / np.where(n > 0, n, 1), np.nan)


def _with_totaal(counts: pd.DataFrame, by: list[str], columns: list[str]) -> pd.DataFrame:
    """Add group "totaal": counts summed over the sectors, so totaal is pooled over respondents."""
    total = counts.groupby(by, as_index=False, observed=True)[columns].sum()
    total["group"] = F.TOTAAL
    return pd.concat([counts, total], ignore_index=True)


def _sector_grid(keys: pd.DataFrame) -> pd.DataFrame:
    return keys.merge(pd.DataFrame({"group": list(F.SECTOR_GROUPS)}), how="cross")


def _partition_of(group: pd.Series) -> np.ndarray:
    return np.where(group == F.TOTAAL, "", F.TOTAAL)


def compute_figures(responses: Responses, questionnaires: dict[int, Questionnaire]) -> pd.DataFrame:
    """Count every closed item of every region and wave into the Figures table (the stage's entry point).

    Args:
        responses: the tidy tables of all clean exports (ingest.responses.Responses).
        questionnaires: wave -> its questionnaire, with each region's own questions added.

    Returns:
        The Figures table (figures.schema.COLUMNS), one row per region x wave x item x group x statistic x
        category, sorted by region, wave, item, statistic, partition, group, order: shares, positive shares, mean
        marks, non-response, background counts, breakdowns and trend points, each with k (respondents), n (the
        base, respondents) and a 95% interval as fractions 0-1 (Wilson for shares, Wilson 1927; t for the mean
        mark, on the 1-10 scale). Not yet tested, compared or suppressed (comparisons, suppression).

    Raises:
        Nothing for valid Responses; a questionnaire without a scale on a closed item is a programming error
        (its parser refuses such a file with a ConfigError).
    """
    parts = [
        _closed_item_figures(responses, questionnaires),
        _nonresponse_figures(responses, questionnaires),
        _background_figures(responses, questionnaires),
        _breakdown_figures(responses, questionnaires),
        _trend_points(responses, questionnaires),
    ]
    out = _per_sector_only(pd.concat([p for p in parts if len(p)], ignore_index=True), questionnaires)
    sector_level = out["group"].isin(F.SECTOR_GROUPS)
    out.loc[sector_level, "group_type"] = np.where(out.loc[sector_level, "group"] == F.TOTAAL, "totaal", "sector")
    out.loc[sector_level, "partition"] = _partition_of(out.loc[sector_level, "group"])
    out = _clip_mark_intervals(_add_intervals(F.conform(out)), questionnaires)
    return out.sort_values(["region", "wave", "item", "statistic", "partition", "group", "order"], kind="stable",
                           ignore_index=True)


def _per_sector_only(figs: pd.DataFrame, questionnaires: dict[int, Questionnaire]) -> pd.DataFrame:
    """Without the rows that pool the sectors of a mirrored item: its totaal and its schooltype breakdown."""
    keys = per_sector_items(questionnaires)
    if not keys:
        return figs
    mirrored = pd.Series([(w, i) in keys for w, i in zip(figs["wave"], figs["item"])], index=figs.index)
    pooled = figs["group"].eq(F.TOTAAL) | figs["group_type"].eq("schooltype")
    return figs[~(mirrored & pooled)].reset_index(drop=True)


def _add_intervals(figs: pd.DataFrame) -> pd.DataFrame:
    """A 95% Wilson interval for every share; means got their t-interval where the SD was known."""
    props = figs["statistic"].isin(F.PROPORTIONS) | (
        figs["statistic"].eq(F.TREND_POINT) & figs["category"].ne("") & figs["n"].notna())
    low, high = wilson(figs.loc[props, "k"].astype(float), figs.loc[props, "n"].astype(float))
    figs.loc[props, "ci_low"] = low
    figs.loc[props, "ci_high"] = high
    return figs


def _clip_mark_intervals(figs: pd.DataFrame, questionnaires: dict[int, Questionnaire]) -> pd.DataFrame:
    """A mean mark cannot lie outside its scale, so neither can its interval (small n gives wide t-intervals)."""
    bounds = {(w, it.id): (it.closed_scale.minimum, it.closed_scale.maximum) for w, q in questionnaires.items()
              for it in q.items if not it.is_open and it.closed_scale.kind == "cijfer"}
    means = figs["statistic"].isin([F.MEAN, F.TREND_POINT]) & figs["ci_low"].notna()
    for (wave, item), (lo, hi) in bounds.items():
        rows = means & (figs["wave"] == wave) & (figs["item"] == item)
        figs.loc[rows, "ci_low"] = figs.loc[rows, "ci_low"].clip(lower=lo)
        figs.loc[rows, "ci_high"] = figs.loc[rows, "ci_high"].clip(upper=hi)
    return figs


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Categorical columns (Responses.answers keeps region, item, sector and status so) as plain values again,
    for the small tables of counts that are merged and concatenated from here on."""
    kinds = {c: object for c, t in frame.dtypes.items() if isinstance(t, pd.CategoricalDtype)}
    return frame.astype(kinds) if kinds else frame


def _tally(answers: pd.DataFrame, keep: np.ndarray, columns: list[str], extra: dict | None = None) -> pd.DataFrame:
    """The rows of `answers` where `keep`, counted ("k") per combination of `columns` and of the `extra` values,
    with blanks as a value of their own. extra: name -> (values, positions): the value of answer row i is
    values[positions[i]] (the respondent's functie, by respondent_row), or values[i] when positions is None.

    Counted item by item: grouping tens of millions of rows on several keys at once makes pandas hold an int64
    code per row and key, gigabytes for a national file; one item's rows at a time hold a thirtieth of that."""
    rows = np.flatnonzero(keep)
    items = answers["item"].cat.codes.to_numpy()[rows]
    order = np.argsort(items, kind="stable")
    rows, items = rows[order], items[order]
    parts = []
    for chunk in np.split(rows, np.flatnonzero(np.diff(items)) + 1):
        if not len(chunk):
            continue
        frame = answers[columns].iloc[chunk]
        for name, (values, positions) in (extra or {}).items():
            frame = frame.assign(**{name: values.take(chunk if positions is None else positions[chunk])})
        parts.append(frame.groupby(list(frame.columns), observed=True, dropna=False).size())
    if not parts:
        return pd.DataFrame(columns=columns + list(extra or {}) + ["k"])
    return _plain(pd.concat(parts).rename("k").reset_index())


def _counts(responses: Responses, code_column: str = "code") -> pd.DataFrame:
    a = responses.answers
    valid = ((a["status"] == VALID) & a[code_column].notna()).to_numpy()
    counts = _tally(a, valid, KEY + ["sector", code_column])
    counts = counts.rename(columns={"sector": "group", code_column: "code"})
    counts["code"] = counts["code"].astype("int64")
    return _with_totaal(counts, KEY + ["code"], ["k"])


def _closed_item_figures(responses: Responses, questionnaires: dict[int, Questionnaire]) -> pd.DataFrame:
    asked = _asked(responses)
    cats = category_table(questionnaires, asked)
    asked = asked.merge(cats[["wave", "item", "variant"]].drop_duplicates(), on=["wave", "item", "variant"])
    table = _sector_grid(asked).merge(cats, on=["wave", "item", "variant"]).merge(
        _counts(responses), on=KEY + ["group", "code"], how="left")
    table["k"] = table["k"].fillna(0).astype("int64")
    table["n"] = table.groupby(KEY + ["group"])["k"].transform("sum")
    table["value"] = _share(table["k"], table["n"])
    share = table.assign(statistic=F.SHARE, category=table["code"].astype(str))

    # Positive share: the positive categories' counts summed first, then divided: rounded once, when shown.
    facts = item_facts(questionnaires, asked)
    pos = table[table["positive"]].groupby(KEY + ["variant", "group", "theme"], as_index=False).agg(
        k=("k", "sum"), n=("n", "first"))
    pos = pos.merge(facts[["wave", "item", "variant", "positive_label", "positive_codes"]],
                    on=["wave", "item", "variant"])
    pos = pos.rename(columns={"positive_label": "label", "positive_codes": "category"})
    pos["statistic"], pos["order"] = F.POSITIVE, -1
    pos["value"] = _share(pos["k"], pos["n"])

    parts = [share, pos]
    marks = table[table["kind"] == "cijfer"]
    if len(marks):
        parts += _mark_figures(marks, KEY + ["group", "theme"])
    return pd.concat(parts, ignore_index=True)


def _mark_figures(marks: pd.DataFrame, by: list[str]) -> list[pd.DataFrame]:
    """Mean with its t-interval, and the share "onvoldoende", from the counts per mark."""
    marks = marks.assign(sum1=marks["code"] * marks["k"], sum2=marks["code"] ** 2 * marks["k"])
    mean = marks.groupby(by, as_index=False).agg(n=("k", "sum"), s1=("sum1", "sum"), s2=("sum2", "sum"))
    mean["value"], mean["ci_low"], mean["ci_high"] = mean_from_sums(mean["s1"], mean["s2"], mean["n"])
    mean = mean.assign(statistic=F.MEAN, category="", label="gemiddeld cijfer", order=-2)
    low_marks = marks[marks["insufficient"]].groupby(by, as_index=False).agg(
        k=("k", "sum"), n=("n", "first"), cut=("code", "max"))
    low_marks["value"] = _share(low_marks["k"], low_marks["n"])
    low_marks["category"] = low_marks["cut"].map(lambda c: f"<={c}")
    low_marks["label"] = low_marks["cut"].map(lambda c: f"onvoldoende ({c} of lager)")  # the cut from the scale
    low_marks = low_marks.drop(columns="cut").assign(statistic=F.INSUFFICIENT, order=-1)
    return [mean, low_marks]


def _nonresponse_figures(responses: Responses, questionnaires: dict[int, Questionnaire]) -> pd.DataFrame:
    """Of those who were asked (filters applied), how many gave no answer."""
    a = responses.answers
    # An answer set aside as invalid counts as non-response ("ongeldig"): asked, but no usable answer.
    was_asked = a["status"].isin([VALID, NO_ANSWER, INVALID]).to_numpy()
    tally = _tally(a, was_asked, KEY + ["sector"], {"skipped": ((a["status"] != VALID).to_numpy(), None)})
    tally["skipped_k"] = tally["k"].where(tally["skipped"].astype(bool), 0)
    counts = tally.groupby(KEY + ["sector"], as_index=False).agg(n=("k", "sum"), k=("skipped_k", "sum"))
    counts = _with_totaal(counts.rename(columns={"sector": "group"}), KEY, ["n", "k"])
    facts = item_facts(questionnaires)[["wave", "item", "theme"]]
    table = _sector_grid(responses.asked[["region", "wave", "item"]].merge(facts, on=["wave", "item"])).merge(
        counts, on=KEY + ["group"], how="left")
    table[["n", "k"]] = table[["n", "k"]].fillna(0).astype("int64")
    table["value"] = _share(table["k"], table["n"])
    return table.assign(statistic=F.NONRESPONSE, category="", label="geen antwoord", order=-3)


def _background_figures(responses: Responses, questionnaires: dict[int, Questionnaire]) -> pd.DataFrame:
    """Respondents per sector, functie and schooltype; the base n is always the group's total."""
    r = responses.respondents
    if r.empty:
        return pd.DataFrame()
    parts = []
    region_waves = r[["region", "wave"]].drop_duplicates()
    sizes = r.groupby(["region", "wave", "sector"]).size().rename("n").reset_index().rename(
        columns={"sector": "group"})
    sizes = _with_totaal(sizes, ["region", "wave"], ["n"])
    for question in ("sector", "functie", "schooltype"):
        rows = []
        for wave, q in questionnaires.items():
            if question == "sector":
                choices = [(i, s, s.capitalize()) for i, s in enumerate(F.SECTOR_GROUPS[:2])]
            else:
                bq = getattr(q.background, question)
                choices = [(i, str(c.code), c.label) for i, c in enumerate(bq.choices)]
            rows += [{"wave": wave, "order": o, "category": c, "label": lab} for o, c, lab in choices]
            rows.append({"wave": wave, "order": 999, "category": "", "label": "Niet ingevuld"})
        grid = _sector_grid(region_waves).merge(pd.DataFrame(rows), on="wave")
        counts = r.assign(category=r[question].astype("string").fillna("")).groupby(
            ["region", "wave", "sector", "category"], observed=True).size().rename("k").reset_index()
        counts = _with_totaal(counts.rename(columns={"sector": "group"}), ["region", "wave", "category"], ["k"])
        table = grid.merge(counts, on=["region", "wave", "group", "category"], how="left")
        table["k"] = table["k"].fillna(0).astype("int64")
        table = table.merge(sizes, on=["region", "wave", "group"], how="left")
        table["n"] = table["n"].fillna(0).astype("int64")
        table["value"] = _share(table["k"], table["n"])
        table = table[(table["category"] != "") | (table["k"] > 0)]  # "niet ingevuld" only where it occurs
        if question == "sector":
            table = table[table["group"] == F.TOTAAL]  # a sector's share of itself says nothing
        parts.append(table.assign(item=question, theme="achtergrond", statistic=F.COUNT))
    return pd.concat(parts, ignore_index=True)


def _breakdown_figures(responses: Responses, questionnaires: dict[int, Questionnaire]) -> pd.DataFrame:
    """The headline figure per functie (within each sector) and per schooltype (of all respondents)."""
    a = responses.answers
    valid = (a["status"] == VALID).to_numpy()
    if not valid.any():
        return pd.DataFrame()
    # Counted first, per answer and respondent group; only the counts are joined with the scales, so a
    # national file of millions of answers is never copied row by row.
    rows = a["respondent_row"].to_numpy()
    r = responses.respondents
    counted = _tally(a, valid, KEY + ["sector", "code"], {"functie": (r["functie"].array, rows),
                                                          "schooltype": (r["schooltype"].array, rows)})
    counted = counted.rename(columns={"k": "w"})
    asked = _asked(responses)
    cats = category_table(questionnaires, asked)[["wave", "item", "variant", "code", "positive", "kind", "theme"]]
    counted = counted.merge(asked, on=KEY)
    counted = counted.assign(code=counted["code"].astype("int64")).merge(cats, on=["wave", "item", "variant", "code"])
    mark = np.where(counted["kind"] == "cijfer", counted["code"], np.nan)
    counted = counted.assign(k=counted["w"] * counted["positive"], s1=counted["w"] * mark,
                             s2=counted["w"] * mark**2)
    facts = item_facts(questionnaires, asked)[["wave", "item", "variant", "positive_label", "positive_codes"]]
    parts = []
    for question, within in (("functie", "sector"), ("schooltype", None)):
        code = pd.Series(counted[question], dtype="string").fillna("")
        keys = KEY + ["variant", "theme", "kind", "_group"] + (["sector"] if within else [])
        g = counted.assign(_group=question + ":" + code).groupby(keys, observed=True).agg(
            n=("w", "sum"), k=("k", "sum"), s1=("s1", "sum"), s2=("s2", "sum"))
        g = g.reset_index().rename(columns={"_group": "group"})
        g["partition"] = g["sector"] if within else F.TOTAAL
        g["group_type"] = question
        g = g.merge(facts, on=["wave", "item", "variant"])
        pos = g[g["kind"] != "cijfer"].assign(statistic=F.POSITIVE, order=-1)
        pos = pos.rename(columns={"positive_label": "label", "positive_codes": "category"})
        pos["value"] = _share(pos["k"], pos["n"])
        mean = g[g["kind"] == "cijfer"].copy()
        mean["value"], mean["ci_low"], mean["ci_high"] = mean_from_sums(mean["s1"], mean["s2"], mean["n"])
        mean = mean.assign(statistic=F.MEAN, category="", label="gemiddeld cijfer", order=-2, k=pd.NA)
        parts += [pos, mean]
    out = pd.concat(parts, ignore_index=True)
    return out.drop(columns=["kind", "s1", "s2", "sector", "positive_label", "positive_codes"], errors="ignore")


def _trend_points(responses: Responses, questionnaires: dict[int, Questionnaire]) -> pd.DataFrame:
    """The headline figure per region, wave, item and group on the harmonised scale.

    For each item a region asked in any wave, every wave of that region gets a point: a value, or
    "niet gevraagd", or "niet vergelijkbaar" with the reason.
    """
    facts = harmonised_facts(questionnaires)
    themes = item_facts(questionnaires)[["item", "theme"]].drop_duplicates("item")
    asked = _asked(responses).merge(facts[["wave", "item"]], on=["wave", "item"])
    if asked.empty:
        return pd.DataFrame()
    region_waves = responses.respondents[["region", "wave"]].drop_duplicates()
    region_items = asked[["region", "item"]].drop_duplicates()
    grid = _sector_grid(region_waves.merge(region_items, on="region")).merge(themes, on="item")
    grid = grid.merge(asked.assign(asked=True), on=KEY, how="left").merge(facts, on=["wave", "item"], how="left")
    grid["asked"] = grid["asked"].eq(True)
    # A region's own scale variant (with "Weet ik niet", say) has no declared harmonisation with the others.
    variant = grid["variant"].fillna("") != ""
    grid.loc[variant, "comparable"] = False
    grid.loc[variant, "note"] = grid.loc[variant, "variant"].map(
        lambda v: f"in deze regio gevraagd met een andere antwoordschaal ({v})")

    counts = _counts(responses, "code_h")
    pos_codes = facts.set_index(["wave", "item"])["h_positive"].to_dict()
    counts["positive"] = [c in pos_codes.get((w, i), ()) for c, w, i in
                          zip(counts["code"], counts["wave"], counts["item"])]
    counts["kpos"] = counts["k"].where(counts["positive"], 0)
    counts["sum1"] = counts["code"] * counts["k"]
    counts["sum2"] = counts["code"] ** 2 * counts["k"]
    agg = counts.groupby(KEY + ["group"], as_index=False).agg(
        n=("k", "sum"), kpos=("kpos", "sum"), s1=("sum1", "sum"), s2=("sum2", "sum"))
    table = grid.merge(agg, on=KEY + ["group"], how="left")
    usable = table["asked"] & table["comparable"].eq(True)
    is_mark = table["h_kind"].fillna("") == "cijfer"
    n = table["n"].where(usable).fillna(0)
    mean, mean_low, mean_high = mean_from_sums(table["s1"], table["s2"], table["n"])
    table["k"] = np.where(usable & ~is_mark, table["kpos"].fillna(0), np.nan)
    table["n"] = np.where(usable, n, np.nan)
    table["value"] = np.where(usable, np.where(is_mark, mean, _share(table["kpos"].fillna(0), n)), np.nan)
    table["ci_low"] = np.where(usable & is_mark, mean_low, np.nan)
    table["ci_high"] = np.where(usable & is_mark, mean_high, np.nan)
    table["category"] = np.where(is_mark, "", table["h_positive"].map(
        lambda p: "+".join(str(c) for c in p) if isinstance(p, tuple) else ""))
    table["label"] = np.where(is_mark, "gemiddeld cijfer", table["h_label"].fillna(""))
    table["verdict"] = np.select([~table["asked"], ~usable], [F.NOT_ASKED, F.NOT_COMPARABLE], "")
    table["note"] = np.where(table["asked"], table["note"].fillna(""), "")
    table["scale"] = np.where(usable, table["scale"].fillna(""), "")
    table["statistic"], table["order"] = F.TREND_POINT, -1
    keep = ["region", "wave", "item", "theme", "group", "statistic", "category", "label", "order", "k", "n",
            "value", "ci_low", "ci_high", "verdict", "note", "scale"]
    return table[keep]
