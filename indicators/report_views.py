"""The monthly report in the browser: a team's IHI scores (its own and the expert group's) and
notes, and the programme's overview of who has reported and which gaps to discuss."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedRequest
from core.forms import add_errors
from core.months import RECENT_PERIODS, add_months, first_of_month, parse_month
from indicators.access import get_team_for_data
from indicators.wording import active_wording
from programmes.access import get_programme_for_user
from teams.forms import MonthlyNoteForm, ProgressScoreForm
from teams.models import (
    PROGRESS_SCALE,
    PROGRESS_SCALE_MEANING,
    ImprovementTeam,
    ProgressScore,
    Rater,
)
from teams.selectors import (
    programme_monthly_reports,
    programme_rating_gaps,
    reportable_months,
    team_monthly_reports,
)
from teams.services import monthly_note_save, progress_score_delete, progress_score_set

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Who gives which score: the permission on the team and the form's prefix.
RATERS = {
    Rater.TEAM: ("teams.set_progress_score", "own"),
    Rater.EXPERT: ("teams.rate_team", "expert"),
}


@require_GET
@login_required
def show_monthly_report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    team = get_team_for_data(request.user, pk)
    return _page(request, team)


@require_POST
@login_required
def set_own_score(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _set_score(request, pk, Rater.TEAM)


@require_POST
@login_required
def set_expert_score(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _set_score(request, pk, Rater.EXPERT)


@require_POST
@login_required
def delete_score(request: AuthenticatedRequest, pk: int, score_pk: int) -> HttpResponse:
    team = get_team_for_data(request.user, pk)
    score = get_object_or_404(ProgressScore, pk=score_pk, team=team)
    if not request.user.has_perm(RATERS[Rater(score.rater)][0], team):
        raise PermissionDenied
    progress_score_delete(score=score, by=request.user)
    month = date_format(score.month, "YEAR_MONTH_FORMAT")
    message = _("%(who)s for %(month)s er slettet.")
    messages.success(request, message % {"who": score.get_rater_display(), "month": month})
    return redirect("indicators:monthly_report", team.pk)


@require_POST
@login_required
def save_monthly_note(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    team = get_team_for_data(request.user, pk, "teams.set_progress_score")
    form = MonthlyNoteForm(request.POST, prefix="note", months=reportable_months(team.programme))
    if form.is_valid():
        try:
            monthly_note_save(team=team, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Månedsnoten er gemt."))
            return redirect("indicators:monthly_report", team.pk)
    return _page(request, team, note_form=form)


@require_GET
@login_required
def show_programme_reports(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    if not request.user.has_perm("teams.view_monthly_reports", programme):
        raise Http404
    months = reportable_months(programme)
    chosen = parse_month(request.GET.get("maaned", "")[:20])
    month = chosen if chosen in months else (months[-1] if months else None)
    reports = programme_monthly_reports(programme, month) if month else []
    # The gaps of the chosen month and the two before: the conversations for the next seminar.
    recent = [m for m in months if month and m <= month][-RECENT_PERIODS:]
    context = {
        "programme": programme,
        "month": month,
        "previous": _neighbour(months, month, -1),
        "next": _neighbour(months, month, 1),
        "reports": reports,
        "reported": sum(r.reported for r in reports),
        "gaps": programme_rating_gaps(programme, recent),
        "recent": recent,
        "scale": _scale(),
    }
    return render(request, "indicators/programme_monthly_reports.html", context)


def _scale() -> list[tuple[StrOrPromise, StrOrPromise]]:
    """The IHI scale's steps with what each means, for the short help."""
    labels = [label for _value, label in PROGRESS_SCALE]
    return list(zip(labels, PROGRESS_SCALE_MEANING, strict=True))


def _neighbour(months: list[dt.date], month: dt.date | None, step: int) -> dt.date | None:
    if month is None:
        return None
    other = add_months(month, step)
    return other if other in months else None


def _set_score(request: AuthenticatedRequest, pk: int, rater: Rater) -> HttpResponse:
    permission, prefix = RATERS[rater]
    team = get_team_for_data(request.user, pk, permission)
    form = ProgressScoreForm(request.POST, prefix=prefix, months=reportable_months(team.programme))
    if form.is_valid():
        try:
            progress_score_set(team=team, rater=rater, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(who)s er gemt.") % {"who": rater.label})
            return redirect("indicators:monthly_report", team.pk)
    if rater == Rater.EXPERT:
        return _page(request, team, expert_form=form)
    return _page(request, team, own_form=form)


def _page(
    request: AuthenticatedRequest,
    team: ImprovementTeam,
    *,
    own_form: ProgressScoreForm | None = None,
    expert_form: ProgressScoreForm | None = None,
    note_form: MonthlyNoteForm | None = None,
) -> HttpResponse:
    """The team's monthly report page; a refused form comes back with its errors."""
    user = request.user
    months = reportable_months(team.programme)
    reports = team_monthly_reports(team)
    # "?maaned=2025-03" opens that month's report in the forms, to correct it.
    chosen = parse_month(request.GET.get("maaned", "")[:20])
    month = chosen if chosen in months else first_of_month(timezone.localdate())
    current = next((r for r in reports if r.month == month), None)

    def initial(score: ProgressScore | None) -> dict:
        if score is None:
            return {"month": month.isoformat()}
        return {"month": month.isoformat(), "score": str(score.score), "comment": score.comment}

    if own_form is None and user.has_perm("teams.set_progress_score", team):
        own_form = ProgressScoreForm(
            prefix="own", months=months, initial=initial(current.own if current else None)
        )
    if expert_form is None and user.has_perm("teams.rate_team", team):
        expert_form = ProgressScoreForm(
            prefix="expert", months=months, initial=initial(current.expert if current else None)
        )
    if note_form is None and user.has_perm("teams.set_progress_score", team):
        note = current.note if current else None
        values = {"month": month.isoformat()}
        if note is not None:
            values |= {"tried": note.tried, "learned": note.learned, "next_steps": note.next_steps}
        note_form = MonthlyNoteForm(prefix="note", months=months, initial=values)
    context = {
        "team": team,
        "programme": team.programme,
        "reports": reports,
        "own_form": own_form,
        "expert_form": expert_form,
        "note_form": note_form,
        "scale": _scale(),
        "score_chart": score_chart([r.own for r in reversed(reports) if r.own]),
        "may_own": user.has_perm("teams.set_progress_score", team),
        "may_expert": user.has_perm("teams.rate_team", team),
    }
    return render(request, "indicators/team_monthly_report.html", context)


def score_chart(scores: list[ProgressScore]) -> str:
    """The team's own scores as a run chart; the median only from as many points as the
    run-chart rules need (fewer points are drawn without it)."""
    from indicators.chart_svg.render import render_svg
    from indicators.spc import MIN_USEFUL_FOR_VERDICT, analyse

    if not scores:
        return ""
    analysis = analyse([float(s.score) for s in scores], chart="run")
    if analysis.n_useful < MIN_USEFUL_FOR_VERDICT:
        analysis = dataclasses.replace(analysis, cl=None)
    words = active_wording()
    svg = render_svg(
        analysis,
        title=_("Teamets fremdriftsscore"),
        x_labels=[words.month(s.month.year, s.month.month) for s in scores],
        width=560,
        height=220,
        decimals=1,
        words=words,
    )
    return mark_safe(svg)  # noqa: S308 -- render_svg escapes its text


urlpatterns: list = [
    path("team/<int:pk>/maanedsrapport/", show_monthly_report, name="monthly_report"),
    path("team/<int:pk>/fremdrift/", set_own_score, name="progress_score"),
    path("team/<int:pk>/fremdrift/ekspert/", set_expert_score, name="expert_score"),
    path("team/<int:pk>/fremdrift/<int:score_pk>/slet/", delete_score, name="delete_score"),
    path("team/<int:pk>/maanedsnote/", save_monthly_note, name="monthly_note"),
    path("program/<int:pk>/maanedsrapporter/", show_programme_reports, name="monthly_reports"),
]
