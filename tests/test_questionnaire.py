"""Item.closed_scale and closed_harmonisation: what every closed item has, asked for in one typed place."""

from __future__ import annotations

import dataclasses

import pytest


def test_every_closed_item_hands_over_its_own_scale_and_harmonisation(questionnaires):
    closed = [it for q in questionnaires.values() for it in q.items if not it.is_open]
    assert closed
    for it in closed:
        assert it.closed_scale is it.scale
        assert it.closed_harmonisation is it.harmonisation


def test_an_open_item_has_neither_and_says_which_item(questionnaires):
    opened = [it for q in questionnaires.values() for it in q.items if it.is_open]
    assert opened
    for it in opened:
        with pytest.raises(ValueError, match=f"item '{it.id}' is an open question"):
            it.closed_scale
        with pytest.raises(ValueError, match=f"item '{it.id}'"):
            it.closed_harmonisation


def test_a_mark_scale_without_bounds_has_no_codes(questionnaires):
    mark = next(it.closed_scale for q in questionnaires.values() for it in q.items
                if not it.is_open and it.closed_scale.kind == "cijfer")
    assert mark.codes == tuple(range(mark.minimum, mark.maximum + 1))
    with pytest.raises(ValueError, match=f"mark scale '{mark.id}'"):
        dataclasses.replace(mark, maximum=None).codes
