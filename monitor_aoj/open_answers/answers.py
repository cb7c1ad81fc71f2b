"""Open answers: anonymise, code into sub-themes, apply the coordinator's review, count, pick quotes (quotes.py).

Every open answer is anonymised first; nothing after this stage ever sees the text as typed. Sub-theme counts
per sector go into the Figures table (statistic "subtheme": k answers mention it, of n answers).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from monitor_aoj.anonymise.anonymiser import Anonymised, Anonymiser
from monitor_aoj.definitions.codebooks import OTHER, Codebook
from monitor_aoj.definitions.questionnaire import Questionnaire
from monitor_aoj.definitions.regions import RegionConfig
from monitor_aoj.figures import schema as F
from monitor_aoj.figures.statistics import wilson
from monitor_aoj.ingest.responses import Responses
from monitor_aoj.open_answers.quotes import select_quotes
from monitor_aoj.open_answers.review import Review, answer_key, fingerprint

SUBTHEME = F.SUBTHEME


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
    """Anonymise, code, review, count and quote every open answer of the run.

    Args:
        responses: the cleaned responses; its `open_answers` has one row per open answer as typed (region, wave,
            respondent, sector, item, text).
        questionnaires: wave -> questionnaire, for the theme of each open question.
        config: the regions (each region's `organisaties` for its Anonymiser) and the settings (`max_citaten`).
        codebooks: open question id -> its codebook of sub-themes; an answer to a question without one is coded
            "overig" (OTHER).
        reviews: (region, wave) -> the coordinator's review sheet as read (review.read_review); may be empty.

    Returns:
        OpenAnswers: `answers`, one row per answer with text left after anonymising, in the order of `responses`;
        `quotes`, one row per region x wave x question x sub-theme x rank (quotes.select_quotes); `replacements`,
        per region x wave x kind the number of details the anonymiser replaced (counts, never the content);
        `figures`, Figures rows (statistic "subtheme") per region x wave x question x group (totaal and each
        sector) x sub-theme, the share k of n with its 95% Wilson interval (subtheme_figures); and the review's
        problems and changed answers as Dutch messages.

    Raises:
        KeyError: an answer from a region that is not in `config` (cannot happen for responses read with it).
    """
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
    done: dict[tuple[str, int, str], Anonymised] = {}
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


def _apply_reviews(answers: pd.DataFrame, reviews: dict[tuple[str, int], Review]
                   ) -> tuple[pd.DataFrame, tuple[str, ...], tuple[str, ...]]:
    """Reviewed codes and quote flags win, unless the answer changed since the review."""
    codes: list[tuple[str, ...]] = []
    quotes: list[bool | None] = []
    reviewed: list[bool] = []
    changed_flags: list[bool] = []
    problems: list[str] = []
    changed: list[str] = []
    for each in reviews.values():
        problems += each.problems
    for rec in answers.itertuples(index=False):
        review = reviews.get((rec.region, rec.wave))
        entry = review.entries.get(rec.key) if review else None
        if review is None or entry is None:
            codes.append(rec.auto_codes)
            quotes.append(None)
            reviewed.append(False)
            changed_flags.append(False)
        elif entry.fingerprint != rec.fingerprint:
            codes.append(rec.auto_codes)
            quotes.append(None)
            reviewed.append(False)
            changed_flags.append(True)
            sheet = review.path.name if review.path else ""  # a review without a sheet has no entries
            changed.append(f"{sheet}, rij {entry.row}: het antwoord van respondent {rec.respondent} op "
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
        bases = n_of.setdefault((region, wave, item), {})
        for group in (sector, F.TOTAAL):
            bases[group] = bases.get(group, 0) + int(n)
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
