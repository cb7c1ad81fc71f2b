"""What the questionnaires say about each closed item, as tables the counting joins on: its answer categories in
scale order, its theme and positive share, and the harmonised scale that makes waves comparable."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from monitor_aoj.definitions.questionnaire import Item, Questionnaire, Scale


def _scales(questionnaires: dict[int, Questionnaire],
            asked: pd.DataFrame | None) -> Iterator[tuple[int, Item, str, Scale]]:
    """(wave, item, variant, scale): every closed item on its own scale ("" variant), plus every scale variant
    a region asked it with (Responses.asked)."""
    for wave, q in questionnaires.items():
        for item in q.items:
            if not item.is_open:
                yield wave, item, "", item.closed_scale
    if asked is not None and "variant" in asked:
        for wave, item_id, variant in asked.loc[asked["variant"] != "", ["wave", "item", "variant"]].drop_duplicates(
                ).itertuples(index=False):
            q = questionnaires[wave]
            yield wave, q.item(item_id), variant, q.scales[variant]


def category_table(questionnaires: dict[int, Questionnaire], asked: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every answer category of every closed item in every wave (and scale variant), in scale order."""
    rows = []
    for wave, item, variant, scale in _scales(questionnaires, asked):
        for order, code in enumerate(scale.codes):
            rows.append({
                "wave": wave, "item": item.id, "variant": variant, "theme": item.theme, "code": code,
                "label": scale.label(code), "order": order, "positive": code in scale.positive,
                "insufficient": (scale.kind == "cijfer" and scale.insufficient_max is not None  # a cijfer has one
                                 and code <= scale.insufficient_max),
                "kind": scale.kind,
            })
    return pd.DataFrame(rows)


def item_facts(questionnaires: dict[int, Questionnaire], asked: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per wave, closed item and scale variant: theme, scale kind and the label of the positive share."""
    rows = [{"wave": w, "item": it.id, "variant": variant, "theme": it.theme, "kind": scale.kind,
             "positive_label": scale.positive_label or "positief",
             "positive_codes": "+".join(str(c) for c in sorted(scale.positive))}
            for w, it, variant, scale in _scales(questionnaires, asked)]
    return pd.DataFrame(rows)


def harmonised_facts(questionnaires: dict[int, Questionnaire]) -> pd.DataFrame:
    """Per wave and closed item: the harmonised scale its answers are put on, or why it cannot be compared.

    Whether two waves compare is decided per pair (comparisons, tables): their harmonised scales must offer the
    very same answers. So adding a new questionnaire never changes the trends in a report already made.
    """
    rows = []
    for wave, q in questionnaires.items():
        for it in q.items:
            if it.is_open:
                continue
            h = it.closed_harmonisation
            # A comparable harmonisation names its scale (questionnaire_reader).
            scale = h.scale if h.comparable and h.scale is not None else it.closed_scale
            rows.append({"wave": wave, "item": it.id, "comparable": h.comparable,
                         "note": h.reason if not h.comparable else h.note,
                         "scale": scale.signature if h.comparable else "",
                         "h_kind": scale.kind, "h_positive": tuple(sorted(scale.positive)),
                         "h_label": scale.positive_label or "positief"})
    return pd.DataFrame(rows)
