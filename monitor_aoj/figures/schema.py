"""The Figures table: one long table that every output reads. This module only defines its shape.

One row is one number with its base: a share of a category, a combined (positive) share, a mean mark, a
count of non-response, a test or a change between waves, for one region, wave, item and group. Renderers,
the narrative and the tests read this table; none of them computes a number of its own.
"""

from __future__ import annotations

import pandas as pd

# Groups a figure can be about.
ONDERWIJS, JEUGDHULP, TOTAAL = "onderwijs", "jeugdhulp", "totaal"
SECTOR_GROUPS = (ONDERWIJS, JEUGDHULP, TOTAAL)
OTHER_REGIONS = "overige_regios"  # benchmark: the other regions of the same wave in this input
SECTORS_COMPARED = "jeugdhulp_vs_onderwijs"  # sector test rows

# Statistics (the "statistic" column).
SHARE = "share"  # share of one answer category: k of n
POSITIVE = "positive"  # combined positive categories (ja, top-2), counted then rounded once
MEAN = "mean"  # mean of the rapportcijfer; n respondents
INSUFFICIENT = "insufficient"  # share of marks at or below the insufficient cut (5)
NONRESPONSE = "nonresponse"  # k skipped the item out of n who were asked
COUNT = "count"  # background: respondents per functie/schooltype; n is the group total
TREND_POINT = "trend_point"  # positive share (or mean) on the harmonised scale, comparable across waves
TREND = "trend"  # change of a trend point since an earlier wave (compare_to), with a test
# benchmark: mean of the other regions (each weighted equally), ci_low/ci_high their lowest/highest, k how many
# regions, n their respondents; diff = this region minus that mean; described, not tested (see comparisons.py)
BENCHMARK = "benchmark"
SECTOR_TEST = "sector_test"  # jeugdhulp versus onderwijs on the whole answer distribution
SUBTHEME = "subtheme"  # open question: k of the n answers mention this sub-theme (category = sub-theme id)
PROPORTIONS = (SHARE, POSITIVE, INSUFFICIENT, NONRESPONSE, COUNT)

# Verdicts (the "verdict" column of tests, trends and benchmarks).
SIGNIFICANT = "significant"  # corrected p below 0.05
NOT_SIGNIFICANT = "niet_significant"
NOT_TESTED = "niet_getoetst"  # a group below the minimum base, or nothing to test
NOT_ASKED = "niet_gevraagd"  # the item was not asked in this wave
NOT_COMPARABLE = "niet_vergelijkbaar"  # the scale changed without a declared harmonisation
NO_COMPARISON = "geen_vergelijking"  # no other region asked it (benchmark rows are then left out)

COLUMNS: dict[str, str] = {
    "region": "object",
    "wave": "int64",
    "theme": "object",
    "item": "object",
    "group_type": "object",  # "sector", "totaal", "functie", "schooltype", "benchmark", "vergelijking"
    "group": "object",  # "onderwijs", "jeugdhulp", "totaal", "functie:12", "schooltype:3", ...
    "partition": "object",  # the group this group is a part of ("totaal" for a sector); "" for the whole
    "statistic": "object",
    "category": "object",  # answer code(s) as text: "1", "1+2"; "" where not applicable
    "label": "object",  # Dutch label of the category
    "order": "int64",  # position of the category on its scale
    "k": "Int64",  # count in the category (for MEAN: the sum of marks is not stored)
    "n": "Int64",  # base: respondents with a valid answer (for NONRESPONSE: who were asked)
    "value": "float64",  # k / n as a fraction, or the mean mark
    "ci_low": "float64",  # 95% interval: Wilson for a share, t for a mean
    "ci_high": "float64",
    "compare_to": "object",  # trend: the earlier wave; benchmark/sector test: what is compared
    "diff": "float64",  # difference (fraction or mark points): this minus compare_to
    "test": "object",  # name of the test
    "p_value": "float64",
    "p_adjusted": "float64",  # Benjamini-Hochberg over all tests of one report (region and wave)
    "verdict": "object",
    "note": "object",  # why not comparable, a harmonisation remark, ...
    "scale": "object",  # trend points: the harmonised scale's signature; two points compare only if equal
    "suppressed": "bool",  # True: below the minimum base, or hidden so it cannot be derived
}


def conform(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with exactly the schema's columns, in order and with its dtypes."""
    out = frame.copy()
    for col, dtype in COLUMNS.items():
        if col not in out:
            if dtype == "bool":
                out[col] = False
            elif dtype == "object":
                out[col] = ""
            elif dtype == "Int64":
                out[col] = pd.Series(pd.NA, index=out.index, dtype="Int64")
            else:
                out[col] = float("nan")
        if dtype == "object":
            out[col] = out[col].fillna("")
        elif dtype == "bool":
            out[col] = out[col].astype("boolean").fillna(False)  # NaN would become True
        out[col] = out[col].astype(dtype)
    return out[list(COLUMNS)].reset_index(drop=True)


def empty() -> pd.DataFrame:
    return conform(pd.DataFrame({c: [] for c in COLUMNS}))
