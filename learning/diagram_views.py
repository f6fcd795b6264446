"""Reading pages of the driver diagram: the diagram (SVG, a nested list on a phone), the change
package, one change idea, and the diagram's history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedRequest
from core.paging import paginate
from learning import diagram_svg
from learning.diagram_access import get_diagram_programme, get_idea
from learning.diagram_selectors import Diagram, diagram_of, revisions_of


def diagram_picture(diagram: Diagram) -> SafeString:
    """The diagram as SVG; every text in it is escaped by `diagram_svg`."""
    programme = diagram.programme
    aim = diagram_svg.Item(
        programme.aim or _("Målsætningen er ikke skrevet endnu."),
        notes=tuple(f"• {goal.text}" for goal in diagram.goals),
        children=tuple(
            diagram_svg.Item(
                primary.driver.title,
                children=tuple(
                    diagram_svg.Item(
                        secondary.driver.title,
                        children=tuple(
                            diagram_svg.Item(
                                idea.title,
                                href=reverse(
                                    "programmes:change_idea", args=[programme.pk, idea.pk]
                                ),
                            )
                            for idea in secondary.ideas
                        ),
                    )
                    for secondary in primary.secondaries
                ),
            )
            for primary in diagram.primaries
        ),
    )
    counts = ", ".join(
        [
            ngettext("%(n)d primær drivkraft", "%(n)d primære drivkræfter", len(diagram.primaries))
            % {"n": len(diagram.primaries)},
            ngettext(
                "%(n)d sekundær drivkraft", "%(n)d sekundære drivkræfter", diagram.secondary_count
            )
            % {"n": diagram.secondary_count},
            ngettext("%(n)d forandringsidé", "%(n)d forandringsidéer", len(diagram.package))
            % {"n": len(diagram.package)},
        ]
    )
    svg = diagram_svg.render(
        aim,
        headings=(
            _("Målsætning"),
            _("Primære drivkræfter"),
            _("Sekundære drivkræfter"),
            _("Forandringsidéer"),
        ),
        title=_("Driverdiagram for %(name)s") % {"name": programme.name},
        desc=_("%(counts)s. Diagrammet findes også som liste under tegningen.")
        % {"counts": counts},
    )
    return mark_safe(svg)  # noqa: S308 -- built from escaped parts only


@require_GET
@login_required
def driver_diagram(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = get_diagram_programme(request.user, pk)
    diagram = diagram_of(programme)
    context = {
        "programme": programme,
        "diagram": diagram,
        "svg": diagram_picture(diagram),
        "may_change": request.user.has_perm("learning.change_diagram", programme),
    }
    return render(request, "learning/diagram_detail.html", context)


@require_GET
@login_required
def change_package(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = get_diagram_programme(request.user, pk)
    context = {
        "programme": programme,
        "diagram": diagram_of(programme),
        "may_change": request.user.has_perm("learning.change_diagram", programme),
    }
    return render(request, "learning/diagram_package.html", context)


@require_GET
@login_required
def change_idea(request: AuthenticatedRequest, pk: int, idea_pk: int) -> HttpResponse:
    programme = get_diagram_programme(request.user, pk)
    idea = get_idea(programme, idea_pk)
    context = {
        "programme": programme,
        "idea": idea,
        "indicators": idea.indicators.order_by("order", "name"),
        "may_change": request.user.has_perm("learning.change_diagram", programme),
        "may_see_indicators": request.user.has_perm("indicators.view_team_data", programme),
    }
    return render(request, "learning/diagram_idea.html", context)


@require_GET
@login_required
def diagram_history(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    programme = get_diagram_programme(request.user, pk)
    context = {
        "programme": programme,
        "may_change": request.user.has_perm("learning.change_diagram", programme),
        **paginate(request, revisions_of(programme)),
    }
    return render(request, "learning/diagram_history.html", context)
