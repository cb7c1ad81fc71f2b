"""Stage 4, indicators: Responses -> Figures for every closed item, region, wave and group.

All counting happens here, vectorised over every region and wave at once:
- the distribution over the categories per sector and totaal (pooled over respondents, never the mean of
  the two sector percentages), each with k and n;
- the positive share (ja, top-2) counted on the respondents first and rounded only when shown;
- for the rapportcijfer the mean and the share "onvoldoende" (at or below the cut of the scale);
- item non-response per group;
- the background of the respondents (functie and schooltype per sector).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from monitor_aoj import figures as F
from monitor_aoj.codes import NO_ANSWER, VALID
from monitor_aoj.questionnaire import Questionnaire
from monitor_aoj.responses import Responses

KEY = ["region", "wave", "item"]


def category_table(questionnaires: dict[int, Questionnaire]) -> pd.DataFrame:
    """Every answer category of every closed item in every wave, in scale order."""
    rows = []
    for wave, q in questionnaires.items():
        for item in q.items:
            if item.is_open:
                continue
            scale = item.scale
            for order, code in enumerate(scale.codes):
                rows.append({
                    "wave": wave, "item": item.id, "theme": item.theme, "code": code, "label": scale.label(code),
                    "order": order, "positive": code in scale.positive,
                    "insufficient": scale.kind == "cijfer" and code <= scale.insufficient_max,
                    "kind": scale.kind,
                })
    return pd.DataFrame(rows)


def _with_totaal(counts: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Add group "totaal": counts summed over the sectors, so totaal is pooled over respondents."""
    total = counts.groupby(by, as_index=False, observed=True)["k"].sum()
    total["group"] = F.TOTAAL
    return pd.concat([counts, total], ignore_index=True)


def _frame_of_groups(asked: pd.DataFrame) -> pd.DataFrame:
    groups = pd.DataFrame({"group": list(F.SECTOR_GROUPS)})
    return asked.merge(groups, how="cross")


def compute_figures(responses: Responses, questionnaires: dict[int, Questionnaire]) -> pd.DataFrame:
    parts = [
        _closed_item_figures(responses, questionnaires),
        _nonresponse_figures(responses, questionnaires),
        _background_figures(responses, questionnaires),
    ]
    out = F.conform(pd.concat([p for p in parts if len(p)], ignore_index=True))
    out["group_type"] = np.where(out["group"] == F.TOTAAL, "totaal", "sector")
    return out.sort_values(["region", "wave", "item", "statistic", "group", "order"], kind="stable",
                           ignore_index=True)


def _closed_item_figures(responses: Responses, questionnaires: dict[int, Questionnaire]) -> pd.DataFrame:
    cats = category_table(questionnaires)
    asked = responses.asked.merge(cats[["wave", "item"]].drop_duplicates(), on=["wave", "item"])
    grid = _frame_of_groups(asked).merge(cats, on=["wave", "item"])

    valid = responses.answers[responses.answers["status"] == VALID]
    counts = valid.groupby(KEY + ["sector", "code"], observed=True).size().rename("k").reset_index()
    counts = counts.rename(columns={"sector": "group"})
    counts["code"] = counts["code"].astype("int64")
    counts = _with_totaal(counts, KEY + ["code"])
    table = grid.merge(counts, on=KEY + ["group", "code"], how="left")
    table["k"] = table["k"].fillna(0).astype("int64")
    table["n"] = table.groupby(KEY + ["group"])["k"].transform("sum")
    with np.errstate(invalid="ignore", divide="ignore"):
        table["value"] = np.where(table["n"] > 0, table["k"] / table["n"].where(table["n"] > 0, 1), np.nan)

    share = table.assign(statistic=F.SHARE, category=table["code"].astype(str))

    # Positive share: counts of the positive categories summed first, then divided: rounded once, when shown.
    pos = table[table["positive"]]
    pos = pos.groupby(KEY + ["group", "theme"], as_index=False).agg(
        k=("k", "sum"), n=("n", "first"), category=("code", lambda c: "+".join(str(x) for x in sorted(c))))
    labels = _positive_labels(questionnaires)
    pos = pos.merge(labels, on=["wave", "item"], how="left")
    pos["statistic"] = F.POSITIVE
    pos["order"] = -1
    pos["value"] = np.where(pos["n"] > 0, pos["k"] / pos["n"].where(pos["n"] > 0, 1), np.nan)

    marks = table[table["kind"] == "cijfer"].copy()
    parts = [share, pos]
    if len(marks):
        marks["weighted"] = marks["code"] * marks["k"]
        mean = marks.groupby(KEY + ["group", "theme"], as_index=False).agg(
            n=("k", "sum"), total=("weighted", "sum"))
        mean["value"] = np.where(mean["n"] > 0, mean["total"] / mean["n"].where(mean["n"] > 0, 1), np.nan)
        mean = mean.drop(columns="total").assign(statistic=F.MEAN, category="", label="gemiddeld cijfer", order=-2)
        low = marks[marks["insufficient"]].groupby(KEY + ["group", "theme"], as_index=False).agg(
            k=("k", "sum"), n=("n", "first"), cut=("code", "max"))
        low["value"] = np.where(low["n"] > 0, low["k"] / low["n"].where(low["n"] > 0, 1), np.nan)
        low["category"] = low["cut"].map(lambda c: f"<={c}")
        low = low.drop(columns="cut").assign(statistic=F.INSUFFICIENT, label="onvoldoende", order=-1)
        parts += [mean, low]
    return pd.concat(parts, ignore_index=True)


def _positive_labels(questionnaires: dict[int, Questionnaire]) -> pd.DataFrame:
    rows = [{"wave": w, "item": it.id, "label": it.scale.positive_label or "positief"}
            for w, q in questionnaires.items() for it in q.items if not it.is_open]
    return pd.DataFrame(rows)


def _nonresponse_figures(responses: Responses, questionnaires: dict[int, Questionnaire]) -> pd.DataFrame:
    """Of those who were asked (filters applied), how many gave no answer."""
    a = responses.answers
    asked = a[a["status"].isin([VALID, NO_ANSWER])]
    counts = asked.groupby(KEY + ["sector"], observed=True)["status"].agg(
        n="size", k=lambda s: int((s == NO_ANSWER).sum())).reset_index().rename(columns={"sector": "group"})
    total = counts.groupby(KEY, as_index=False)[["n", "k"]].sum().assign(group=F.TOTAAL)
    counts = pd.concat([counts, total], ignore_index=True)
    grid = _frame_of_groups(responses.asked.merge(
        category_table(questionnaires)[["wave", "item", "theme"]].drop_duplicates(), on=["wave", "item"]))
    table = grid.merge(counts, on=KEY + ["group"], how="left")
    table[["n", "k"]] = table[["n", "k"]].fillna(0).astype("int64")
    table["value"] = np.where(table["n"] > 0, table["k"] / table["n"].where(table["n"] > 0, 1), np.nan)
    return table.assign(statistic=F.NONRESPONSE, category="", label="geen antwoord", order=-3)


def _background_figures(responses: Responses, questionnaires: dict[int, Questionnaire]) -> pd.DataFrame:
    """Respondents per sector, functie and schooltype; the base n is always the group's total."""
    r = responses.respondents
    if r.empty:
        return pd.DataFrame()
    parts = []
    region_waves = r[["region", "wave"]].drop_duplicates()
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
        cats = pd.DataFrame(rows)
        grid = _frame_of_groups(region_waves).merge(cats, on="wave")
        key = r[question].astype("string").fillna("")
        counts = r.assign(category=key).groupby(
            ["region", "wave", "sector", "category"], observed=True).size().rename("k").reset_index()
        counts = counts.rename(columns={"sector": "group"})
        counts = _with_totaal(counts, ["region", "wave", "category"])
        table = grid.merge(counts, on=["region", "wave", "group", "category"], how="left")
        table["k"] = table["k"].fillna(0).astype("int64")
        sizes = r.groupby(["region", "wave", "sector"]).size().rename("n").reset_index().rename(
            columns={"sector": "group"})
        sizes = pd.concat([sizes, sizes.groupby(["region", "wave"], as_index=False)["n"].sum().assign(
            group=F.TOTAAL)], ignore_index=True)
        table = table.merge(sizes, on=["region", "wave", "group"], how="left")
        table["n"] = table["n"].fillna(0).astype("int64")
        table["value"] = np.where(table["n"] > 0, table["k"] / table["n"].where(table["n"] > 0, 1), np.nan)
        table = table[(table["category"] != "") | (table["k"] > 0)]  # "niet ingevuld" only where it occurs
        if question == "sector":
            table = table[table["group"] == F.TOTAAL]  # a sector's share of itself says nothing
        parts.append(table.assign(item=question, theme="achtergrond", statistic=F.COUNT))
    return pd.concat(parts, ignore_index=True)
