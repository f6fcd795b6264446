"""Team data in the browser: the month grid, registering a month, charts."""

from __future__ import annotations

import datetime as dt
import re
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthenticatedRequest
from core.forms import add_errors
from core.months import parse_month, quarter_number
from core.paging import paginate
from indicators import selectors
from indicators.access import get_indicator_for_user, get_team_for_data
from indicators.chart_cache import (
    changes_state,
    drawing_key,
    drawn_once,
    drawn_once_each,
    indicator_state,
    series_versions,
    team_stamp,
)
from indicators.charting import CHART_KINDS
from indicators.forms import ChartChangeForm, PeriodForm
from indicators.history import measurement_history
from indicators.models import ChartChange, Indicator, Measurement
from indicators.services import chart_change_add, measurement_record
from indicators.summaries import refresh_summaries
from indicators.team_results import Frame, chart_frame, chart_notes, team_chart
from programmes.models import Programme
from teams.models import ImprovementTeam, ProgressScore


@require_GET
@login_required
def team_results(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The team's charts. The part below the heading is the same for everyone who may see the
    team: it is rendered once per version of what it shows (`team_stamp`, one query) and kept."""
    team = get_team_for_data(request.user, pk)
    kind = request.GET.get("kort", "run") if request.GET.get("kort") in CHART_KINDS else "run"
    frame = chart_frame(team.programme)
    stamp = team_stamp(team, "page", kind, frame)
    body = drawn_once(
        stamp and "lkt-team-page:" + stamp,
        lambda: render_to_string(
            "indicators/_team_results_body.html", _team_body(team, kind, frame)
        ),
    )
    context = {"team": team, "programme": team.programme, "kind": kind, "body": body}
    return render(request, "indicators/team_results.html", context)


def _team_body(team: ImprovementTeam, kind: str, frame: Frame) -> dict[str, Any]:
    """The charts (each drawn once per version of its series) and the latest progress score."""
    changes = selectors.chart_changes(team.programme)
    cycles = selectors.team_pdsa_cycles(team)
    indicators = list(selectors.active_indicators(team.programme))
    definitions = selectors.definition_notes(i.pk for i in indicators)
    versions = series_versions([i.pk for i in indicators], team_ids=[team.pk], lkt=False)
    read: list[dict] = []  # the team's figures, read only when a chart must be drawn anew

    def draw(indicator: Indicator, notes: list, relevant: list) -> str:
        if not read:
            read.append(selectors.team_points(team))
        own = {m: p for (ind, m), p in read[0].items() if ind == indicator.pk}
        chart = team_chart(indicator, frame, own, kind=kind, changes=relevant, notes=notes)
        return render_to_string("indicators/_chart.html", {"chart": chart})

    drawings = []
    for indicator in indicators:
        notes = chart_notes(indicator, cycles, definitions)
        relevant = [c for c in changes.get(indicator.pk, []) if c.team_id in (None, team.pk)]
        key = drawing_key(
            [versions.get((indicator.pk, team.pk))],
            [indicator_state(indicator), kind, frame, changes_state(relevant), notes],
        )
        drawings.append((key, partial(draw, indicator, notes, relevant)))
    charts = [
        {"indicator": indicator, "figure": figure}
        for indicator, figure in zip(indicators, drawn_once_each(drawings), strict=True)
    ]
    own_scores = team.progress_scores.filter(rater=ProgressScore.Rater.TEAM)
    return {
        "team": team,
        "charts": charts,
        "kind": kind,
        "latest_score": own_scores.order_by("-month").first(),
    }


@require_http_methods(["GET", "POST"])
@login_required
def enter_data(request: AuthenticatedRequest, pk: int, month: str | None = None) -> HttpResponse:
    team = get_team_for_data(request.user, pk)
    may_change = request.user.has_perm("indicators.change_team_data", team)
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    programme = team.programme
    months = selectors.reporting_periods(programme)
    indicators = list(selectors.active_indicators(programme))
    points = selectors.team_points(team)
    period = parse_month(month) if month else (months[-1] if months else None)
    if month and (period is None or period not in months):
        raise Http404
    form = None
    if period is not None and may_change:
        existing = {
            m.indicator_id: m for m in Measurement.objects.filter(team=team, period_start=period)
        }
        data = request.POST if request.method == "POST" else None
        form = PeriodForm(data, indicators=indicators, existing=existing)
        # The model's rules run even when a field is refused: every error of the month at once.
        if request.method == "POST" and _save_period(request, team, period, form):
            messages.success(
                request,
                _("Data for %(month)s er gemt.") % {"month": programme.period_label(period)},
            )
            return redirect("indicators:enter_month", team.pk, period.strftime("%Y-%m"))
    first_after = next((m for m in months if m > programme.end_date), None)
    grid: list[dict[str, Any]] = [
        {"indicator": ind, "cells": [(m, (ind.pk, m) in points) for m in months]}
        for ind in indicators
    ]
    context = {
        "team": team,
        "programme": programme,
        "months": months,
        "columns": period_columns(programme, months),
        "grid": grid,
        "period": period,
        "period_label": programme.period_label(period) if period else "",
        "in_sustainment": period is not None and period > programme.end_date,
        "first_sustainment": first_after,
        "first_sustainment_label": programme.period_label(first_after) if first_after else "",
        "form": form,
        "may_change": may_change,
        "complete": sum(cell for row in grid for _, cell in row["cells"]),
        "expected": len(months) * len(indicators),
    }
    return render(request, "indicators/enter_data.html", context)


def period_columns(programme: Programme, periods: list[dt.date]) -> list[dict[str, Any]]:
    """The grid's column heads: a month as 'jan' over '25', a sustainment quarter as
    '3. kvt.' over '27', each with its full label for screen readers."""
    columns = []
    for period in periods:
        quarter = programme.is_quarter(period)
        columns.append(
            {
                "period": period,
                "top": _("%(quarter)d. kvt.") % {"quarter": quarter_number(period)}
                if quarter
                else date_format(period, "M"),
                "bottom": date_format(period, "y"),
                "label": programme.period_label(period),
                "sustainment": period > programme.end_date,
            }
        )
    return columns


@require_GET
@login_required
def measurement_history_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Who changed which figure when, old → new; `?maaned=YYYY-MM` narrows it to one month."""
    team = get_team_for_data(request.user, pk)
    month = request.GET.get("maaned", "")
    period = parse_month(month) if re.fullmatch(r"\d{4}-\d{2}", month) else None
    if month and period is None:
        raise Http404
    context = {
        "team": team,
        "programme": team.programme,
        "period": period,
        **paginate(request, measurement_history(team, period), per_page=50),
    }
    return render(request, "indicators/measurement_history.html", context)


def _save_period(
    request: AuthenticatedRequest, team: ImprovementTeam, period: dt.date, form: PeriodForm
) -> bool:
    """All the month's figures, or none: the fields' and the model's errors go back together."""
    form.is_valid()
    try:
        with transaction.atomic():
            entries = form.entries()
            for indicator, figures in entries:
                try:
                    measurement_record(
                        team=team,
                        indicator=indicator,
                        period_start=period,
                        by=request.user,
                        refresh=False,
                        **figures,
                    )
                except ValidationError as error:
                    inputs = _inputs_of(indicator)
                    add_errors(
                        form,
                        _beyond_field_errors(error, form, inputs),
                        field_for=inputs,
                        prefix=f"{indicator.name}: ",
                    )
            if form.errors:
                raise ValidationError("rollback")
            refresh_summaries([indicator.pk for indicator, _ in entries], [team.pk])
    except ValidationError:
        messages.error(request, _("Intet er gemt. Ret fejlene nedenfor og prøv igen."))
        return False
    return True


# The month form names its inputs by indicator: "num_12", "den_12", "val_12", "comment_12".
_INPUT_PREFIX = {"numerator": "num", "denominator": "den", "value": "val", "comment": "comment"}


def _inputs_of(indicator: Indicator) -> dict[str, str]:
    """The service's field names → the month form's inputs for `indicator`."""
    return {name: f"{prefix}_{indicator.pk}" for name, prefix in _INPUT_PREFIX.items()}


def _beyond_field_errors(
    error: ValidationError, form: PeriodForm, inputs: dict[str, str]
) -> ValidationError:
    """The model's errors less those on inputs the form already refused: a refused numerator
    reaches the model as missing, and "Angiv tælleren" would only repeat the form's message."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {
            name: errors
            for name, errors in error.error_dict.items()
            if inputs.get(name) not in form.errors
        }
    )


@require_http_methods(["GET", "POST"])
@login_required
def chart_changes(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    indicator = get_indicator_for_user(request.user, pk)
    may_change = request.user.has_perm("indicators.set_chart_baseline", indicator.programme)
    months = selectors.programme_months(indicator.programme)
    form = ChartChangeForm(request.POST or None, indicator=indicator, months=months)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                chart_change_add(indicator=indicator, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Ændringen er registreret og vises på graferne."))
                return redirect("indicators:chart_changes", indicator.pk)
    context = {
        "indicator": indicator,
        "programme": indicator.programme,
        "changes": ChartChange.objects.filter(indicator=indicator).select_related(
            "team", "created_by"
        ),
        "form": form if may_change else None,
    }
    return render(request, "indicators/chart_changes.html", context)
