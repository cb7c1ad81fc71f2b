"""The coordinator's review of open answers: an Excel sheet out, the same sheet back in.

`monitor-aoj beoordeling` writes, per region and wave, `<invoer>/beoordeling/beoordeling_<regio>_<jaar>.xlsx`:
every (anonymised) answer with its proposed sub-themes, a column to overrule them and a column "Citaat in
rapport" (ja / nee / empty = let the tool choose). The next run reads the sheet back; reviewed codes and flags
win over the automatic ones. Each row carries a fingerprint of the answer it was made for: an answer that
changed since (a corrected export) is flagged and keeps its automatic codes, it is never silently merged.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from monitor_aoj.definitions.codebooks import Codebook
from monitor_aoj.definitions.yaml_reader import yes_no
from monitor_aoj.errors import ConfigError

FOLDER = "beoordeling"
SHEET = "Antwoorden"
COLUMNS = ["Sleutel", "Controle", "Vraag", "Respondent", "Sector", "Antwoord (geanonimiseerd)",
           "Voorgestelde subthema's", "Subthema's (uw keuze)", "Citaat in rapport", "Opmerking", "Status"]
NEW, REVIEWED, CHANGED = "nieuw", "beoordeeld", "gewijzigd sinds beoordeling"


def review_path(input_folder: Path, region: str, wave: int) -> Path:
    """Where the review sheet of a region and wave lies: in the input folder, never through a link outside it
    (its answers would be read from, and written to, a place nobody chose). Raises ConfigError."""
    folder = Path(input_folder)
    path = folder / FOLDER / f"beoordeling_{region}_{wave}.xlsx"
    if not path.resolve().is_relative_to(folder.resolve()):
        raise ConfigError(
            f"{folder / FOLDER / path.name} verwijst naar een plek buiten de invoermap ({path.resolve().parent}). "
            f"Zet de map '{FOLDER}' met de beoordelingsbladen in de invoermap zelf, niet als snelkoppeling.")
    return path


def answer_key(region: str, wave: int, item: str, respondent: str) -> str:
    return f"{region}|{wave}|{item}|{respondent}"


def fingerprint(text: str) -> str:
    """Short hash of an answer, to notice that it changed since the review."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class ReviewEntry:
    key: str
    fingerprint: str
    codes: tuple[str, ...] | None  # None: the coordinator left the automatic codes
    quote: bool | None  # None: let the tool choose
    remark: str
    row: int  # row in the sheet, for messages


@dataclass(frozen=True)
class Review:
    path: Path | None
    entries: dict[str, ReviewEntry] = field(default_factory=dict)
    problems: tuple[str, ...] = ()  # Dutch messages about cells that could not be used


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def read_review(path: Path, codebooks: dict[str, Codebook]) -> Review:
    """Read the coordinator's review sheet back; unusable cells are reported, never guessed.

    Args:
        path: a sheet written by write_review (<invoer>/beoordeling/beoordeling_<regio>_<jaar>.xlsx).
        codebooks: item id -> its codebook; sub-themes may be given by id or by label.

    Returns:
        Review: per answer key (region|wave|item|respondent) the sub-themes the coordinator typed (None: keep the
        proposal), the quote choice (ja/nee/empty, by the one yes/no rule), the remark and the answer's
        fingerprint, so that an answer changed since is not given another answer's codes; and the problems found,
        in Dutch with file and row. No file: an empty Review (path None).

    Raises:
        Nothing: a damaged file, a missing sheet or column makes a Review with one problem and no entries (the
        automatic sub-themes then hold), so a bad review sheet never stops the run.
    """
    if not path.is_file():
        return Review(None)
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a damaged or non-xlsx file
        return Review(path, problems=(f"{path.name} kan niet worden geopend ({exc}); de beoordeling is niet "
                                      "gebruikt.",))
    try:
        if SHEET not in book.sheetnames:
            return Review(path, problems=(f"{path.name} heeft geen werkblad '{SHEET}'; de beoordeling is niet "
                                          "gebruikt.",))
        rows = list(book[SHEET].iter_rows(values_only=True))
    finally:
        book.close()
    header = [_text(h) for h in rows[0]] if rows else []
    missing = [c for c in ("Sleutel", "Controle", "Subthema's (uw keuze)", "Citaat in rapport") if c not in header]
    if missing:
        return Review(path, problems=(f"{path.name}: kolom(men) {', '.join(missing)} ontbreken; de beoordeling is "
                                      "niet gebruikt. Maak een nieuwe met 'monitor-aoj beoordeling'.",))
    col = {name: header.index(name) for name in header}
    entries, problems = {}, []
    for number, row in enumerate(rows[1:], start=2):
        row = list(row) + [None] * (len(header) - len(row))
        key = _text(row[col["Sleutel"]])
        if not key:
            continue
        item = key.split("|")[2] if key.count("|") == 3 else ""
        book_for_item = codebooks.get(item)
        codes = None
        typed = _text(row[col["Subthema's (uw keuze)"]])
        if typed and book_for_item is not None:
            resolved = [(part, book_for_item.resolve(part)) for part in typed.replace(",", ";").split(";")
                        if part.strip()]
            unknown = [part.strip() for part, code in resolved if code is None]
            if unknown:
                choices = ", ".join(s.label for s in book_for_item.subthemes) + ", Overig"
                problems.append(f"{path.name}, rij {number}: subthema {', '.join(repr(u) for u in unknown)} bestaat "
                                f"niet bij vraag '{item}' (kies uit: {choices}). Voor dit antwoord gelden de "
                                "automatische subthema's.")
            else:
                codes = tuple(dict.fromkeys(code for _, code in resolved if code is not None))  # none is: no unknown
        quote_text = _text(row[col["Citaat in rapport"]])
        quote = yes_no(quote_text) if quote_text else None
        if quote_text and quote is None:
            problems.append(f"{path.name}, rij {number}: 'Citaat in rapport' is '{row[col['Citaat in rapport']]}'; "
                            "vul ja, nee of niets in. De keuze is niet gebruikt.")
        remark = _text(row[col["Opmerking"]]) if "Opmerking" in col else ""
        entries[key] = ReviewEntry(key, _text(row[col["Controle"]]), codes, quote, remark, number)
    return Review(path, entries, tuple(problems))


def write_review(path: Path, answers: pd.DataFrame, codebooks: dict[str, Codebook], previous: Review,
                 questions: dict[str, str]) -> Path:
    """Write (or refresh) the review sheet of one region and wave, keeping what the coordinator entered.

    Args:
        path: where the sheet goes (review_path); an existing sheet is replaced atomically (outputs.write_atomic).
        answers: one row per anonymised open answer: key, fingerprint, item, respondent, sector, text,
            auto_codes (tuple of sub-theme ids the codebook proposes).
        codebooks: item id -> codebook; its sub-themes are the sheet's choices.
        previous: what the coordinator entered in the sheet before (read_review), kept for unchanged answers.
        questions: item id -> question text, for the explanation sheet.

    Returns:
        path, once the sheet is in place.

    Raises:
        OSError: the file cannot be written (no permission, disk full); the previous sheet stays intact.
    """
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from monitor_aoj.outputs import write_atomic

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="01665E")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for rec in answers.sort_values(["item", "respondent"]).itertuples(index=False):
        book_for_item = codebooks[rec.item]
        proposed = "; ".join(book_for_item.label(c) for c in rec.auto_codes)
        old = previous.entries.get(rec.key)
        chosen, quote, remark, status = "", "", "", NEW
        if old is not None:
            chosen = "; ".join(book_for_item.label(c) for c in old.codes) if old.codes else ""
            quote = {True: "ja", False: "nee", None: ""}[old.quote]
            remark = old.remark
            status = REVIEWED if old.fingerprint == rec.fingerprint else CHANGED
        values = [rec.key, rec.fingerprint, rec.item, rec.respondent, rec.sector, rec.text, proposed, chosen, quote,
                  remark, status]
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # an answer starting with "=" stays text, never a formula
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [4, 4, 22, 12, 11, 70, 30, 30, 12, 30, 22]
    for i, width in enumerate(widths):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width = width
    sheet.column_dimensions["A"].hidden = True
    sheet.column_dimensions["B"].hidden = True
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:K{max(sheet.max_row, 2)}"
    choice = DataValidation(type="list", formula1='"ja,nee"', allow_blank=True)
    choice.error = "Vul ja of nee in, of laat de cel leeg."
    sheet.add_data_validation(choice)
    choice.add(f"I2:I{max(sheet.max_row, 2)}")

    themes = book.create_sheet("Subthema's")
    themes.append(["Vraag", "Vraagtekst", "Subthema", "Mag geciteerd worden"])
    for item, cb in sorted(codebooks.items()):
        if item not in set(answers["item"]):
            continue
        for s in cb.subthemes:
            themes.append([item, questions.get(item, ""), s.label, "ja" if s.quotable else "nee"])
        themes.append([item, questions.get(item, ""), "Overig", "nee"])
    for col, width in zip("ABCD", (24, 70, 44, 20)):
        themes.column_dimensions[col].width = width

    guide = book.create_sheet("Uitleg")
    for line in (
        "Beoordeling van de open antwoorden",
        "",
        "Kolom 'Voorgestelde subthema's': wat de software bij het antwoord vond.",
        "Kolom 'Subthema's (uw keuze)': laat leeg om het voorstel te houden; of typ één of meer subthema's, "
        "gescheiden door ';' (zie het werkblad Subthema's). 'Overig' betekent: geen subthema.",
        "Kolom 'Citaat in rapport': ja = dit antwoord mag als citaat in het rapport, nee = nooit citeren, leeg = "
        "de software kiest.",
        "Sla dit bestand op onder dezelfde naam in dezelfde map en maak de rapporten opnieuw ('make report' of "
        "'monitor-aoj rapport'). Uw keuzes gaan dan voor.",
        "Status 'gewijzigd sinds beoordeling': het antwoord in de export is veranderd na uw beoordeling. Voor dat "
        "antwoord gelden de voorgestelde subthema's tot u het opnieuw beoordeelt.",
        "De antwoorden zijn al ontdaan van namen, telefoonnummers en dergelijke. Ziet u toch persoonsgegevens, zet "
        "dan 'nee' bij Citaat in rapport.",
    ):
        guide.append([line])
    guide["A1"].font = Font(bold=True, size=13)
    guide.column_dimensions["A"].width = 130
    import io

    buffer = io.BytesIO()
    book.save(buffer)
    return write_atomic(path, buffer.getvalue())
