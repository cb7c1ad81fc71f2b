"""The sentences on open answers: which sub-themes are named, how many answered, and how sure the coding is.

The most mentioned sub-themes (mentions) are one rule for the body, the summary and the recommendations; the
advice to have a coordinator review the coding (review_advised) is one rule for the summary, the coding note
under each question and the Verantwoording.
"""

from __future__ import annotations

from monitor_aoj import dutch as fmt
from monitor_aoj.dutch import HIDDEN, lower_first
from monitor_aoj.figures import schema as F
from monitor_aoj.report.phrases import frequency, join
from monitor_aoj.report.tables import OpenQuestion
from monitor_aoj.report.word_rule import EPS

MIN_MENTIONS = 2  # a sub-theme named by fewer respondents is not singled out in the text


def mentions(question: OpenQuestion) -> list[tuple[str, int, int]]:
    """The sub-themes of an open question that the text may name: one rule for the body, the summary and the
    recommendations.

    Args:
        question: the open question of one report (tables.OpenQuestion).

    Returns:
        (label, k, n) of every sub-theme that at least MIN_MENTIONS respondents mention, most mentioned first:
        k respondents of the n who answered, all respondents together. "Overig", the quiet sub-themes and hidden
        counts are never named.
    """
    rows = [r for r in question.rows if r.category != "overig" and r.category not in question.quiet]
    found = [(r.label, c.k, c.n) for r in rows if (c := r.cells.get(F.TOTAAL)) is not None and c.shown
             and c.k is not None and c.n is not None and c.k >= MIN_MENTIONS]
    return sorted(found, key=lambda m: -m[1])


def mention(label: str, k: int, n: int) -> str:
    """'j&g coaches (9 van de 20)': a sub-theme with its count, inside a sentence."""
    return f"{lower_first(label)} ({k} van de {n})"


def subtheme_sentence(label: str, k: int, n: int) -> str:
    """'Bijna de helft (9 van de 20) noemt J&G coaches.'"""
    words = frequency(k, n)
    verb = "noemen" if words in ("alle respondenten", "enkele respondenten") else "noemt"
    # Lower-case the label's first letter, but not in an abbreviation such as "J&G coaches".
    return f"{words[0].upper()}{words[1:]} ({k} van de {n}) {verb} {lower_first(label)}."


def open_question_summary(question: OpenQuestion) -> list[str]:
    """A sentence per sub-theme that at least MIN_MENTIONS respondents mention, most mentioned first."""
    return [subtheme_sentence(label, k, n) for label, k, n in mentions(question)]


# A coordinator's review of the coding is advised for an open question when at least this share of its answers
# fits no sub-theme ("Overig"), or when none of its answers was reviewed. Written once; the Verantwoording prints it.
REVIEW_OTHER_SHARE = 0.25
REVIEW_COMMAND = "monitor-aoj beoordeling"


def open_answered(question: OpenQuestion, per_sector: bool = True) -> str:
    """How many respondents answered an open question (tables.OpenQuestion), per sector if asked and shown; a
    hidden total says so instead of a number."""
    total = question.n.get(F.TOTAAL)
    if total is None:
        return f"Hoeveel respondenten een antwoord gaven en welke subthema's zij noemden, is {HIDDEN}."
    said = f"{fmt.counted(total, 'respondent', 'respondenten')} {'gaf' if total == 1 else 'gaven'} een antwoord"
    if not per_sector:
        return said + "."
    onderwijs, jeugdhulp = question.n.get(F.ONDERWIJS), question.n.get(F.JEUGDHULP)
    if onderwijs is None or jeugdhulp is None:
        return said + f"; het aantal per sector is {HIDDEN}."
    return said + f": {fmt.integer(onderwijs)} uit het onderwijs en {fmt.integer(jeugdhulp)} uit de jeugdhulp."


def coding_note(question: OpenQuestion) -> str:
    """One sentence under an open question (tables.OpenQuestion): how many answers fit no sub-theme ("Overig")
    and whether a coordinator reviewed the coding. "" when the number of answers is hidden."""
    n, other = question.answers, question.other
    if not n:
        return ""
    if other is None:
        first = f"Hoeveel antwoorden in geen subthema passen, is {HIDDEN}"
    elif other == 0:
        first = ("Het enige antwoord past in minstens één subthema" if n == 1 else
                 f"Alle {fmt.integer(n)} antwoorden passen in minstens één subthema")
    elif n == 1:
        first = "Het enige antwoord past in geen subthema (Overig)"
    else:
        first = (f"{fmt.integer(other)} van de {fmt.counted(n, 'antwoord', 'antwoorden')} "
                 f"({fmt.pct(other / n)}) {'past' if other == 1 else 'passen'} in geen subthema (Overig)")
    reviewed = question.reviewed
    if reviewed <= 0:
        second = "de indeling is (nog) niet door een coördinator nagekeken"
    elif reviewed >= n:
        second = ("een coördinator heeft de indeling nagekeken" if n == 1 else
                  "een coördinator heeft de indeling van alle antwoorden nagekeken")
    else:
        second = (f"een coördinator heeft de indeling van {fmt.integer(reviewed)} van de "
                  f"{fmt.counted(n, 'antwoord', 'antwoorden')} nagekeken")
    return f"{first}; {second}."


def review_advised(question: OpenQuestion) -> bool:
    """The rule (REVIEW_OTHER_SHARE): much in Overig, or nothing reviewed. Hidden counts advise nothing."""
    if not question.answers:
        return False
    share = question.other_share
    return question.reviewed == 0 or (share is not None and share >= REVIEW_OTHER_SHARE - EPS)


def review_rule() -> str:
    """The rule for advising a review, in Dutch, for the Verantwoording (from REVIEW_OTHER_SHARE)."""
    return (f"Het rapport raadt aan dat een coördinator de indeling van een open vraag nakijkt (met "
            f"'{REVIEW_COMMAND}') als {fmt.pct(REVIEW_OTHER_SHARE)} of meer van de antwoorden in geen subthema past "
            "(Overig), of als nog geen enkel antwoord van die vraag is nagekeken.")


def review_advice(questions: list[OpenQuestion]) -> str:
    """One sentence for the summary when a review of the coding is advised for any open question (review_advised);
    "" otherwise. questions: tables.OpenQuestion of the report, in report order."""
    advised = [q for q in questions if review_advised(q)]
    if not advised:
        return ""
    unreviewed = [q for q in advised if q.reviewed == 0]
    high = [q for q in advised if q.other_share is not None and q.other_share >= REVIEW_OTHER_SHARE - EPS]
    parts = []
    if unreviewed:
        names = join([f"'{q.item.short}'" for q in unreviewed])
        parts.append(f"de indeling van {'de open vraag' if len(unreviewed) == 1 else 'de open vragen'} {names} "
                     "is nog niet door een coördinator nagekeken")
    if high:
        listed = join([f"'{q.item.short}' ({fmt.pct(q.other_share)})" for q in high])
        parts.append(f"bij {listed} past een groot deel van de antwoorden in geen subthema (Overig)")
    return (f"Laat een coördinator de indeling van de open antwoorden nakijken ('{REVIEW_COMMAND}'): "
            f"{'; '.join(parts)}.")
