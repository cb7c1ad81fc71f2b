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

# Statistics (the "statistic" column).
SHARE = "share"  # share of one answer category: k of n
POSITIVE = "positive"  # combined positive categories (ja, top-2), counted then rounded once
MEAN = "mean"  # mean of the rapportcijfer; n respondents
INSUFFICIENT = "insufficient"  # share of marks at or below the insufficient cut (5)
NONRESPONSE = "nonresponse"  # k skipped the item out of n who were asked
COUNT = "count"  # background: respondents per functie/schooltype; n is the group total

COLUMNS: dict[str, str] = {
    "region": "object",
    "wave": "int64",
    "theme": "object",
    "item": "object",
    "group_type": "object",  # "sector", "totaal", ...
    "group": "object",  # "onderwijs", "jeugdhulp", "totaal", ...
    "statistic": "object",
    "category": "object",  # answer code(s) as text: "1", "1+2"; "" where not applicable
    "label": "object",  # Dutch label of the category
    "order": "int64",  # position of the category on its scale
    "k": "Int64",  # count in the category (for MEAN: the sum of marks is not stored)
    "n": "Int64",  # base: respondents with a valid answer (for NONRESPONSE: who were asked)
    "value": "float64",  # k / n as a fraction, or the mean mark
    "ci_low": "float64",
    "ci_high": "float64",
    "suppressed": "bool",  # True: below the minimum base, or hidden so it cannot be derived
}


def conform(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with exactly the schema's columns, in order and with its dtypes."""
    out = frame.copy()
    for col, dtype in COLUMNS.items():
        if col not in out:
            out[col] = pd.Series(pd.NA if dtype in ("Int64", "object") else float("nan"), index=out.index)
            if dtype == "bool":
                out[col] = False
            if dtype == "object":
                out[col] = ""
        out[col] = out[col].astype(dtype)
    return out[list(COLUMNS)].reset_index(drop=True)


def empty() -> pd.DataFrame:
    return conform(pd.DataFrame({c: [] for c in COLUMNS}))
