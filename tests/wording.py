"""Reads the sentences of a generated report and judges their words against the report's own tables.

Independent of monitor_aoj.report.narrative on purpose: it does not import the rule it checks. What is significant is
read from the tables of the same report (an asterisk, "significant verschil*"), not from the sentences.
"""

from __future__ import annotations

import html as html_lib
import re

# Words that give a difference a direction. "meer dan de helft" is a share, not a difference (see below).
DIRECTION = re.compile(r"\b(hoger|lager|vaker|minder vaak|gestegen|gedaald|meer|beter|slechter|"
                       r"stijging|daling)\b", re.I)
# Phrases with such a word that describe no difference: a frequency and the label of an insufficient mark.
NOT_A_DIFFERENCE = (re.compile(r"meer dan de helft"), re.compile(r"\(\d+ of lager\)"))
# A sentence that says a difference is real; "niet/geen statistisch significant" does not.
CLAIM = re.compile(r"(?<!niet )(?<!geen )statistisch significant", re.I)
UNCERTAIN = re.compile(r"toeval|geen aantoonbaar|niet (statistisch )?significant|mogelijk|signaal", re.I)


def _strip(fragment: str) -> str:
    text = re.sub(r"<[^>]+>", " ", fragment)
    return " ".join(html_lib.unescape(text).split())


def narrative_html(report: str) -> str:
    """The report without what is not generated prose about the figures: the Verantwoording (it explains the
    words), tables, quotes, the statements asked, captions, the table of contents, scripts and styles, and the
    blocks of open questions (sub-themes mentioned by k of n: frequencies, never a difference), also where the
    summary and the recommendations list those sub-themes."""
    text = report.split("<script", 1)[0]
    for pattern in (r"<style>.*?</style>", r"<nav.*?</nav>", r'<section id="verantwoording">.*?</section>',
                    r"<table.*?</table>", r'<ul class="citaten">.*?</ul>', r'<p class="stelling">.*?</p>',
                    r"<figcaption>.*?</figcaption>", r'<div class="vraag open".*?(?=<div class="vraag|</section>)',
                    r'<div class="open-kort".*?</div>', r'<li class="kern-open">.*?</li>',
                    r'<ul class="open-antwoorden">.*?</ul>'):
        text = re.sub(pattern, " ", text, flags=re.S)
    return text


def sentences(fragment: str) -> list[str]:
    """Every sentence of every paragraph and list item in a piece of report HTML."""
    out = []
    for block in re.findall(r"<(?:p|li)\b[^>]*>(.*?)</(?:p|li)>", fragment, flags=re.S):
        text = _strip(block)
        out += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9'\"])", text) if s]
    return out


def directional(sentence: str) -> bool:
    lowered = sentence.lower()
    for phrase in NOT_A_DIFFERENCE:
        lowered = phrase.sub(" ", lowered)
    return DIRECTION.search(lowered) is not None


def claims_significance(sentence: str) -> bool:
    return CLAIM.search(sentence) is not None


def direction_without_significance(report: str) -> list[str]:
    """Sentences that give a difference a direction ('veel hoger', 'flink vaker', 'gedaald') while they do not
    state that it is statistically significant, or while they call it chance or uncertain."""
    return [s for s in sentences(narrative_html(report))
            if directional(s) and (not claims_significance(s) or UNCERTAIN.search(s))]


def item_blocks(report: str) -> dict[str, str]:
    """Item id -> the HTML of its block (heading, sentences, table, test line)."""
    out = {}
    for match in re.finditer(r'<div class="vraag" id="vraag-(\w+)">', report):
        rest = report[match.end():]
        out[match.group(1)] = re.split(r'<div class="vraag|<section|</section>', rest, maxsplit=1)[0]
    return out
