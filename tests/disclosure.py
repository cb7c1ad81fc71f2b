"""An attacker: reads everything a run published and works out what it can of the hidden figures.

What it reads: the "Alle cijfers" sheet of every workbook (the Figures of each report), the bases printed in
the other sheets and in the item tables of every HTML report, and the questionnaires (which are public, and
say which question filters which). What it knows about the method: who is in which group (a sector is part of
totaal, a functie of its sector, a schooltype of totaal), that a follow-up is asked of exactly those who gave
the filter's codes, that the benchmark pools the other regions' totals, what a trend and a sector difference
are. Every such fact becomes a linear equation between published and hidden quantities; the attacker then
solves the whole system (not only the one-unknown equations a person would try by hand) and reports every
hidden quantity that the system pins down.

Quantities (the variables):
- ("k", unit, statistic, category): a count; unit = (region, wave, item, group_type, group, partition);
- ("valid", unit) / ("asked", unit): who answered / who were asked;
- ("value", unit, statistic, category): a share or mean, for differences (trends, sector tests, benchmark).
A hidden cell is a count or value of a row the outputs mark as suppressed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import openpyxl

from monitor_aoj.dutch import GROUP_LABELS, STATISTIC_LABELS
from monitor_aoj.figures import schema as F

COUNTED = (F.SHARE, F.POSITIVE, F.NONRESPONSE, F.SUBTHEME, F.INSUFFICIENT)
FROM_DUTCH_STATISTIC = {v: k for k, v in STATISTIC_LABELS.items()}
FROM_DUTCH_GROUP = {v: k for k, v in GROUP_LABELS.items()}
HTML_BASE_ROW = "Aantal respondenten met antwoord (n)"
HTML_NONRESPONSE_ROW = "Geen antwoord gegeven"


@dataclass
class Published:
    """What the outputs show: known quantities, the rows they come from, and which cells are hidden."""

    known: dict[tuple, float] = field(default_factory=dict)
    hidden: set[tuple] = field(default_factory=set)  # count/value variables of suppressed rows
    rows: list[dict] = field(default_factory=list)  # every Figures row read, with Python values
    conflicts: list[str] = field(default_factory=list)  # one output printing another number than another
    implied: list = field(default_factory=list)  # recoveries a shown whole of 0 says of all its members

    def learn(self, var: tuple, value: float, where: str) -> None:
        if value is None:
            return
        old = self.known.get(var)
        if old is not None and abs(old - value) > 1e-6:
            self.conflicts.append(f"{where}: {var} = {value}, elsewhere {old}")
        self.known[var] = float(value)


def _unit(r: dict) -> tuple:
    return (r["region"], r["wave"], r["item"], r["group_type"], r["group"], r["partition"])


def read_outputs(folder: Path, questionnaires: dict | None = None) -> Published:
    """Every workbook's Figures sheet, the bases printed in its other sheets (with questionnaires, to know
    the items by their short names) and every report's item-table bases under folder."""
    pub = Published()
    for book_path in sorted(Path(folder).rglob("monitor-aoj_*.xlsx")):
        book = openpyxl.load_workbook(book_path, read_only=True)
        sheet = book["Alle cijfers"]
        rows = sheet.iter_rows(values_only=True)
        head = list(next(rows))
        col = {name: head.index(name) for name in head}
        for values in rows:
            if values[0] is None:
                continue
            r = {
                "region": values[col["Regio-id"]], "wave": int(values[col["Meting"]]),
                "item": values[col["Vraag-id"]], "group_type": values[col["Soort groep"]],
                "group": values[col["Groep-id"]],
                "partition": FROM_DUTCH_GROUP.get(values[col["Deel van"]], values[col["Deel van"]] or ""),
                "statistic": FROM_DUTCH_STATISTIC.get(values[col["Statistiek"]], values[col["Statistiek"]]),
                "category": "" if values[col["Categorie"]] is None else str(values[col["Categorie"]]),
                "k": values[col["Aantal (k)"]],
                "n": values[col["Basis (n)"]], "value": values[col["Waarde"]],
                "compare_to": "" if values[col["Vergeleken met"]] is None else str(values[col["Vergeleken met"]]),
                "diff": values[col["Verschil"]],
                "suppressed": values[col["Onderdrukt"]] == "ja", "source": book_path.name,
            }
            pub.rows.append(r)
            _learn_row(pub, r)
        if questionnaires is not None:
            _read_sheets(pub, book, book_path, questionnaires)
        book.close()
    for html in sorted(Path(folder).rglob("monitor-aoj_*.html")):
        _read_html(pub, html)
    return pub


def _learn_row(pub: Published, r: dict) -> None:
    unit, stat, where = _unit(r), r["statistic"], r["source"]
    if stat in COUNTED or stat == F.COUNT:
        var = ("k", unit, stat, r["category"])
        if r["suppressed"]:
            pub.hidden.add(var)
        pub.learn(var, r["k"], where)
    if stat in (F.SHARE, F.POSITIVE, F.MEAN, F.INSUFFICIENT, F.SUBTHEME):
        pub.learn(("valid", unit), r["n"], where)
    if stat == F.NONRESPONSE:
        pub.learn(("asked", unit), r["n"], where)
    if stat in (F.POSITIVE, F.MEAN, F.TREND_POINT):
        var = ("value", unit, F.TREND_POINT if stat == F.TREND_POINT else "head", r["category"])
        if r["suppressed"]:
            pub.hidden.add(var)
        pub.learn(var, r["value"], where)


NONRESPONSE_LABEL = "Geen antwoord (van wie de vraag kreeg)"


def _read_sheets(pub: Published, book, path: Path, questionnaires: dict) -> None:
    """The bases of the per-item sheets: 'Vragen' (answered, and who were asked on the non-response row),
    'Open antwoorden' (answers per sub-theme table), and 'Uitsplitsing', where a hidden row prints nothing."""
    region, wave = path.stem.split("_")[1], int(path.stem.split("_")[2])
    shorts: dict[str, list[str]] = defaultdict(list)
    for it in questionnaires[wave].items:
        shorts[it.short].append(it.id)

    def sheet_rows(name):
        rows = book[name].iter_rows(values_only=True)
        head = list(next(rows, []))
        for values in rows:
            if values and values[0] is not None:
                yield dict(zip(head, values))

    for sheet, suffix in (("Vragen", " n"), ("Open antwoorden", " n (antwoorden)")):
        if sheet not in book.sheetnames:
            continue
        for row in sheet_rows(sheet):
            ids = shorts.get(row["Vraag"], [])
            if len(ids) != 1:
                continue
            for group, label in GROUP_LABELS.items():
                unit = (region, wave, ids[0], "totaal" if group == F.TOTAAL else "sector", group,
                        "" if group == F.TOTAAL else F.TOTAAL)
                n = row.get(label + suffix)
                if row.get("Antwoord") == NONRESPONSE_LABEL:
                    pub.learn(("asked", unit), n, f"{path.name}/{sheet}")
                    pub.learn(("k", unit, F.NONRESPONSE, ""), row.get(label + " aantal"), f"{path.name}/{sheet}")
                else:
                    pub.learn(("valid", unit), n, f"{path.name}/{sheet}")
    if "Uitsplitsing" in book.sheetnames:
        for row in sheet_rows("Uitsplitsing"):
            if row["Onderdrukt"] == "ja" and any(row[c] is not None for c in ("Waarde", "aantal", "n")):
                pub.conflicts.append(f"{path.name}/Uitsplitsing: a hidden row prints {row}")


def _read_html(pub: Published, path: Path) -> None:
    """The bases printed under each item table: per sector column, n with an answer and 'k van n' skipped."""
    from htmltables import tables

    region, wave = path.stem.split("_")[1], int(path.stem.split("_")[2])
    for table_id, table in tables(path.read_text(encoding="utf-8")).items():
        if not table_id.startswith("tabel-") or not table:
            continue
        item = table_id[len("tabel-"):]
        head = table[0]
        for row in table[1:]:
            for g_label, text in zip(head[1:], row[1:]):
                group = FROM_DUTCH_GROUP.get(g_label)
                if group is None:
                    continue
                unit = (region, wave, item, "totaal" if group == F.TOTAAL else "sector", group,
                        "" if group == F.TOTAAL else F.TOTAAL)
                text = text.replace(".", "")
                if row[0] == HTML_BASE_ROW and text.isdigit():
                    pub.learn(("valid", unit), int(text), path.name)
                elif row[0] == HTML_NONRESPONSE_ROW and " van " in text:
                    k, n = text.split(" van ")
                    pub.learn(("k", unit, F.NONRESPONSE, ""), int(k), path.name)
                    pub.learn(("asked", unit), int(n), path.name)


def _whole(unit: tuple) -> tuple | None:
    region, wave, item, group_type, _, partition = unit
    if group_type == "totaal" or group_type in ("benchmark", "vergelijking"):
        return None
    if partition == F.TOTAAL:
        return (region, wave, item, "totaal", F.TOTAAL, "")
    return (region, wave, item, "sector", partition, F.TOTAAL)


def equations(pub: Published, questionnaires: dict, minimum: int) -> list[tuple[dict, float]]:
    """Every identity the attacker knows, as (coefficients per variable, constant): sum(c * x) = constant."""
    eqs: list[tuple[dict, float]] = []
    units = {_unit(r) for r in pub.rows}
    cats: dict[tuple, set] = defaultdict(set)  # unit -> (statistic, category) of its counts
    for r in pub.rows:
        if r["statistic"] in COUNTED:
            cats[_unit(r)].add((r["statistic"], r["category"]))
    # Differences of totals and breakdowns: a whole is the sum of its members (per level).
    # A group without a row for this item (nobody in it answered) is still a member: its groups are those of
    # every item of the report.
    groups = defaultdict(set)  # (region, wave, group_type, partition) -> groups
    for u in units:
        groups[(u[0], u[1], u[3], u[5])].add(u[4])
    members: dict[tuple, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for u in units:
        whole = _whole(u)
        if whole is not None and whole in units and u[3] not in members[whole]:
            members[whole][u[3]] = [(*u[:4], g, u[5]) for g in sorted(groups[(u[0], u[1], u[3], u[5])])]
    for whole, levels in members.items():
        for parts in levels.values():
            for stat, cat in cats[whole] - {(F.NONRESPONSE, "")}:
                eqs.append(({("k", whole, stat, cat): 1, **{("k", p, stat, cat): -1 for p in parts}}, 0))
            for kind in ("valid", "asked"):
                eqs.append(({(kind, whole): 1, **{(kind, p): -1 for p in parts}}, 0))
    # Non-response: asked = answered + skipped, also in the breakdowns where it is not printed (a breakdown's
    # skipped add up to its whole's).
    closed = {u[:3] for u in units if (F.NONRESPONSE, "") in cats[u]}
    for u in units:
        if u[:3] in closed:
            eqs.append(({("asked", u): 1, ("valid", u): -1, ("k", u, F.NONRESPONSE, ""): -1}, 0))
    for whole, levels in members.items():
        if whole[:3] in closed:
            for parts in levels.values():
                eqs.append(({("k", whole, F.NONRESPONSE, ""): 1,
                             **{("k", p, F.NONRESPONSE, ""): -1 for p in parts}}, 0))
    for u in units:
        # The shares of one item add up to who answered; the combined share is the sum of its categories.
        shares = [c for s, c in cats[u] if s == F.SHARE]
        if shares:
            eqs.append(({("valid", u): 1, **{("k", u, F.SHARE, c): -1 for c in shares}}, 0))
            for s, c in cats[u]:
                if s == F.POSITIVE and "+" in c and all(x in shares for x in c.split("+")):
                    eqs.append(({("k", u, F.POSITIVE, c): 1, **{("k", u, F.SHARE, x): -1 for x in c.split("+")}},
                                0))
    # Filter bases: a follow-up is asked of exactly those who gave the filter's codes.
    for u in units:
        q = questionnaires.get(u[1])
        item = q.item(u[2]) if q is not None and q.has_item(u[2]) else None
        if item is None or item.filter is None:
            continue
        fu = (u[0], u[1], item.filter.item, *u[3:])
        if fu in units:
            codes = [str(c) for c in item.filter.codes]
            if all((F.SHARE, c) in cats[fu] for c in codes):
                eqs.append(({("asked", u): 1, **{("k", fu, F.SHARE, c): -1 for c in codes}}, 0))
            if (F.POSITIVE, "+".join(codes)) in cats[fu]:  # breakdowns print only the combined share
                eqs.append(({("asked", u): 1, ("k", fu, F.POSITIVE, "+".join(codes)): -1}, 0))
    # Trends and sector tests: a shown difference of two values.
    for r in pub.rows:
        if r["diff"] is None:
            continue
        u = _unit(r)
        if r["statistic"] == F.TREND:
            earlier = (u[0], int(r["compare_to"]), *u[2:])
            eqs.append(({("value", u, F.TREND_POINT, r["category"]): 1,
                         ("value", earlier, F.TREND_POINT, r["category"]): -1}, r["diff"]))
        elif r["statistic"] == F.SECTOR_TEST:
            jh = (u[0], u[1], u[2], "sector", F.JEUGDHULP, F.TOTAAL)
            ow = (u[0], u[1], u[2], "sector", F.ONDERWIJS, F.TOTAAL)
            heads = {c for (s, c) in cats[jh] if s == F.POSITIVE} or {""}
            for c in heads:
                eqs.append(({("value", jh, "head", c): 1, ("value", ow, "head", c): -1}, r["diff"]))
    eqs += _benchmark_equations(pub, minimum)
    return eqs


def _benchmark_equations(pub: Published, minimum: int) -> list[tuple[dict, float]]:
    """The pooled other regions: the pool's count and base are sums over the regions in the pool. The
    attacker guesses the pool (the other regions that asked the item to at least the minimum) and keeps the
    guess only when the published bases add up."""
    eqs = []
    totals = defaultdict(dict)  # (wave, item) -> region -> positive row of totaal
    for r in pub.rows:
        if r["statistic"] == F.POSITIVE and r["group"] == F.TOTAAL:
            totals[(r["wave"], r["item"])][r["region"]] = r
    for r in pub.rows:
        if r["statistic"] != F.BENCHMARK or r["n"] is None or r["k"] is None:
            continue
        regions = totals.get((r["wave"], r["item"]), {})
        others = [reg for reg, t in regions.items() if reg != r["region"]
                  and pub.known.get(("valid", _unit(t)), minimum) >= minimum]
        if not others:
            continue
        pool = [_unit(regions[reg]) for reg in others]
        known_n = [pub.known.get(("valid", p)) for p in pool]
        if all(n is not None for n in known_n) and sum(known_n) != r["n"]:
            continue  # the guess is wrong
        cat = regions[others[0]]["category"]
        eqs.append(({("k", p, F.POSITIVE, cat): 1 for p in pool}, r["k"]))
        eqs.append(({("valid", p): 1 for p in pool}, r["n"]))
    return eqs


def solve(known: dict[tuple, float], eqs: list[tuple[dict, float]], integer_exact: bool = True) -> dict[tuple, float]:
    """Every variable the equations pin down, given the known ones. Substitutes what is known, then per
    connected group of unknowns finds those that every solution agrees on (the null space is zero there)."""
    known = dict(known)
    # Counts times bases give values and back: propagate until nothing new, alternating with the linear solve.
    for _ in range(10):
        before = len(known)
        _zero_sums(known, eqs)
        _solve_linear(known, eqs)
        _link_values(known)
        if len(known) == before:
            break
    return known


def _zero_sums(known: dict, eqs: list) -> None:
    """Counts are never negative: a known 0 that is the sum of unknown counts makes each of them 0."""
    for coefs, const in eqs:
        if const != 0 or any(v[0] == "value" for v in coefs):
            continue
        plus = [v for v, c in coefs.items() if c > 0]
        minus = [v for v, c in coefs.items() if c < 0]
        for whole, parts in ((plus, minus), (minus, plus)):
            if len(whole) == 1 and known.get(whole[0]) == 0:
                for v in parts:
                    known.setdefault(v, 0.0)


def _link_values(known: dict) -> None:
    for var in list(known):
        if var[0] != "k" or var[2] != F.POSITIVE:
            continue
        unit, cat = var[1], var[3]
        n = known.get(("valid", unit))
        value = ("value", unit, "head", cat)
        if n and value not in known:
            known[value] = known[var] / n
    for var in list(known):
        if var[0] != "value" or var[2] != "head":
            continue
        unit, cat = var[1], var[3]
        n = known.get(("valid", unit))
        k = ("k", unit, F.POSITIVE, cat)
        if n and k not in known:
            known[k] = round(known[var] * n)


def _solve_linear(known: dict, eqs: list) -> None:
    reduced = []
    for coefs, const in eqs:
        rest = {}
        for var, c in coefs.items():
            if var in known:
                const -= c * known[var]
            else:
                rest[var] = rest.get(var, 0) + c
        rest = {v: c for v, c in rest.items() if c != 0}
        if rest:
            reduced.append((rest, const))
    parent: dict = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for rest, _ in reduced:
        first = next(iter(rest))
        for v in rest:
            parent[find(v)] = find(first)
    groups: dict = defaultdict(list)
    for rest, const in reduced:
        groups[find(next(iter(rest)))].append((rest, const))
    for eq_list in groups.values():
        variables = sorted({v for rest, _ in eq_list for v in rest}, key=repr)
        index = {v: i for i, v in enumerate(variables)}
        a = np.zeros((len(eq_list), len(variables)))
        b = np.zeros(len(eq_list))
        for row, (rest, const) in enumerate(eq_list):
            for v, c in rest.items():
                a[row, index[v]] = c
            b[row] = const
        solution, *_ = np.linalg.lstsq(a, b, rcond=None)
        _, s, vt = np.linalg.svd(a)
        rank = int(np.sum(s > 1e-9 * max(1.0, s.max() if s.size else 1.0)))
        null = vt[rank:]
        free = np.abs(null).max(axis=0) if len(null) else np.zeros(len(variables))
        for v, i in index.items():
            if free[i] < 1e-8:
                known[v] = float(solution[i])


@dataclass
class Recovery:
    var: tuple
    value: float


def attack(folder: Path, questionnaires: dict, minimum: int) -> tuple[list[Recovery], Published]:
    """Every hidden cell (count or value of a suppressed row) that the outputs under folder give away."""
    pub = read_outputs(folder, questionnaires)
    found = solve(pub.known, equations(pub, questionnaires, minimum))
    recovered = [Recovery(v, found[v]) for v in sorted(pub.hidden, key=repr)
                 if v in found and v not in pub.known]
    pub.implied = [r for r in recovered if _said_by_a_whole(r, pub.known)]
    return [r for r in recovered if r not in pub.implied], pub


def _said_by_a_whole(r: Recovery, known: dict) -> bool:
    """A 0 that a shown whole already says of everyone in it (a sector where nobody said 'ja' has no functie
    where someone did): no suppression can hide that short of hiding the whole, and it tells nothing of the
    small group that the whole does not tell of all its members."""
    if abs(r.value) > 1e-9:
        return False
    kind, unit, *cell = r.var
    if kind == "value":
        kind, cell = "k", [F.POSITIVE, cell[1]]
    whole = _whole(unit)
    while whole is not None:
        if known.get((kind, whole, *cell)) == 0:
            return True
        whole = _whole(whole)
    return False
