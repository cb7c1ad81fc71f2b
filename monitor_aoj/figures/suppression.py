"""Suppression: no figure for a group below the minimum base, and no way to work it out.

A unit is one group's figures for one item in one region and wave (all its shares, its mean, its non-response,
its trend point). Primary suppression: a unit with 0 < n < minimum base (n: who were asked). Secondary
suppression, repeated until nothing changes:
- within a shown whole (the sectors of totaal, the functies of a sector, the schooltypes of totaal) the hidden
  members must be at least two and together reach the minimum base, or whole minus the shown members gives
  them away; the smallest shown members are hidden until they do. A hidden whole hides all its members;
- a hidden sector hides the item's functie and schooltype breakdowns, which cut across the sectors;
- a shown breakdown group as large as a hidden unit, or as large as its whole minus a hidden unit, may consist
  of the very same respondents (the Figures table does not say who is in a group), so it is hidden too.
- a filter question and its follow-ups are linked: a follow-up is asked of exactly those who gave the filter's
  codes, so its base is a count of the filter item. A group's hidden unit of the filter hides the same group's
  units of every follow-up (and so, in the next round, their wholes' other members); all rules run again
  until nothing changes. (A hidden follow-up does not hide the filter: its base is then the filter's shown
  count, and nothing of the filter's figures tells its hidden shares.)
- hidden members of a shown whole that together count 0 of something the whole counts (say 'ja') would each
  be known to count 0; a shown member that counts some is hidden with them.
Suppressed figures lose their counts, values and intervals in the Figures table itself, so no output can show
them. Their bases go too, except who were asked: the number who answered would give the hidden non-response
away (asked minus answered), and a follow-up's number who were asked is blanked as well when it is the
hidden count of its filter. Outputs print bases from these rows only, never recount them. Tests, trends and
benchmarks that would reveal a hidden unit are withdrawn. The attacker in tests/disclosure.py checks all
of this on every output of a run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from monitor_aoj import dutch
from monitor_aoj.figures import schema as F

UNIT = ["region", "wave", "item", "partition", "group_type", "group"]
# The base of a unit: the most respondents any of its rows counts (non-response counts who were asked).
BASE_STATISTICS = (F.SHARE, F.POSITIVE, F.MEAN, F.COUNT, F.SUBTHEME, F.NONRESPONSE)
HIDDEN_COLUMNS = ["k", "value", "ci_low", "ci_high"]
# Counts whose zero sum over a whole's hidden members would tell each member's count.
ZERO_CHECKED = (F.SHARE, F.POSITIVE, F.NONRESPONSE, F.SUBTHEME, F.INSUFFICIENT)


def _units(figs: pd.DataFrame, minimum: int) -> pd.DataFrame:
    """One row per unit: n (the base of its percentages) and whether it is below the minimum base. A unit is
    also hidden when fewer than the minimum were asked, so that '3 van 3 geen antwoord' cannot be shown."""
    # The respondents per sector are the bases themselves, never secret.
    base = figs[figs["statistic"].isin(BASE_STATISTICS) & (figs["item"] != "sector")]
    valid = base[base["statistic"] != F.NONRESPONSE].groupby(UNIT, observed=True)["n"].max()
    asked = base[base["statistic"] == F.NONRESPONSE].groupby(UNIT, observed=True)["n"].max()
    units = pd.concat([valid.rename("n"), asked.rename("asked")], axis=1).fillna(0).astype(int).reset_index()
    small = lambda n: (n > 0) & (n < minimum)  # noqa: E731
    units["suppressed"] = small(units["n"]) | small(units["asked"])
    return units


def _whole(key: tuple) -> tuple:
    region, wave, item, partition, _, _ = key
    if partition == F.TOTAAL:
        return (region, wave, item, "", "totaal", F.TOTAAL)
    return (region, wave, item, F.TOTAAL, "sector", partition)


def filter_links(questionnaires: dict) -> dict[tuple[int, str], str]:
    """(wave, follow-up item id) -> the id of the item that filters it, from Item.filter of every
    questionnaire (the `filter:` entries of questionnaires/aoj_*.yaml)."""
    return {(wave, it.id): it.filter.item for wave, q in questionnaires.items() for it in q.items
            if it.filter is not None}


def _linked(keys: list[tuple], links: dict[tuple[int, str], str]) -> list[tuple[tuple, tuple]]:
    """(filter unit, follow-up unit) pairs of the same group."""
    present = set(keys)
    pairs = []
    for k in keys:
        source = links.get((k[1], k[2]))
        if source is not None and (k[0], k[1], source, *k[3:]) in present:
            pairs.append(((k[0], k[1], source, *k[3:]), k))
    return pairs


def _secondary(units: pd.DataFrame, minimum: int, links: dict[tuple[int, str], str] | None = None,
               counts: dict[tuple, dict[tuple, int]] | None = None) -> pd.DataFrame:
    units = units.copy()
    keys = [tuple(k) for k in units[UNIT].itertuples(index=False)]
    hidden = dict(zip(keys, units["suppressed"]))
    size = dict(zip(keys, units["n"]))
    pairs = _linked(keys, links or {})
    # The units of each item, in one pass (a sub-frame per item would cost more than the rules themselves).
    by_item: dict[tuple, list[tuple]] = {}
    for k in keys:
        by_item.setdefault(k[:3], []).append(k)
    parts = list(by_item.values())
    while True:
        for item_keys in parts:
            _secondary_item(item_keys, hidden, size, minimum, counts or {})
        linked = [follow for source, follow in pairs if hidden[source] and not hidden[follow] and size[follow] > 0]
        if not linked:
            break
        for k in linked:
            hidden[k] = True
    units["suppressed"] = [hidden[k] for k in keys]
    return units


def _counts(figs: pd.DataFrame) -> dict[tuple, dict[tuple, int]]:
    """unit -> (statistic, category) -> k, for the counts a whole and its members share."""
    part = figs[figs["statistic"].isin(ZERO_CHECKED) & figs["k"].notna()]
    out: dict[tuple, dict[tuple, int]] = {}
    for rec in part[UNIT + ["statistic", "category", "k"]].itertuples(index=False, name=None):
        out.setdefault(rec[:6], {})[rec[6:8]] = int(rec[8])
    return out


def _secondary_item(item_keys: list[tuple], hidden: dict, size: dict, minimum: int,
                    counts: dict[tuple, dict[tuple, int]]) -> None:
    """The secondary rules within one item, until they change nothing (hidden is updated in place)."""
    wholes: dict[tuple, list[tuple]] = {}
    for k in item_keys:
        if k[4] != "totaal":
            wholes.setdefault((k[3], k[4]), []).append(k)
    changed = True
    while changed:
        changed = False

        def hide(k: tuple) -> None:
            nonlocal changed
            if not hidden[k]:
                hidden[k] = changed = True

        for members in wholes.values():
            filled = [k for k in members if size[k] > 0]
            if hidden.get(_whole(members[0]), False):
                for k in filled:
                    hide(k)
                continue
            secret = [k for k in filled if hidden[k]]
            shown = sorted((k for k in filled if not hidden[k]), key=lambda k: (size[k], k[5]))
            while secret and shown and (len(secret) == 1 or sum(size[k] for k in secret) < minimum):
                secret.append(shown.pop(0))
            # Hidden members that together count 0 of what their whole counts are each 0: add a member that
            # has some (counts are never negative, so a zero sum tells every part).
            whole_counts = counts.get(_whole(members[0]), {})
            for cell, total in whole_counts.items():
                if total > 0 and secret and not any(counts.get(k, {}).get(cell, 0) for k in secret):
                    having = [k for k in shown if counts.get(k, {}).get(cell, 0) > 0]
                    if having:
                        secret.append(having[0])
                        shown.remove(having[0])
            for k in secret:
                hide(k)
        breakdowns = [k for k in item_keys if k[4] in ("functie", "schooltype")]
        if any(hidden[k] for k in item_keys if k[4] == "sector"):
            for k in breakdowns:
                hide(k)
        risky = set()
        for h in (k for k in item_keys if hidden[k] and size[k] > 0):
            risky.add((h[4], size[h]))
            whole = _whole(h)
            if whole in size and not hidden.get(whole, False):
                risky.add((h[4], size[whole] - size[h]))
        for k in breakdowns:
            if not hidden[k] and any(level != k[4] and n == size[k] for level, n in risky):
                hide(k)


def suppress(figs: pd.DataFrame, minimum: int, links: dict[tuple[int, str], str] | None = None) -> pd.DataFrame:
    """The Figures table with every figure hidden that is, or would give away, a unit below the minimum base.

    Args:
        figs: the Figures table with its tests (figures.schema.COLUMNS), one row per region x wave x item x
            group x statistic x category.
        minimum: the minimum base in respondents (regios.yaml `minimum_basis`).
        links: (wave, follow-up item) -> filter item, from filter_links(questionnaires); None: no filters.

    Returns:
        A table of the same rows and columns: hidden rows get suppressed = True and lose k, value and the
        interval; their bases go as the module docstring says. Tests, trends and benchmarks that would reveal a
        hidden unit are withdrawn (verdict NOT_TESTED). The rule (primary and complementary suppression): the
        module docstring; the threshold is the Verantwoording's.

    Raises:
        Nothing for a valid Figures table.
    """
    figs = figs.copy()
    units = _secondary(_units(figs, minimum), minimum, links, _counts(figs))
    hidden = units[units["suppressed"]][UNIT].assign(_hide=True)
    merged = figs.merge(hidden, on=UNIT, how="left")
    hide = merged["_hide"].eq(True).to_numpy()
    # Trend points share their unit with the wave's own figures (same respondents, same groups).
    figs.loc[hide, "suppressed"] = True
    for col in HIDDEN_COLUMNS:
        figs.loc[hide, col] = pd.NA if col == "k" else np.nan
    figs.loc[hide & _secret_base(figs, units, links or {}), "n"] = pd.NA
    return _withdraw_comparisons(figs, units)


def _secret_base(figs: pd.DataFrame, units: pd.DataFrame, links: dict[tuple[int, str], str]) -> np.ndarray:
    """Rows whose n must go when their unit is hidden: every base except who were asked (non-response rows),
    and that one too for a follow-up whose filter unit of the same group is hidden."""
    secret = ~figs["statistic"].isin([F.NONRESPONSE, F.COUNT]).to_numpy()
    hidden = set(units.loc[units["suppressed"], UNIT].itertuples(index=False, name=None))
    nonresponse = np.flatnonzero(~secret)
    for i, key in zip(nonresponse, figs.iloc[nonresponse][UNIT].itertuples(index=False, name=None)):
        source = links.get((key[1], key[2]))
        secret[i] = source is not None and (key[0], key[1], source, *key[3:]) in hidden
    return secret


def _withdraw_comparisons(figs: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    hidden = set(units.loc[units["suppressed"], UNIT].itertuples(index=False, name=None))
    sector = lambda region, wave, item, group: (region, wave, item, F.TOTAAL, "sector", group)  # noqa: E731
    total = lambda region, wave, item: (region, wave, item, "", "totaal", F.TOTAAL)  # noqa: E731

    def unit_of(region: str, wave: int, item: str, group: str) -> tuple:
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
    for col in HIDDEN_COLUMNS:
        figs.loc[trend_rows, col] = pd.NA if col == "k" else np.nan
    figs.loc[withdraw, "note"] = dutch.HIDDEN  # the words every output uses for a hidden figure
    return figs
