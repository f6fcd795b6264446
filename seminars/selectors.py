"""Reads for seminar pages: the calendar, invited teams, registrations and materials."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, QuerySet
from django.utils import timezone

from accounts.models import User
from programmes.models import Programme
from seminars.models import MaterialKind, Registration, Seminar, SeminarInvitation, SeminarMaterial


def seminar_calendar(
    *, past: bool = False, programme: Programme | None = None, kind: str = ""
) -> QuerySet[Seminar]:
    """Seminars of every programme, upcoming (soonest first) or past (latest first).

    A seminar is upcoming until it ends. Cancelled seminars stay in the calendar, marked
    “Aflyst”, so nobody keeps a cancelled date free; the “my work” page uses
    `Seminar.objects.upcoming()`, which leaves them out.
    """
    now = timezone.now()
    seminars = Seminar.objects.select_related("programme")
    if past:
        seminars = seminars.filter(ends_at__lt=now).order_by("-starts_at", "pk")
    else:
        seminars = seminars.filter(ends_at__gte=now).order_by("starts_at", "pk")
    if programme is not None:
        seminars = seminars.filter(programme=programme)
    if kind:
        seminars = seminars.filter(kind=kind)
    return seminars


def seminars_registered_for(user: User, seminars: Iterable[Seminar]) -> set[int]:
    """Which of `seminars` the user is registered for (one query for a page of them)."""
    return set(
        Registration.objects.filter(
            user=user, seminar__in=list(seminars), cancelled_at__isnull=True
        )
        .order_by()
        .values_list("seminar_id", flat=True)
    )


def seminar_invitations(seminar: Seminar) -> list[SeminarInvitation]:
    """The invited teams with their region and how many of their members are registered."""
    counts = dict(
        seminar.registrations.filter(cancelled_at__isnull=True)
        .values_list("team_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    invitations = list(
        seminar.invitations.select_related("team", "team__region").order_by(
            "team__region__name", "team__name"
        )
    )
    for invitation in invitations:
        invitation.registered_count = counts.get(invitation.team_id, 0)
    return invitations


def seminar_registrations(seminar: Seminar) -> QuerySet[Registration]:
    """The seminar's current (not withdrawn) registrations, by team and name."""
    return (
        seminar.registrations.filter(cancelled_at__isnull=True)
        .select_related("user", "team", "team__region")
        .order_by("team__name", "user__first_name", "user__last_name", "user__email")
    )


def seminar_materials(seminar: Seminar) -> list[SeminarMaterial]:
    """The seminar's materials: programme first, then slides, handouts, the rest; by title."""
    order = {kind: index for index, kind in enumerate(MaterialKind.values)}
    materials = seminar.materials.select_related("uploaded_by").order_by("title", "pk")
    return sorted(materials, key=lambda material: order.get(material.kind, len(order)))
