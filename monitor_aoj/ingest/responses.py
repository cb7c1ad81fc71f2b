"""The tidy stage: validated RawExports -> the one Responses table every later stage reads.

One row per respondent (with sector, functie, schooltype), one row per respondent and closed item (with the
questionnaire code and the harmonised code for trends), and one row per non-empty open answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from monitor_aoj.definitions.questionnaire import Item, Questionnaire
from monitor_aoj.dutch import row_list
from monitor_aoj.errors import ReadError
from monitor_aoj.figures.schema import JEUGDHULP, ONDERWIJS
from monitor_aoj.ingest.columns import FUNCTIE_OTHER, RESPONDENT, ROW, SCHOOLTYPE
from monitor_aoj.ingest.decode import INVALID, NO_ANSWER, NOT_APPLICABLE, VALID, derive_sector
from monitor_aoj.ingest.read import RawExport

RESPONDENT_COLUMNS = ["region", "wave", "respondent", "sector", "sector_stated", "functie", "functie_other",
                      "schooltype", "file", "row"]
ANSWER_COLUMNS = ["region", "wave", "respondent", "sector", "item", "code", "code_h", "status", "respondent_row"]
OPEN_COLUMNS = ["region", "wave", "respondent", "sector", "item", "text", "file", "row"]


@dataclass(frozen=True)
class Responses:
    respondents: pd.DataFrame  # RESPONDENT_COLUMNS; sector is "onderwijs" or "jeugdhulp"
    answers: pd.DataFrame  # ANSWER_COLUMNS, one row per respondent and closed item; code/code_h Int16, status
    # from monitor_aoj.ingest.decode; region, sector, item, status categorical, wave int16 (a national file has
    # tens of millions of rows); respondent_row (int32): the respondent's position in `respondents`
    open_answers: pd.DataFrame  # OPEN_COLUMNS; text as typed, not yet anonymised
    asked: pd.DataFrame  # (region, wave, item, variant): which items each region asked in each wave, and with
    # which scale: variant is "" for the questionnaire's own, else the id of the scale this region used


def respondent_ids(values: pd.Series) -> pd.Series:
    """Ids compared as written: text stays text ('012' is not '12'); a whole number stored as a number (SPSS and
    Excel give 12.0) is written as 12. Outer spaces do not count."""

    def one(v: object) -> object:
        if v is None or (isinstance(v, float) and v != v):
            return None
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return str(int(v)) if float(v).is_integer() else repr(float(v))
        text = " ".join(str(v).split())
        return text or None

    return values.map(one).astype(object)


Kinds = dict[str, Any]  # answer column -> its dtype: a CategoricalDtype or a dtype name


def build_responses(raws: list[RawExport], questionnaires: dict[int, Questionnaire]) -> Responses:
    """The tidy tables of every clean export (the stage's entry point).

    Args:
        raws: the validated exports with their rows in quarantine removed (ValidationResult.clean_exports()).
        questionnaires: wave -> questionnaire, with each region's own questions added.

    Returns:
        Responses: respondents (one row per respondent), answers (one row per respondent and closed item, the
        questionnaire's code and the harmonised code for trends, with its status), open_answers (one row per
        non-empty open answer, not yet anonymised) and asked (which items each region asked, on which scale).

    Raises:
        ReadError: a row has no sector (validation quarantines such rows, so this means an unvalidated export).
    """
    respondents, answers, opens, asked = [], [], [], []
    kinds: Kinds = {
        "region": pd.CategoricalDtype(sorted({raw.export.region for raw in raws})),
        "sector": pd.CategoricalDtype(_sectors(questionnaires)),
        "item": pd.CategoricalDtype(sorted({it.id for q in questionnaires.values() for it in q.items})),
        "status": pd.CategoricalDtype([VALID, NO_ANSWER, NOT_APPLICABLE, INVALID]),
        # Small numbers in small types: codes are at most a few dozen, waves years, positions under 2**31.
        "wave": "int16", "code": "Int16", "code_h": "Int16", "respondent_row": "int32",
    }
    offset = 0
    for raw in raws:
        r, a, o, k = _tidy_one(raw, questionnaires[raw.export.wave], kinds)
        a["respondent_row"] += offset
        offset += len(r)
        respondents.append(r)
        answers.append(a)
        opens.append(o)
        asked.append(k)
    return Responses(
        respondents=_concat(respondents, RESPONDENT_COLUMNS),
        answers=_concat(answers, ANSWER_COLUMNS).astype(kinds, copy=False),
        open_answers=_concat(opens, OPEN_COLUMNS),
        asked=_concat(asked, ["region", "wave", "item", "variant"]),
    )


def _sectors(questionnaires: dict[int, Questionnaire]) -> list[str]:
    """Every sector a respondent can be in: onderwijs, jeugdhulp, and any other a questionnaire names."""
    named = {c.sector for q in questionnaires.values()
             for c in q.background.sector.choices + q.background.functie.choices if c.sector}
    return [ONDERWIJS, JEUGDHULP] + sorted(named - {ONDERWIJS, JEUGDHULP})


def _concat(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    return pd.concat(parts, ignore_index=True)[columns]


def _tidy_one(raw: RawExport, q: Questionnaire,
              kinds: Kinds) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Respondents, answers, open answers and asked items of one export; answers in the dtypes of `kinds` (one
    dtype for all files, so concatenating keeps the categories)."""
    frame = raw.frame
    ex = raw.export
    # Without an id (reported by validation) a respondent is named after the row the user sees.
    by_row = frame[ROW].map(lambda r: f"rij {r}")
    ids = respondent_ids(frame[RESPONDENT]).fillna(by_row) if RESPONDENT in frame else by_row
    sector, stated, functie = derive_sector(frame, q, raw.coding, raw.decode)
    school = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    if SCHOOLTYPE in frame:
        school = raw.decode(SCHOOLTYPE).code
    problems = []
    if sector.isna().any():
        rows = frame.loc[sector.isna(), ROW].tolist()
        problems.append(f"rij {row_list(rows)}: sector ontbreekt of is onbekend")
    if problems:
        raise ReadError(f"{raw.name}: " + "; ".join(problems) + ". Vul de sector in of verwijder de rij.")
    respondents = pd.DataFrame({
        "region": ex.region,
        "wave": ex.wave,
        "respondent": ids,
        "sector": sector,
        "sector_stated": stated,
        "functie": functie,
        "functie_other": frame[FUNCTIE_OTHER] if FUNCTIE_OTHER in frame else None,
        "schooltype": school,
        "file": raw.name,
        "row": frame[ROW],
    })

    open_parts = []
    asked = []
    codes_by_item: dict[str, pd.Series] = {}
    # Per closed item only its own columns (codes and status codes, small integers); the columns every item
    # repeats are made once at the end, in their final dtypes: a DataFrame and an astype per item was most of
    # the time, and a large export never has all its answers as plain objects at once.
    closed: list[str] = []
    codes: list[pd.Series] = []
    harmonised: list[pd.Series] = []
    statuses: list[np.ndarray] = []
    for item in q.items_for(ex.extras, ex.omitted):
        if item.id not in frame:
            continue  # a missing column is reported by validation; the item counts as not asked
        asked.append(item.id)
        variant = ex.mapping.scale_for(item.id)
        if item.is_open:
            text = frame[item.id].map(lambda v: None if v is None else str(v).strip())
            keep = text.notna() & (text != "")
            open_parts.append(pd.DataFrame({
                "region": ex.region, "wave": ex.wave, "respondent": ids[keep], "sector": sector[keep],
                "item": item.id, "text": text[keep], "file": raw.name, "row": frame.loc[keep, ROW],
            }))
            continue
        # A value validation set aside keeps its status "ongeldig": outside the base, counted as non-response.
        coded = raw.decode(item.id)
        status = coded.status.copy()
        code = coded.code.copy()
        if item.filter is not None and item.filter.item in codes_by_item:
            # Only those the filter applies to were asked; other answers do not count in the base. (Without the
            # filter question's column, validation has reported it; every answer then counts.)
            eligible = codes_by_item[item.filter.item].isin(item.filter.codes).fillna(False).astype(bool)
            status[~eligible] = NOT_APPLICABLE
            code[~eligible] = pd.NA
        codes_by_item[item.id] = code
        closed.append(item.id)
        codes.append(code)
        # Answers on a region's own scale variant have no declared harmonisation: never compared over waves.
        harmonised.append(_harmonise(code, item) if not variant else
                          pd.Series(pd.NA, index=code.index, dtype="Int64"))
        statuses.append(_category_codes(status.to_numpy(dtype=object), kinds["status"]))
    answers = _answer_frame(ex.region, ex.wave, ids, sector, closed, codes, harmonised, statuses, kinds) \
        if closed else pd.DataFrame(columns=ANSWER_COLUMNS)
    opens = pd.concat(open_parts, ignore_index=True) if open_parts else pd.DataFrame(columns=OPEN_COLUMNS)
    asked_frame = pd.DataFrame({"region": ex.region, "wave": ex.wave, "item": asked,
                                "variant": [ex.mapping.scale_for(i) for i in asked]})
    return respondents, answers, opens, asked_frame


def _category_codes(values: np.ndarray, kind: pd.CategoricalDtype) -> np.ndarray:
    """The codes of `values` as categories of `kind`; -1 (missing) for a value that is none of them, as astype
    gives. For a handful of categories, as status has."""
    out = np.full(len(values), -1, dtype=np.int8)
    for i, category in enumerate(kind.categories):
        out[values == category] = i
    return out


def _integers(parts: list[pd.Series], dtype: str) -> pd.arrays.IntegerArray:
    """Nullable integer Series laid end to end, as one array of `dtype` (Int16: codes are small)."""
    values = np.concatenate([p.to_numpy(dtype="int64", na_value=0) for p in parts])
    missing = np.concatenate([p.isna().to_numpy() for p in parts])
    return pd.array(pd.arrays.IntegerArray(values, missing), dtype=dtype)


def _answer_frame(region: str, wave: int, ids: pd.Series, sector: pd.Series, items: list[str],
                  codes: list[pd.Series], harmonised: list[pd.Series], statuses: list[np.ndarray],
                  kinds: Kinds) -> pd.DataFrame:
    """The answers of one export, item after item, every column in its dtype of `kinds` (ANSWER_COLUMNS)."""
    n, m = len(ids), len(items)
    item_kind, region_kind, sector_kind = kinds["item"], kinds["region"], kinds["sector"]
    item_codes = item_kind.categories.get_indexer(items)
    region_code = region_kind.categories.get_indexer([region])[0]
    sector_codes = pd.Categorical(sector, dtype=sector_kind).codes
    return pd.DataFrame({
        "region": pd.Categorical.from_codes(np.full(n * m, region_code), dtype=region_kind),
        "wave": np.full(n * m, wave, dtype=kinds["wave"]),
        "respondent": np.tile(ids.to_numpy(dtype=object), m),
        "sector": pd.Categorical.from_codes(np.tile(sector_codes, m), dtype=sector_kind),
        "item": pd.Categorical.from_codes(np.repeat(item_codes, n), dtype=item_kind),
        "code": _integers(codes, kinds["code"]),
        "code_h": _integers(harmonised, kinds["code_h"]),
        "status": pd.Categorical.from_codes(np.concatenate(statuses), dtype=kinds["status"]),
        "respondent_row": np.tile(np.arange(n, dtype=kinds["respondent_row"]), m),
    })


def _harmonise(code: pd.Series, item: Item) -> pd.Series:
    h = item.harmonisation
    if h is None or not h.comparable:
        return pd.Series(pd.NA, index=code.index, dtype="Int64")
    if not h.recode:
        return code
    return code.map(h.recode, na_action="ignore").astype("Int64")
