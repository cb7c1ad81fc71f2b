"""The sheet 'Toelichting' of a region's workbook: what the workbook is about (region, wave, respondents,
response, source files, rows used) and how to read it, one note per sheet."""

from __future__ import annotations

from monitor_aoj import __version__
from monitor_aoj import dutch as fmt
from monitor_aoj.definitions.references import REFERENCE_RULE
from monitor_aoj.dutch import GROUP_LABELS, HIDDEN
from monitor_aoj.figures import schema as F
from monitor_aoj.figures.comparisons import BENCHMARK_NOT_TESTED, BENCHMARK_POOLING, NO_BENCHMARK, family_size
from monitor_aoj.figures.statistics import ALPHA, detectable_difference
from monitor_aoj.report.method_notes import SELF_SELECTED
from monitor_aoj.report.model import ReportInput
from monitor_aoj.report.open_answer_text import review_rule
from monitor_aoj.report.sheet_writer import (
    FRACTION_DECIMALS,
    INTRO_WIDTHS,
    MARK_DECIMALS,
    P_DECIMALS,
    PCT,
    ROW_POINTS,
    Book,
    Sheet,
    integer_text,
    print_setup,
    wrapped_lines,
)
from monitor_aoj.report.tables import responses


def _earlier_waves(data: ReportInput) -> str:
    """'2016 (geen gegevens), 2018'; 'geen' only when the region stated it held no earlier wave."""
    without = data.region.held_without_data_before(data.wave)
    held = sorted(set(data.earlier_waves) | set(without or ()))
    if held:
        return ", ".join(f"{w} (geen gegevens)" if w in (without or ()) else str(w) for w in held)
    return "geen" if without is not None else "geen in deze rapportage"


def intro_sheet(book: Book, data: ReportInput, sizes: dict[str, int]) -> None:
    """The sheet Toelichting, first in the workbook: sizes are the respondents per group (tables.sector_sizes)."""
    family = family_size(data.figures)
    s = book.sheet("Toelichting")
    export = data.region.export(data.wave)
    s.put(1, f"Monitor Aansluiting Onderwijs Jeugd – {data.region.name}, meting {data.wave}", bold=True, size=14)
    s.ws.set_row(0, 22)
    s.row += 2
    rows = [
        ("Regio", data.region.name),
        ("Meting", data.wave),
        ("Veldwerk", export.fieldwork or str(data.wave)),
        *((f"Respondenten {GROUP_LABELS[g].lower()}", sizes[g]) for g in (F.TOTAAL, F.ONDERWIJS, F.JEUGDHULP)),
        *_response_rows(data, sizes),
        ("Eerdere metingen", integer_text(_earlier_waves(data))),  # one wave: the year as a number
        ("Bronbestand(en)", ", ".join(name for name, _ in data.files)),
        ("Vingerafdruk (SHA-256)", ", ".join(sha for _, sha in data.files)),
        ("Rijen gelezen", data.accounting.rows_read),
        ("Rijen gebruikt", data.accounting.rows_used),
        ("Rijen in quarantaine", data.accounting.rows_quarantined),
        ("Antwoorden apart gezet (ongeldig)", data.accounting.cells_set_aside),
        ("Gemaakt met", f"monitor_aoj {__version__}"),
        ("Datum", data.report_date),
    ]
    for label, value, *number_format in rows:
        # Wrapped, with a row as tall as its lines: a long cell (fingerprints) stays on the page, so the sheet
        # prints at full size instead of shrunk to fit an overflowing line.
        s.put(1, label, bold=True, wrap=True)
        # Numbers beside their label, not at the far edge.
        s.put(2, value, number_format[0] if number_format else None, left=True, wrap=True)
        _fit_row(s, [label, str(value)])
        s.row += 1
    s.row += 1
    s.put(1, "Zo leest u dit werkboek", bold=True, size=12)
    s.row += 1
    notes = [
        "Percentages zijn echte getallen met een percentage-opmaak; rekenen kan dus direct.",
        "Een percentage is berekend op de respondenten die de vraag beantwoordden (n); 'weet ik niet' telt mee.",
        "Totaal is berekend over alle respondenten samen, niet als gemiddelde van onderwijs en jeugdhulp.",
        "Samengevoegde antwoorden zoals '(helemaal) eens' zijn eerst geteld en daarna één keer afgerond.",
        "'Geen antwoord' telt hoeveel van de gevraagde respondenten de vraag oversloegen.",
        "Werkblad 'Vragen': per vraag de antwoorden per sector; 'Rapportcijfer': het gemiddelde cijfer.",
        "Bij elk percentage en gemiddelde staat het 95%-betrouwbaarheidsinterval (BI) en de basis (n).",
        "'Verschillen sectoren' en 'Veranderingen': getoetste verschillen; 'significant' betekent een "
        f"gecorrigeerde p-waarde onder {fmt.decimal(ALPHA, 2)} (Benjamini-Hochberg over alle "
        f"{family['totaal']} toetsen van dit rapport).",
        "Het verschil op die werkbladen en op 'Benchmark' is het verschil tussen de afgeronde cijfers zoals rapport "
        "en werkboek ze tonen (68% en 53%: 15 procentpunt). 'Alle cijfers' bevat de waarden en het verschil "
        f"nauwkeuriger, voor wie zelf verder rekent: percentages op {FRACTION_DECIMALS - 2} decimalen, cijfers op "
        f"{MARK_DECIMALS} en p-waarden op {P_DECIMALS}.",
        (f"'Benchmark': {BENCHMARK_POOLING}. {BENCHMARK_NOT_TESTED}"
         if (data.figures["statistic"] == F.BENCHMARK).any()
         else "'Benchmark': " + NO_BENCHMARK.format(wave=data.wave, minimum=data.minimum_base)),
        "'Referentiewaarden': " + REFERENCE_RULE,
        f"Voor groepen van minder dan {data.minimum_base} respondenten is geen cijfer gegeven (lege cel, "
        "'Onderdrukt: ja'); waar nodig is een tweede groep verborgen zodat het cijfer niet terug te rekenen is. "
        f"Een toets of verandering die zo'n cijfer zou verraden, is weggelaten, met als toelichting '{HIDDEN}'.",
        "'Uitsplitsing': het hoofdcijfer per functie (binnen de sector) en per schooltype.",
        "'Open antwoorden': per open vraag de subthema's per sector; 'Citaten': de citaten uit het rapport. Alle "
        "open antwoorden zijn eerst ontdaan van namen, telefoonnummers, e-mailadressen en dergelijke.",
        "'Indeling open vragen': per open vraag hoeveel antwoorden in geen subthema passen (Overig) en hoeveel een "
        "coördinator heeft nagekeken. " + review_rule(),
        "Werkblad 'Alle cijfers': de volledige cijfertabel waar rapport en werkboek uit zijn gemaakt, met naast "
        "elke code (Vraag-id, Groep-id) de naam.",
        "Elk werkblad met cijfers is een Excel-tabel (bijvoorbeeld tbl_alle_cijfers): filter en sorteer met de "
        "knoppen in de kopregel, of maak er met Invoegen > Draaitabel een draaitabel van.",
        SELF_SELECTED,
        "Kleinste aantoonbaar verschil: het kleinste verschil tussen onderwijs en jeugdhulp dat met deze aantallen "
        "respondenten met redelijke zekerheid aan te tonen is (zie de Verantwoording van het rapport).",
    ]
    mirrored = [it.short for it in data.questionnaire.items if it.per_sector and not it.is_open
                and (data.figures["item"] == it.id).any()]
    if mirrored:
        notes.append(f"Gespiegelde stelling ({', '.join(mirrored)}): elke sector kreeg de stelling over de andere "
                     "sector. Daarom alleen cijfers per sector: geen totaal, geen toets tussen de sectoren, geen "
                     "benchmark; de verandering per sector is niet getoetst.")
    for note in notes:
        # A note spans both columns: the bullet stands at its text, not a column's width away from it.
        text = f"• {note}"
        s.ws.merge_range(s.row, 0, s.row, 1, "", s.book.format(left=True, wrap=True))
        s.put(1, text, left=True, wrap=True)
        lines = wrapped_lines(text, sum(INTRO_WIDTHS))
        if lines > 1:
            s.ws.set_row(s.row, lines * ROW_POINTS + 2)
        s.row += 1
    for i, w in enumerate(INTRO_WIDTHS):
        s.ws.set_column(i, i, w)
    print_setup(s.ws)


def _fit_row(s: Sheet, texts: list[str]) -> None:
    """The current row of the intro as tall as its longest wrapped text."""
    lines = max(wrapped_lines(t, w, bold=(i == 0)) for i, (t, w) in enumerate(zip(texts, INTRO_WIDTHS)))
    if lines > 1:
        s.ws.set_row(s.row, lines * ROW_POINTS + 2)


def _response_rows(data: ReportInput, sizes: dict[str, int]) -> list[tuple]:
    """Invited, response rate (when `uitgenodigd` is configured) and the smallest detectable difference."""
    rows: list[tuple] = []
    for r in responses(sizes, data.region.export(data.wave)):
        label = GROUP_LABELS[r.group].lower()
        rows.append((f"Uitgenodigd {label}", r.invited))
        rows.append((f"Respons {label}", r.rate if r.rate is not None else "niet te berekenen", PCT))
    if not rows:
        rows.append(("Respons", "niet bekend (geen 'uitgenodigd' in regios.yaml)"))
    if sizes[F.ONDERWIJS] > 0 and sizes[F.JEUGDHULP] > 0:
        points = round(float(detectable_difference(sizes[F.ONDERWIJS], sizes[F.JEUGDHULP])) * 100)
        rows.append((f"Kleinste aantoonbaar verschil onderwijs–jeugdhulp ({fmt.PERCENT_POINT})", points))
    return rows
