"""Editing the driver diagram (the national project lead and the expert group): the aim,
drivers, change ideas, their order, and the teams' proposals. Every write goes through
`learning.diagram_services`, which records the revision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import AuthenticatedRequest
from core.forms import add_errors
from learning import diagram_services as services
from learning.diagram_access import get_diagram_programme, get_driver, get_idea
from learning.diagram_forms import AimForm, ChangeIdeaForm, DecideForm, DriverForm
from learning.diagram_selectors import diagram_of
from programmes.models import Programme
from programmes.models.changes import ChangeIdea, Driver


def _edit_page(programme: Programme, anchor: str = "") -> str:
    return reverse("programmes:diagram_edit", args=[programme.pk]) + (
        f"#{anchor}" if anchor else ""
    )


def _refused(request: AuthenticatedRequest, what: str, form: object) -> None:
    errors = "; ".join(
        str(message) for messages_ in getattr(form, "errors", {}).values() for message in messages_
    )
    messages.error(
        request, _("%(what)s blev ikke gemt: %(errors)s") % {"what": what, "errors": errors}
    )


@require_http_methods(["GET", "POST"])
@login_required
def diagram_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The edit page; its POST saves the aim."""
    programme = get_diagram_programme(request.user, pk, change=True)
    aim_form = AimForm(request.POST or None, instance=Programme.objects.get(pk=programme.pk))
    if request.method == "POST" and aim_form.is_valid():
        try:
            services.aim_update(
                programme=programme, aim=aim_form.cleaned_data["aim"], by=request.user
            )
        except ValidationError as error:
            add_errors(aim_form, error)
        else:
            messages.success(request, _("Målsætningen er gemt."))
            return redirect(_edit_page(programme))
    diagram = diagram_of(programme)
    context = {
        "programme": programme,
        "diagram": diagram,
        "aim_form": aim_form,
        "primary_form": DriverForm(
            instance=Driver(programme=programme), secondary=False, prefix="primary"
        ),
        "secondary_form": DriverForm(
            instance=Driver(programme=programme), secondary=True, prefix="secondary"
        ),
    }
    return render(request, "learning/diagram_edit.html", context)


@require_POST
@login_required
def driver_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = get_diagram_programme(request.user, pk, change=True)
    secondary = request.POST.get("kind") == "secondary"
    form = DriverForm(
        request.POST,
        instance=Driver(programme=programme),
        secondary=secondary,
        prefix="secondary" if secondary else "primary",
    )
    if form.is_valid():
        try:
            services.driver_add(programme=programme, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
    if form.errors:
        _refused(request, _("Drivkraften"), form)
    else:
        messages.success(request, _("Drivkraften er tilføjet."))
    return redirect(_edit_page(programme, "drivers"))


@require_http_methods(["GET", "POST"])
@login_required
def driver_edit(request: AuthenticatedRequest, pk: int, driver_pk: int) -> HttpResponse:
    programme = get_diagram_programme(request.user, pk, change=True)
    driver = get_driver(programme, driver_pk)
    # The form works on a copy: a refused form must not leave its values on the driver.
    form = DriverForm(
        request.POST or None,
        instance=get_driver(programme, driver_pk),
        secondary=not driver.is_primary,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.driver_update(driver=driver, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Drivkraften er gemt."))
            return redirect(_edit_page(programme, "drivers"))
    context = {"programme": programme, "driver": driver, "form": form}
    return render(request, "learning/diagram_driver_form.html", context)


@require_POST
@login_required
def driver_move(request: AuthenticatedRequest, pk: int, driver_pk: int) -> HttpResponse:
    programme = get_diagram_programme(request.user, pk, change=True)
    driver = get_driver(programme, driver_pk)
    services.driver_move(driver=driver, up=request.POST.get("retning") != "ned", by=request.user)
    return redirect(_edit_page(programme, f"driver-{driver.pk}"))


@require_POST
@login_required
def driver_delete(request: AuthenticatedRequest, pk: int, driver_pk: int) -> HttpResponse:
    programme = get_diagram_programme(request.user, pk, change=True)
    services.driver_delete(driver=get_driver(programme, driver_pk), by=request.user)
    messages.success(request, _("Drivkraften er slettet."))
    return redirect(_edit_page(programme, "drivers"))


def _idea_form(
    request: AuthenticatedRequest, programme: Programme, idea: ChangeIdea | None
) -> HttpResponse:
    instance = get_idea(programme, idea.pk) if idea else ChangeIdea(programme=programme)
    form = ChangeIdeaForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            if idea is None:
                idea = services.idea_add(programme=programme, by=request.user, **form.cleaned_data)
            else:
                idea = services.idea_update(idea=idea, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Forandringsidéen er gemt."))
            return redirect("programmes:change_idea", programme.pk, idea.pk)
    context = {"programme": programme, "idea": idea, "form": form}
    return render(request, "learning/diagram_idea_form.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def idea_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = get_diagram_programme(request.user, pk, change=True)
    return _idea_form(request, programme, None)


@require_http_methods(["GET", "POST"])
@login_required
def idea_edit(request: AuthenticatedRequest, pk: int, idea_pk: int) -> HttpResponse:
    programme = get_diagram_programme(request.user, pk, change=True)
    return _idea_form(request, programme, get_idea(programme, idea_pk))


@require_POST
@login_required
def idea_move(request: AuthenticatedRequest, pk: int, idea_pk: int) -> HttpResponse:
    programme = get_diagram_programme(request.user, pk, change=True)
    idea = get_idea(programme, idea_pk)
    services.idea_move(idea=idea, up=request.POST.get("retning") != "ned", by=request.user)
    return redirect(_edit_page(programme, f"idea-{idea.pk}"))


@require_POST
@login_required
def idea_delete(request: AuthenticatedRequest, pk: int, idea_pk: int) -> HttpResponse:
    programme = get_diagram_programme(request.user, pk, change=True)
    services.idea_delete(idea=get_idea(programme, idea_pk), by=request.user)
    messages.success(request, _("Forandringsidéen er slettet."))
    return redirect(_edit_page(programme, "drivers"))


@require_POST
@login_required
def idea_decide(request: AuthenticatedRequest, pk: int, idea_pk: int) -> HttpResponse:
    programme = get_diagram_programme(request.user, pk, change=True)
    idea = get_idea(programme, idea_pk)
    form = DecideForm(request.POST, programme=programme)
    if form.is_valid():
        try:
            services.idea_decide(
                idea=idea,
                accept=form.cleaned_data["decision"] == "accept",
                driver=form.cleaned_data["driver"],
                by=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
    if form.errors:
        _refused(request, _("Afgørelsen"), form)
    else:
        messages.success(request, _("Forslaget er afgjort."))
    return redirect(_edit_page(programme, "proposals"))
