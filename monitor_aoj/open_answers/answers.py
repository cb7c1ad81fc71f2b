"""Anonymise, code into sub-themes, apply the coordinator's review, count, pick quotes.

Every open answer is anonymised first; nothing after this stage ever sees the text as typed. Sub-theme counts
per sector go into the Figures table (statistic "subtheme": k answers mention it, of n answers). Quotes are
picked per sub-theme: deterministic, complete and readable answers first, spread over both sectors, at most
a set number per sub-theme, never twice the same text, and never an answer the coordinator excluded.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from monitor_aoj.anonymise.anonymiser import KINDS, Anonymiser
from monitor_aoj.definitions.codebooks import OTHER, Codebook, normalise
from monitor_aoj.definitions.questionnaire import Questionnaire
from monitor_aoj.definitions.regions import RegionConfig
from monitor_aoj.figures import schema as F
from monitor_aoj.figures.statistics import wilson
from monitor_aoj.ingest.responses import Responses
from monitor_aoj.open_answers.review import Review, answer_key, fingerprint

SUBTHEME = F.SUBTHEME
PLACEHOLDER = re.compile(r"\[(?:" + "|".join(re.escape(kind) for kind in KINDS) + r")\]")
# A quote must not be mostly placeholders: it reads badly and shows what was removed. More than a quarter of the
# words (whitespace-separated, a placeholder counts as one word) being placeholders makes an answer unquotable
# unless the coordinator marked it "ja".
MAX_PLACEHOLDER_SHARE = 0.25


@dataclass(frozen=True)
class OpenAnswers:
    answers: pd.DataFrame  # one row per answer: key, region, wave, respondent, sector, item, text (anonymised),
    #                        auto_codes, codes, quote (True/False/None from the review), reviewed, changed
    quotes: pd.DataFrame  # region, wave, item, code, label, rank, text
    replacements: pd.DataFrame  # region, wave, kind, count: what the anonymiser replaced (counts, no content)
    figures: pd.DataFrame  # sub-theme rows for the Figures table
    review_problems: tuple[str, ...] = ()
    changed: tuple[str, ...] = field(default_factory=tuple)  # Dutch messages: answers changed since review
    unquotable: frozenset[tuple[str, str]] = frozenset()  # (item, sub-theme) counted but never quoted or named

    def replacement_counts(self) -> dict[str, int]:
        """What the anonymiser replaced, per kind (counts, never the content)."""
        if self.replacements.empty:
            return {}
        return {str(k): int(v) for k, v in self.replacements.groupby("kind")["count"].sum().items()}

    def review_status(self) -> dict[str, int]:
        """How many answers there are, how many the coordinator reviewed, how many changed since."""
        a = self.answers
        if a.empty:
            return {"total": 0, "reviewed": 0, "changed": 0}
        return {"total": len(a), "reviewed": int(a["reviewed"].sum()), "changed": int(a["changed"].sum())}

    def review_by_item(self) -> dict[str, dict[str, int]]:
        """review_status per open question: item id -> {"total", "reviewed", "changed"} (answers, counts only).
        Call it on a selection of one region and wave (select)."""
        a = self.answers
        if a.empty:
            return {}
        grouped = a.groupby("item")
        return {str(item): {"total": int(len(part)), "reviewed": int(part["reviewed"].sum()),
                            "changed": int(part["changed"].sum())} for item, part in grouped}

    # (region, wave) -> row positions, per table: grouped once, on the first select, and reused by every report
    # (filtering each table per report would grow with the number of regions squared).
    _units: dict[str, dict[tuple, np.ndarray]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def select(self, region: str, wave: int) -> "OpenAnswers":
        """The answers, quotes, replacement counts and sub-theme figures of one region and wave, each with the
        rows (and row labels) of the whole table in their order; an empty table stays as it is."""
        def pick(name: str, df: pd.DataFrame) -> pd.DataFrame:
            if not len(df):
                return df
            if name not in self._units:
                self._units[name] = _positions(df, ["region", "wave"])
            return df.iloc[self._units[name].get((region, wave), _NO_ROWS)]

        return OpenAnswers(pick("answers", self.answers), pick("quotes", self.quotes),
                           pick("replacements", self.replacements), pick("figures", self.figures),
                           self.review_problems, self.changed, self.unquotable)


_NO_ROWS = np.empty(0, dtype=np.intp)


def _positions(frame: pd.DataFrame, keys: list[str]) -> dict[tuple, np.ndarray]:
    """Key values -> the positions of their rows, ascending, in one pass over the table."""
    out: dict[tuple, list[int]] = {}
    for i, key in enumerate(zip(*(frame[k].tolist() for k in keys))):
        out.setdefault(key, []).append(i)
    return {key: np.asarray(index, dtype=np.intp) for key, index in out.items()}


def anonymisers(config: RegionConfig) -> dict[str, Anonymiser]:
    """One anonymiser per region: each knows its own organisations and schools."""
    return {r.id: Anonymiser(organisations=r.organisations) for r in config.regions}


def process(responses: Responses, questionnaires: dict[int, Questionnaire], config: RegionConfig,
            codebooks: dict[str, Codebook], reviews: dict[tuple[str, int], Review]) -> OpenAnswers:
    raw = responses.open_answers
    columns = ["key", "region", "wave", "respondent", "sector", "item", "text", "fingerprint", "auto_codes",
               "codes", "quote", "reviewed", "changed"]
    if raw.empty:
        empty = pd.DataFrame(columns=columns)
        return OpenAnswers(empty, pd.DataFrame(columns=["region", "wave", "item", "code", "label", "rank", "text"]),
                           pd.DataFrame(columns=["region", "wave", "kind", "count"]), F.empty())
    scrubbers = anonymisers(config)
    texts, counts = [], []
    # Short answers repeat ('Nee', 'Geen', '-'); each distinct one is anonymised and coded once.
    done: dict[tuple[str, int, str], object] = {}
    for region, wave, text in zip(raw["region"], raw["wave"], raw["text"]):
        key = (region, int(wave), text)
        result = done.get(key)
        if result is None:
            result = done[key] = scrubbers[region](text, year=int(wave))
        texts.append(result.text)
        counts.append(result.counts)
    answers = raw[["region", "wave", "respondent", "sector", "item"]].copy()
    answers["text"] = texts
    replacements = _replacement_counts(answers, counts)
    answers = answers[answers["text"].str.strip() != ""].copy()  # nothing left to say (e.g. only spaces)
    answers["key"] = [answer_key(r, w, i, p) for r, w, i, p in
                      zip(answers["region"], answers["wave"], answers["item"], answers["respondent"])]
    answers["fingerprint"] = answers["text"].map(fingerprint)
    coded: dict[tuple[str, str], tuple[str, ...]] = {}

    def auto_codes(item: str, text: str) -> tuple[str, ...]:
        if (item, text) not in coded:
            coded[(item, text)] = codebooks[item].code(text) if item in codebooks else (OTHER,)
        return coded[(item, text)]

    answers["auto_codes"] = [auto_codes(i, t) for i, t in zip(answers["item"], answers["text"])]
    answers, problems, changed = _apply_reviews(answers, reviews)
    answers = answers[columns].reset_index(drop=True)
    return OpenAnswers(
        answers=answers,
        quotes=select_quotes(answers, codebooks, config.settings.max_quotes),
        replacements=replacements,
        figures=subtheme_figures(answers, questionnaires, codebooks),
        review_problems=problems,
        changed=changed,
        unquotable=frozenset((item, s.id) for item, book in codebooks.items() for s in book.subthemes
                             if not s.quotable),
    )


def _replacement_counts(answers: pd.DataFrame, counts: list[dict[str, int]]) -> pd.DataFrame:
    rows = [{"region": r, "wave": w, "kind": kind, "count": n}
            for r, w, c in zip(answers["region"], answers["wave"], counts) for kind, n in c.items()]
    if not rows:
        return pd.DataFrame(columns=["region", "wave", "kind", "count"])
    return pd.DataFrame(rows).groupby(["region", "wave", "kind"], as_index=False)["count"].sum()


def _apply_reviews(answers: pd.DataFrame, reviews: dict[tuple[str, int], Review]):
    """Reviewed codes and quote flags win, unless the answer changed since the review."""
    codes, quotes, reviewed, changed_flags = [], [], [], []
    problems: list[str] = []
    changed: list[str] = []
    for review in reviews.values():
        problems += review.problems
    for rec in answers.itertuples(index=False):
        review = reviews.get((rec.region, rec.wave))
        entry = review.entries.get(rec.key) if review else None
        if entry is None:
            codes.append(rec.auto_codes)
            quotes.append(None)
            reviewed.append(False)
            changed_flags.append(False)
        elif entry.fingerprint != rec.fingerprint:
            codes.append(rec.auto_codes)
            quotes.append(None)
            reviewed.append(False)
            changed_flags.append(True)
            changed.append(f"{review.path.name}, rij {entry.row}: het antwoord van respondent {rec.respondent} op "
                           f"'{rec.item}' is veranderd sinds de beoordeling; de voorgestelde subthema's gelden. "
                           "Draai 'monitor-aoj beoordeling' om de lijst bij te werken.")
        else:
            codes.append(entry.codes if entry.codes is not None else rec.auto_codes)
            quotes.append(entry.quote)
            reviewed.append(entry.codes is not None or entry.quote is not None)
            changed_flags.append(False)
    answers = answers.assign(codes=codes, quote=quotes, reviewed=reviewed, changed=changed_flags)
    return answers, tuple(problems), tuple(changed)


def subtheme_figures(answers: pd.DataFrame, questionnaires: dict[int, Questionnaire],
                     codebooks: dict[str, Codebook]) -> pd.DataFrame:
    """Per region, wave, open question and sector: how many answers mention each sub-theme (k of n)."""
    if answers.empty:
        return F.empty()
    themes = {(w, it.id): it.theme for w, q in questionnaires.items() for it in q.items if it.is_open}
    exploded = answers[["region", "wave", "item", "sector", "codes"]].explode("codes").rename(columns={"codes": "code"})
    counts = exploded.groupby(["region", "wave", "item", "sector", "code"]).size().rename("k").reset_index()
    sizes = answers.groupby(["region", "wave", "item", "sector"]).size().rename("n").reset_index()
    # Counts and bases looked up per (region, wave, item) and group, built in one pass each: filtering the
    # whole table per question would grow with the number of regions squared.
    k_of: dict[tuple, dict[str, dict[object, int]]] = {}
    for region, wave, item, sector, code, k in counts.itertuples(index=False, name=None):
        groups = k_of.setdefault((region, wave, item), {})
        for group in (sector, F.TOTAAL):
            groups.setdefault(group, {})
            groups[group][code] = groups[group].get(code, 0) + int(k)
    n_of: dict[tuple, dict[str, int]] = {}
    for region, wave, item, sector, n in sizes.itertuples(index=False, name=None):
        groups = n_of.setdefault((region, wave, item), {})
        for group in (sector, F.TOTAAL):
            groups[group] = groups.get(group, 0) + int(n)
    rows = []
    for region, wave, item in answers[["region", "wave", "item"]].drop_duplicates().itertuples(index=False):
        book = codebooks.get(item)
        order = book.order if book else {OTHER: 0}
        for group in F.SECTOR_GROUPS:
            n = n_of.get((region, wave, item), {}).get(group, 0)
            by_code = k_of.get((region, wave, item), {}).get(group, {})
            for code, position in order.items():
                rows.append({"region": region, "wave": wave, "theme": themes.get((wave, item), ""), "item": item,
                             "group": group, "group_type": "totaal" if group == F.TOTAAL else "sector",
                             "partition": "" if group == F.TOTAAL else F.TOTAAL, "statistic": SUBTHEME,
                             "category": code, "label": book.label(code) if book else "Overig", "order": position,
                             "k": int(by_code.get(code, 0)), "n": n})
    out = pd.DataFrame(rows)
    out["value"] = np.where(out["n"] > 0, out["k"] / out["n"].where(out["n"] > 0, 1), np.nan)
    out["ci_low"], out["ci_high"] = wilson(out["k"], out["n"])
    # "Overig" is shown for every group or for none: decided on totaal, so that a 0 in one hidden group is
    # never visible as a missing row.
    key = ["region", "wave", "item"]
    others = out[(out["category"] == OTHER) & (out["group"] == F.TOTAAL) & (out["k"] > 0)][key].assign(_keep=True)
    out = out.merge(others, on=key, how="left")
    out = out[(out["category"] != OTHER) | out["_keep"].eq(True)].drop(columns="_keep")
    return F.conform(out)


def readability(text: str) -> float:
    """Higher is a better quote: complete sentences of a readable length, few placeholders, not shouted."""
    length = len(text)
    letters = sum(ch.isalpha() for ch in text)
    upper = sum(ch.isupper() for ch in text)
    score = 0.0
    score += 2.0 if 60 <= length <= 250 else (1.0 if 35 <= length <= 400 else -2.0)
    score += 1.0 if text.rstrip()[-1:] in ".!?" else 0.0
    score += 0.5 if text[:1].isupper() else 0.0
    score -= 0.75 * len(PLACEHOLDER.findall(text))
    score -= 3.0 if letters and upper / letters > 0.5 else 0.0
    score -= 2.0 if letters < 0.6 * max(length, 1) else 0.0
    return score


def placeholder_share(text: str) -> float:
    """The share of the words that are placeholders ("[naam]," counts as one word)."""
    words = text.split()
    return len(PLACEHOLDER.findall(text)) / len(words) if words else 0.0


def quotable(text: str) -> bool:
    """Whether an answer may be chosen as a quote automatically: readable, and not mostly placeholders."""
    return readability(text) >= 0 and placeholder_share(text) <= MAX_PLACEHOLDER_SHARE


def _tiebreak(key: str) -> int:
    return zlib.crc32(key.encode("utf-8"))


def select_quotes(answers: pd.DataFrame, codebooks: dict[str, Codebook], maximum: int) -> pd.DataFrame:
    """Per region, wave, question and sub-theme at most `maximum` quotes, alternating between the sectors.

    Order of preference: answers the coordinator marked "ja", then answers in which the anonymiser replaced
    nothing, then by readability, then a fixed tiebreak; an answer marked "nee", an answer already quoted under an
    earlier sub-theme and a text already quoted are skipped. Too short or unreadable answers (readability below
    zero) and answers of which more than a quarter of the words are placeholders (MAX_PLACEHOLDER_SHARE) are only
    quoted when marked "ja".
    """
    rows = []
    # Scores depend on the text only, and short answers repeat: each distinct text is scored once.
    scores: dict[str, tuple[bool, float, bool]] = {}

    def score(text: str) -> tuple[bool, float, bool]:
        if text not in scores:
            scores[text] = (PLACEHOLDER.search(text) is not None, readability(text), quotable(text))
        return scores[text]

    folded: dict[str, str] = {}

    def same_text(text: str) -> str:
        if text not in folded:
            folded[text] = normalise(text)
        return folded[text]

    for (region, wave, item), part in answers.groupby(["region", "wave", "item"], sort=True):
        book = codebooks.get(item)
        if book is None:
            continue
        used_keys: set[str] = set()
        used_texts: set[str] = set()
        records = list(part.itertuples(index=False))  # once per question, not once per sub-theme
        for code in sorted(book.order, key=book.order.get):
            if not book.quotable(code):
                continue
            candidates = [rec for rec in records if code in rec.codes and rec.quote is not False
                          and rec.key not in used_keys]
            ranked = sorted(candidates, key=lambda r: (r.quote is not True, score(r.text)[0], -score(r.text)[1],
                                                       _tiebreak(r.key)))
            ranked = [r for r in ranked if r.quote is True or score(r.text)[2]]
            chosen = _spread(ranked, maximum, used_texts, same_text)
            for rank, rec in enumerate(chosen):
                used_keys.add(rec.key)
                used_texts.add(same_text(rec.text))
                rows.append({"region": region, "wave": wave, "item": item, "code": code, "label": book.label(code),
                             "rank": rank, "text": rec.text, "sector": rec.sector, "key": rec.key})
    return pd.DataFrame(rows, columns=["region", "wave", "item", "code", "label", "rank", "text", "sector", "key"])


def _spread(ranked: list, maximum: int, used_texts: set[str], same_text=normalise) -> list:
    """Take the best answers alternately from each sector, starting with the sector of the very best.
    same_text: how two texts count as the same (codebook.normalise, or a remembering version of it)."""
    queues: dict[str, list] = {}
    for rec in ranked:
        queues.setdefault(rec.sector, []).append(rec)
    forced = [r for r in ranked if r.quote is True]
    chosen: list = []
    seen = set(used_texts)

    def take(rec) -> None:
        text = same_text(rec.text)
        if text not in seen and rec not in chosen and len(chosen) < maximum:
            chosen.append(rec)
            seen.add(text)

    for rec in forced:
        take(rec)
    order = list(dict.fromkeys(r.sector for r in ranked))
    while len(chosen) < maximum and any(queues.values()):
        for sector in order:
            if queues.get(sector):
                take(queues[sector].pop(0))
    return chosen
