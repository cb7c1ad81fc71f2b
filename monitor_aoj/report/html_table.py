"""An HTML table as Word needs it: its rows in display order, its cells on a rectangular grid (spans fill every
slot they cover), and which cells and columns hold numbers (right-aligned)."""

from __future__ import annotations

import re
from typing import Any

# An lxml.html element; lxml ships no type information, so to mypy it is Any.
Element = Any

# A cell is a number when nothing but digits, signs, units and "n =" is in it (e.g. "28% (7) 14–48%", "6,8", "–").
_NUMBER_CELL = re.compile(r"^[\d\s.,%‰()\[\]+\-–—−±=<>≤≥/n]*$")
WHITE_SPACE = re.compile(r"\s+")  # collapsed to one space, as a browser shows HTML text


def text_of(element: Element | None) -> str:
    """An element's text as a reader sees it: white space collapsed, trimmed ("" for None)."""
    return "" if element is None else WHITE_SPACE.sub(" ", element.text_content()).strip()


def table_rows(table: Element) -> tuple[list[Element], int]:
    """The table's rows in display order (thead, tbody, tfoot) and how many of them are header rows."""
    head: list[Element] = []
    body: list[Element] = []
    foot: list[Element] = []
    for child in table:
        if child.tag == "thead":
            head += [r for r in child if r.tag == "tr"]
        elif child.tag == "tfoot":
            foot += [r for r in child if r.tag == "tr"]
        elif child.tag == "tbody":
            body += [r for r in child if r.tag == "tr"]
        elif child.tag == "tr":
            body.append(child)
    return head + body + foot, len(head)


def cell_grid(rows: list[Element]) -> list[list]:
    """Rows of cells on a rectangular grid: a cell spanning columns or rows fills every slot it covers."""
    grid: list[list] = []
    for r, row in enumerate(rows):
        while len(grid) <= r:
            grid.append([])
        c = 0
        for cell in row:
            if cell.tag not in ("td", "th"):
                continue
            while c < len(grid[r]) and grid[r][c] is not None:
                c += 1
            colspan, rowspan = _int(cell.get("colspan")), _int(cell.get("rowspan"))
            for dr in range(rowspan if r + rowspan <= len(rows) else len(rows) - r):
                while len(grid) <= r + dr:
                    grid.append([])
                line = grid[r + dr]
                while len(line) < c + colspan:
                    line.append(None)
                for dc in range(colspan):
                    line[c + dc] = cell
            c += colspan
    return grid


def _int(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


def span_of(grid: list[list], r: int, c: int, cell: Element) -> tuple[int, int]:
    """The bottom-right slot that `cell` (starting at r, c) covers."""
    end_c = c
    while end_c + 1 < len(grid[r]) and grid[r][end_c + 1] is cell:
        end_c += 1
    end_r = r
    while end_r + 1 < len(grid) and c < len(grid[end_r + 1]) and grid[end_r + 1][c] is cell:
        end_r += 1
    return end_r, end_c


def is_number(cell: Element) -> bool:
    text = text_of(cell)
    return bool(text) and _NUMBER_CELL.match(text) is not None


def numeric_columns(grid: list[list], header_rows: int) -> set[int]:
    """Columns whose body cells are all numbers (their header is right-aligned with them)."""
    body = grid[header_rows:]
    width = max((len(r) for r in grid), default=0)
    return {c for c in range(width)
            if body and all(c < len(r) and r[c] is not None and is_number(r[c]) for r in body)}

