"""Questionnaire definitions: the YAML files in `questionnaires/` as typed, frozen objects.

Everything the pipeline knows about an item (theme, wording, scale, export column, filter, harmonisation)
comes from these files. A mistake in a file is reported in Dutch with the file and item, before any data
is read.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from monitor_aoj.definitions.yaml_reader import load_yaml, yes_no
from monitor_aoj.errors import ConfigError

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


# --- loading -----------------------------------------------------------------------------------------


def load_questionnaires(folder: Path | None = None) -> dict[int, Questionnaire]:
    """Read every questionnaire file (`*.yaml`) in a folder, keyed by wave year; without a folder, the
    questionnaires shipped with the program (assets.QUESTIONNAIRES)."""
    from monitor_aoj.assets import QUESTIONNAIRES

    folder = QUESTIONNAIRES if folder is None else Path(folder)
    if not folder.is_dir():
        raise ConfigError(f"De map met vragenlijsten bestaat niet: {folder}")
    result: dict[int, Questionnaire] = {}
    for path in sorted(folder.glob("*.yaml")):
        q = load_questionnaire(path)
        if q.wave in result:
            raise ConfigError(
                f"Twee vragenlijsten voor meting {q.wave}: {result[q.wave].source.name} en {path.name}. "
                "Houd per meting één bestand over."
            )
        result[q.wave] = q
    if not result:
        raise ConfigError(f"Geen vragenlijsten (*.yaml) gevonden in {folder}")
    return result


def load_questionnaire(path: Path) -> Questionnaire:
    path = Path(path)
    return _Parser(path).questionnaire(load_yaml(path, "Vragenlijst"))


OWN_KEYS = {"meting", "metingen", "schalen", "vragen"}
OWN_THEME = "regionaal"  # the theme of a region's own question that names none


def add_own_questions(questionnaires: dict[int, Questionnaire], path: Path, region: str) -> dict[int, Questionnaire]:
    """A region's own questions (`vragenlijst_<regio>.yaml`) added to the questionnaire of each wave the file
    names, as regional items owned by that region: no other region asks them.

    The file has `meting: 2021` (or `metingen: [2018, 2021]`), optionally `schalen:` of its own, and `vragen:`
    in the format of the questionnaire files. An id, column or scale id that clashes with the questionnaire's
    (or another region's own questions) is a ConfigError naming both."""
    path = Path(path)
    parser = _Parser(path)
    raw = load_yaml(path, "Vragenlijst")
    if not isinstance(raw, dict):
        raise parser.fail("begin", "verwacht de velden 'meting' (of 'metingen'), 'vragen' en eventueel 'schalen'")
    parser.keys(raw, OWN_KEYS, "begin")
    if ("meting" in raw) == ("metingen" in raw):
        raise parser.fail("begin", "noem 'meting: 2021' of 'metingen: [2018, 2021]' (één van beide)")
    waves = raw["metingen"] if "metingen" in raw else [raw["meting"]]
    if not isinstance(waves, list) or not waves:
        raise parser.fail("metingen", "verwacht een lijst met jaartallen, zoals [2018, 2021]")
    waves = [parser.whole(w, "meting") for w in waves]
    for wave in waves:
        if wave not in questionnaires:
            raise parser.fail("meting", f"voor meting {wave} is geen vragenlijst. Beschikbaar: "
                              f"{', '.join(str(w) for w in sorted(questionnaires))}")
    own_scales = raw.get("schalen") or {}
    if not isinstance(own_scales, dict):
        raise parser.fail("schalen", "verwacht schalen met een naam (naam: velden)")
    own_scales = {str(sid): parser.scale(str(sid), s) for sid, s in own_scales.items()}
    entries = parser.need(raw, "vragen", "begin")
    if not isinstance(entries, list):
        raise parser.fail("vragen", "verwacht een lijst met vragen")
    result = dict(questionnaires)
    for wave in waves:
        q = result[wave]
        for sid, scale in own_scales.items():
            if sid in q.scales and q.scales[sid] != scale:
                raise parser.fail(f"schaal '{sid}'", f"de vragenlijst van {wave} ({q.source.name}) heeft al een "
                                  "andere schaal met deze naam. Geef de eigen schaal een andere naam.")
        scales = {**q.scales, **own_scales}
        themes = {t.id for t in q.themes}
        items = []
        for entry in entries:
            if isinstance(entry, dict) and not entry.get("thema"):
                entry = {**entry, "thema": OWN_THEME}
            items.append(dataclasses.replace(parser.item(entry, scales, themes), regional=True, owner=region))
        _check_own(parser, q, tuple(items))
        result[wave] = dataclasses.replace(q, items=q.items + tuple(items), scales=scales)
    return result


def _check_own(parser: "_Parser", q: Questionnaire, own: tuple[Item, ...]) -> None:
    """Own items may not reuse an id or column of the questionnaire (or of another region's own questions)."""

    def source(it: Item) -> str:
        return f"de eigen vragen van regio '{it.owner}'" if it.owner else f"{q.source.name}"

    bg = q.background
    background = {bg.respondent_column, bg.sector.column, bg.functie.column, bg.schooltype.column,
                  bg.functie.other_column} - {""}
    seen_ids = {it.id: it for it in q.items}
    seen_columns = {it.column.casefold(): it for it in q.items}
    for it in own:
        where = f"vraag '{it.id}'"
        if it.id in seen_ids:
            raise parser.fail(where, f"de id '{it.id}' bestaat al in {source(seen_ids[it.id])} (meting {q.wave}, "
                              f"vraag '{seen_ids[it.id].short}'). Kies een andere id, bijvoorbeeld met de regio "
                              "ervoor.")
        if it.column.casefold() in seen_columns:
            other = seen_columns[it.column.casefold()]
            raise parser.fail(where, f"kolom '{it.column}' is al de kolom van vraag '{other.id}' in {source(other)} "
                              f"(meting {q.wave}). Geef de vraag een eigen kolom, of koppel onder 'kolommen' in "
                              "regios.yaml de kolom van uw export aan deze vraag.")
        if it.column in background:
            raise parser.fail(where, f"kolom '{it.column}' is een achtergrondvraag in {q.source.name}")
        if it.filter is not None:
            target = seen_ids.get(it.filter.item)
            if target is None or target.is_open or (target.owner and target.owner != it.owner):
                raise parser.fail(where, f"filter verwijst naar onbekende vraag '{it.filter.item}' (de filtervraag "
                                  "moet een gesloten vraag van de vragenlijst zijn, of eerder in dit bestand staan)")
        seen_ids[it.id] = it
        seen_columns[it.column.casefold()] = it


class _Parser:
    """Turns the raw YAML into objects; every error names the file and the place in it."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, where: str, what: str) -> ConfigError:
        return ConfigError(f"Vragenlijst {self.path.name}, {where}: {what}")

    def yes_no(self, mapping: dict, key: str, default: bool, where: str) -> bool:
        """`key: ja` or `nee` (yamlfile.yes_no); `default` when the key is absent."""
        if key not in mapping:
            return default
        flag = yes_no(mapping[key])
        if flag is None:
            raise self.fail(where, f"'{key}' is 'ja' of 'nee', niet '{mapping[key]}'")
        return flag

    def keys(self, mapping: Any, allowed: set[str], where: str) -> None:
        """Unknown keys are almost always typos or an unquoted comma in a text; say so instead of guessing."""
        if not isinstance(mapping, dict):
            raise self.fail(where, "verwacht velden met een naam (naam: waarde)")
        unknown = sorted(str(k) for k in mapping if k not in allowed)
        if unknown:
            raise self.fail(
                where,
                f"onbekend veld {', '.join(repr(u) for u in unknown)}. Bekende velden: {', '.join(sorted(allowed))}. "
                "Staat er een komma in een tekst? Zet de tekst dan tussen aanhalingstekens.",
            )

    def number(self, mapping: Any, key: str, where: str) -> int:
        value = self.need(mapping, key, where)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or int(value) != value:
            raise self.fail(where, f"'{key}' moet een heel getal zijn, niet '{value}'")
        return int(value)

    def whole(self, value: Any, where: str) -> int:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or int(value) != value:
            raise self.fail(where, f"'{value}' is geen code (een heel getal)")
        return int(value)

    def need(self, mapping: Any, key: str, where: str) -> Any:
        if not isinstance(mapping, dict) or key not in mapping or mapping[key] in (None, ""):
            raise self.fail(where, f"het veld '{key}' ontbreekt")
        return mapping[key]

    def questionnaire(self, raw: Any) -> Questionnaire:
        if not isinstance(raw, dict):
            raise self.fail("begin", "verwacht een lijst met velden (meting, schalen, vragen, ...)")
        self.keys(raw, {"meting", "titel", "ontbrekend", "schalen", "themas", "achtergrond", "vragen", "rapport"},
                  "begin")
        wave = self.need(raw, "meting", "begin")
        if not isinstance(wave, int):
            raise self.fail("meting", f"'{wave}' is geen jaartal")
        missing = tuple(self.missing_code(m, i) for i, m in enumerate(raw.get("ontbrekend") or []))
        scales = {sid: self.scale(sid, s) for sid, s in (self.need(raw, "schalen", "begin")).items()}
        for i, t in enumerate(self.need(raw, "themas", "begin")):
            self.keys(t, {"id", "nummer", "titel"}, f"thema {i + 1}")
        themes = tuple(
            Theme(self.need(t, "id", f"thema {i + 1}"), self.number(t, "nummer", f"thema {i + 1}"),
                  str(self.need(t, "titel", f"thema {i + 1}")))
            for i, t in enumerate(self.need(raw, "themas", "begin"))
        )
        background = self.background(self.need(raw, "achtergrond", "begin"))
        theme_ids = {t.id for t in themes}
        items = tuple(self.item(v, scales, theme_ids) for v in self.need(raw, "vragen", "begin"))
        self.check_items(items, background, missing, scales)
        chapters, references = self.report(raw.get("rapport") or {}, items)
        return Questionnaire(
            wave=wave,
            title=str(raw.get("titel", "")),
            source=self.path,
            missing=missing,
            scales=scales,
            themes=themes,
            background=background,
            items=items,
            chapters=chapters,
            references=references,
        )

    def report(self, raw: Any, items: tuple[Item, ...]) -> tuple[tuple[Chapter, ...], tuple[Reference, ...]]:
        self.keys(raw, {"eigen_hoofdstuk", "referentiewaarden"}, "rapport")
        by_id = {it.id: it for it in items}
        chapters = []
        for c in raw.get("eigen_hoofdstuk") or []:
            self.keys(c, {"vraag", "titel", "in_aanbevelingen"}, "rapport, eigen_hoofdstuk")
            item = str(self.need(c, "vraag", "rapport, eigen_hoofdstuk"))
            if item not in by_id or not by_id[item].is_open:
                raise self.fail("rapport, eigen_hoofdstuk", f"'{item}' is geen open vraag van deze vragenlijst")
            recommend = self.yes_no(c, "in_aanbevelingen", False, "rapport, eigen_hoofdstuk")
            chapters.append(Chapter(item, str(self.need(c, "titel", "rapport, eigen_hoofdstuk")), recommend))
        references = []
        for r in raw.get("referentiewaarden") or []:
            self.keys(r, {"vraag", "waarde", "bron"}, "rapport, referentiewaarden")
            item = str(self.need(r, "vraag", "rapport, referentiewaarden"))
            if item not in by_id or by_id[item].is_open:
                raise self.fail("rapport, referentiewaarden", f"'{item}' is geen gesloten vraag van deze vragenlijst")
            references.append(Reference(item, float(self.need(r, "waarde", "rapport, referentiewaarden")),
                                        str(self.need(r, "bron", "rapport, referentiewaarden"))))
        return tuple(chapters), tuple(references)

    def missing_code(self, raw: Any, i: int) -> MissingCode:
        where = f"ontbrekend, regel {i + 1}"
        self.keys(raw, {"code", "label", "soort"}, where)
        kind = self.need(raw, "soort", where)
        if kind not in MISSING_KINDS:
            raise self.fail(where, f"soort '{kind}' is onbekend; kies uit {', '.join(MISSING_KINDS)}")
        return MissingCode(self.number(raw, "code", where), str(self.need(raw, "label", where)), kind)

    def scale(self, sid: str, raw: Any) -> Scale:
        where = f"schaal '{sid}'"
        self.keys(raw, {"soort", "categorieen", "positief", "positief_label", "minimum", "maximum",
                        "onvoldoende_tot_en_met"}, where)
        kind = self.need(raw, "soort", where)
        if kind not in SCALE_KINDS:
            raise self.fail(where, f"soort '{kind}' is onbekend; kies uit {', '.join(SCALE_KINDS)}")
        if kind == "cijfer":
            lo, hi = self.number(raw, "minimum", where), self.number(raw, "maximum", where)
            cut = self.number(raw, "onvoldoende_tot_en_met", where)
            if not lo <= cut < hi:
                raise self.fail(where, "onvoldoende_tot_en_met moet tussen minimum en maximum liggen")
            return Scale(sid, kind, minimum=lo, maximum=hi, insufficient_max=cut)
        for c in self.need(raw, "categorieen", where):
            self.keys(c, {"code", "label", "weet_niet"}, where)
        cats = tuple(
            Category(self.number(c, "code", where), str(self.need(c, "label", where)), bool(c.get("weet_niet")))
            for c in self.need(raw, "categorieen", where)
        )
        codes = [c.code for c in cats]
        if len(set(codes)) != len(codes):
            raise self.fail(where, "een code komt twee keer voor")
        positive = tuple(self.whole(c, where + ", positief") for c in raw.get("positief") or [])
        if not positive:
            raise self.fail(where, "'positief' ontbreekt: welke codes tellen als positief antwoord (bijvoorbeeld [1])?")
        if not set(positive) <= set(codes):
            raise self.fail(where, f"positief noemt codes die niet in de schaal staan: {positive}")
        return Scale(sid, kind, cats, positive, str(raw.get("positief_label", "")))

    def background(self, raw: Any) -> Background:
        self.keys(raw, {"respondent", "sector", "functie", "schooltype"}, "achtergrond")

        def question(key: str) -> BackgroundQuestion:
            part = self.need(raw, key, "achtergrond")
            self.keys(part, {"kolom", "anders_kolom", "categorieen"}, f"achtergrond {key}")
            for c in self.need(part, "categorieen", f"achtergrond {key}"):
                self.keys(c, {"code", "label", "sector", "anders"}, f"achtergrond {key}")
            choices = tuple(
                Choice(
                    self.number(c, "code", f"achtergrond {key}"),
                    str(self.need(c, "label", f"achtergrond {key}")),
                    str(c.get("sector", "")),
                    bool(c.get("anders")),
                )
                for c in self.need(part, "categorieen", f"achtergrond {key}")
            )
            for c in choices:
                if c.sector and c.sector not in SECTORS:
                    raise self.fail(f"achtergrond {key}", f"sector '{c.sector}' is onbekend")
            return BackgroundQuestion(
                str(self.need(part, "kolom", f"achtergrond {key}")), choices, str(part.get("anders_kolom", ""))
            )

        sector = question("sector")
        if {c.sector for c in sector.choices} != set(SECTORS):
            raise self.fail("achtergrond sector", "elke categorie moet 'sector: onderwijs' of 'jeugdhulp' hebben")
        return Background(
            respondent_column=str(self.need(self.need(raw, "respondent", "achtergrond"), "kolom", "respondent")),
            sector=sector,
            functie=question("functie"),
            schooltype=question("schooltype"),
        )

    def item(self, raw: Any, scales: dict[str, Scale], theme_ids: set[str]) -> Item:
        item_id = self.need(raw, "id", "vragen")
        where = f"vraag '{item_id}'"
        self.keys(raw, {"id", "thema", "kolom", "soort", "schaal", "kort", "tekst", "filter", "regionaal",
                        "harmonisatie", SECTORS_COMPARABLE}, where)
        theme = self.need(raw, "thema", where)
        if theme not in theme_ids:
            raise self.fail(where, f"thema '{theme}' staat niet onder 'themas'")
        kind = raw.get("soort", "gesloten")
        if kind not in ("gesloten", "open"):
            raise self.fail(where, f"soort '{kind}' is onbekend; kies 'gesloten' of 'open'")
        scale = None
        if kind == "gesloten":
            sid = self.need(raw, "schaal", where)
            if sid not in scales:
                raise self.fail(where, f"schaal '{sid}' staat niet onder 'schalen'")
            scale = scales[sid]
        text = self.need(raw, "tekst", where)
        if isinstance(text, dict):
            unknown = set(text) - set(SECTORS)
            if unknown:
                raise self.fail(where, f"tekst per sector kent alleen {SECTORS}, niet {sorted(unknown)}")
            texts = tuple((k, str(v)) for k, v in text.items())
        else:
            texts = (("", str(text)),)
        comparable = self.sectors_comparable(raw, texts, where)
        flt = None
        if raw.get("filter"):
            f = raw["filter"]
            flt = ItemFilter(str(self.need(f, "vraag", where + " filter")),
                             tuple(self.whole(c, where + " filter") for c in self.need(f, "codes", where + " filter")))
        return Item(
            id=item_id,
            theme=theme,
            column=str(self.need(raw, "kolom", where)),
            kind=kind,
            short=str(raw.get("kort") or item_id),
            texts=texts,
            scale=scale,
            filter=flt,
            regional=bool(raw.get("regionaal", False)),
            harmonisation=self.harmonisation(raw.get("harmonisatie"), scale, scales, where),
            sectors_comparable=comparable,
        )

    def sectors_comparable(self, raw: dict, texts: tuple[tuple[str, str], ...], where: str) -> bool:
        """`sectoren_vergelijkbaar: ja` on an item with a text per sector: its sectors may be pooled and tested."""
        if SECTORS_COMPARABLE not in raw:
            return False
        comparable = self.yes_no(raw, SECTORS_COMPARABLE, False, where)
        if len(texts) < 2:
            raise self.fail(where, f"'{SECTORS_COMPARABLE}' hoort alleen bij een vraag met een tekst per sector "
                            "(tekst: {onderwijs: ..., jeugdhulp: ...})")
        return comparable

    def harmonisation(self, raw: Any, scale: Scale | None, scales: dict[str, Scale],
                      where: str) -> Harmonisation | None:
        if scale is None:
            return None
        if not raw:
            return Harmonisation(scale=scale)
        where = where + " harmonisatie"
        self.keys(raw, {"schaal", "hercodering", "toelichting", "vergelijkbaar", "reden"}, where)
        if raw.get("vergelijkbaar") is False:
            return Harmonisation(scale=None, comparable=False, reason=str(self.need(raw, "reden", where)))
        target = scale
        if raw.get("schaal"):
            if raw["schaal"] not in scales:
                raise self.fail(where, f"schaal '{raw['schaal']}' staat niet onder 'schalen'")
            target = scales[raw["schaal"]]
        recode = {self.whole(k, where): self.whole(v, where) for k, v in (raw.get("hercodering") or {}).items()}
        if target is not scale:
            if scale.kind == "cijfer" or target.kind == "cijfer":
                raise self.fail(where, "een cijferschaal kan niet worden gehercodeerd")
            if set(recode) != set(scale.codes):
                raise self.fail(where, f"hercodering moet elke code van de schaal noemen: {list(scale.codes)}")
            if not set(recode.values()) <= set(target.codes):
                raise self.fail(where, f"hercodering verwijst naar codes buiten schaal '{target.id}'")
        return Harmonisation(scale=target, recode=recode, note=str(raw.get("toelichting", "")))

    def check_items(self, items: tuple[Item, ...], bg: Background, missing: tuple[MissingCode, ...],
                    scales: dict[str, Scale]) -> None:
        ids = [it.id for it in items]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise self.fail("vragen", f"deze id's komen vaker voor: {sorted(dupes)}")
        columns = [it.column for it in items] + [bg.respondent_column, bg.sector.column, bg.functie.column,
                                                   bg.schooltype.column]
        dupes = {c for c in columns if columns.count(c) > 1}
        if dupes:
            raise self.fail("vragen", f"deze kolomnamen worden voor meer dan één vraag gebruikt: {sorted(dupes)}")
        missing_codes = {m.code for m in missing}
        for s in scales.values():
            clash = missing_codes & set(s.codes)
            if clash:
                raise self.fail(f"schaal '{s.id}'", f"code {sorted(clash)} is ook een code voor 'ontbrekend'")
        by_id = {it.id: it for it in items}
        for it in items:
            if it.filter:
                if it.filter.item not in by_id or by_id[it.filter.item].is_open:
                    raise self.fail(f"vraag '{it.id}'", f"filter verwijst naar onbekende vraag '{it.filter.item}'")
                if ids.index(it.filter.item) > ids.index(it.id):
                    raise self.fail(f"vraag '{it.id}'", "de filtervraag moet eerder in de lijst staan")
