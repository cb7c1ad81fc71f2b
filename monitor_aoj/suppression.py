"""Stage 6, suppression: no figure for a group below the minimum base, and no way to work it out.

A unit is one group's figures for one item in one region and wave (all its shares, its mean, its non-response,
its trend point). Primary suppression: a unit with 0 < n < minimum base. Secondary suppression: groups that
together make up a shown whole (the two sectors make up totaal; the functies make up their sector; the
schooltypes make up totaal) must not leave exactly one hidden member, or whole minus the others gives it
away; then the smallest other member is hidden too. A hidden whole hides all its members. Suppressed figures
lose their counts, values and intervals in the Figures table itself, so no output can show them; n stays.
Tests, trends and benchmarks that would reveal a hidden unit are withdrawn.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from monitor_aoj import figures as F

UNIT = ["region", "wave", "item", "partition", "group_type", "group"]
BASE_STATISTICS = (F.SHARE, F.POSITIVE, F.MEAN, F.COUNT, F.SUBTHEME)
HIDDEN = ["k", "value", "ci_low", "ci_high"]


def _units(figs: pd.DataFrame, minimum: int) -> pd.DataFrame:
    base = figs[figs["statistic"].isin(BASE_STATISTICS)]
    units = base.groupby(UNIT, as_index=False, observed=True)["n"].max()
    units["n"] = units["n"].fillna(0).astype(int)
    units["suppressed"] = (units["n"] > 0) & (units["n"] < minimum)
    return units


def _secondary(units: pd.DataFrame) -> pd.DataFrame:
    """Top-down: the whole first (totaal), then sectors and schooltypes, then functies within sectors."""
    units = units.copy()
    status = {tuple(k): s for k, s in zip(units[UNIT].itertuples(index=False), units["suppressed"])}
    for level in ("sector", "schooltype", "functie"):
        members = units[units["group_type"] == level]
        for (region, wave, item, partition), part in members.groupby(["region", "wave", "item", "partition"],
                                                                     sort=False):
            whole_type = "totaal" if partition == F.TOTAAL else "sector"
            whole_hidden = status.get((region, wave, item, "" if partition == F.TOTAAL else F.TOTAAL, whole_type,
                                       partition), False)
            filled = part[part["n"] > 0]
            hidden = {g for g, s in zip(filled["group"], filled["suppressed"]) if s}
            if whole_hidden:
                hidden = set(filled["group"])
            elif len(hidden) == 1 and len(filled) > 1:
                shown = filled[~filled["group"].isin(hidden)].sort_values(["n", "group"])
                hidden.add(shown["group"].iloc[0])
            for g in hidden:
                status[(region, wave, item, partition, level, g)] = True
    units["suppressed"] = [status[tuple(k)] for k in units[UNIT].itertuples(index=False)]
    return units


def suppress(figs: pd.DataFrame, minimum: int) -> pd.DataFrame:
    figs = figs.copy()
    units = _secondary(_units(figs, minimum))
    hidden = units[units["suppressed"]][UNIT].assign(_hide=True)
    merged = figs.merge(hidden, on=UNIT, how="left")
    hide = merged["_hide"].eq(True).to_numpy()
    # Trend points share their unit with the wave's own figures (same respondents, same groups).
    figs.loc[hide, "suppressed"] = True
    for col in HIDDEN:
        figs.loc[hide, col] = pd.NA if col == "k" else np.nan
    return _withdraw_comparisons(figs, units)


def _withdraw_comparisons(figs: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    hidden = set(units.loc[units["suppressed"], UNIT].itertuples(index=False, name=None))
    sector = lambda region, wave, item, group: (region, wave, item, F.TOTAAL, "sector", group)  # noqa: E731
    total = lambda region, wave, item: (region, wave, item, "", "totaal", F.TOTAAL)  # noqa: E731

    def unit_of(region, wave, item, group):
        return total(region, wave, item) if group == F.TOTAAL else sector(region, wave, item, group)

    withdraw = np.zeros(len(figs), dtype=bool)
    # Rows that say "niet gevraagd", "niet vergelijkbaar" or "geen vergelijking" reveal nothing and keep that.
    candidates = figs["statistic"].isin([F.SECTOR_TEST, F.TREND, F.BENCHMARK]) & ~figs["verdict"].isin(
        [F.NOT_ASKED, F.NOT_COMPARABLE, F.NO_COMPARISON])
    columns = ["region", "wave", "item", "group", "statistic", "compare_to"]
    for i, (region, wave, item, group, statistic, compare_to) in zip(
            np.flatnonzero(candidates.to_numpy()), figs.loc[candidates, columns].itertuples(index=False)):
        if statistic == F.SECTOR_TEST:
            withdraw[i] = any(sector(region, wave, item, g) in hidden for g in (F.ONDERWIJS, F.JEUGDHULP))
        elif statistic == F.TREND:
            withdraw[i] = (unit_of(region, wave, item, group) in hidden
                           or unit_of(region, int(compare_to), item, group) in hidden)
        else:
            withdraw[i] = total(region, wave, item) in hidden
    figs.loc[withdraw, ["diff", "p_value", "p_adjusted"]] = np.nan
    figs.loc[withdraw, "test"] = ""
    figs.loc[withdraw, "verdict"] = F.NOT_TESTED
    trend_rows = withdraw & (figs["statistic"] == F.TREND).to_numpy()
    figs.loc[trend_rows, "suppressed"] = True
    for col in HIDDEN:
        figs.loc[trend_rows, col] = pd.NA if col == "k" else np.nan
    figs.loc[withdraw, "note"] = "niet getoond: te weinig respondenten in een van de groepen"
    return figs
