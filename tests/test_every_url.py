"""Every URL of the portal × every role: the authorization walk.

The URL list comes from the resolver, so a new URL without an expectation here fails
`test_every_url_has_an_expectation`. Expectations are written by hand from what each role is
for (not copied from the role matrix), one letter per role in `ROLES` order:

    L  anonymous: redirect to the login page
    o  allowed: 200, or a 302 redirect after a POST (or a form/file answer)
    f  403: may see, may not do
    n  404: may not see
    x  410: gone (used or expired links)
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.tokens import token_create
from core.months import add_months
from seminars.materials import material_add
from teams.models import PDSACycle, PDSAState
from tests.factories import IndicatorFactory, SeminarFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "administrator",
    "steering",
    "lead",
    "coordinator",
    "expert",
    "local_lead",
    "member",
    "outsider",
    "nobody",
]

# name: [(method, expectations), ...]; objects: programme KOL (led from Region Midtjylland, the
# coordinator's region), its team in Region Midtjylland (the local lead's team), a KOL seminar
# inviting that team.
EXPECTED: dict[str, list[tuple[str, str]]] = {
    "home": [("GET", "oooooooooo")],
    "healthz": [("GET", "oooooooooo")],
    "search": [("GET", "Looooooooo")],
    "favicon": [("GET", "oooooooooo")],
    "api_docs": [("GET", "oooooooooo")],
    "login": [("GET", "oooooooooo")],
    "logout": [("POST", "oooooooooo")],
    "set_language": [("POST", "oooooooooo")],
    "programmes:list": [("GET", "Looooooooo")],
    "programmes:create": [("GET", "Loffffffff"), ("POST", "Loffffffff")],
    "programmes:detail": [("GET", "Looooooooo")],
    "programmes:edit": [("GET", "Lofoffffff"), ("POST", "Lofoffffff")],
    "programmes:status": [("GET", "Looooooooo"), ("POST", "Lofoffffff")],
    "programmes:add_goal": [("POST", "Lofoffffff")],
    "programmes:remove_goal": [("POST", "Lofoffffff")],
    "programmes:edit_goal": [("GET", "Lofoffffff"), ("POST", "Lofoffffff")],
    "programmes:move_goal": [("POST", "Lofoffffff")],
    "programmes:expert_group": [("GET", "Looooooooo"), ("POST", "Lofoffffff")],
    "programmes:search_experts": [("GET", "Lofoffffff")],
    "programmes:change_expert_role": [("POST", "Lofoffffff")],
    "programmes:remove_expert": [("POST", "Lofoffffff")],
    "programmes:sustainment": [("GET", "Looooooonn"), ("POST", "Lofoffffnn")],
    "programmes:add_sustainment_review": [("POST", "Lofoffffnn")],
    "programmes:edit_sustainment_review": [("GET", "Lofoffffnn"), ("POST", "Lofoffffnn")],
    "programmes:remove_sustainment_review": [("POST", "Lofoffffnn")],
    "teams:list": [("GET", "Looooooooo")],
    "teams:create": [("GET", "Lofoofffff"), ("POST", "Lofoofffff")],
    "teams:detail": [("GET", "Looooooonn")],
    "teams:edit": [("GET", "Lofoofffnn"), ("POST", "Lofoofffnn")],
    "teams:add_member": [("POST", "Lofoofffnn")],
    "teams:search_people": [("GET", "Lofoofffnn")],
    "teams:change_member_role": [("POST", "Lofoofffnn")],
    "teams:remove_member": [("POST", "Lofoofffnn")],
    "teams:sustainment": [("GET", "Looooooonn"), ("POST", "Loffffofnn")],
    # Only the team's formal leader approves (the cast has none on this team; see
    # tests/test_sustainment_plans.py), not even an administrator.
    "teams:approve_sustainment_plan": [("POST", "Lfffffffnn")],
    "teams:add_sustainment_log": [("POST", "Loffffofnn")],
    # PDSA cycles: read in the programme, written by the team's own members only.
    "teams:pdsa_list": [("GET", "Looooooonn")],
    "teams:pdsa_detail": [("GET", "Looooooonn")],
    "teams:pdsa_create": [("GET", "Loffffofnn"), ("POST", "Loffffofnn")],
    "teams:pdsa_edit": [("GET", "Loffffofnn"), ("POST", "Loffffofnn")],
    "seminars:calendar": [("GET", "Looooooooo")],
    "seminars:create": [("GET", "Lofoofffff"), ("POST", "Lofoofffff")],
    "seminars:detail": [("GET", "Looooooooo")],
    "seminars:edit": [("GET", "Lofoofffff"), ("POST", "Lofoofffff")],
    "seminars:cancel": [("POST", "Lofoofffff")],
    "seminars:invite": [("POST", "Lofoofffff")],
    "seminars:register": [("POST", "Lofoofofff")],
    "seminars:unregister": [("POST", "Lofoofofff")],
    "seminars:materials": [("GET", "Looooooooo"), ("POST", "Lofoofffff")],
    "seminars:material_download": [("GET", "Looooooooo")],
    "seminars:material_delete": [("POST", "Lofoofffff")],
    "accounts:list": [("GET", "Lofoofffff")],
    "accounts:invite": [("GET", "Lofoofffff"), ("POST", "Lofoofffff")],
    "accounts:deactivate": [("POST", "Loffofffff")],
    "accounts:reactivate": [("POST", "Loffofffff")],
    "accounts:resend_invitation": [("POST", "Lofoofffff")],
    "accounts:accept_invitation": [("GET", "nnnnnnnnnn")],
    "accounts:profile": [("GET", "Looooooooo"), ("POST", "Looooooooo")],
    "accounts:token_create": [("POST", "Looooooooo")],
    "accounts:token_revoke": [("POST", "Lnnnnnonnn")],
    "accounts:calendar_create": [("POST", "Looooooooo")],
    "accounts:calendar_revoke": [("POST", "Looooooooo")],
    "accounts:my_data": [("GET", "Looooooooo")],
    "accounts:two_factor_setup": [("GET", "Looooooooo"), ("POST", "Looooooooo")],
    "accounts:two_factor_verify": [("GET", "Looooooooo"), ("POST", "Looooooooo")],
    "accounts:two_factor_recovery_codes": [("GET", "Looooooooo"), ("POST", "Looooooooo")],
    "accounts:audit": [("GET", "Loffffffff")],
    "accounts:password_change": [("GET", "Looooooooo")],
    "accounts:password_change_done": [("GET", "Looooooooo")],
    "accounts:password_reset": [("GET", "oooooooooo")],
    "accounts:password_reset_done": [("GET", "oooooooooo")],
    "accounts:password_reset_confirm": [("GET", "oooooooooo")],
    "accounts:password_reset_complete": [("GET", "oooooooooo")],
    "indicators:team_results": [("GET", "Looooooonn")],
    "indicators:enter": [("GET", "Looooooonn"), ("POST", "Loffffofnn")],
    "indicators:enter_month": [("GET", "Looooooonn"), ("POST", "Loffffofnn")],
    "indicators:history": [("GET", "Looooooonn")],
    "indicators:progress_score": [("POST", "Loffffofnn")],
    "indicators:expert_score": [("POST", "Lofffoffnn")],
    "indicators:delete_score": [("POST", "Loffffofnn")],  # the team's own score of last month
    "indicators:monthly_note": [("POST", "Loffffofnn")],
    "indicators:monthly_report": [("GET", "Looooooonn")],
    "indicators:monthly_reports": [("GET", "Lonononnnn")],
    "indicators:programme_results": [("GET", "Looooooonn")],
    "indicators:programme_results_part": [("GET", "Looooooonn")],
    "indicators:chart_changes": [("GET", "Looooooonn"), ("POST", "Lofoffffnn")],
    "indicators:indicator_list": [("GET", "Looooooonn")],
    "indicators:proposal_list": [("GET", "Looooooonn")],
    "indicators:indicator_create": [("GET", "Lofofoffff"), ("POST", "Lofofoffff")],
    "indicators:indicator_detail": [("GET", "Looooooonn")],
    "indicators:indicator_edit": [("GET", "Lofofoffnn"), ("POST", "Lofofoffnn")],
    "indicators:indicator_deactivate": [("POST", "Lofoffffnn")],
    "indicators:indicator_activate": [("POST", "Lofoffffnn")],
    "indicators:indicator_delete": [("POST", "Lofoffffnn")],
    "indicators:proposal_accept": [("POST", "Lofoffffnn")],
    "indicators:proposal_decline": [("POST", "Lofoffffnn")],
    "indicators:upload": [("GET", "Loffffooof")],
    "indicators:upload_preview": [("GET", "Looooooooo")],
    "indicators:upload_confirm": [("POST", "Looooooooo")],
    "indicators:upload_cancel": [("POST", "Looooooooo")],
    "indicators:upload_template": [("GET", "Loffffooof")],
    "indicators:export_team": [("GET", "Looooooonn")],
    "indicators:export_region": [("GET", "Looooooonn")],
    "indicators:export_programme": [("GET", "Looooooonn")],
    "reminders:preferences": [("GET", "Looooooooo"), ("POST", "Looooooooo")],
    "reminders:unsubscribe": [("GET", "nnnnnnnnnn")],
    "status:overview": [("GET", "Loooofffff")],
    "status:export": [("GET", "Loooofffff")],
    "status:overview_pdf": [("GET", "Loooofffff")],
    "status:programme": [("GET", "Loooofffff")],
    "status:programme_pdf": [("GET", "Loooofffff")],
    # KOL is not in sustainment: those who may see its status get a 404 (see
    # tests/test_sustainment_views.py for the report itself).
    "status:sustainment_pdf": [("GET", "Lnnnnfffff")],
    "status:rate": [("POST", "Lofoffffff")],
    "status:ratings": [("GET", "Loooofffff")],
    "status:indicator": [("GET", "Loooofffff")],
    "status:regions": [("GET", "Loooofffff")],
    "status:region": [("GET", "Loooofffff")],
    # The driver diagram: read by everyone in the programme (a coordinator of a region with one
    # of its teams), edited by the national lead and the expert group.
    "programmes:driver_diagram": [("GET", "Looooooonn")],
    "programmes:diagram_history": [("GET", "Looooooonn")],
    "programmes:change_package": [("GET", "Looooooonn")],
    "programmes:change_idea": [("GET", "Looooooonn")],
    "programmes:diagram_edit": [("GET", "Lofofoffnn"), ("POST", "Lofofoffnn")],
    "programmes:driver_add": [("POST", "Lofofoffnn")],
    "programmes:driver_edit": [("GET", "Lofofoffnn"), ("POST", "Lofofoffnn")],
    "programmes:driver_move": [("POST", "Lofofoffnn")],
    "programmes:driver_delete": [("POST", "Lofofoffnn")],
    "programmes:idea_create": [("GET", "Lofofoffnn"), ("POST", "Lofofoffnn")],
    "programmes:idea_edit": [("GET", "Lofofoffnn"), ("POST", "Lofofoffnn")],
    "programmes:idea_move": [("POST", "Lofofoffnn")],
    "programmes:idea_delete": [("POST", "Lofofoffnn")],
    "programmes:idea_decide": [("POST", "Lofofoffnn")],
    # The learning library: everyone in the programme reads it; only team members try too.
    "programmes:learning_index": [("GET", "Looooooooo")],
    "programmes:learning": [("GET", "Looooooonn")],
    "programmes:learning_feed": [("GET", "Looooooonn")],
    "programmes:learning_pdf": [("GET", "Looooooonn")],
    "programmes:learning_try_cycle": [("POST", "Lfffffoonn")],
    "programmes:learning_try_idea": [("POST", "Lfffffoonn")],
}


# The same URLs pointed at the other programme, ADHD (led from Syddanmark; its team is the
# outsider's): its results are closed to KOL's national lead, expert and team members (404).
ANOTHER_PROGRAMME: dict[str, list[tuple[str, str]]] = {
    "programmes:sustainment": [("GET", "Loononnnon")],
    "status:programme": [("GET", "Loonofffff")],
    "status:programme_pdf": [("GET", "Loonofffff")],
    "status:sustainment_pdf": [("GET", "Lnnnnfffff")],
    "status:ratings": [("GET", "Loonofffff")],
    "status:rate": [("POST", "Lofnffffff")],
    "status:indicator": [("GET", "Loonofffff")],
    "status:region": [("GET", "Loooofffff")],  # a region is no secret; its teams are filtered
    "indicators:chart_changes": [("GET", "Loononnnon"), ("POST", "Lofnfnnnfn")],
    "indicators:monthly_reports": [("GET", "Lonnnnnnnn")],
    "indicators:indicator_detail": [("GET", "Loononnnon")],
    "indicators:indicator_edit": [("GET", "Lofnfnnnfn"), ("POST", "Lofnfnnnfn")],
    "indicators:indicator_list": [("GET", "Loononnnon")],
    "indicators:indicator_create": [("GET", "Loffffffff")],
    # ADHD's diagram: open to its own team (the outsider), closed to KOL's people and to the
    # coordinator of Midtjylland, where ADHD has no team.
    "programmes:driver_diagram": [("GET", "Loonnnnnon")],
    "programmes:change_package": [("GET", "Loonnnnnon")],
    "programmes:diagram_edit": [("GET", "Lofnnnnnfn"), ("POST", "Lofnnnnnfn")],
    "programmes:idea_create": [("GET", "Lofnnnnnfn")],
    "programmes:learning": [("GET", "Loononnnon")],
    "programmes:learning_feed": [("GET", "Loononnnon")],
    "programmes:learning_pdf": [("GET", "Loononnnon")],
    "indicators:programme_results": [("GET", "Loononnnon")],
    "indicators:programme_results_part": [("GET", "Loononnnon")],
}


def _url_names() -> set[str]:
    def walk(patterns, namespace: str | None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue  # Django's own admin guards itself (staff only)
                if pattern.namespace == "api":
                    # Operations of the REST API, walked with tokens per role from the OpenAPI
                    # schema in tests/test_api_permissions.py (sessions do not open the API).
                    continue
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns, None))


def test_every_url_has_an_expectation() -> None:
    assert _url_names() == set(EXPECTED)


class World:
    """The cast, plus the objects the URLs point at."""

    def __init__(self, cast, clock) -> None:
        self.cast = cast
        last_month = clock.month(-1)
        cast.kol.start_date = add_months(last_month, -6)
        cast.kol.end_date = add_months(last_month, 12)
        cast.kol.save()
        self.indicator = IndicatorFactory(programme=cast.kol)
        self.month = last_month.strftime("%Y-%m")
        self.goal = cast.kol.goals.create(text="Færre genindlæggelser")
        self.proposal = self.indicator.proposals.create(
            changes={"unit": ["", "%"]}, reason="Enheden mangler"
        )
        self.expert_member = cast.kol.expert_group.members.get(user=cast.expert)
        self.team_member = cast.kol_rm.members.get(user=cast.local_lead)
        self.seminar = SeminarFactory(
            programme=cast.kol, starts_at=clock.now() + dt.timedelta(days=20)
        )
        self.seminar.invited_teams.add(cast.kol_rm)
        self.own_score = cast.kol_rm.progress_scores.create(
            month=last_month, rater="team", score="2.0", comment="Godt i gang"
        )
        self.primary = cast.kol.drivers.create(title="Patienten kan klare sig hjemme")
        self.secondary = cast.kol.drivers.create(title="Handleplan", parent=self.primary)
        self.idea = cast.kol.change_ideas.create(
            title="Handleplan gennemgås", driver=self.secondary
        )
        self.idea.indicators.add(self.indicator)
        self.proposed_idea = cast.kol.change_ideas.create(
            title="Pårørende med", status="proposed", proposed_by_team=cast.kol_rm
        )
        self.registration = self.seminar.registrations.create(
            user=cast.local_lead, team=cast.kol_rm
        )
        self.review = cast.kol.sustainment_reviews.create(due_on=add_months(last_month, 20))
        self.cycle = PDSACycle.objects.create(
            team=cast.kol_rm, title="Opringning efter 48 timer", started_on=clock.today()
        )
        self.learned = PDSACycle.objects.create(
            team=cast.kol_rsd,
            title="Henvisning til rehabilitering",
            change_idea=self.idea,
            state=PDSAState.STUDIED,
            prediction="Vi forventer, at 8 af 10 bliver henvist.",
            study="9 af 10 blev henvist.",
            started_on=add_months(last_month, -2),
        )
        self.material = material_add(
            seminar=self.seminar,
            upload=SimpleUploadedFile("program.pdf", b"%PDF-1.4\n%%EOF\n"),
            kind="programme",
            title="Program",
            by=cast.lead,
        )
        self.token, _secret = token_create(
            user=cast.local_lead, name="Datavarehus", scope="read", days=30
        )

    def kwargs(self, name: str) -> dict:
        c = self.cast
        by_name = {
            "programmes:remove_goal": {"pk": c.kol.pk, "goal_pk": self.goal.pk},
            "programmes:edit_goal": {"pk": c.kol.pk, "goal_pk": self.goal.pk},
            "programmes:move_goal": {"pk": c.kol.pk, "goal_pk": self.goal.pk},
            "programmes:change_expert_role": {"pk": c.kol.pk, "member_pk": self.expert_member.pk},
            "programmes:remove_expert": {"pk": c.kol.pk, "member_pk": self.expert_member.pk},
            "programmes:edit_sustainment_review": {"pk": c.kol.pk, "review_pk": self.review.pk},
            "programmes:remove_sustainment_review": {"pk": c.kol.pk, "review_pk": self.review.pk},
            "teams:create": {"programme_pk": c.kol.pk},
            "teams:change_member_role": {"pk": c.kol_rm.pk, "member_pk": self.team_member.pk},
            "teams:remove_member": {"pk": c.kol_rm.pk, "member_pk": self.team_member.pk},
            "teams:pdsa_detail": {"pk": c.kol_rm.pk, "cycle_pk": self.cycle.pk},
            "teams:pdsa_edit": {"pk": c.kol_rm.pk, "cycle_pk": self.cycle.pk},
            "indicators:delete_score": {"pk": c.kol_rm.pk, "score_pk": self.own_score.pk},
            "seminars:create": {"programme_pk": c.kol.pk},
            "seminars:unregister": {"pk": self.seminar.pk, "registration_pk": self.registration.pk},
            "seminars:material_download": {"pk": self.seminar.pk, "material_pk": self.material.pk},
            "seminars:material_delete": {"pk": self.seminar.pk, "material_pk": self.material.pk},
            "accounts:accept_invitation": {"token": "no-such-token"},
            "accounts:token_revoke": {"pk": self.token.pk},
            "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
            "indicators:enter_month": {"pk": c.kol_rm.pk, "month": self.month},
            "indicators:chart_changes": {"pk": self.indicator.pk},
            "indicators:export_region": {"pk": c.regions["rm"].pk},
            "reminders:unsubscribe": {"token": "not-a-signed-token"},
            "status:programme": {"pk": c.kol.pk},
            "status:programme_pdf": {"pk": c.kol.pk},
            "status:sustainment_pdf": {"pk": c.kol.pk},
            "status:rate": {"pk": c.kol.pk},
            "status:ratings": {"pk": c.kol.pk},
            "status:indicator": {"pk": self.indicator.pk},
            "status:region": {"pk": c.regions["rm"].pk},
            "programmes:learning_try_cycle": {"pk": c.kol.pk, "cycle_pk": self.learned.pk},
            "programmes:learning_try_idea": {"pk": c.kol.pk, "idea_pk": self.idea.pk},
            "indicators:programme_results_part": {
                "pk": c.kol.pk,
                "indicator_pk": self.indicator.pk,
                "part": "teams",
            },
        }
        if name in by_name:
            return by_name[name]
        if name in {"programmes:driver_edit", "programmes:driver_move", "programmes:driver_delete"}:
            return {"pk": c.kol.pk, "driver_pk": self.secondary.pk}
        if name in {"programmes:change_idea", "programmes:idea_edit", "programmes:idea_move"}:
            return {"pk": c.kol.pk, "idea_pk": self.idea.pk}
        if name in {"programmes:idea_delete", "programmes:idea_decide"}:
            return {"pk": c.kol.pk, "idea_pk": self.proposed_idea.pk}
        app, _, view = name.partition(":")
        pk = {
            "programmes": c.kol.pk,
            "teams": c.kol_rm.pk,
            "seminars": self.seminar.pk,
            "accounts": c.local_lead.pk,
            "indicators": c.kol_rm.pk,
        }.get(app)
        if name in {
            "indicators:programme_results",
            "indicators:export_programme",
            "indicators:monthly_reports",
            "indicators:indicator_list",
            "indicators:proposal_list",
            "indicators:indicator_create",
        }:
            pk = c.kol.pk
        if name.startswith("indicators:indicator_") and name not in {
            "indicators:indicator_list",
            "indicators:indicator_create",
        }:
            pk = self.indicator.pk
        if name.startswith("indicators:proposal_") and name != "indicators:proposal_list":
            pk = self.proposal.pk
        try:
            return {"pk": pk} if pk and reverse(name, kwargs={"pk": pk}) else {}
        except Exception:  # noqa: BLE001 -- the URL takes no pk
            return {}

    def data(self, name: str) -> dict:
        if name in {"seminars:register"}:
            return {"register-member": self.team_member.pk}
        if name.startswith("programmes:learning_try_"):
            return {"team": self.cast.kol_rm.pk}
        return {}


CASES = [(name, method, codes) for name, rules in EXPECTED.items() for method, codes in rules]
OTHER_CASES = [
    (name, method, codes) for name, rules in ANOTHER_PROGRAMME.items() for method, codes in rules
]


@pytest.mark.clock
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "codes"), CASES, ids=[f"{n}-{m}" for n, m, _ in CASES])
def test_the_url_answers_each_role_as_expected(
    client, cast, clock, name, method, codes, role
) -> None:
    world = World(cast, clock)
    if role != "anonymous":
        client.force_login(getattr(cast, role))
    url = reverse(name, kwargs=world.kwargs(name))

    response = client.get(url) if method == "GET" else client.post(url, world.data(name))

    check(response, url, codes[ROLES.index(role)])


@pytest.mark.clock
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "codes"), OTHER_CASES, ids=[f"{n}-{m}" for n, m, _ in OTHER_CASES]
)
def test_another_programmes_url_answers_each_role_as_expected(
    client, cast, clock, name, method, codes, role
) -> None:
    World(cast, clock)
    indicator = IndicatorFactory(programme=cast.adhd)
    kwargs = {
        "status:indicator": {"pk": indicator.pk},
        "indicators:chart_changes": {"pk": indicator.pk},
        "indicators:indicator_detail": {"pk": indicator.pk},
        "indicators:indicator_edit": {"pk": indicator.pk},
        "status:region": {"pk": cast.regions["rsd"].pk},
        "indicators:programme_results_part": {
            "pk": cast.adhd.pk,
            "indicator_pk": indicator.pk,
            "part": "lkt",
        },
    }.get(name, {"pk": cast.adhd.pk})
    if role != "anonymous":
        client.force_login(getattr(cast, role))
    url = reverse(name, kwargs=kwargs)

    response = client.get(url) if method == "GET" else client.post(url, {})

    check(response, url, codes[ROLES.index(role)])


def check(response, url: str, expected: str) -> None:
    status = response.status_code
    if expected == "L":
        assert status == 302 and response.url.startswith(reverse("login")), (url, status)
    elif expected == "o":
        assert status in (200, 302), (url, status)
        if status == 302:
            assert not response.url.startswith(reverse("login")), (url, response.url)
    else:
        assert status == {"f": 403, "n": 404, "x": 410}[expected], (url, status)
