"""A small reader for the tables in a generated report (the standard library has no HTML table parser)."""

from __future__ import annotations

from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self.scripts: list[dict] = []
        self._id: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(dict(attrs))
        if tag == "br" and self._cell is not None:
            self._cell.append(" ")
        if tag == "table":
            self._id = dict(attrs).get("id") or f"tabel{len(self.tables)}"
            self.tables[self._id] = []
        elif tag == "tr" and self._id:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._id].append(self._row)
            self._row = None
        elif tag == "table":
            self._id = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables(html: str) -> dict[str, list[list[str]]]:
    """Table id -> rows -> cell texts (whitespace collapsed)."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def script_tags(html: str) -> list[dict]:
    """The attributes of every <script> element (script content itself is not parsed as HTML)."""
    parser = _Tables()
    parser.feed(html)
    return parser.scripts
