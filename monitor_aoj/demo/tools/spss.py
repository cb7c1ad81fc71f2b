"""A region's SPSS file: its own variable names and numbering, value labels as ours, user-missing codes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from monitor_aoj.demo.tools.fields import (
    MISSING_WORDING,
    OTHER_TEXT,
    ToolField,
    ToolWave,
    exported_at,
    fold_label,
    is_yes_no,
    stamp_sav,
)

SPSS_MISSING = {"geen_antwoord": 99, "niet_van_toepassing": -1}


def _spss_codes(w: ToolWave, f: ToolField) -> dict[int, int]:
    """Our code -> the code this region's SPSS file uses: its own numbering, labels as ours."""
    choices = list(f.choices)
    bg = w.q.background
    if f.column == bg.sector.column:
        return {code: k for k, (code, _) in enumerate(reversed(choices), start=1)}
    if f.column == bg.functie.column:
        sector_of = {c.code: c.sector for c in bg.functie.choices}
        ordered = sorted(choices, key=lambda c: (c[0] == f.other_code, sector_of.get(c[0]) != "jeugdhulp"))
        return {code: k for k, (code, _) in enumerate(ordered, start=1)}
    if f.item is not None and is_yes_no(f):
        return {code: {"ja": 1, "nee": 0, "weetikniet": 9}[fold_label(label)] for code, label in choices}
    if f.item is not None and f.item.closed_scale.kind == "ordinaal":
        return {code: k for k, (code, _) in enumerate(reversed(choices), start=1)}
    return {code: k for k, (code, _) in enumerate(choices, start=1)}


def write_spss(w: ToolWave, folder: Path, stem: str) -> tuple[list[Path], dict]:
    import pyreadstat

    names: dict[str, str] = {}
    number = 0
    for f in w.fields:
        if f.kind == "id":
            names[f.column] = "respnr"
        elif f.kind == "other":
            names[f.column] = f"{names[f.parent]}_anders"
        else:
            number += 1
            names[f.column] = f"vr{number:02d}"
    data: dict[str, object] = {}
    labels: dict[str, str] = {}
    value_labels: dict[str, dict[float, str]] = {}
    missing_ranges: dict[str, list] = {}
    measure: dict[str, str] = {}
    missing_values = {w.missing[c].kind: c for c in w.missing}
    own_missing = {code: SPSS_MISSING[m.kind] for code, m in w.missing.items()}
    missing_labels = {float(SPSS_MISSING[kind]): MISSING_WORDING["spss"][kind] for kind in missing_values}
    koppeling: dict = {"indeling": "spss", "codes": "labels", "kolommen": {}}
    for f in w.fields:
        name = names[f.column]
        koppeling["kolommen"][name] = f.column
        if f.kind == "id":
            data[name] = [float(w.respondent(f, i)) for i in range(w.n)]
            labels[name], measure[name] = "Respondentnummer", "scale"
            data["datum"] = pd.to_datetime(pd.Series(w.starts, dtype="datetime64[ns]"))
            labels["datum"], measure["datum"] = "Startdatum", "scale"
            continue
        labels[name] = f.text if f.kind != "other" else f"{OTHER_TEXT} (functie)"
        if f.kind in ("open", "other"):
            data[name] = [w.text(f, i) for i in range(w.n)]
            measure[name] = "nominal"
            continue
        codes = _spss_codes(w, f) if f.kind == "closed" else {c: c for c in f.item_scale.codes}
        codes |= own_missing

        def own(i: int, f: ToolField = f, codes: dict[int, int] = codes) -> float:
            code = w.code(f, i)
            if code is None:
                return np.nan
            return float(codes[code])

        data[name] = [own(i) for i in range(w.n)]
        if f.kind == "closed":
            value_labels[name] = {float(codes[code]): label for code, label in f.choices} | missing_labels
            measure[name] = "ordinal" if f.item is not None and f.item.closed_scale.kind == "ordinaal" else "nominal"
        else:
            value_labels[name] = dict(missing_labels)
            measure[name] = "scale"
        missing_ranges[name] = sorted(float(v) for v in SPSS_MISSING.values())
    frame = pd.DataFrame(data)
    path = folder / f"{stem}.sav"
    pyreadstat.write_sav(frame, str(path), column_labels=[labels[c] for c in frame.columns],
                         variable_value_labels=value_labels, missing_ranges=missing_ranges, variable_measure=measure)
    stamp_sav(path, exported_at(w))
    return [path], koppeling
