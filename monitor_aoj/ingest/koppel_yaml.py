"""A draft mapping (koppel.Draft) written as a mapping file that parse_mapping accepts as it stands."""

from __future__ import annotations

import re

import yaml

from monitor_aoj.definitions.questionnaire import Questionnaire
from monitor_aoj.ingest.koppel import Draft
from monitor_aoj.ingest.koppel_fit import target_label, written
from monitor_aoj.ingest.layouts import LAYOUTS


def _scalar(value: object) -> str:
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        return value
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000).strip().removesuffix(
        "\n...").removesuffix("...").strip()


def _comment(text: str) -> str:
    return " ".join(text.split())


def render_yaml(draft: Draft, q: Questionnaire, name: str) -> str:
    """The draft as a mapping file, with Dutch comments; deterministic (no date)."""
    out = [
        f"# Koppeling van {draft.export.name} op de vragenlijst van meting {draft.wave}.",
        f"# Ontwerp gemaakt met 'monitor-aoj koppel'. Indeling van het bestand: {LAYOUTS[draft.layout]}.",
        "#",
        "# Dit is een voorstel. Controleer elke regel met CONTROLEREN: klopt de koppeling, laat hem staan;",
        "# klopt hij niet, verbeter de regel (of zet 'negeren' als doel). Regels zonder CONTROLEREN zijn zeker.",
        "# Bij een regel met KIES staat nog geen antwoord: vul het in; tot dan wordt de koppeling niet gebruikt.",
        "# Gebruik: zet dit bestand in de invoermap naast de export en noem het bij de meting in regios.yaml:",
        f"#     koppeling: {name}",
        "# en controleer daarna met: monitor-aoj valideer --invoer <invoermap>",
        "",
        f"indeling: {draft.layout}",
    ]
    if draft.codes == "vragenlijst":
        out.append("codes: vragenlijst  # CONTROLEREN: " + draft.codes_note.splitlines()[0])
        out += [f"#   {line}" for line in draft.codes_note.splitlines()[1:]]
    else:
        out.append("codes: labels  # antwoorden worden op hun label gelezen")
    out += ["", "# Kolom in het bestand: kolom of vraag van de vragenlijst."]
    mapped = [c for c in draft.columns if c.target]
    if mapped:
        out.append("kolommen:")
        for c in mapped:
            note = c.why if c.certain else f"CONTROLEREN: {c.why}"
            out.append(f"  {_scalar(c.source)}: {written(q, c.target)}  # {_comment(note)}")
    else:
        out.append("kolommen: {}  # geen enkele kolom gevonden die bij de vragenlijst past")
    unmapped = [c for c in draft.columns if not c.target]
    if unmapped:
        out += ["", "# Niet gekoppeld: deze kolommen van het bestand worden niet gelezen. Hoort er toch een bij",
                "# de vragenlijst, zet hem dan onder 'kolommen' (bijvoorbeeld  kolomnaam: T1_1)."]
        meta = [c for c in unmapped if c.metadata]
        for c in unmapped:
            if not c.metadata:
                out.append(f"#   {c.source or '(kolom ' + str(c.position + 1) + ')'}: {_comment(c.why)}")
        if meta:
            out.append(f"#   metagegevens van de enquêtetool: {', '.join(c.source for c in meta if c.source)}")
            if draft.id_note:
                out.append(f"#   {_comment(draft.id_note)}")
    if draft.missing_items:
        out += ["", "# Vragen van de vragenlijst zonder kolom in dit bestand "
                    "(niet gesteld, of hierboven niet herkend):"]
        out += [f"#   {target_label(q, t)}" for t in draft.missing_items]
    if draft.answers:
        out += ["", "# Antwoorden die niet vanzelf worden herkend: waarde in het bestand: antwoord van de vragenlijst.",
                "antwoorden:"]
        for target, entries in draft.answers.items():
            out.append(f"  {written(q, target)}:")
            for e in entries:
                if e.suggestion:
                    out.append(f"    {_scalar(e.value)}: {_scalar(e.suggestion)}  # CONTROLEREN: {_comment(e.why)}")
                else:  # an open slot: read as empty, so the mapping is refused until the user fills it
                    out.append(f"    {_scalar(e.value)}:  # KIES: {_comment(e.why)}")
    if draft.scales:
        out += ["", "# Vragen die in deze regio met een andere schaal zijn gesteld.", "schalen:"]
        for item_id, (scale, why) in draft.scales.items():
            out.append(f"  {q.item(item_id).column}: {scale}  # CONTROLEREN: {_comment(why)}")
    return "\n".join(out) + "\n"
