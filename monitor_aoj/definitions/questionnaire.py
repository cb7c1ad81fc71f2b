"""The questionnaire as typed, frozen objects: scales, items, themes, background questions, report chapters.

Everything the pipeline knows about an item (theme, wording, scale, export column, filter, harmonisation)
comes from these objects; questionnaire_reader builds them from the YAML files in `questionnaires/`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from monitor_aoj.errors import invariant

SECTORS = ("onderwijs", "jeugdhulp")
# Item key: a mirrored item (a text per sector) whose two wordings may still be pooled and compared.
SECTORS_COMPARABLE = "sectoren_vergelijkbaar"
SCALE_KINDS = ("nominaal", "ordinaal", "cijfer")
MISSING_KINDS = ("geen_antwoord", "niet_van_toepassing")


@dataclass(frozen=True)
class Category:
    code: int
    label: str
    dont_know: bool = False  # "weet ik niet": a real answer, counted in the base, shown apart


@dataclass(frozen=True)
class MissingCode:
    code: int
    label: str
    kind: str  # one of MISSING_KINDS


@dataclass(frozen=True)
class Scale:
    id: str
    kind: str  # one of SCALE_KINDS
    categories: tuple[Category, ...] = ()
    positive: tuple[int, ...] = ()  # codes combined into the headline share (ja, top-2)
    positive_label: str = ""
    minimum: int | None = None  # rapportcijfer only
    maximum: int | None = None
    insufficient_max: int | None = None  # a mark at or below this is "onvoldoende"

    @property
    def codes(self) -> tuple[int, ...]:
        if self.kind == "cijfer":
            if self.minimum is None or self.maximum is None:
                raise ValueError(f"mark scale '{self.id}' has no minimum or maximum")  # the reader requires both
            return tuple(range(self.minimum, self.maximum + 1))
        return tuple(c.code for c in self.categories)

    def label(self, code: int) -> str:
        if self.kind == "cijfer":
            return str(code)
        for c in self.categories:
            if c.code == code:
                return c.label
        raise KeyError(code)

    @property
    def dont_know_codes(self) -> tuple[int, ...]:
        return tuple(c.code for c in self.categories if c.dont_know)

    @property
    def signature(self) -> str:
        """The answers this scale offers, as text: equal signatures mean figures may be compared."""
        if self.kind == "cijfer":
            return f"cijfer:{self.minimum}-{self.maximum}"
        cats = "|".join(f"{c.code}={c.label.casefold()}{'?' if c.dont_know else ''}" for c in self.categories)
        return f"{self.kind}:{cats}:+{'+'.join(str(c) for c in sorted(self.positive))}"

    def same_answers_as(self, other: "Scale") -> bool:
        """True when both scales offer the very same answers, so their figures may be compared."""
        if self.kind != other.kind:
            return False
        if self.kind == "cijfer":
            return (self.minimum, self.maximum) == (other.minimum, other.maximum)
        mine = [(c.code, c.label.casefold(), c.dont_know) for c in self.categories]
        theirs = [(c.code, c.label.casefold(), c.dont_know) for c in other.categories]
        return mine == theirs and set(self.positive) == set(other.positive)


@dataclass(frozen=True)
class Harmonisation:
    """How this wave's answers map onto the harmonised item used for trends."""

    scale: Scale | None  # harmonised scale; None when not comparable
    recode: dict[int, int] = field(default_factory=dict)  # own code -> harmonised code
    comparable: bool = True
    reason: str = ""  # why not comparable
    note: str = ""  # shown beside a comparable trend (rewording, changed scale)

    def __hash__(self) -> int:  # dict field: hash on the identity of the mapping
        return hash((self.scale, tuple(sorted(self.recode.items())), self.comparable, self.reason, self.note))


@dataclass(frozen=True)
class ItemFilter:
    item: str
    codes: tuple[int, ...]


@dataclass(frozen=True)
class Item:
    id: str
    theme: str
    column: str
    kind: str  # "gesloten" or "open"
    short: str
    texts: tuple[tuple[str, str], ...]  # (sector or "", text); "" is the wording for everyone
    scale: Scale | None = None
    filter: ItemFilter | None = None
    regional: bool = False
    harmonisation: Harmonisation | None = None
    owner: str = ""  # the region whose own question this is (vragenlijst_<regio>.yaml); "" for the questionnaire's
    sectors_comparable: bool = False  # `sectoren_vergelijkbaar: ja`: a mirrored item whose sectors may be pooled

    @property
    def is_open(self) -> bool:
        return self.kind == "open"

    @property
    def closed_scale(self) -> Scale:
        """The scale of a closed item (questionnaire_reader gives every closed item one); ValueError for an open one."""
        return invariant(self.scale, f"item '{self.id}' is an open question: it has no scale")

    @property
    def closed_harmonisation(self) -> Harmonisation:
        """The harmonisation of a closed item (questionnaire_reader gives every closed item one); ValueError for an
        open one."""
        return invariant(self.harmonisation, f"item '{self.id}' is an open question: it has no harmonisation")

    def text(self, sector: str = "") -> str:
        texts = dict(self.texts)
        return texts.get(sector) or texts.get("") or next(iter(texts.values()))

    @property
    def mirrored(self) -> bool:
        """Each sector got its own wording (in the monitor: each sector is asked about the other)."""
        return len(self.texts) > 1

    @property
    def per_sector(self) -> bool:
        """A mirrored item is two statements, one per sector: no totaal, no sector test and no benchmark, unless
        the questionnaire declares the sectors comparable (`sectoren_vergelijkbaar: ja`)."""
        return self.mirrored and not self.sectors_comparable


@dataclass(frozen=True)
class Theme:
    id: str
    number: int
    title: str


@dataclass(frozen=True)
class Choice:
    """An answer option of a background question."""

    code: int
    label: str
    sector: str = ""  # the sector this option belongs to ("" = either)
    other: bool = False  # "anders, namelijk"


@dataclass(frozen=True)
class BackgroundQuestion:
    column: str
    choices: tuple[Choice, ...]
    other_column: str = ""

    def label(self, code: int) -> str:
        for c in self.choices:
            if c.code == code:
                return c.label
        raise KeyError(code)


@dataclass(frozen=True)
class Background:
    respondent_column: str
    sector: BackgroundQuestion
    functie: BackgroundQuestion
    schooltype: BackgroundQuestion


@dataclass(frozen=True)
class Chapter:
    """An open question that gets a chapter of its own after the themes (e.g. Verbetervoorstellen)."""

    item: str
    title: str
    recommend: bool = False  # its most mentioned sub-themes are named among the recommendations


@dataclass(frozen=True)
class Reference:
    """A value from outside the survey that a report may show beside the region's own figure."""

    item: str
    value: float
    source: str


@dataclass(frozen=True)
class Questionnaire:
    wave: int
    title: str
    source: Path
    missing: tuple[MissingCode, ...]
    scales: dict[str, Scale]
    themes: tuple[Theme, ...]
    background: Background
    items: tuple[Item, ...]
    chapters: tuple[Chapter, ...] = ()
    references: tuple[Reference, ...] = ()

    def __hash__(self) -> int:
        # A region's variant (with_scales) is another questionnaire: the item scales are part of its identity.
        return hash((self.wave, self.source, tuple(it.scale.id for it in self.items if it.scale is not None)))

    def item(self, item_id: str) -> Item:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    def has_item(self, item_id: str) -> bool:
        return any(it.id == item_id for it in self.items)

    def theme(self, theme_id: str) -> Theme:
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise KeyError(theme_id)

    def items_for(self, extras: Iterable[str], omitted: Iterable[str] = ()) -> tuple[Item, ...]:
        """The items a region asked: all standard items plus the regional extras it configured (its own
        questions among them), less the items it left out (`weglaten`)."""
        extras, omitted = set(extras), set(omitted)
        return tuple(it for it in self.items if (not it.regional or it.id in extras) and it.id not in omitted)

    def resolve(self, name: str) -> tuple[str, ...]:
        """The item ids a `weglaten` entry stands for: a theme id (all its items), an item id or an export
        column of this questionnaire. Empty when the name is none of these."""
        if any(t.id == name for t in self.themes):
            return tuple(it.id for it in self.items if it.theme == name)
        if self.has_item(name):
            return (name,)
        folded = name.strip().casefold()
        return tuple(it.id for it in self.items if it.column.casefold() == folded)

    def names(self) -> list[str]:
        """Every name `resolve` knows: theme ids, item ids and columns (for suggestions)."""
        return [t.id for t in self.themes] + [it.id for it in self.items] + [it.column for it in self.items]

    def with_scales(self, variants: dict[str, str]) -> "Questionnaire":
        """This questionnaire as one region asked it: some items on another of its scales (item id -> scale id)."""
        if not variants:
            return self
        items = tuple(dataclasses.replace(it, scale=self.scales[variants[it.id]]) if it.id in variants else it
                      for it in self.items)
        return dataclasses.replace(self, items=items)

    @property
    def missing_codes(self) -> dict[int, MissingCode]:
        return {m.code: m for m in self.missing}


def per_sector_items(questionnaires: dict[int, "Questionnaire"]) -> frozenset[tuple[int, str]]:
    """(wave, item id) of every closed item that is shown per sector only (Item.per_sector)."""
    return frozenset((wave, it.id) for wave, q in questionnaires.items() for it in q.items
                     if it.per_sector and not it.is_open)
