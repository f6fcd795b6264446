"""Pages for uploading a file of team data (check, preview, confirm) and for exporting data.

Between preview and confirmation the checked rows are kept in an `UploadPreview` (JSON, at most
`LKT_UPLOAD_MAX_ROWS` rows within the importer's text limits, text shaped like a CPR number
masked, one per person, expiring), never the file itself; the session holds only its token.
Confirmation checks every row again against the database as it is then and writes all of
them in one transaction, or none.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.formats import date_format, number_format
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedRequest
from accounts.ratelimit import rate_limited
from core.numbers import trimmed
from core.paging import PAGE_SIZE, paginate
from core.params import id_from
from core.uploads import SizeGuard
from indicators.exporting import (
    CSV_CONTENT_TYPE,
    EXPORT_HEADER,
    TEMPLATE_HEADER,
    XLSX_CONTENT_TYPE,
    csv_lines,
    export_measurements,
    export_row,
    export_version,
    file_name,
    template_rows,
    visible_team_ids,
    xlsx_bytes,
)
from indicators.importer.cells import masked
from indicators.importer.checking import check_rows
from indicators.importer.columns import COLUMNS
from indicators.importer.errors import RowWriteError, UploadError
from indicators.importer.limits import max_bytes, max_rows, megabytes, too_large_message
from indicators.importer.lookup import writable_teams
from indicators.importer.preview import read_upload
from indicators.importer.rows import Row
from indicators.importer.writing import measurements_import
from indicators.models import UploadPreview
from indicators.services import upload_preview_forget, upload_preview_keep
from programmes.access import get_programme_for_user
from programmes.models import Region
from teams.access import get_team_for_user
from teams.models import ImprovementTeam

SESSION_KEY = "indicators_upload"
ERRORS_LISTED = 100


@csrf_exempt  # the size guard must be installed before the CSRF check reads the body …
@login_required
@require_http_methods(["GET", "POST"])
def upload(request: AuthenticatedRequest) -> HttpResponse:
    guard = SizeGuard(request, max_bytes())
    request.upload_handlers = [guard, *request.upload_handlers]
    return _upload(request, guard)


@csrf_protect  # … and the CSRF check runs here, once the guard is in place
def _upload(request: AuthenticatedRequest, guard: SizeGuard) -> HttpResponse:
    teams = writable_teams(request.user)
    if not teams:
        raise PermissionDenied
    errors: list[str] = []
    if request.method == "POST":
        uploaded = request.FILES.get("file")
        if guard.too_large:
            errors = [too_large_message(guard.size)]
        elif uploaded is None:
            errors = [_("Vælg en CSV- eller Excel-fil at uploade.")]
        else:
            try:
                rows = read_upload(uploaded, request.user)
            except UploadError as error:
                errors = error.messages
            else:
                _keep(request, uploaded.name or "", rows)
                return redirect("indicators:upload_preview")
    context = {
        "teams": teams,
        "errors": errors,
        "pending": _pending(request),
        "columns": COLUMNS,
        "max_size": megabytes(max_bytes()),
        "max_rows": number_format(max_rows(), 0, force_grouping=True),
    }
    return render(request, "indicators/upload.html", context)


@require_GET
@login_required
def upload_preview(request: AuthenticatedRequest) -> HttpResponse:
    pending = _pending(request)
    if pending is None:
        messages.info(request, _("Der er ingen upload, der venter. Vælg en fil."))
        return redirect("indicators:upload")
    rows = pending.rows
    only_errors = request.GET.get("fejl") == "1"
    listed = [row for row in rows if row["status"] == "error"] if only_errors else rows
    counts = Counter(row["status"] for row in rows)
    page = paginate(request, listed)
    page["object_list"] = [_shown_row(row) for row in page["object_list"]]
    context = {
        "pending": pending,
        "counts": counts,
        "total": len(rows),
        "valid": counts["error"] == 0,
        "only_errors": only_errors,
        **_error_links(rows),
        **page,
    }
    return render(request, "indicators/upload_preview.html", context)


@require_POST
@login_required
def upload_confirm(request: AuthenticatedRequest) -> HttpResponse:
    pending = _pending(request)
    if pending is None or request.POST.get("token") != pending.token:
        messages.error(request, _("Der er ingen upload at bekræfte. Upload filen igen."))
        return redirect("indicators:upload")
    rows = [Row.from_dict(data) for data in pending.rows]
    if any(row.status == "error" for row in rows):
        messages.error(request, _("Ret fejlene i filen og upload den igen. Intet er gemt."))
        return redirect("indicators:upload_preview")
    # The data, the programmes or the person's teams may have changed since the preview.
    check_rows(rows, request.user)
    if any(not row.is_valid for row in rows):
        _keep(request, pending.filename, rows)
        messages.error(
            request,
            _(
                "Noget er ændret, siden du så forhåndsvisningen, så nogle rækker kan ikke gemmes "
                "længere. Intet er gemt. Ret fejlene i filen og upload den igen."
            ),
        )
        return redirect("indicators:upload_preview")
    try:
        written = measurements_import(rows=rows, by=request.user)
    except RowWriteError as error:
        message = " ".join(error.messages)
        messages.error(
            request,
            _("Intet er gemt. Række %(line)s: %(message)s")
            % {"line": error.row.line, "message": message},
        )
        return redirect("indicators:upload_preview")
    except IntegrityError:
        messages.error(
            request,
            _("Intet er gemt, fordi de samme tal blev gemt samtidig et andet sted. Prøv igen."),
        )
        return redirect("indicators:upload_preview")
    _forget(request)
    messages.success(request, _saved_message(written, unchanged=len(rows) - sum(written.values())))
    return redirect("indicators:upload")


@require_POST
@login_required
def upload_cancel(request: AuthenticatedRequest) -> HttpResponse:
    _forget(request)
    messages.info(request, _("Uploaden er annulleret. Intet er gemt."))
    return redirect("indicators:upload")


@require_GET
@login_required
def upload_template(request: AuthenticatedRequest) -> HttpResponse | StreamingHttpResponse:
    if not writable_teams(request.user):
        raise PermissionDenied
    rows = template_rows(request.user)
    return _file_response(request, TEMPLATE_HEADER, rows, "skabelon", "")


@require_GET
@login_required
@rate_limited("export")
def export_team(request: AuthenticatedRequest, pk: int) -> HttpResponse | StreamingHttpResponse:
    team = get_team_for_user(request.user, pk)
    if not request.user.has_perm("indicators.view_team_data", team):
        raise Http404
    return _export(request, "team", team.name, [team.pk])


@require_GET
@login_required
@rate_limited("export")
def export_programme(
    request: AuthenticatedRequest, pk: int
) -> HttpResponse | StreamingHttpResponse:
    programme = get_programme_for_user(request.user, pk)
    team_ids = visible_team_ids(request.user, programme.teams.all())
    if not team_ids:
        raise Http404
    return _export(request, "program", programme.name, team_ids)


@require_GET
@login_required
@rate_limited("export")
def export_region(request: AuthenticatedRequest, pk: int) -> HttpResponse | StreamingHttpResponse:
    """The region's teams in every programme the person may see (or in `?program=<id>`)."""
    region = get_object_or_404(Region, pk=pk)
    teams = ImprovementTeam.objects.filter(region=region)
    if "program" in request.GET:
        programme_id = id_from(request.GET["program"])
        if programme_id is None:
            raise Http404
        teams = teams.filter(programme_id=programme_id)
    team_ids = visible_team_ids(request.user, teams)
    if not team_ids:
        raise Http404
    return _export(request, "region", region.name, team_ids)


def _export(
    request: HttpRequest, scope: str, name: str, team_ids: list[int]
) -> HttpResponse | StreamingHttpResponse:
    """The teams' measurements as a file; 304 when the asker's copy is still the current one."""
    version, changed = export_version(team_ids)
    etag = f'"{version}-{request.GET.get("format") == "xlsx"}"'
    modified = int(changed.timestamp()) if changed else None  # HTTP dates have whole seconds
    unchanged = get_conditional_response(request, etag=etag, last_modified=modified)
    if unchanged is not None:
        return unchanged
    measurements = export_measurements(team_ids).iterator(chunk_size=2000)
    rows = (export_row(measurement) for measurement in measurements)
    response = _file_response(request, EXPORT_HEADER, rows, scope, name)
    response["ETag"] = etag
    if changed is not None:
        response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = "private, no-cache"  # kept by the browser, asked again each time
    return response


def _file_response(
    request: HttpRequest, header: list[str], rows: Iterable[list[Any]], scope: str, name: str
) -> HttpResponse | StreamingHttpResponse:
    """CSV (streamed) by default, Excel with `?format=xlsx`."""
    response: HttpResponse | StreamingHttpResponse
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            xlsx_bytes(header, rows, name or _("Data")), content_type=XLSX_CONTENT_TYPE
        )
        extension = "xlsx"
    else:
        response = StreamingHttpResponse(csv_lines(header, rows), content_type=CSV_CONTENT_TYPE)
        extension = "csv"
    response["Content-Disposition"] = f'attachment; filename="{file_name(scope, name, extension)}"'
    return response


# --- Helpers -----------------------------------------------------------------------------------


def _keep(request: AuthenticatedRequest, filename: str, rows: list[Row]) -> None:
    """Keep the checked rows for the preview and the confirmation (a new token each time)."""
    kept = upload_preview_keep(
        user=request.user, filename=masked(filename), rows=[row.to_dict() for row in rows]
    )
    request.session[SESSION_KEY] = kept.token


def _pending(request: AuthenticatedRequest) -> UploadPreview | None:
    """The person's upload waiting for confirmation, if it has not expired."""
    token = request.session.get(SESSION_KEY)
    if not isinstance(token, str):
        return None
    since = timezone.now() - dt.timedelta(seconds=settings.LKT_UPLOAD_PREVIEW_SECONDS)
    return UploadPreview.objects.filter(
        token=token, user=request.user, created_at__gte=since
    ).first()


def _forget(request: AuthenticatedRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    upload_preview_forget(user=request.user)


def _shown_row(row: dict[str, Any]) -> dict[str, Any]:
    """A copy of a kept row with its figures and period written for people."""
    period = row["period"]
    return {
        **row,
        "shown_new": _figures(row),
        "shown_old": _figures(row, old=True),
        "shown_period": date_format(dt.date.fromisoformat(period), "YEAR_MONTH_FORMAT")
        if period
        else row["period_label"],
    }


def _figures(row: dict[str, Any], old: bool = False) -> str:
    """“7 / 10” or “12,5”, with decimal commas; `old` for the value a correction replaces."""
    if old and not row["old"]:
        return ""
    numerator, denominator, value = (
        row["old"] if old else (row["numerator"], row["denominator"], row["value"])
    )
    parts = []
    if numerator is not None or denominator is not None:
        parts.append(
            " / ".join(_number(n) if n is not None else "–" for n in (numerator, denominator))
        )
    if value is not None:
        parts.append(_number(value))
    return " · ".join(parts)


def _number(text: str) -> str:
    """A kept number as the reader's language writes it, without trailing zeros."""
    return number_format(trimmed(Decimal(text)))


def _error_links(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Each message once, with the number of rows that have it and a link to the first of them
    on the errors-only list; at most `ERRORS_LISTED` messages, the rest counted."""
    found: dict[str, dict[str, Any]] = {}
    error_rows = [row for row in rows if row["status"] == "error"]
    for index, row in enumerate(error_rows):
        for message in row["errors"]:
            if message in found:
                found[message]["count"] += 1
            else:
                page = index // PAGE_SIZE + 1
                found[message] = {"line": row["line"], "page": page, "text": message, "count": 1}
    links = list(found.values())
    return {"error_links": links[:ERRORS_LISTED], "more_errors": max(0, len(links) - ERRORS_LISTED)}


def _saved_message(written: Counter, unchanged: int) -> str:
    message = _("Data er gemt: %(new)s nye tal og %(corrections)s rettelser.") % {
        "new": written["new"],
        "corrections": written["correction"],
    }
    if unchanged:
        message += " " + _("%(n)s rækker var uændrede.") % {"n": unchanged}
    return message


urlpatterns: list = [
    path("upload/", upload, name="upload"),
    path("upload/gennemse/", upload_preview, name="upload_preview"),
    path("upload/bekraeft/", upload_confirm, name="upload_confirm"),
    path("upload/annuller/", upload_cancel, name="upload_cancel"),
    path("upload/skabelon/", upload_template, name="upload_template"),
    path("eksport/team/<int:pk>/", export_team, name="export_team"),
    path("eksport/region/<int:pk>/", export_region, name="export_region"),
    path("eksport/program/<int:pk>/", export_programme, name="export_programme"),
]
