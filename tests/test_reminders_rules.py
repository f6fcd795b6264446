"""The scanner's rules: which reminders are due when, and to whom (on the database, no worker)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.months import add_months
from programmes.models import Programme, parse_reminder_days
from reminders import config
from reminders.delivery import claim, deliver
from reminders.models import ReminderKind, ReminderPreference, ReminderStatus, SentReminder
from reminders.revisions import seminar_fingerprint
from reminders.scanner import Due, due_reminders
from reminders.timing import TZ, reminder_day, window
from seminars.models import Registration, SeminarInvitation
from seminars.services import seminar_cancel, seminar_update
from tests import factories as f

SEMINAR, DATA, LATE, MILESTONE = (
    ReminderKind.SEMINAR,
    ReminderKind.DATA,
    ReminderKind.DATA_LATE,
    ReminderKind.MILESTONE,
)
# Tuesday 1 December 2026, 08:00 in Copenhagen.
AT = dt.datetime(2026, 12, 1, 8, 0, tzinfo=TZ)


def at_local(day: dt.date, hour: int = 8, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def due_of(kind: str, at: dt.datetime = AT) -> set[tuple[int, int, str]]:
    """(object, recipient, occasion) of every due reminder of one kind."""
    return {(d.object_id, d.recipient_id, d.occasion) for d in due_reminders(at) if d.kind == kind}


def send_all(at: dt.datetime = AT) -> list[Due]:
    """What a scan finds, delivered in-process (locmem e-mail backend)."""
    due = due_reminders(at)
    for item in due:
        deliver(item, token=uuid.uuid4().hex)
    return due


# Pure rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [(20, None), (15, None), (14, 14), (5, 14), (3, 14), (2, 2), (1, 2), (0, 2), (-1, None)],
)
def test_the_window_is_the_smallest_offset_not_yet_passed(days_left, expected) -> None:
    assert window(days_left, (14, 2)) == expected


def test_a_reminder_day_begins_at_7_in_copenhagen() -> None:
    assert reminder_day(at_local(dt.date(2026, 12, 1), 6, 59)) == dt.date(2026, 11, 30)
    assert reminder_day(at_local(dt.date(2026, 12, 1), 7, 0)) == dt.date(2026, 12, 1)
    # 06:30 UTC on a summer day is 08:30 in Copenhagen.
    assert reminder_day(dt.datetime(2026, 7, 1, 6, 30, tzinfo=dt.UTC)) == dt.date(2026, 7, 1)


def test_months_are_added_with_the_last_day_kept_in_the_month() -> None:
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 1, 15), -1) == dt.date(2025, 12, 15)


@pytest.mark.parametrize(
    ("text", "days"), [("14,2", (14, 2)), (" 2, 14 ,14", (14, 2)), ("7", (7,)), ("7;1", (7, 1))]
)
def test_it_reads_a_list_of_reminder_days(text, days) -> None:
    assert parse_reminder_days(text) == days


@pytest.mark.parametrize("text", ["", "0", "-1", "14,x", "400", "1,2,3,4,5,6,7,8,9,10,11"])
def test_it_rejects_reminder_days_that_are_not_positive_whole_days(db, text) -> None:
    programme = f.ProgrammeFactory.build(seminar_reminder_days=text, lead_region=f.RegionFactory())
    with pytest.raises(ValidationError) as error:
        programme.full_clean()
    assert "seminar_reminder_days" in error.value.message_dict


# Seminars ------------------------------------------------------------------------------------


class SeminarWorld:
    """A programme with one team invited to a seminar on 15 December 2026 at 09:30."""

    def __init__(self) -> None:
        self.programme = f.ProgrammeFactory(start_date=dt.date(2026, 1, 1))
        self.team = f.TeamFactory(programme=self.programme)
        self.lead = f.TeamMemberFactory(team=self.team, role="local_lead").user
        self.member = f.TeamMemberFactory(team=self.team).user
        self.participant = f.UserFactory()
        self.withdrawn = f.UserFactory()
        self.seminar = f.SeminarFactory(
            programme=self.programme,
            starts_at=at_local(dt.date(2026, 12, 15), 9, 30),
            ends_at=at_local(dt.date(2026, 12, 15), 15, 30),
        )
        SeminarInvitation.objects.create(seminar=self.seminar, team=self.team)
        Registration.objects.create(seminar=self.seminar, user=self.participant)
        Registration.objects.create(
            seminar=self.seminar, user=self.withdrawn, cancelled_at=timezone.now()
        )

    def due(self, occasion: str, *people) -> set[tuple[int, int, str]]:
        return {(self.seminar.pk, person.pk, occasion) for person in people}


@pytest.fixture
def world(db, clock) -> SeminarWorld:
    clock.move_to(AT)  # the world is seen from AT (1 December 2026), so AT is now
    return SeminarWorld()


def test_it_reminds_participants_and_invited_local_leads_14_days_before(world) -> None:
    assert due_of(SEMINAR) == world.due("reminder-14d-2026-12-15", world.participant, world.lead)


def test_it_does_not_remind_plain_members_of_invited_teams_nor_who_withdrew(world) -> None:
    recipients = {recipient for _, recipient, _ in due_of(SEMINAR)}
    assert world.member.pk not in recipients
    assert world.withdrawn.pk not in recipients


def test_it_reminds_nobody_15_days_before(world) -> None:
    assert due_of(SEMINAR, at_local(dt.date(2026, 11, 30), 12)) == set()


def test_before_7_the_reminder_day_has_not_begun(world) -> None:
    assert due_of(SEMINAR, at_local(dt.date(2026, 12, 1), 6, 59)) == set()
    assert due_of(SEMINAR, at_local(dt.date(2026, 12, 1), 7, 0)) != set()


def test_it_sends_the_2_day_reminder_2_days_before(world) -> None:
    send_all(AT)
    assert due_of(SEMINAR, at_local(dt.date(2026, 12, 12))) == set()
    assert due_of(SEMINAR, at_local(dt.date(2026, 12, 13))) == world.due(
        "reminder-2d-2026-12-15", world.participant, world.lead
    )


def test_a_seminar_planned_late_gets_its_first_reminder_at_once(world) -> None:
    assert due_of(SEMINAR, at_local(dt.date(2026, 12, 10))) == world.due(
        "reminder-14d-2026-12-15", world.participant, world.lead
    )


def test_nothing_is_due_once_the_seminar_has_begun(world) -> None:
    assert due_of(SEMINAR, at_local(dt.date(2026, 12, 15), 9, 31)) == set()


def test_the_programme_chooses_the_days(world) -> None:
    Programme.objects.filter(pk=world.programme.pk).update(seminar_reminder_days="30")
    assert due_of(SEMINAR, at_local(dt.date(2026, 11, 15))) == world.due(
        "reminder-30d-2026-12-15", world.participant, world.lead
    )
    assert due_of(SEMINAR, at_local(dt.date(2026, 11, 14))) == set()


def test_it_skips_people_who_turned_seminar_reminders_off(world) -> None:
    ReminderPreference.objects.create(user=world.lead, kind=SEMINAR, enabled=False)
    ReminderPreference.objects.create(user=world.participant, kind=DATA, enabled=False)
    assert due_of(SEMINAR) == world.due("reminder-14d-2026-12-15", world.participant)


def test_it_skips_deactivated_people(world) -> None:
    world.lead.is_active = False
    world.lead.save()
    assert due_of(SEMINAR) == world.due("reminder-14d-2026-12-15", world.participant)


def _record(world: SeminarWorld, status: str, age: dt.timedelta) -> None:
    due = Due(SEMINAR, world.seminar.pk, world.lead.pk, "reminder-14d-2026-12-15")
    claim(due, token="someone-else", revision=seminar_fingerprint(world.seminar))
    SentReminder.objects.update(
        status=status, claimed_at=timezone.now() - age, sent_at=timezone.now()
    )


@pytest.mark.parametrize(
    ("status", "age", "due_again"),
    [
        (ReminderStatus.SENT, dt.timedelta(days=1), False),
        (ReminderStatus.FAILED, dt.timedelta(days=1), False),
        (ReminderStatus.CLAIMED, dt.timedelta(seconds=30), False),
        (ReminderStatus.CLAIMED, config.CLAIM_TIMEOUT + dt.timedelta(seconds=1), True),
    ],
)
def test_a_record_settles_its_reminder_unless_it_is_a_stale_claim(
    world, status, age, due_again
) -> None:
    _record(world, status, age)
    recipients = {recipient for _, recipient, _ in due_of(SEMINAR)}
    assert (world.lead.pk in recipients) is due_again
    assert world.participant.pk in recipients


def test_a_seminar_moved_to_another_day_is_announced_with_its_new_day(world) -> None:
    send_all(AT)
    seminar_update(
        seminar=world.seminar,
        by=None,
        starts_at=at_local(dt.date(2026, 12, 14), 9, 30),
        ends_at=at_local(dt.date(2026, 12, 14), 15, 30),
    )
    later = AT + dt.timedelta(hours=2)
    assert due_of(SEMINAR, later) == world.due(
        "reminder-14d-2026-12-14", world.participant, world.lead
    )
    send_all(later)
    assert due_of(SEMINAR, later + dt.timedelta(hours=1)) == set()


def test_a_new_place_sends_an_update_to_those_already_reminded_only(world) -> None:
    send_all(AT)
    newcomer = f.UserFactory()
    Registration.objects.create(seminar=world.seminar, user=newcomer)
    seminar_update(seminar=world.seminar, by=None, place="Hotel Nyborg Strand")
    later = AT + dt.timedelta(days=1)
    assert due_of(SEMINAR, later) == world.due("update-1", world.participant, world.lead) | (
        world.due("reminder-14d-2026-12-15", newcomer)
    )
    send_all(later)
    assert due_of(SEMINAR, later + dt.timedelta(hours=1)) == set()


def test_an_agenda_change_sends_nothing(world) -> None:
    send_all(AT)
    seminar_update(seminar=world.seminar, by=None, agenda="Nyt program for dagen")
    assert due_of(SEMINAR, AT + dt.timedelta(days=1)) == set()


def test_a_cancelled_seminar_sends_a_cancellation_to_participants_and_everyone_mailed(
    world,
) -> None:
    send_all(AT)
    Registration.objects.filter(user=world.participant).update(cancelled_at=timezone.now())
    seminar_cancel(seminar=world.seminar, by=None, reason="For få tilmeldte")
    later = AT + dt.timedelta(days=1)
    assert due_of(SEMINAR, later) == world.due("cancel", world.participant, world.lead)
    send_all(later)
    assert due_of(SEMINAR, later + dt.timedelta(hours=1)) == set()


def test_a_cancelled_seminar_far_ahead_tells_its_participants_at_once(world) -> None:
    seminar_cancel(seminar=world.seminar, by=None, reason="Flyttet til foråret")
    assert due_of(SEMINAR, AT - dt.timedelta(days=60)) == world.due(
        "cancel", world.participant, world.lead
    )


# Data ----------------------------------------------------------------------------------------


class DataWorld:
    """An active programme (deadline the 15th) with two teams in two regions and two indicators.

    The team `punctual` has registered November 2026; `late` has registered only one indicator.
    """

    def __init__(self) -> None:
        self.rm = f.RegionFactory(name="Region Midtjylland", code="RM")
        self.rsd = f.RegionFactory(name="Region Syddanmark", code="RSD")
        self.programme = f.ProgrammeFactory(
            start_date=dt.date(2026, 1, 1), lead_region=self.rm, data_deadline_day=15
        )
        self.national_lead = f.ProgrammeLeadFactory(programme=self.programme).user
        self.coordinator_rm = f.RegionalCoordinatorFactory(region=self.rm).user
        self.coordinator_rsd = f.RegionalCoordinatorFactory(region=self.rsd).user
        self.first = f.IndicatorFactory(programme=self.programme)
        self.second = f.IndicatorFactory(programme=self.programme)
        f.IndicatorFactory(programme=self.programme, is_active=False)
        f.IndicatorFactory(programme=self.programme, data_source="database")
        self.punctual = f.TeamFactory(programme=self.programme, region=self.rm, status="active")
        self.late = f.TeamFactory(programme=self.programme, region=self.rsd, status="active")
        self.forming = f.TeamFactory(programme=self.programme, region=self.rsd)
        self.member = f.TeamMemberFactory(team=self.late).user
        self.late_lead = f.TeamMemberFactory(team=self.late, role="local_lead").user
        f.TeamMemberFactory(team=self.punctual)
        f.TeamMemberFactory(team=self.forming)
        november = dt.date(2026, 11, 1)
        for indicator in (self.first, self.second):
            f.MeasurementFactory(team=self.punctual, indicator=indicator, period_start=november)
        f.MeasurementFactory(team=self.late, indicator=self.first, period_start=november)


@pytest.fixture
def data(db, clock) -> DataWorld:
    clock.move_to(AT)
    return DataWorld()


def test_members_of_a_team_without_data_are_reminded_7_and_1_days_before_the_deadline(
    data,
) -> None:
    assert due_of(DATA, at_local(dt.date(2026, 12, 7))) == set()
    people = {data.member.pk, data.late_lead.pk}
    assert due_of(DATA, at_local(dt.date(2026, 12, 8))) == {
        (data.late.pk, person, "2026-11:7d") for person in people
    }
    assert due_of(DATA, at_local(dt.date(2026, 12, 14))) == {
        (data.late.pk, person, "2026-11:1d") for person in people
    }


def test_a_team_that_registers_its_data_is_not_reminded(data) -> None:
    f.MeasurementFactory(team=data.late, indicator=data.second, period_start=dt.date(2026, 11, 1))
    assert due_of(DATA, at_local(dt.date(2026, 12, 8))) == set()


def test_a_quarterly_indicator_is_needed_only_when_the_month_closes_a_quarter(data) -> None:
    f.MeasurementFactory(team=data.late, indicator=data.second, period_start=dt.date(2026, 11, 1))
    quarterly = f.IndicatorFactory(programme=data.programme, frequency="quarterly")
    assert due_of(DATA, at_local(dt.date(2026, 12, 8))) == set()  # November closes none
    for indicator in (data.first, data.second):
        for team in (data.punctual, data.late):
            f.MeasurementFactory(team=team, indicator=indicator, period_start=dt.date(2026, 12, 1))
    f.MeasurementFactory(team=data.punctual, indicator=quarterly, period_start=dt.date(2026, 10, 1))
    assert {team for team, _, _ in due_of(DATA, at_local(dt.date(2027, 1, 8)))} == {data.late.pk}


def test_after_the_deadline_coordinators_and_national_leads_get_one_list(data) -> None:
    assert due_of(LATE, at_local(dt.date(2026, 12, 15))) == set()
    after = at_local(dt.date(2026, 12, 16))
    assert due_of(LATE, after) == {
        (data.programme.pk, person.pk, "2026-11")
        for person in (data.national_lead, data.coordinator_rsd)
    }
    assert due_of(DATA, after) == set()


def test_no_data_reminders_for_a_paused_programme_or_a_month_outside_it(data) -> None:
    Programme.objects.filter(pk=data.programme.pk).update(start_date=dt.date(2026, 12, 1))
    assert due_of(DATA, at_local(dt.date(2026, 12, 8))) == set()
    Programme.objects.filter(pk=data.programme.pk).update(
        start_date=dt.date(2026, 1, 1), status=Programme.Status.PAUSED
    )
    assert due_of(DATA, at_local(dt.date(2026, 12, 8))) == set()
    assert due_of(LATE, at_local(dt.date(2026, 12, 16))) == set()


# Milestones ----------------------------------------------------------------------------------


def test_national_leads_are_asked_for_the_sustainment_plan_three_months_before_the_end(
    db,
) -> None:
    programme = f.ProgrammeFactory(start_date=dt.date(2025, 3, 1))  # ends 1 March 2027
    lead = f.ProgrammeLeadFactory(programme=programme).user
    preparing = f.ProgrammeFactory(
        start_date=dt.date(2025, 3, 1), status=Programme.Status.PREPARING
    )
    f.ProgrammeLeadFactory(programme=preparing)
    assert due_of(MILESTONE, at_local(dt.date(2026, 11, 30))) == set()
    assert due_of(MILESTONE, at_local(dt.date(2026, 12, 1))) == {
        (programme.pk, lead.pk, "sustainment-plan-2027-03-01")
    }
    send_all(at_local(dt.date(2026, 12, 1)))
    assert due_of(MILESTONE, at_local(dt.date(2027, 1, 5))) == set()
