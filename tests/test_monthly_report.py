"""The IHI double rating and the monthly report: who rates what, gaps, months, deletion, the
programme's overview of who has reported, and hostile input to the new forms."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from core.months import add_months
from programmes.models import ExpertGroup
from teams.models import ImprovementTeam, MonthlyNote, ProgressScore
from teams.selectors import teams_without_monthly_report
from teams.services import monthly_note_save, progress_score_set
from tests.factories import ExpertMemberFactory, TeamFactory

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

NOTE = {
    "tried": "Tjekliste ved udskrivelse",
    "learned": "Den virker",
    "next_steps": "Hele afsnittet",
}


@pytest.fixture
def kol(cast, clock):
    """KOL running from 8 months ago to a year ahead."""
    cast.kol.start_date = add_months(clock.month(), -8)
    cast.kol.end_date = add_months(clock.month(), 12)
    cast.kol.save()
    return cast


def _own(cast, month, score="2.0", comment="Godt i gang", **extra):
    data = {"own-month": month.isoformat(), "own-score": score, "own-comment": comment}
    return {**data, **extra}


def _expert(month, score="3.0", comment="Mere end teamet tror"):
    return {"expert-month": month.isoformat(), "expert-score": score, "expert-comment": comment}


def _note(when, **changes):
    data = {f"note-{k}": v for k, v in NOTE.items()} | {"note-month": when.isoformat()}
    return data | {f"note-{k}": v for k, v in changes.items()}


def _page(client, team) -> str:
    return client.get(reverse("indicators:monthly_report", args=[team.pk])).content.decode()


# Who rates what ------------------------------------------------------------------------------


def test_the_local_lead_and_the_expert_rate_the_same_month_side_by_side(client, kol, clock):
    cast, month = kol, clock.month(-1)
    client.force_login(cast.local_lead)
    client.post(reverse("indicators:progress_score", args=[cast.kol_rm.pk]), _own(cast, month))
    client.force_login(cast.expert)
    client.post(reverse("indicators:expert_score", args=[cast.kol_rm.pk]), _expert(month))

    scores = {s.rater: s for s in ProgressScore.objects.filter(team=cast.kol_rm, month=month)}
    assert (scores["team"].score, scores["team"].set_by) == (Decimal("2.0"), cast.local_lead)
    assert (scores["expert"].score, scores["expert"].set_by) == (Decimal("3.0"), cast.expert)
    page = _page(client, cast.kol_rm)
    assert "Godt i gang" in page and "Mere end teamet tror" in page
    assert "drøftes på næste seminar" in page


@pytest.mark.parametrize("role", ["member", "lead", "coordinator", "steering", "expert"])
def test_only_the_local_lead_gives_the_teams_own_score(client, kol, clock, role):
    client.force_login(getattr(kol, role))
    url = reverse("indicators:progress_score", args=[kol.kol_rm.pk])

    response = client.post(url, _own(kol, clock.month(-1)))

    assert response.status_code == 403
    assert not ProgressScore.objects.exists()


@pytest.mark.parametrize("role", ["local_lead", "member", "lead", "coordinator", "steering"])
def test_only_the_expert_group_gives_its_score(client, kol, clock, role):
    client.force_login(getattr(kol, role))
    url = reverse("indicators:expert_score", args=[kol.kol_rm.pk])

    response = client.post(url, _expert(clock.month(-1)))

    assert response.status_code == 403
    assert not ProgressScore.objects.exists()


def test_an_expert_rates_the_teams_of_their_own_programme_only(client, kol, clock):
    other = ExpertMemberFactory(group=ExpertGroup.objects.get_or_create(programme=kol.adhd)[0])
    client.force_login(other.user)

    response = client.post(
        reverse("indicators:expert_score", args=[kol.kol_rm.pk]), _expert(clock.month(-1))
    )

    assert response.status_code == 404
    assert not ProgressScore.objects.exists()


def test_the_outsider_cannot_see_a_teams_monthly_report(client, kol):
    client.force_login(kol.outsider)

    assert client.get(reverse("indicators:monthly_report", args=[kol.kol_rm.pk])).status_code == 404


def test_the_local_lead_sees_no_expert_form_and_the_expert_no_team_forms(client, kol):
    client.force_login(kol.local_lead)
    page = _page(client, kol.kol_rm)
    assert 'name="own-score"' in page and 'name="note-tried"' in page
    assert 'name="expert-score"' not in page

    client.force_login(kol.expert)
    page = _page(client, kol.kol_rm)
    assert 'name="expert-score"' in page
    assert 'name="own-score"' not in page and 'name="note-tried"' not in page


# Gaps ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("own", "expert", "discussed"),
    [("2.0", "3.0", True), ("4.0", "2.5", True), ("2.0", "2.5", False), ("3.0", "3.0", False)],
)
def test_a_gap_of_a_whole_point_or_more_is_for_the_next_seminar(
    client, kol, clock, own, expert, discussed
):
    month = clock.month()
    progress_score_set(team=kol.kol_rm, month=month, score=own, comment="Os", by=None)
    progress_score_set(
        team=kol.kol_rm, month=month, score=expert, rater="expert", comment="Dem", by=None
    )
    client.force_login(kol.lead)

    overview = client.get(reverse("indicators:monthly_reports", args=[kol.kol.pk]))
    page = _page(client, kol.kol_rm)

    gaps = overview.context["gaps"]
    assert [(g.team, g.month) for g in gaps] == ([(kol.kol_rm, month)] if discussed else [])
    assert ("drøftes på næste seminar" in page) is discussed


def test_the_overview_lists_the_gaps_of_the_last_three_months_only(client, kol, clock):
    for n in (0, -2, -3):
        month = clock.month(n)
        progress_score_set(team=kol.kol_rm, month=month, score="1.0", comment="a", by=None)
        progress_score_set(
            team=kol.kol_rm, month=month, score="3.0", rater="expert", comment="b", by=None
        )
    client.force_login(kol.expert)

    response = client.get(reverse("indicators:monthly_reports", args=[kol.kol.pk]))

    assert [g.month for g in response.context["gaps"]] == [clock.month(), clock.month(-2)]


# Months --------------------------------------------------------------------------------------


def test_a_score_for_next_month_is_refused_in_danish(client, kol, clock):
    client.force_login(kol.local_lead)

    response = client.post(
        reverse("indicators:progress_score", args=[kol.kol_rm.pk]), _own(kol, clock.month(1))
    )

    assert response.status_code == 200
    assert not ProgressScore.objects.exists()
    assert "højst den indeværende måned" in response.context["own_form"].errors["month"][0]
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_month_choices_run_from_the_start_to_this_month(client, kol, clock):
    client.force_login(kol.local_lead)

    form = client.get(reverse("indicators:monthly_report", args=[kol.kol_rm.pk])).context[
        "own_form"
    ]

    choices = [value for value, _ in form.fields["month"].choices]
    assert choices[0] == clock.month().isoformat()
    assert choices[-1] == clock.month(-8).isoformat()
    assert len(choices) == 9


def test_a_note_for_next_month_is_refused_by_the_service_too(kol, clock):
    with pytest.raises(Exception, match="kommende måned"):
        monthly_note_save(team=kol.kol_rm, month=clock.month(1), by=None, **NOTE)
    assert not MonthlyNote.objects.exists()


# No default score ----------------------------------------------------------------------------


def test_no_score_is_chosen_in_advance_and_one_must_be_chosen(client, kol, clock):
    client.force_login(kol.local_lead)
    page = _page(client, kol.kol_rm)
    assert '<option value="" selected>' in page

    response = client.post(
        reverse("indicators:progress_score", args=[kol.kol_rm.pk]),
        _own(kol, clock.month(), score=""),
    )

    assert not ProgressScore.objects.exists()
    assert response.context["own_form"].errors["score"] == ["Vælg en score på IHI-skalaen."]


def test_a_reason_is_required(client, kol, clock):
    client.force_login(kol.expert)

    response = client.post(
        reverse("indicators:expert_score", args=[kol.kol_rm.pk]),
        _expert(clock.month(), comment="   "),
    )

    assert not ProgressScore.objects.exists()
    assert response.context["expert_form"].errors["comment"] == ["Skriv en kort begrundelse."]


# Deletion ------------------------------------------------------------------------------------


def test_the_local_lead_deletes_the_teams_score_but_not_the_experts(client, kol, clock):
    month = clock.month()
    own = progress_score_set(team=kol.kol_rm, month=month, score="2.0", by=None)
    expert = progress_score_set(team=kol.kol_rm, month=month, score="3.0", rater="expert", by=None)
    client.force_login(kol.local_lead)

    refused = client.post(reverse("indicators:delete_score", args=[kol.kol_rm.pk, expert.pk]))
    deleted = client.post(reverse("indicators:delete_score", args=[kol.kol_rm.pk, own.pk]))

    assert (refused.status_code, deleted.status_code) == (403, 302)
    assert list(ProgressScore.objects.values_list("rater", flat=True)) == ["expert"]


def test_the_expert_deletes_the_expert_score(client, kol, clock):
    expert = progress_score_set(
        team=kol.kol_rm, month=clock.month(), score="3.0", rater="expert", by=None
    )
    client.force_login(kol.expert)

    client.post(reverse("indicators:delete_score", args=[kol.kol_rm.pk, expert.pk]))

    assert not ProgressScore.objects.exists()


def test_a_score_is_deleted_only_through_its_own_team(client, kol, clock):
    own = progress_score_set(team=kol.kol_rm, month=clock.month(), score="2.0", by=None)
    client.force_login(kol.administrator)

    response = client.post(reverse("indicators:delete_score", args=[kol.kol_rsd.pk, own.pk]))

    assert response.status_code == 404
    assert ProgressScore.objects.count() == 1


def test_deleting_asks_for_a_post(client, kol, clock):
    own = progress_score_set(team=kol.kol_rm, month=clock.month(), score="2.0", by=None)
    client.force_login(kol.local_lead)

    response = client.get(reverse("indicators:delete_score", args=[kol.kol_rm.pk, own.pk]))

    assert response.status_code == 405
    assert ProgressScore.objects.count() == 1


# The note and who has reported ---------------------------------------------------------------


def test_the_local_lead_writes_the_monthly_note(client, kol, clock):
    client.force_login(kol.local_lead)

    client.post(reverse("indicators:monthly_note", args=[kol.kol_rm.pk]), _note(clock.month()))

    note = MonthlyNote.objects.get()
    assert (note.team, note.month, note.written_by) == (kol.kol_rm, clock.month(), kol.local_lead)
    assert NOTE["learned"] in _page(client, kol.kol_rm)


def test_a_note_posted_twice_is_one_note(client, kol, clock):
    client.force_login(kol.local_lead)
    url = reverse("indicators:monthly_note", args=[kol.kol_rm.pk])

    client.post(url, _note(clock.month()))
    client.post(url, _note(clock.month(), learned="Noget andet"))

    assert MonthlyNote.objects.get().learned == "Noget andet"


def test_a_note_with_a_cpr_number_is_refused(client, kol, clock):
    client.force_login(kol.local_lead)

    response = client.post(
        reverse("indicators:monthly_note", args=[kol.kol_rm.pk]),
        _note(clock.month(), tried="Patient 010190-1234 fik tjek"),
    )

    assert not MonthlyNote.objects.exists()
    assert "CPR" in " ".join(response.context["note_form"].errors["tried"])


def test_a_team_has_reported_with_its_own_score_and_its_note(kol, clock):
    month = clock.month()
    progress_score_set(team=kol.kol_rm, month=month, score="2.0", by=None)  # score only
    progress_score_set(team=kol.kol_rsd, month=month, score="2.0", by=None)
    monthly_note_save(team=kol.kol_rsd, month=month, by=None, **NOTE)  # score and note
    paused = TeamFactory(programme=kol.kol, status=ImprovementTeam.Status.PAUSED)
    kol_teams = ImprovementTeam.objects.filter(programme=kol.kol)

    missing = set(teams_without_monthly_report(month, kol_teams))
    last_month = set(teams_without_monthly_report(clock.month(-1), kol_teams))

    assert missing == {kol.kol_rm}
    assert last_month == {kol.kol_rm, kol.kol_rsd}
    assert paused not in missing


def test_the_expert_score_alone_is_no_report(kol, clock):
    month = clock.month()
    progress_score_set(team=kol.kol_rm, month=month, score="2.0", rater="expert", by=None)
    monthly_note_save(team=kol.kol_rm, month=month, by=None, **NOTE)

    assert kol.kol_rm in teams_without_monthly_report(month)


def test_teams_without_a_report_is_one_query(kol, clock, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(teams_without_monthly_report(clock.month()))


def test_the_overview_says_who_has_reported_in_a_fixed_number_of_queries(
    client, kol, clock, django_assert_max_num_queries
):
    month = clock.month()
    for n in range(12):
        team = TeamFactory(programme=kol.kol, status=ImprovementTeam.Status.ACTIVE)
        progress_score_set(team=team, month=month, score="3.0", comment="x", by=None)
        progress_score_set(team=team, month=month, score="1.5", rater="expert", by=None)
        if n % 2:
            monthly_note_save(team=team, month=month, by=None, **NOTE)
    client.force_login(kol.lead)
    url = reverse("indicators:monthly_reports", args=[kol.kol.pk])

    with django_assert_max_num_queries(14):
        response = client.get(url)

    reports = response.context["reports"]
    assert len(reports) == 14  # KOL's two teams of the cast and the twelve above
    assert response.context["reported"] == 6
    assert "6 af 14 teams har rapporteret" in response.content.decode()
    assert len(response.context["gaps"]) == 12


def test_the_overview_opens_a_teams_report_at_the_chosen_month(client, kol, clock):
    month = clock.month(-2)
    client.force_login(kol.expert)
    overview = client.get(
        reverse("indicators:monthly_reports", args=[kol.kol.pk]), {"maaned": f"{month:%Y-%m}"}
    )
    link = reverse("indicators:monthly_report", args=[kol.kol_rm.pk]) + f"?maaned={month:%Y-%m}"
    assert f'href="{link}"' in overview.content.decode()

    form = client.get(link).context["expert_form"]

    assert form["month"].value() == month.isoformat()


def test_the_overview_is_closed_to_those_outside_the_lead_and_the_expert_group(client, kol):
    url = reverse("indicators:monthly_reports", args=[kol.kol.pk])
    for role in ("steering", "coordinator", "local_lead", "member"):
        client.force_login(getattr(kol, role))
        assert client.get(url).status_code == 404, role


# The chart and the help ----------------------------------------------------------------------


@pytest.mark.parametrize(("count", "median"), [(2, False), (9, False), (10, True)])
def test_the_score_chart_draws_a_median_only_from_ten_scores(client, cast, clock, count, median):
    cast.kol.start_date = add_months(clock.month(), -12)
    cast.kol.end_date = add_months(clock.month(), 12)
    cast.kol.save()
    for n in range(count):
        score = "1.0" if n % 2 else "2.5"
        progress_score_set(team=cast.kol_rm, month=clock.month(-n), score=score, by=None)
    client.force_login(cast.member)

    page = _page(client, cast.kol_rm)

    assert page.count('class="spc-point') + page.count("spc-point ") >= 1
    assert ('class="spc-cl"' in page) is median


def test_the_page_explains_the_ihi_scale(client, kol):
    client.force_login(kol.member)

    page = _page(client, kol.kol_rm)

    assert "Om IHI-skalaen (0,5–5)" in page
    assert "Alle mål er nået, og resultaterne fastholdes i den daglige drift." in page


def test_the_page_speaks_english(client, kol, clock):
    progress_score_set(team=kol.kol_rm, month=clock.month(), score="2.0", comment="x", by=None)
    client.force_login(kol.local_lead)
    client.cookies["django_language"] = "en"

    page = _page(client, kol.kol_rm)

    assert "About the IHI scale" in page
    assert "The team's own assessment" in page
    assert "Teamets egen vurdering" not in page


# Hostile input -------------------------------------------------------------------------------

HOSTILE = [
    "",
    "\x00",
    "2025-13-01",
    "9999-12-01",
    "-1",
    "1e309",
    "a\r\nb",
    "x" * 20_000,
    "0001-01-01",
]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("field", ["month", "score", "comment"])
def test_hostile_score_input_is_refused_without_an_error_page(client, kol, clock, field, value):
    client.force_login(kol.administrator)
    data = {f"own-{field}": value} | {
        k: v for k, v in _own(kol, clock.month()).items() if k != f"own-{field}"
    }

    response = client.post(reverse("indicators:progress_score", args=[kol.kol_rm.pk]), data)

    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert not ProgressScore.objects.exists()


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("field", ["month", "tried", "next_steps"])
def test_hostile_note_input_is_refused_without_an_error_page(client, kol, clock, field, value):
    client.force_login(kol.local_lead)

    response = client.post(
        reverse("indicators:monthly_note", args=[kol.kol_rm.pk]),
        _note(clock.month(), **{field: value}),
    )

    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert not MonthlyNote.objects.exists()
    else:
        assert "\x00" not in MonthlyNote.objects.get().tried


@pytest.mark.parametrize("value", ["", "2025-13", "9999-12", "-1", "x" * 5000, "2025-01-01\r\n"])
def test_hostile_months_in_the_address_fall_back_to_this_month(client, kol, clock, value):
    client.force_login(kol.lead)

    overview = client.get(
        reverse("indicators:monthly_reports", args=[kol.kol.pk]), {"maaned": value}
    )
    page = client.get(reverse("indicators:monthly_report", args=[kol.kol_rm.pk]), {"maaned": value})

    assert (overview.status_code, page.status_code) == (200, 200)
    assert overview.context["month"] == clock.month()


def test_a_score_posted_twice_is_one_score_with_the_last_value(client, kol, clock):
    client.force_login(kol.local_lead)
    url = reverse("indicators:progress_score", args=[kol.kol_rm.pk])

    client.post(url, _own(kol, clock.month(-1), score="2.0"))
    client.post(url, _own(kol, clock.month(-1), score="2.5"))

    assert list(ProgressScore.objects.values_list("score", flat=True)) == [Decimal("2.5")]


def test_a_month_is_opened_in_the_forms_to_be_corrected(client, kol, clock):
    month = clock.month(-2)
    progress_score_set(team=kol.kol_rm, month=month, score="3.5", comment="Fint", by=None)
    monthly_note_save(team=kol.kol_rm, month=month, by=None, **NOTE)
    client.force_login(kol.local_lead)

    response = client.get(
        reverse("indicators:monthly_report", args=[kol.kol_rm.pk]),
        {"maaned": month.strftime("%Y-%m")},
    )

    own, note = response.context["own_form"], response.context["note_form"]
    assert own.initial == {"month": month.isoformat(), "score": "3.5", "comment": "Fint"}
    assert note.initial["learned"] == NOTE["learned"]
