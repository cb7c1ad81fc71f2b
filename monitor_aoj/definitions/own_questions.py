"""Monitor op maat: a region's own questions (`vragenlijst_<regio>.yaml` beside regios.yaml).

They are added to the questionnaire of each wave the file names, as regional items owned by that region, so
another region's exports, figures and report are unaffected.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from monitor_aoj.definitions.config_fields import inside_folder
from monitor_aoj.definitions.questionnaire import Item, Questionnaire
from monitor_aoj.definitions.questionnaire_reader import QuestionnaireParser
from monitor_aoj.definitions.regions import CONFIG_NAME, REGION_ID
from monitor_aoj.definitions.yaml_reader import load_yaml
from monitor_aoj.errors import ConfigError

OWN_QUESTIONS = "vragenlijst_{region}.yaml"  # a region's own questions, beside regios.yaml
OWN_KEYS = {"meting", "metingen", "schalen", "vragen"}
OWN_THEME = "regionaal"  # the theme of a region's own question that names none


def add_own_questions(questionnaires: dict[int, Questionnaire], path: Path, region: str) -> dict[int, Questionnaire]:
    """A region's own questions (`vragenlijst_<regio>.yaml`) added to the questionnaire of each wave the file
    names, as regional items owned by that region: no other region asks them.

    The file has `meting: 2021` (or `metingen: [2018, 2021]`), optionally `schalen:` of its own, and `vragen:`
    in the format of the questionnaire files. An id, column or scale id that clashes with the questionnaire's
    (or another region's own questions) is a ConfigError naming both."""
    path = Path(path)
    parser = QuestionnaireParser(path)
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


def _check_own(parser: "QuestionnaireParser", q: Questionnaire, own: tuple[Item, ...]) -> None:
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


def with_own_questions(folder: Path, questionnaires: dict[int, Questionnaire]) -> dict[int, Questionnaire]:
    """The questionnaires per wave with every region's own questions added (owned by that region, so another
    region's exports, figures and report are unaffected).

    A region's file is `vragenlijst_<regio-id>.yaml` beside regios.yaml, or the file its `eigen_vragen` names
    (inside the input folder). A `vragenlijst_*.yaml` that belongs to no region is a ConfigError: it would
    otherwise be silently ignored."""
    folder = Path(folder)
    path = folder / CONFIG_NAME
    if not path.is_file():
        return questionnaires  # load_config says what is missing
    raw = load_yaml(path, "Het bestand") or {}
    regions = raw.get("regios") if isinstance(raw, dict) else None
    if not isinstance(regions, list):
        return questionnaires
    result = dict(questionnaires)
    used: set[Path] = set()
    for r in regions:
        if not isinstance(r, dict) or not REGION_ID.match(str(r.get("id", ""))):
            continue  # load_config names the problem
        rid = str(r["id"])
        if r.get("eigen_vragen"):
            file = inside_folder(folder, r["eigen_vragen"], f"{path.name}, regio '{rid}', eigen_vragen")
            if not file.is_file():
                raise ConfigError(f"{path.name}, regio '{rid}', eigen_vragen: het bestand '{r['eigen_vragen']}' staat "
                                  f"niet in {folder}.")
        else:
            file = folder / OWN_QUESTIONS.format(region=rid)
            if not file.is_file():
                continue
        used.add(file.resolve())
        result = add_own_questions(result, file, rid)
    ids = [str(r.get("id")) for r in regions if isinstance(r, dict)]
    for stray in sorted(folder.glob(OWN_QUESTIONS.format(region="*"))):
        if stray.resolve() not in used:
            rid = stray.stem.removeprefix("vragenlijst_")
            if rid in ids:
                raise ConfigError(f"{stray.name} wordt niet gebruikt: regio '{rid}' noemt onder 'eigen_vragen' een "
                                  "ander bestand. Zet alle eigen vragen in één bestand, of verwijder dit bestand.")
            raise ConfigError(
                f"{stray.name} hoort bij geen regio: in {path.name} staat geen regio "
                f"'{stray.stem.removeprefix('vragenlijst_')}' (regio's: {', '.join(ids)}). Hernoem het bestand naar "
                "vragenlijst_<regio-id>.yaml, of noem het bij de regio onder 'eigen_vragen'.")
    return result
