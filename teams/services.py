"""Writes for improvement teams: the team itself and its members."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import may_add_team_member
from programmes.models import Organisation, Programme, Region
from teams.models import ImprovementTeam, MonthlyNote, ProgressScore, TeamMember

HOSPITAL_KINDS = {Organisation.Kind.HOSPITAL, Organisation.Kind.DEPARTMENT}


def cross_sector_message() -> str:
    return _(
        "Et tværsektorielt team skal bestå af et hospital og mindst én kommune fra hospitalets "
        "optageområde."
    )


@transaction.atomic
def team_create(
    *,
    programme: Programme,
    by: User | None,
    name: str,
    region: Region,
    organisations: Iterable[Organisation],
    method: str = ImprovementTeam.Method.MODEL_FOR_IMPROVEMENT,
    status: str = ImprovementTeam.Status.FORMING,
    started_on: dt.date | None = None,
    aim: str = "",
) -> ImprovementTeam:
    """Create a team of `programme` in `region` from organisations of that region."""
    team = ImprovementTeam(
        programme=programme,
        name=(name or "").strip(),
        region=region,
        method=method,
        status=status,
        started_on=started_on,
        aim=aim,
    )
    organisations = list(organisations)
    _validate_team(team, organisations)
    _save_team(team)
    team.organisations.set(organisations)
    return team


@transaction.atomic
def team_update(
    *,
    team: ImprovementTeam,
    by: User | None,
    name: str,
    organisations: Iterable[Organisation],
    method: str,
    status: str,
    started_on: dt.date | None = None,
    aim: str = "",
) -> ImprovementTeam:
    """Change a team's name, organisations, method, status, start and aim; its region is fixed."""
    # Work on a locked copy, so that a refused change leaves the caller's object as it was.
    locked = ImprovementTeam.objects.select_for_update().select_related("programme").get(pk=team.pk)
    changes = {
        "name": (name or "").strip(),
        "method": method,
        "status": status,
        "started_on": started_on,
        "aim": aim,
    }
    for field, value in changes.items():
        setattr(locked, field, value)
    organisations = list(organisations)
    _validate_team(locked, organisations)
    _save_team(locked)
    locked.organisations.set(organisations)
    for field, value in changes.items():
        setattr(team, field, value)
    return team


@transaction.atomic
def team_add_member(
    *,
    team: ImprovementTeam,
    by: User | None,
    user: User,
    role: str,
    organisation: Organisation | None = None,
) -> TeamMember:
    """Put an active person on the team with a role and, optionally, one of its organisations."""
    already = _("%(person)s er allerede medlem af teamet.") % {"person": user}
    if TeamMember.objects.filter(team=team, user=user).exists():
        raise ValidationError({"user": already})
    if not user.is_active:
        raise ValidationError(
            {"user": _("%(person)s er deaktiveret og kan ikke tilføjes.") % {"person": user}}
        )
    if organisation is not None and not team.organisations.filter(pk=organisation.pk).exists():
        raise ValidationError(
            {"organisation": _("Vælg en af teamets egne organisationer (eller ingen).")}
        )
    member = TeamMember(team=team, user=user, role=role, organisation=organisation)
    refusal = team_member_refusal(member, by=by)
    if refusal:
        raise ValidationError({"user": refusal})
    member.full_clean(validate_constraints=False)  # "once per team" is checked above, in Danish
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as error:
        if "team_member_once" not in str(error):
            raise
        # Added at the same moment by someone else.
        raise ValidationError({"user": already}) from error
    return member


def team_member_refusal(member: TeamMember, *, by: User | None) -> str:
    """Why `by` may not put the person on the team (accounts/roles.py), in Danish; else ""."""
    person = member.user
    if person.is_superuser or person.is_steering_group_member:
        return _("Styregruppens medlemmer og administratorer kan ikke være medlem af et team.")
    if by is None or may_add_team_member(by, member):  # None: the system itself (demo data)
        return ""
    if person.pk == by.pk:
        return _("Du kan ikke tilføje dig selv til et team.")
    # Said without naming the person: their region is not the adder's business.
    return _(
        "Du kan kun tilføje personer fra teamets region. Bed regionens tovholder eller den "
        "nationale projektleder om at tilføje personen."
    )


@transaction.atomic
def team_change_member_role(*, member: TeamMember, by: User | None, role: str) -> TeamMember:
    """Give a team member another role."""
    member.role = role
    member.full_clean(validate_constraints=False)
    member.save(update_fields=["role"])
    return member


@transaction.atomic
def team_remove_member(*, member: TeamMember, by: User | None) -> None:
    """Take a person off the team; their registrations and data stay with the team."""
    member.delete()


def _validate_team(team: ImprovementTeam, organisations: list[Organisation]) -> None:
    """All of the team's errors at once, keyed by field, in Danish."""
    errors: dict[str, list[ValidationError]] = {}
    try:
        # The name's uniqueness is checked below with a Danish message; the other constraints
        # (method and status) are the fields' choices, which full_clean validates anyway.
        team.full_clean(validate_constraints=False)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if team.name and _name_taken(team):
        errors.setdefault("name", []).append(ValidationError(_name_taken_message(team)))
    organisation_errors = _organisation_errors(team, organisations)
    if organisation_errors:
        errors.setdefault("organisations", []).extend(
            ValidationError(message) for message in organisation_errors
        )
    if errors:
        raise ValidationError(errors)


def _organisation_errors(team: ImprovementTeam, organisations: list[Organisation]) -> list[str]:
    if not organisations:
        return [_("Vælg mindst én organisation.")]
    errors = []
    elsewhere = [org.name for org in organisations if org.region_id not in (None, team.region_id)]
    if elsewhere:
        errors.append(
            _("%(names)s ligger ikke i teamets region.") % {"names": ", ".join(sorted(elsewhere))}
        )
    if team.programme.is_cross_sector:
        kinds = {org.kind for org in organisations}
        if not kinds & HOSPITAL_KINDS or Organisation.Kind.MUNICIPALITY not in kinds:
            errors.append(cross_sector_message())
        else:
            errors.extend(_outside_catchment(organisations))
    return errors


def _outside_catchment(organisations: list[Organisation]) -> list[str]:
    """The municipalities outside every chosen hospital's catchment area (optageområde).

    A department stands for its hospital. Only hospitals whose catchment is recorded can refuse:
    a hospital without one yet leaves the team to the two-sector rule above.
    """
    hospital_ids = {
        org.pk if org.kind == Organisation.Kind.HOSPITAL else org.parent_id
        for org in organisations
        if org.kind in HOSPITAL_KINDS
    }
    hospitals = Organisation.objects.filter(pk__in=hospital_ids - {None}).prefetch_related(
        "catchment"
    )
    served = {m.pk for h in hospitals for m in h.catchment.all()}
    recorded = [h for h in hospitals if h.catchment.all()]
    if not recorded:
        return []
    return [
        _(
            "%(municipality)s ligger ikke i optageområdet for %(hospitals)s "
            "(optageområdet: %(area)s)."
        )
        % {
            "municipality": org.name,
            "hospitals": ", ".join(h.name for h in recorded),
            "area": ", ".join(sorted({m.name for h in recorded for m in h.catchment.all()})),
        }
        for org in organisations
        if org.kind == Organisation.Kind.MUNICIPALITY and org.pk not in served
    ]


def _name_taken(team: ImprovementTeam) -> bool:
    others = ImprovementTeam.objects.filter(programme_id=team.programme_id).exclude(pk=team.pk)
    return others.filter(name__iexact=team.name).exists()


def _name_taken_message(team: ImprovementTeam) -> str:
    return _("Der findes allerede et team med navnet “%(name)s” i %(programme)s.") % {
        "name": team.name,
        "programme": team.programme,
    }


def _save_team(team: ImprovementTeam) -> None:
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError as error:
        if "team_name_unique_in_lkt" not in str(error):
            raise
        # The same name saved at the same moment by someone else.
        raise ValidationError({"name": _name_taken_message(team)}) from error


# --- The monthly report: IHI scores (the team's own and the expert group's) and the note -------


@transaction.atomic
def progress_score_set(
    *,
    team: ImprovementTeam,
    month: dt.date,
    score: Decimal | str,
    rater: str = ProgressScore.Rater.TEAM,
    comment: str = "",
    by: User | None,
) -> ProgressScore:
    """Set (or correct) the team's own or the expert group's IHI score for a month."""
    entry = ProgressScore.objects.select_for_update().filter(
        team=team, month=month, rater=rater
    ).first() or ProgressScore(team=team, month=month, rater=rater)
    try:
        entry.score = Decimal(str(score))
    except InvalidOperation as error:
        raise ValidationError({"score": _("Vælg en score fra 0,5 til 5.")}) from error
    entry.comment = comment
    entry.set_by = by
    entry.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as error:
        if "progress_score_once_a_month" not in str(error):
            raise
        # Set at the same moment by someone else: theirs stands, this one is said to be refused.
        raise ValidationError(
            {"month": _("Scoren for måneden er netop sat af en anden. Prøv igen.")}
        ) from error
    return entry


@transaction.atomic
def progress_score_delete(*, score: ProgressScore, by: User | None) -> None:
    """Remove a score set by mistake; the month is then simply without it."""
    score.delete()


@transaction.atomic
def monthly_note_save(
    *,
    team: ImprovementTeam,
    month: dt.date,
    tried: str,
    learned: str,
    next_steps: str,
    by: User | None,
) -> MonthlyNote:
    """Write (or rewrite) the team's note for a month: tried, learned, next steps."""
    note = MonthlyNote.objects.select_for_update().filter(
        team=team, month=month
    ).first() or MonthlyNote(team=team, month=month)
    note.tried, note.learned, note.next_steps = tried.strip(), learned.strip(), next_steps.strip()
    note.written_by = by
    note.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            note.save()
    except IntegrityError as error:
        if "monthly_note_once_a_month" not in str(error):
            raise
        raise ValidationError(
            {"month": _("Noten for måneden er netop skrevet af en anden. Prøv igen.")}
        ) from error
    return note
