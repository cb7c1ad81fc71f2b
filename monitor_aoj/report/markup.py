"""Text into safe, printable markup for the HTML report: the coordinator's Markdown, and bases kept on one line."""

from __future__ import annotations

import re


def coordinator_html(markdown: str) -> str:
    """The coordinator's Markdown as HTML: raw HTML off (it is shown as text), an image shown as its alt text
    in brackets (nothing may be fetched), and every heading an h4, under the summary's h3, so the report's heading
    order holds."""
    from markdown_it import MarkdownIt
    from markupsafe import escape

    md = MarkdownIt("commonmark", {"html": False})
    rules = md.renderer.rules  # type: ignore[attr-defined]  # markdown-it types the renderer without its rules
    rules["image"] = lambda tokens, idx, options, env: str(
        escape(f"[afbeelding: {tokens[idx].content}]" if tokens[idx].content else "[afbeelding]"))
    tokens = md.parse(markdown)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = "h4"
    return md.renderer.render(tokens, md.options, {})


# A base in running text, "(n = 51)" or "(n = 200; ...", or a count "(6 van de 19)", is one unit on a printed
# line: never split over two. The span runs to the next space, so its tags never stand between a word and its
# punctuation ("(n = 51)." stays one token for whoever reads the text without tags).
_BASE = re.compile(r"(?:\(n = [0-9.]+|\([0-9.]+ van de [0-9.]+\))[^\s<]*")
_TEXT = re.compile(r">([^<]+)<")
_SVG = re.compile(r"(<svg\b.*?</svg>)", re.S)


def bases_unbroken(html: str) -> str:
    """Wrap each base in the text of the page (not in tags, attributes or the charts' SVG) in a span that does
    not wrap (CSS .basis-n); the text itself stays the same."""
    def text(match: re.Match) -> str:
        return ">" + _BASE.sub(lambda m: f'<span class="basis-n">{m.group(0)}</span>', match.group(1)) + "<"

    return "".join(part if part.startswith("<svg") else _TEXT.sub(text, part) for part in _SVG.split(html))
