"""Reading the questionnaire files (`questionnaires/*.yaml`) into Questionnaire objects.

A mistake in a file is reported in Dutch with the file and item, before any data is read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from monitor_aoj.definitions.questionnaire import (
    MISSING_KINDS,
    SCALE_KINDS,
    SECTORS,
    SECTORS_COMPARABLE,
    Background,
    BackgroundQuestion,
    Category,
    Chapter,
    Choice,
    Harmonisation,
    Item,
    ItemFilter,
    MissingCode,
    Questionnaire,
    Reference,
    Scale,
    Theme,
)
from monitor_aoj.definitions.yaml_reader import load_yaml, yes_no
from monitor_aoj.errors import ConfigError


def load_questionnaires(folder: Path | None = None) -> dict[int, Questionnaire]:
    """Read every questionnaire file of a folder.

    Args:
        folder: a folder of questionnaire files (`*.yaml`, one per wave). None: the questionnaires shipped with
            the program (assets.QUESTIONNAIRES).

    Returns:
        dict[int, Questionnaire]: wave year -> its questionnaire, in the order of the file names.

    Raises:
        ConfigError: in Dutch, naming the file and the place in it: the folder does not exist or holds no
            `*.yaml`, two files are for the same wave, or a file is no valid YAML or breaks a rule of the format
            (an unknown key, a missing field, a code that is no whole number, a scale or theme that is not
            declared, an id or column used twice, a filter on a later or unknown question, ...).
    """
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
    """One questionnaire file; ConfigError as load_questionnaires says."""
    path = Path(path)
    return QuestionnaireParser(path).questionnaire(load_yaml(path, "Vragenlijst"))


class QuestionnaireParser:
    """Turns the raw YAML into objects; every error names the file and the place in it."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, where: str, what: str) -> ConfigError:
        return ConfigError(f"Vragenlijst {self.path.name}, {where}: {what}")

    def yes_no(self, mapping: dict, key: str, default: bool, where: str) -> bool:
        """`key: ja` or `nee` (yaml_reader.yes_no); `default` when the key is absent."""
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
