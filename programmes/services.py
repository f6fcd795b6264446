"""Writes for programmes: creation, edits, the status workflow, goals and the expert group."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from programmes.models import (
    ExpertGroup,
    ExpertMember,
    ImprovementGoal,
    Programme,
    ProgrammeStatusChange,
    StatusRating,
    SustainmentFrequency,
    SustainmentReview,
)
from programmes.models.sustainment import default_review_dates, default_sustainment_start


@transaction.atomic
def programme_create(*, by: User | None, reason: str = "", **fields: object) -> Programme:
    """Create a programme with its (empty) expert group and the first line of its history."""
    programme = Programme(**fields)
    programme.full_clean()
    programme.save()
    ExpertGroup.objects.create(programme=programme)
    ProgrammeStatusChange.objects.create(
        programme=programme,
        from_status="",
        to_status=programme.status,
        reason=reason or _("Programmet blev oprettet."),
        changed_by=by,
    )
    return programme


@transaction.atomic
def programme_change_status(
    *,
    programme: Programme,
    status: str,
    by: User | None,
    reason: str,
    sustainment_start: dt.date | None = None,
    sustainment_frequency: str = "",
) -> ProgrammeStatusChange:
    """Move a programme to `status` if the workflow allows it, recording who, when and why.

    Into sustainment: the start (by default the day after the end, or today when later), the
    measuring frequency, and the default review dates (6, 12, 24 months after the end) that
    are not planned yet.
    """
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    if status not in Programme.Status.values:
        raise ValidationError({"status": _("Ukendt status: %(status)s.") % {"status": status}})
    if status == locked.status:
        raise ValidationError(
            {
                "status": _("Programmet har allerede status “%(status)s”.")
                % {"status": locked.get_status_display()}
            }
        )
    if not locked.can_change_to(status):
        allowed = ", ".join(
            str(Programme.Status(s).label) for s in Programme.TRANSITIONS[locked.status]
        )
        raise ValidationError(
            {
                "status": _(
                    "Et program med status “%(current)s” kan ikke skifte til “%(new)s”. "
                    "Mulige næste trin: %(allowed)s."
                )
                % {
                    "current": locked.get_status_display(),
                    "new": Programme.Status(status).label,
                    "allowed": allowed,
                }
            }
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Skriv en begrundelse for statusændringen.")})
    change = ProgrammeStatusChange(
        programme=locked,
        from_status=locked.status,
        to_status=status,
        reason=reason.strip(),
        changed_by=by,
    )
    change.full_clean()
    change.save()
    locked.status = status
    fields = ["status", "updated_at"]
    if status == Programme.Status.SUSTAINMENT:
        _enter_sustainment(locked, sustainment_start, sustainment_frequency)
        fields += ["sustainment_start", "sustainment_frequency"]
        others = [f.name for f in Programme._meta.fields if f.name not in fields]
        locked.clean_fields(exclude=others)
    locked.save(update_fields=fields)
    programme.status = status
    programme.sustainment_start = locked.sustainment_start
    programme.sustainment_frequency = locked.sustainment_frequency
    return change


def _enter_sustainment(programme: Programme, start: dt.date | None, frequency: str) -> None:
    """Set the sustainment start and frequency, and plan the default reviews not yet planned."""
    if start is not None and start <= programme.start_date:
        raise ValidationError(
            {"sustainment_start": _("Fastholdelsen skal begynde efter programmets start.")}
        )
    programme.sustainment_start = start or default_sustainment_start(
        programme.end_date, timezone.localdate()
    )
    if frequency and frequency not in SustainmentFrequency.values:
        raise ValidationError({"sustainment_frequency": _("Vælg månedlig eller kvartalsvis.")})
    if frequency:
        programme.sustainment_frequency = frequency
    planned = set(programme.sustainment_reviews.values_list("due_on", flat=True))
    for day in default_review_dates(programme.end_date):
        if day not in planned:
            review = SustainmentReview(programme=programme, due_on=day)
            review.full_clean()
            review.save()


@transaction.atomic
def sustainment_review_add(
    *, programme: Programme, due_on: dt.date, by: User | None
) -> SustainmentReview:
    """Plan one more review of the programme's sustainment."""
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    review = SustainmentReview(programme=programme, due_on=due_on)
    review.full_clean()
    review.save()
    return review


@transaction.atomic
def sustainment_review_update(
    *, review: SustainmentReview, by: User | None, **fields: object
) -> SustainmentReview:
    """Move a review, or record that it was held and what it found."""
    Programme.objects.select_for_update().filter(pk=review.programme_id).first()
    for name, value in fields.items():
        setattr(review, name, value)
    if review.held_on and review.held_on > timezone.localdate():
        raise ValidationError({"held_on": _("En opfølgning kan ikke være holdt i fremtiden.")})
    review.full_clean()
    review.save()
    return review


@transaction.atomic
def sustainment_review_remove(*, review: SustainmentReview, by: User | None) -> None:
    review.delete()


@transaction.atomic
def programme_rate_status(
    *, programme: Programme, colour: str, reason: str, by: User | None
) -> StatusRating:
    """Record the national project lead's traffic light for the programme; earlier ones stay."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Skriv en begrundelse for vurderingen.")})
    rating = StatusRating(programme=programme, colour=colour, reason=reason, rated_by=by)
    rating.full_clean()
    rating.save()
    return rating


@transaction.atomic
def programme_update(*, programme: Programme, by: User | None, **fields: object) -> Programme:
    """Change the programme's description fields (the status has its own workflow)."""
    for name, value in fields.items():
        setattr(programme, name, value)
    programme.full_clean()
    programme.save()
    return programme


@transaction.atomic
def goal_add(*, programme: Programme, by: User | None, **fields: object) -> ImprovementGoal:
    """Add an improvement goal last in the programme's order.

    The programme row is locked while the next position is found, so two goals added at the
    same moment do not get the same position.
    """
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    last = programme.goals.aggregate(last=Max("order"))["last"] or 0
    goal = ImprovementGoal(programme=programme, order=last + 1, **fields)
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def goal_update(*, goal: ImprovementGoal, by: User | None, **fields: object) -> ImprovementGoal:
    """Change a goal's text, indicator, target value or date."""
    for name, value in fields.items():
        setattr(goal, name, value)
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def goal_move(*, goal: ImprovementGoal, up: bool, by: User | None) -> None:
    """Move a goal one place up or down; the programme's goals are numbered 1, 2, 3 … anew, so
    equal positions from older data sort out too. The first goal stays first when moved up."""
    Programme.objects.select_for_update().filter(pk=goal.programme_id).first()
    goals = list(ImprovementGoal.objects.filter(programme_id=goal.programme_id))
    index = next(i for i, g in enumerate(goals) if g.pk == goal.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(goals):
        goals[index], goals[other] = goals[other], goals[index]
    for position, each in enumerate(goals, start=1):
        each.order = position
    ImprovementGoal.objects.bulk_update(goals, ["order"])


@transaction.atomic
def goal_remove(*, goal: ImprovementGoal, by: User | None) -> None:
    goal.delete()


def lock_expert_group(group: ExpertGroup) -> None:
    """Hold the group's row until the transaction ends, so two writers check its rules in turn."""
    ExpertGroup.objects.select_for_update().filter(pk=group.pk).first()


def check_one_chair(group: ExpertGroup, role: str, *, member: ExpertMember | None = None) -> None:
    """Refuse a second chair of the expert group (co-chairs share the role as `co_chair`)."""
    if role != ExpertMember.Role.CHAIR:
        return
    chairs = group.members.filter(role=ExpertMember.Role.CHAIR)
    if member is not None and member.pk:
        chairs = chairs.exclude(pk=member.pk)
    if chairs.exists():
        raise ValidationError(
            {
                "role": _(
                    "Ekspertgruppen har allerede en formand. Gør den nuværende formand til "
                    "medformand først, eller brug rollen medformand (ved delt formandskab)."
                )
            }
        )


def expert_group_of(programme: Programme) -> ExpertGroup:
    """The programme's expert group (every programme has one from its creation on)."""
    group, _created = ExpertGroup.objects.get_or_create(programme=programme)
    return group


@transaction.atomic
def expert_add(*, programme: Programme, by: User | None, **fields: object) -> ExpertMember:
    """Add a person to the programme's expert group (created on first use)."""
    group = expert_group_of(programme)
    lock_expert_group(group)
    member = ExpertMember(group=group, **fields)
    if group.members.filter(user_id=member.user_id).exists():
        raise ValidationError(
            {
                "user": _("%(person)s er allerede med i ekspertgruppen for %(programme)s.")
                % {"person": member.user, "programme": programme.name}
            }
        )
    check_one_chair(group, member.role)
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def expert_change_role(*, member: ExpertMember, role: str, by: User | None) -> ExpertMember:
    """Give an expert group member another role; there is one chair at the most."""
    if role not in ExpertMember.Role.values:
        raise ValidationError({"role": _("Vælg en af rollerne på listen.")})
    lock_expert_group(member.group)
    check_one_chair(member.group, role, member=member)
    member.role = role
    member.save(update_fields=["role"])
    return member


@transaction.atomic
def expert_remove(*, member: ExpertMember, by: User | None) -> None:
    member.delete()
