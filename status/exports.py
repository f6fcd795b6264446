"""The national overview as a CSV or Excel file: one row per LKT, the same facts as the page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from indicators.exporting import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_lines, xlsx_bytes
from status.selectors.overview import StatusRow

# The columns before each LKT's indicators, one column per indicator ("indikator 1", …).
HEADER = [
    "LKT",
    "klinisk område",
    "status",
    "fase",
    "region med national projektledelse",
    "medansvarlig organisation",
    "tværsektorielt",
    "teams",
    "teams pr. region",
    "teams pr. sektor",
    "seminarer afholdt",
    "seminarer planlagt",
    "perioder (seneste tre med overskredet frist)",
    "registreret",
    "forventet",
    "komplethed (%)",
    "indikatorer med forbedring",
    "indikatorer med forværring",
    "indikatorer med for få data",
    "trafiklys (beregnet)",
    "begrundelse (beregnet)",
    "projektledelsens vurdering",
    "projektledelsens begrundelse",
    "vurderet af",
    "vurderet",
]


INDICATORS_AFTER = HEADER.index("indikatorer med for få data") + 1


def overview_header(rows: list[StatusRow]) -> list[str]:
    """The header with as many indicator columns as the LKT with the most indicators needs."""
    widest = max((len(row.indicators) for row in rows), default=0)
    indicators = [f"indikator {n} (vurdering; målopfyldelse)" for n in range(1, widest + 1)]
    return [*HEADER[:INDICATORS_AFTER], *indicators, *HEADER[INDICATORS_AFTER:]]


def overview_rows(rows: list[StatusRow]) -> Iterator[list[Any]]:
    widest = max((len(row.indicators) for row in rows), default=0)
    for row in rows:
        programme, rating, light = row.programme, row.rating, row.light
        assert light is not None  # status_rows gives every row its light
        verdicts = [s.verdict for s in row.indicators]
        yield [
            programme.name,
            programme.clinical_area,
            programme.get_status_display(),
            row.phase,
            programme.lead_region.name,
            programme.co_lead.name if programme.co_lead else "",
            "ja" if programme.is_cross_sector else "nej",
            row.teams,
            row.region_text,
            row.sector_text,
            row.seminars_held,
            row.seminars_planned,
            row.periods_text,
            row.registered,
            row.expected,
            row.completeness,
            verdicts.count("improvement"),
            verdicts.count("deterioration"),
            verdicts.count("too_few_data"),
            *(_indicator_text(s) for s in row.indicators),
            *([""] * (widest - len(row.indicators))),
            light.label,
            " ".join(light.reasons),
            rating.get_colour_display() if rating else "",
            rating.reason if rating else "",
            str(rating.rated_by) if rating and rating.rated_by else "",
            timezone.localtime(rating.rated_at).replace(tzinfo=None, microsecond=0)
            if rating
            else None,
        ]


def _indicator_text(series) -> str:
    text = f"{series.indicator.name}: {series.verdict_label}"
    return f"{text}; {series.assurance_label}" if series.assurance_label else text


def overview_file(request: HttpRequest, rows: list[StatusRow]) -> HttpResponse:
    """CSV for Danish Excel by default, an .xlsx workbook with `?format=xlsx`."""
    stamp = timezone.localdate().isoformat()
    if request.GET.get("format") == "xlsx":
        body = xlsx_bytes(overview_header(rows), overview_rows(rows), "LKT-status")
        response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
        name = f"lkt-status-{stamp}.xlsx"
    else:
        lines = csv_lines(overview_header(rows), overview_rows(rows))
        response = HttpResponse("".join(lines).encode("utf-8"))
        response["Content-Type"] = CSV_CONTENT_TYPE
        name = f"lkt-status-{stamp}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
