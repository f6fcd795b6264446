"""Each person's choice of reminder kinds, and the signed one-click unsubscribe links."""

from __future__ import annotations

from django.core import signing
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from reminders.models import ReminderKind, ReminderPreference

# What each kind is, in the words of the preferences page and the e-mail footer.
KIND_HELP = {
    ReminderKind.SEMINAR: _(
        "Påmindelser før seminarer, du er tilmeldt (eller dit team er inviteret til som lokal "
        "projektleder), med en kalenderinvitation."
    ),
    ReminderKind.DATA: _(
        "Påmindelser før datafristen, når dit team endnu ikke har registreret data for den "
        "seneste måned."
    ),
    ReminderKind.DATA_LATE: _(
        "Til regionale tovholdere og nationale projektledere: en oversigt over teams, der ikke "
        "har registreret data, når fristen er overskredet."
    ),
    ReminderKind.MILESTONE: _(
        "Til nationale projektledere: besked tre måneder før programmet slutter om at lægge "
        "en plan for fastholdelse."
    ),
    ReminderKind.SUSTAINMENT_REVIEW: _(
        "Til teamets formelle leder og kvalitetskoordinator: en påmindelse før hver planlagt "
        "opfølgning på fastholdelsesplanen."
    ),
    ReminderKind.SEMINAR_INVITATION: _(
        "Når dit team bliver inviteret til et seminar: en e-mail med kalenderinvitationen."
    ),
    ReminderKind.SEMINAR_CHANGE: _(
        "Når tid eller sted for et seminar, du har fået besked om, ændres: en e-mail med den "
        "opdaterede kalenderinvitation."
    ),
    ReminderKind.SEMINAR_CANCELLATION: _(
        "Når et seminar, du har fået besked om, aflyses: en e-mail, der også fjerner det fra "
        "din kalender."
    ),
    ReminderKind.SEMINAR_REGISTRATION: _(
        "Når du bliver tilmeldt eller afmeldt et seminar (af dig selv eller en anden)."
    ),
}

# Seminar mails are all recorded as SEMINAR records; the occasion tells which choice governs.
_SEMINAR_OCCASIONS = (
    ("invitation-", ReminderKind.SEMINAR_INVITATION),
    ("registered-", ReminderKind.SEMINAR_REGISTRATION),
    ("unregistered-", ReminderKind.SEMINAR_REGISTRATION),
    ("update-", ReminderKind.SEMINAR_CHANGE),
    ("cancel", ReminderKind.SEMINAR_CANCELLATION),
)


def preference_kind(kind: str, occasion: str) -> str:
    """The kind a person turns on or off for this mail: a seminar notice has its own."""
    if kind == ReminderKind.SEMINAR:
        for prefix, choice in _SEMINAR_OCCASIONS:
            if occasion.startswith(prefix):
                return choice
    return kind


_SALT = "lkt_portal.reminders.unsubscribe"


def reminder_preferences(user: User) -> dict[str, bool]:
    """Every kind, on or off for this person (on unless they turned it off)."""
    chosen = dict(user.reminder_preferences.values_list("kind", "enabled"))
    return {kind: chosen.get(kind, True) for kind in ReminderKind.values}


def reminder_enabled(user_id: int, kind: str) -> bool:
    return not ReminderPreference.objects.filter(user_id=user_id, kind=kind, enabled=False).exists()


def opted_out() -> set[tuple[int, str]]:
    """(user id, kind) for every kind someone has turned off; one query for a whole scan."""
    off = ReminderPreference.objects.filter(enabled=False).order_by()
    return set(off.values_list("user_id", "kind"))


@transaction.atomic
def reminder_preferences_set(*, user: User, choices: dict[str, bool]) -> None:
    """Store the person's choice for each kind given."""
    for kind, enabled in choices.items():
        if kind not in ReminderKind.values:
            raise ValueError(f"Unknown reminder kind: {kind}")
        ReminderPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"enabled": bool(enabled)}
        )


def unsubscribe_token(user_id: int, kind: str) -> str:
    """A token for the e-mail footer: whoever holds it may turn this one kind off for this person.

    It does not expire: an unsubscribe link in an old e-mail must still work.
    """
    return signing.dumps({"u": user_id, "k": kind}, salt=_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, kind) from a genuine token, else None."""
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in ReminderKind.values:
        return None
    user_id = data.get("u")
    return (user_id, data["k"]) if isinstance(user_id, int) else None
