"""Every check the validation can report, each declared once: its Dutch title and texts, its severity, what it does
to the row, and how it is found.

Like frictionless' checks, an entry carries everything about its check: the Great Expectations suites are generated
from the entries' `Expect`, the Dutch problem is filled from their templates, and the validation report names each
check by its title. Adding a check is adding one entry here (plus, for a new helper column, its computation in
suite.py; for a check found outside GX, the code that finds it in stage.py).

Templates are filled with facts about the item (`column`, `short`, `wave`, `region`, `limit`, `allowed`, `low`,
`high`, `filter_short`, `filter_answer`; see translate.Describe.facts) and with the facts the finder adds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from monitor_aoj.ingest.columns import DATE, FUNCTIE, FUNCTIE_OTHER, REGION, RESPONDENT, SCHOOLTYPE, SECTOR
from monitor_aoj.ingest.validation import decoders

ERROR, WARNING = "fout", "waarschuwing"

# Columns of the frames GX checks. Row batch: one row per export row; file batch: one row per export.
FILE = "_bestand"  # which export (see suite.export_key), in both batches
DECODED = "\x00ok"  # what GX sees for a value that decodes to a questionnaire answer
ID_KEY = "_id"  # file and respondent id: a duplicate within one file of a wave
OUTSIDE_FILTER = "_buiten_filter:{item}"  # an answer given by someone the filter did not ask
SECTOR_FOUND = "_sector"  # the sector as ticked or derived from the functie
ROW_READABLE = "_rij_leesbaar"
ANSWERS = "_antwoorden"  # how many questions the row answers
YEAR_FITS = "_jaar_klopt"
REGION_FITS = "_regio_klopt"
ROWS = "_rijen"  # file batch: rows under the header
HAS_COLUMN = "kolom:{column}"  # file batch: 1 when the export has the column
NONRESPONSE = "nr:{column}"  # file batch: an item's share without answer among those asked
WAVE_FOUND = "_meting"  # file batch: the wave whose questionnaire the columns match best


@dataclass(frozen=True)
class Setting:
    """An argument of an expectation taken from the run's settings (regios.yaml `instellingen`)."""

    name: str  # attribute of definitions.regions.Settings


@dataclass(frozen=True)
class Expect:
    """How Great Expectations finds a check's failures: one expectation on each of `columns`.

    A column with {item} is checked once per closed questionnaire item the check `applies` to (row batch); one
    with {column} once per file-batch column of that form whose questionnaire column it `applies` to; any other
    column once, when the batch has it.
    """

    expectation: str  # class name in great_expectations.expectations
    columns: tuple[str, ...]
    args: Mapping[str, object] = field(default_factory=dict)  # a Setting is filled from the settings
    applies: Callable[[Any], bool] | None = None  # given an Item ({item}) or a questionnaire column ({column})
    names: str | None = None  # the questionnaire column the problem names and shows: None the checked one, "" none
    files: bool = False  # checked in the file batch, not the row batch

    def named(self, checked: str, filled: str) -> str:
        """The questionnaire column a failure on column `checked` names; `filled` is what {item} or {column} became."""
        return checked if self.names is None else self.names.format(item=filled, column=filled)


@dataclass(frozen=True)
class Check:
    """One kind of problem: how the user sees it (Dutch texts), what it does to the data, and how it is found."""

    title: str  # the kind of check, in Dutch ("Soort controle" in the validation report)
    severity: str
    quarantine: bool  # a failing row goes into quarantine
    expected: str  # what was expected, in Dutch (template)
    action: str  # what the user should do, in Dutch (template)
    found_by: Expect | str  # the GX expectation, or (in English) where the code finds it
    cell: bool = False  # the failing cell is set aside (counted as "ongeldig"); the respondent stays
    value: str | Callable = ""  # the value shown: template, or a decoders function; default the value found
    note: str = ""  # a sentence before the action (template with the finder's facts)
    hint: Callable | None = None  # decoders function: a sentence naming the kind of mistake in the value found
    reason: str = ""  # quarantine reason when the check puts the whole file aside (template)
    # The fault as the report's Verantwoording lists it after "gecontroleerd op" ("lege rijen"); every check that
    # quarantines a row or sets a cell aside has one (method_notes.checks_sentence). The same words are named once.
    checked_for: str = ""


def _background(canonical: str) -> bool:
    """A respondent's id and background, or a helper column: its absence is a warning, not an error."""
    return canonical.startswith("_") or canonical in (RESPONDENT, SECTOR, FUNCTIE, SCHOOLTYPE, FUNCTIE_OTHER)


IN_SET, BETWEEN = "ExpectColumnValuesToBeInSet", "ExpectColumnValuesToBeBetween"
KNOWN = {"value_set": [DECODED]}
TRUE = {"value_set": [True]}

# Every kind of problem the validation can report, by id (the Problem's `check`). The suites are generated in this
# order: per item its item checks, then the row checks; the file checks in the file batch.
CHECKS: dict[str, Check] = {
    # --- the file as a whole ---
    "bestand_onleesbaar": Check(
        "bestand niet te lezen", ERROR, False, "een leesbaar exportbestand", "{reason}",
        "stage: the reader raises ReadError"),
    "geen_rijen": Check(
        "geen antwoorden", ERROR, False, "minstens één rij met antwoorden onder de kopregel",
        "Exporteer de antwoorden opnieuw; het bestand bevat alleen kolomnamen.",
        Expect(BETWEEN, (ROWS,), {"min_value": 1}, names="", files=True), value="alleen een kopregel"),
    "kolom_ontbreekt": Check(
        "kolom ontbreekt", ERROR, False, "een kolom '{column}' ({short})",
        "Voeg de kolom toe aan de export, of zet onder 'kolommen' in regios.yaml hoe de kolom in uw export heet. "
        "Zonder deze kolom telt de vraag als niet gesteld.",
        Expect(IN_SET, (HAS_COLUMN,), {"value_set": [1]}, lambda c: not _background(c), "{column}", True),
        value="kolom niet gevonden"),
    "kolom_ontbreekt_achtergrond": Check(
        "kolom ontbreekt", WARNING, False, "een kolom '{column}' ({short})",
        "Voeg de kolom toe, of zet onder 'kolommen' in regios.yaml hoe hij heet.",
        Expect(IN_SET, (HAS_COLUMN,), {"value_set": [1]}, _background, "{column}", True), value="kolom niet gevonden"),
    "veel_non_respons": Check(
        "veel non-respons", WARNING, False, "hoogstens {limit} zonder antwoord",
        "Geen actie nodig als dit klopt; het rapport noemt de non-respons bij de vraag.",
        Expect(BETWEEN, (NONRESPONSE,), {"max_value": Setting("nonresponse_warning")}, names="{column}",
               files=True),
        value="{percent}% zonder antwoord"),
    "andere_meting": Check(
        "andere meting", ERROR, True, "de kolommen van de vragenlijst van {wave}",
        "Controleer in regios.yaml of 'jaar' en 'bestand' bij elkaar horen.",
        "stage: the wave signature of the file batch (suite.wave_signature) is another wave",
        value="kolommen van meting {other}",
        note="De kolommen passen bij de vragenlijst van {other}, niet bij die van {wave}.",
        reason="bestand lijkt meting {other}, niet {wave}", checked_for="gegevens uit een andere meting"),
    "weggelaten_kolom": Check(
        "kolom van weggelaten vraag", WARNING, False, "geen kolom '{column}': de regio heeft deze vraag weggelaten",
        "Kolom {column} hoort bij een weggelaten vraag en is niet gebruikt. Is de vraag toch gesteld, haal hem dan "
        "weg onder 'weglaten' in regios.yaml.",
        "stage: the reader lists the columns of omitted items"),
    "spss_ontbrekend": Check(
        "SPSS-code voor ontbrekend", WARNING, False, "een code uit de vragenlijst",
        "De code telt als 'geen antwoord'. Staat er een echt antwoord achter, hercodeer dan in SPSS. Het gaat om "
        "{rows}.",
        "stage: a code the SPSS file marks missing that no label or mapping explains"),
    "leesprobleem": Check(
        "bij het inlezen", WARNING, False, "goed leesbare rijen", "{text}",
        "stage: a warning the reader noted"),
    "meer_dan_uitgenodigd": Check(
        "meer respondenten dan uitgenodigd", WARNING, False, "hoogstens {invited} respondenten uit {sector} "
        "(uitgenodigd)",
        "Het rapport noemt voor deze sector geen responspercentage. Klopt het aantal onder 'uitgenodigd' in "
        "regios.yaml? Is de link doorgestuurd, dan is de respons niet te berekenen.",
        "stage: more rows of a sector than `uitgenodigd`", value="{answered} respondenten uit {sector}"),
    "niet_in_config": Check(
        "bestand niet in regios.yaml", WARNING, False, "een vermelding in regios.yaml",
        "Dit bestand is niet gebruikt. Hoort het erbij, zet het dan in regios.yaml.",
        "stage: an export file in the input folder that regios.yaml does not name"),
    "niet_afgerond": Check(
        "niet afgeronde antwoorden", WARNING, False, "antwoorden die {tool} als afgerond markeert",
        "Hun antwoorden tellen mee voor zover ze gegeven zijn: elk percentage is berekend op wie de vraag "
        "beantwoordde. Wilt u alleen afgeronde antwoorden, verwijder deze rijen dan uit de export of exporteer "
        "zonder onvolledige antwoorden. Het gaat om {rows}.",
        "stage: the tool's finished or submit-date column (layouts.tool_marks) marks used rows as not finished",
        value="{count} van de {used} gebruikte rijen niet afgerond (kolom {column})"),
    # --- one answer (per closed item, in questionnaire order) ---
    "onbekende_code": Check(
        "onbekende code", ERROR, False, "een van: {allowed}",
        "Het antwoord is apart gezet (telt als ongeldig); de rest van de rij telt mee.",
        Expect(IN_SET, ("{item}",), KNOWN, lambda it: it.closed_scale.kind != "cijfer"), cell=True,
        hint=decoders.decision, checked_for="onbekende codes"),
    "ongeldig_cijfer": Check(
        "ongeldig cijfer", ERROR, False, "een heel cijfer van {low} tot en met {high}",
        "Het cijfer is apart gezet (telt als ongeldig); de rest van de rij telt mee. Vul een heel cijfer van {low} "
        "tot en met {high} in, of maak de cel leeg.",
        Expect(IN_SET, ("{item}",), KNOWN, lambda it: it.closed_scale.kind == "cijfer"), cell=True, hint=decoders.mark,
        checked_for="ongeldige rapportcijfers"),
    "buiten_filter": Check(
        "antwoord buiten filter", WARNING, False, "geen antwoord: de vraag geldt alleen voor wie bij "
        "'{filter_short}' {filter_answer} antwoordde",
        "Het antwoord telt niet mee. Controleer de routing in de enquêtetool.",
        Expect("ExpectColumnValuesToBeNull", (OUTSIDE_FILTER,), applies=lambda it: it.filter is not None,
               names="{item}")),
    # --- the row ---
    "onbekende_sector": Check(
        "onbekende sector", WARNING, False, "onderwijs of jeugdhulp",
        "Verbeter de sector. Hoort de functie bij één sector, dan bepaalt die de sector.",
        Expect(IN_SET, (SECTOR,), KNOWN), hint=decoders.decision),
    "onbekende_achtergrond": Check(
        "onbekende waarde", ERROR, False, "een van: {allowed}",
        "Het antwoord is apart gezet; de respondent telt verder mee.",
        Expect(IN_SET, (FUNCTIE, SCHOOLTYPE), KNOWN), cell=True, hint=decoders.decision,
        checked_for="onbekende functies en schooltypen"),
    "rij_onleesbaar": Check(
        "rij niet in velden te splitsen", ERROR, True, "een rij met evenveel velden als de kopregel",
        "Controleer de rij in een teksteditor: staat er een scheidingsteken of aanhalingsteken te veel? Verbeter de "
        "export en draai de opdracht opnieuw.",
        Expect(IN_SET, (ROW_READABLE,), TRUE), checked_for="rijen die niet in velden te splitsen zijn"),
    "sector_ontbreekt": Check(
        "sector ontbreekt", ERROR, True, "sector onderwijs of jeugdhulp (of een functie die bij één sector hoort)",
        "Vul bij deze respondent de sector in (onderwijs of jeugdhulp).",
        Expect("ExpectColumnValuesToNotBeNull", (SECTOR_FOUND,), names=SECTOR), value=decoders.sector_and_functie,
        checked_for="een ontbrekende sector"),
    "testantwoord": Check(
        "voorbeeld-, test- of spamantwoord", ERROR, True, "een antwoord van een respondent",
        "Verwijder zulke rijen uit de export, of exporteer opnieuw zonder voorbeeld-, test- en spamantwoorden.",
        "stage: the tool's status column (layouts.tool_marks) says the row is no real response",
        note="Volgens {tool} is dit geen antwoord van een respondent maar {meaning}. De rij telt niet mee.",
        checked_for="antwoorden die de enquêtetool als test of spam markeert"),
    "dubbele_id": Check(
        "dubbel respondentnummer", ERROR, True, "een respondentnummer dat maar één keer voorkomt",
        "Komt dezelfde persoon twee keer voor, verwijder dan de dubbele rij; is het een ander persoon, geef dan een "
        "eigen nummer.",
        # Unique: every occurrence after the first is a problem (translate.py), over all rows of a wave.
        Expect("ExpectColumnValuesToBeUnique", (ID_KEY,), names=RESPONDENT), note="Het nummer staat ook in rij "
        "{first}.", hint=decoders.rounded_id, checked_for="dubbele respondentnummers"),
    "id_ontbreekt": Check(
        "respondentnummer ontbreekt", WARNING, False, "een respondentnummer",
        "Vul een nummer in. Tot dan heet deze respondent naar zijn rijnummer.",
        Expect("ExpectColumnValuesToNotBeNull", (RESPONDENT,))),
    "lege_rij": Check(
        "lege rij", ERROR, True, "minstens één beantwoorde vraag",
        "Verwijder de rij, of vul de antwoorden aan als die ergens anders staan.",
        Expect(BETWEEN, (ANSWERS,), {"min_value": 1}, names=""), value=decoders.what_the_row_holds,
        checked_for="lege rijen"),
    "andere_meting_rij": Check(
        "datum uit andere meting", ERROR, True, "een datum in {wave}",
        "Deze rij lijkt uit een andere meting te komen; zet hem in het bestand van die meting.",
        Expect(IN_SET, (YEAR_FITS,), TRUE, names=DATE), checked_for="gegevens uit een andere meting"),
    "andere_regio": Check(
        "andere regio", ERROR, True, "regio {region}",
        "Zet deze rij in het bestand van de juiste regio; staat die regio niet in regios.yaml, voeg hem dan toe.",
        Expect(IN_SET, (REGION_FITS,), TRUE, names=REGION), hint=decoders.region,
        checked_for="rijen uit een andere regio"),
    "antwoorden_samengevoegd": Check(
        "antwoorden samengevoegd", WARNING, False, "elk antwoord van de schaal met een eigen antwoord uit het bestand",
        "De koppeling zet {answers} allemaal op '{answer}', terwijl op {unused} in dit bestand geen enkel antwoord "
        "valt. Klopt de koppeling? Zet onder 'antwoorden' elk antwoord op het antwoord van de vragenlijst dat het "
        "betekent; is het samenvoegen bedoeld, dan kunt u deze waarschuwing laten staan.",
        "stage: mapping.merged_answers on each item column", value="{answers} -> '{answer}'"),
}
