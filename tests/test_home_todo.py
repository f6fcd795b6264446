"""The home page's to-do rules, one kind of item at a time, and the home page per role."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from core.months import add_months, first_of_month
from indicators.definitions import proposal_decline
from indicators.models import IndicatorProposal
from lkt_portal import todo
from lkt_portal.todo.base import report_month
from lkt_portal.todo.coordinator import pending_invitations, region_teams_missing_data
from lkt_portal.todo.expert import rating_gaps_to_discuss, teams_to_rate
from lkt_portal.todo.lead import (
    late_teams_of_programmes,
    proposals_waiting,
    teams_without_monthly_report,
)
from lkt_portal.todo.team import (
    cycles_to_study,
    monthly_report_to_give,
    months_to_register,
    next_team_seminar,
    seminar_invitations,
)
from people.services import user_invite
from seminars.models import Registration, SeminarInvitation
from teams.models import ImprovementTeam, MonthlyNote, PDSACycle, ProgressScore, Rater
from teams.selectors import reportable_months
from tests import factories as f

pytestmark = pytest.mark.django_db


def situation(user: User) -> todo.Situation:
    user = User.objects.get(pk=user.pk)  # fresh roles
    return todo.Situation.of(user)


@pytest.fixture
def kol(cast, clock):
    """KOL running from two years before today to a year after, deadline day 15, one indicator."""
    today = clock.today()
    cast.kol.start_date = add_months(first_of_month(today), -24)
    cast.kol.end_date = add_months(first_of_month(today), 12)
    cast.kol.data_deadline_day = 15
    cast.kol.save()
    cast.indicator = f.IndicatorFactory(programme=cast.kol, name="Andel med iltbehandling")
    ImprovementTeam.objects.update(status=ImprovementTeam.Status.ACTIVE)  # forming teams owe none
    return cast


def register(team, indicator, month: dt.date) -> None:
    f.MeasurementFactory(team=team, indicator=indicator, period_start=month)


# --- Months to register -----------------------------------------------------------------------


@pytest.mark.clock
def test_it_asks_for_last_month_with_its_deadline_before_the_deadline_day(kol, clock) -> None:
    clock.move_to(dt.date(clock.today().year, clock.today().month, 10))
    last = clock.month(-1)
    for month in [add_months(last, -3), add_months(last, -2), add_months(last, -1)]:
        register(kol.kol_rm, kol.indicator, month)
    items = months_to_register(situation(kol.local_lead))
    assert len(items) == 1
    item = items[0]
    assert not item.late
    assert item.url == reverse("indicators:enter_month", args=[kol.kol_rm.pk, f"{last:%Y-%m}"])
    deadline = dt.date(clock.today().year, clock.today().month, 15)
    assert f"{deadline.day}." in item.text and str(deadline.year) in item.text
    assert "senest" in item.text


@pytest.mark.clock
def test_it_is_gone_once_the_month_is_registered(kol, clock) -> None:
    clock.move_to(dt.date(clock.today().year, clock.today().month, 10))
    last = clock.month(-1)
    for month in [add_months(last, -3), add_months(last, -2), add_months(last, -1), last]:
        register(kol.kol_rm, kol.indicator, month)
    assert months_to_register(situation(kol.local_lead)) == []


@pytest.mark.clock
def test_on_the_deadline_day_the_month_is_still_open_and_the_day_after_it_is_late(
    kol, clock
) -> None:
    year, month = clock.today().year, clock.today().month
    for previous in [-4, -3, -2]:
        register(kol.kol_rm, kol.indicator, clock.month(previous))
    clock.move_to(dt.datetime(year, month, 15, 23, 30))
    [item] = months_to_register(situation(kol.local_lead))
    assert not item.late
    clock.move_to(dt.datetime(year, month, 16, 0, 30))
    [item] = months_to_register(situation(kol.local_lead))
    assert item.late and "fristen var" in item.text


@pytest.mark.clock
def test_on_the_first_of_january_december_is_open_and_november_late(kol, clock) -> None:
    new_year = dt.datetime(clock.today().year + 1, 1, 1, 0, 30)
    kol.kol.end_date = dt.date(new_year.year + 1, 12, 31)
    kol.kol.save()
    clock.move_to(new_year)
    items = months_to_register(situation(kol.local_lead))
    urls = {item.url: item for item in items}
    december = reverse("indicators:enter_month", args=[kol.kol_rm.pk, f"{new_year.year - 1}-12"])
    november = reverse("indicators:enter_month", args=[kol.kol_rm.pk, f"{new_year.year - 1}-11"])
    assert not urls[december].late and urls[november].late
    assert "15. januar" in urls[december].text or "januar 15" in urls[december].text


@pytest.mark.clock
def test_it_lists_only_the_persons_own_teams(kol, clock) -> None:
    clock.move_to(dt.date(clock.today().year, clock.today().month, 10))
    items = months_to_register(situation(kol.member))  # kol_rsd's member
    assert items and all(f"/team/{kol.kol_rsd.pk}/" in item.url for item in items)


# --- PDSA cycles, seminars --------------------------------------------------------------------


@pytest.mark.clock
def test_it_lists_a_cycle_that_ended_without_a_study(kol, clock) -> None:
    today = clock.today()
    ended = PDSACycle.objects.create(
        team=kol.kol_rm, title="Tjekliste ved udskrivelse",
        started_on=today - dt.timedelta(days=20), ended_on=today - dt.timedelta(days=1),
    )  # fmt: skip
    PDSACycle.objects.create(
        team=kol.kol_rm, title="Studeret", study="Det virkede",
        started_on=today - dt.timedelta(days=20), ended_on=today - dt.timedelta(days=1),
    )  # fmt: skip
    PDSACycle.objects.create(
        team=kol.kol_rm, title="Slutter i dag", started_on=today - dt.timedelta(days=5),
        ended_on=today,
    )  # fmt: skip
    PDSACycle.objects.create(
        team=kol.kol_rsd, title="Andet team", started_on=today - dt.timedelta(days=20),
        ended_on=today - dt.timedelta(days=2),
    )  # fmt: skip
    items = cycles_to_study(situation(kol.local_lead))
    assert [item.url for item in items] == [
        reverse("teams:pdsa_edit", args=[kol.kol_rm.pk, ended.pk])
    ]
    assert "Tjekliste ved udskrivelse" in items[0].text


def test_it_lists_seminar_invitations_until_the_person_registers(kol) -> None:
    seminar = f.SeminarFactory(programme=kol.kol, place="Comwell Aarhus")
    SeminarInvitation.objects.create(seminar=seminar, team=kol.kol_rm)
    other = f.SeminarFactory(programme=kol.kol)  # kol_rm not invited
    items = seminar_invitations(situation(kol.local_lead))
    assert [item.url for item in items] == [reverse("seminars:detail", args=[seminar.pk])]
    Registration.objects.create(seminar=seminar, user=kol.local_lead, team=kol.kol_rm)
    assert seminar_invitations(situation(kol.local_lead)) == []
    # the next seminar of the programme is then the one item of that kind
    nxt = next_team_seminar(situation(kol.local_lead))
    assert [item.url for item in nxt] == [
        reverse("seminars:detail", args=[min([seminar, other], key=lambda s: s.starts_at).pk])
    ]


# --- National leads, coordinators -------------------------------------------------------------


@pytest.mark.clock
def test_the_lead_sees_the_teams_late_with_the_newest_due_month(kol, clock) -> None:
    clock.move_to(dt.date(clock.today().year, clock.today().month, 20))
    register(kol.kol_rm, kol.indicator, clock.month(-1))
    [item] = late_teams_of_programmes(situation(kol.lead))
    assert item.url == reverse("status:programme", args=[kol.kol.pk])
    assert kol.kol_rsd.name in item.text and kol.kol_rm.name not in item.text
    assert late_teams_of_programmes(situation(kol.coordinator)) == []


@pytest.mark.clock
def test_before_the_deadline_the_lead_is_told_of_the_month_before(kol, clock) -> None:
    clock.move_to(dt.date(clock.today().year, clock.today().month, 10))
    register(kol.kol_rm, kol.indicator, clock.month(-2))
    register(kol.kol_rsd, kol.indicator, clock.month(-2))
    assert late_teams_of_programmes(situation(kol.lead)) == []  # last month still open


def report(team, month: dt.date, *, score: str = "2.0", note: bool = True) -> None:
    """The team's own monthly report: its score and (unless told otherwise) its note."""
    ProgressScore.objects.create(team=team, month=month, rater=Rater.TEAM, score=score)
    if note:
        MonthlyNote.objects.create(
            team=team, month=month, tried="Tjekliste", learned="Virker", next_steps="Mere"
        )


def reports_url(programme, month: dt.date) -> str:
    return reverse("indicators:monthly_reports", args=[programme.pk]) + f"?maaned={month:%Y-%m}"


@pytest.mark.clock
def test_the_lead_sees_teams_without_a_monthly_report(kol, clock) -> None:
    clock.move_to(dt.date(clock.today().year, clock.today().month, 20))
    last = clock.month(-1)
    report(kol.kol_rm, last)
    report(kol.kol_rsd, last, note=False)  # a score without its note is no report
    [item] = teams_without_monthly_report(situation(kol.lead))
    assert kol.kol_rsd.name in item.text and kol.kol_rm.name not in item.text
    assert item.url == reports_url(kol.kol, last)
    MonthlyNote.objects.create(
        team=kol.kol_rsd, month=last, tried="Ny rutine", learned="Ja", next_steps="Fortsæt"
    )
    assert teams_without_monthly_report(situation(kol.lead)) == []


@pytest.mark.clock
def test_the_experts_score_is_not_the_teams_report(kol, clock) -> None:
    clock.move_to(dt.date(clock.today().year, clock.today().month, 20))
    last = clock.month(-1)
    for team in (kol.kol_rm, kol.kol_rsd):
        ProgressScore.objects.create(team=team, month=last, rater=Rater.EXPERT, score="3.0")
        MonthlyNote.objects.create(team=team, month=last, tried="a", learned="b", next_steps="c")
    [item] = teams_without_monthly_report(situation(kol.lead))
    assert kol.kol_rsd.name in item.text and kol.kol_rm.name in item.text


@pytest.mark.clock
def test_before_the_deadline_the_report_owed_is_the_month_before_last(kol, clock, client) -> None:
    clock.move_to(dt.date(clock.today().year, clock.today().month, 10))
    before_last = clock.month(-2)
    [item] = teams_without_monthly_report(situation(kol.lead))
    assert item.url == reports_url(kol.kol, before_last)
    client.force_login(kol.lead)
    response = client.get(item.url)  # the page shows the month the item names
    assert response.status_code == 200 and response.context["month"] == before_last
    assert report_month(kol.kol, clock.today()) in reportable_months(kol.kol)


@pytest.mark.clock
def test_a_programme_ended_long_ago_owes_no_report(kol, clock) -> None:
    kol.kol.end_date = add_months(first_of_month(clock.today()), -6)
    kol.kol.save()
    last = kol.kol.end_date.replace(day=1)  # the programme's last month, on its page still
    assert report_month(kol.kol, clock.today()) == last
    kol.kol.start_date = add_months(first_of_month(clock.today()), 1)
    kol.kol.end_date = add_months(first_of_month(clock.today()), 24)
    kol.kol.save()
    assert report_month(kol.kol, clock.today()) is None


def propose(indicator, by) -> IndicatorProposal:
    return IndicatorProposal.objects.create(
        indicator=indicator, changes={"name": [indicator.name, "Nyt navn"]}, reason="Klarere",
        proposed_by=by,
    )  # fmt: skip


def test_the_lead_sees_the_proposals_waiting_per_programme(kol) -> None:
    assert proposals_waiting(situation(kol.lead)) == []
    first = propose(kol.indicator, kol.expert)
    propose(f.IndicatorFactory(programme=kol.kol), kol.expert)
    propose(f.IndicatorFactory(programme=kol.adhd), kol.expert)  # not the lead's programme
    [item] = proposals_waiting(situation(kol.lead))
    assert item.url == reverse("indicators:proposal_list", args=[kol.kol.pk])
    assert item.text.startswith("KOL: 2 ")
    proposal_decline(proposal=first, by=kol.lead)
    [item] = proposals_waiting(situation(kol.lead))
    assert item.text.startswith("KOL: 1 ")
    IndicatorProposal.objects.update(status=IndicatorProposal.Status.ACCEPTED)
    assert proposals_waiting(situation(kol.lead)) == []
    assert proposals_waiting(situation(kol.expert)) == []


@pytest.mark.clock
def test_the_local_lead_is_asked_for_the_monthly_report_until_it_is_given(kol, clock) -> None:
    clock.move_to(dt.date(clock.today().year, clock.today().month, 20))
    last = clock.month(-1)
    [item] = monthly_report_to_give(situation(kol.local_lead))
    url = reverse("indicators:monthly_report", args=[kol.kol_rm.pk]) + f"?maaned={last:%Y-%m}"
    assert item.url == url
    assert kol.kol_rm.name in item.text and item.text.startswith("Månedsrapport for ")
    assert monthly_report_to_give(situation(kol.member)) == []  # not a local lead
    report(kol.kol_rm, last, note=False)
    assert len(monthly_report_to_give(situation(kol.local_lead))) == 1
    MonthlyNote.objects.create(team=kol.kol_rm, month=last, tried="a", learned="b", next_steps="c")
    assert monthly_report_to_give(situation(kol.local_lead)) == []


@pytest.mark.clock
def test_the_expert_sees_the_teams_the_group_has_not_rated(kol, clock) -> None:
    clock.move_to(dt.date(clock.today().year, clock.today().month, 20))
    last = clock.month(-1)
    [item] = teams_to_rate(situation(kol.expert))
    assert item.url == reports_url(kol.kol, last)
    assert kol.kol_rm.name in item.text and kol.kol_rsd.name in item.text
    ProgressScore.objects.create(team=kol.kol_rm, month=last, rater=Rater.EXPERT, score="2.0")
    ProgressScore.objects.create(team=kol.kol_rsd, month=last, rater=Rater.TEAM, score="2.0")
    [item] = teams_to_rate(situation(kol.expert))
    assert kol.kol_rsd.name in item.text and kol.kol_rm.name not in item.text
    ProgressScore.objects.create(team=kol.kol_rsd, month=last, rater=Rater.EXPERT, score="2.0")
    assert teams_to_rate(situation(kol.expert)) == []
    assert teams_to_rate(situation(kol.lead)) == []  # the lead is not in the group


@pytest.mark.clock
def test_the_expert_sees_rating_gaps_of_a_point_or_more(kol, clock) -> None:
    clock.move_to(dt.date(clock.today().year, clock.today().month, 20))
    last = clock.month(-1)
    assert rating_gaps_to_discuss(situation(kol.expert)) == []
    ProgressScore.objects.create(team=kol.kol_rm, month=last, rater=Rater.TEAM, score="1.0")
    expert = ProgressScore.objects.create(
        team=kol.kol_rm, month=last, rater=Rater.EXPERT, score="2.0"
    )
    [item] = rating_gaps_to_discuss(situation(kol.expert))
    assert item.url == reports_url(kol.kol, last) + "#gaps-heading"
    assert kol.kol_rm.name in item.text and kol.kol_rsd.name not in item.text
    expert.score = "1.5"
    expert.save()
    assert rating_gaps_to_discuss(situation(kol.expert)) == []


@pytest.mark.clock
@pytest.mark.parametrize("who", ["lead", "local_lead", "expert"])
def test_the_report_rules_queries_do_not_grow_with_the_teams(kol, clock, who) -> None:
    clock.move_to(dt.date(clock.today().year, clock.today().month, 20))
    rules = {
        "lead": [teams_without_monthly_report, proposals_waiting],
        "local_lead": [monthly_report_to_give],
        "expert": [teams_to_rate, rating_gaps_to_discuss],
    }[who]
    person = situation(getattr(kol, who))

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            items = [item for rule in rules for item in rule(person)]
        return len(queries), len(items)

    before, items = count()
    assert items  # the rules have something to say
    last = clock.month(-1)
    for _ in range(4):
        team = f.TeamFactory(
            programme=kol.kol, region=kol.regions["rm"], status=ImprovementTeam.Status.ACTIVE
        )
        ProgressScore.objects.create(team=team, month=last, rater=Rater.TEAM, score="1.0")
        ProgressScore.objects.create(team=team, month=last, rater=Rater.EXPERT, score="3.0")
        f.TeamMemberFactory(team=team, user=kol.local_lead, role="local_lead")
        propose(kol.indicator, kol.expert)
    person = situation(getattr(kol, who))
    assert count()[0] == before


@pytest.mark.clock
def test_the_coordinator_sees_the_regions_late_teams_only(kol, clock) -> None:
    clock.move_to(dt.date(clock.today().year, clock.today().month, 20))
    items = region_teams_missing_data(situation(kol.coordinator))  # Region Midtjylland
    assert [item.url for item in items] == [
        reverse("indicators:team_results", args=[kol.kol_rm.pk])
    ]
    register(kol.kol_rm, kol.indicator, clock.month(-1))
    assert region_teams_missing_data(situation(kol.coordinator)) == []


def test_the_coordinator_sees_pending_invitations(cast) -> None:
    assert pending_invitations(situation(cast.coordinator)) == []
    user_invite(
        by=cast.coordinator, email="ny@example.dk", first_name="Ny", last_name="Person",
        target=cast.kol_rm, role="member", site_url="http://testserver",
    )  # fmt: skip
    [item] = pending_invitations(situation(cast.coordinator))
    assert item.url == reverse("accounts:list") + "?status=inviteret"
    assert item.text.startswith("1 invitation")


# --- The home page per role -------------------------------------------------------------------


@pytest.mark.clock
@pytest.mark.parametrize(
    "who,sections,queries",
    [
        ("steering", [], 19),
        ("administrator", ["administrator"], 19),
        ("lead", ["lead"], 18),
        ("coordinator", ["coordinator"], 18),
        ("expert", ["expert"], 15),
        ("local_lead", ["team"], 26),
        ("nobody", [], 8),
    ],
)
def test_each_role_gets_its_sections(
    kol, clock, client, who, sections, queries, django_assert_max_num_queries
) -> None:
    clock.move_to(dt.date(clock.today().year, clock.today().month, 20))
    client.force_login(getattr(kol, who))
    with django_assert_max_num_queries(queries):  # the rules' items all present (none done)
        response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    for key in ["team", "lead", "coordinator", "expert", "administrator"]:
        assert (f'data-section="{key}"' in html) == (key in sections), key
    reads_all = who in ("steering", "administrator")
    assert ("home-overview" in html) == reads_all
    assert ("Du er ikke tilknyttet et program endnu" in html) == (who == "nobody")


@pytest.mark.clock
def test_a_person_with_several_roles_sees_each_section(kol, clock, client) -> None:
    clock.move_to(dt.date(clock.today().year, clock.today().month, 20))
    f.RegionalCoordinatorFactory(user=kol.lead, region=kol.regions["rsd"])
    client.force_login(kol.lead)
    html = client.get(reverse("home")).content.decode()
    assert 'data-section="lead"' in html and 'data-section="coordinator"' in html
    team_url = reverse("indicators:team_results", args=[kol.kol_rsd.pk])
    assert team_url in html  # the region's late team


@pytest.mark.clock
def test_the_steering_home_shows_the_running_programmes(kol, clock, client) -> None:
    client.force_login(kol.steering)
    response = client.get(reverse("home"))
    assert reverse("status:programme", args=[kol.kol.pk]) in response.content.decode()


@pytest.mark.clock
def test_the_lead_gets_both_late_data_and_missing_scores_for_one_programme(kol, clock) -> None:
    clock.move_to(dt.date(clock.today().year, clock.today().month, 20))
    [section] = todo.todo_sections(situation(kol.lead))
    texts = [item.text for item in section.items]
    assert any("mangler data" in text for text in texts)
    assert any("månedsrapporten" in text for text in texts)
