"""The load's world: the demo data and team members with accounts of their own."""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass

PASSWORD = "belastning-2026-lkt"  # noqa: S105 -- throwaway accounts on a throwaway server


@dataclass
class Account:
    email: str
    team_id: int
    programme_id: int
    months: list[str]  # "YYYY-MM": this person's share of the team's months, theirs alone
    indicators: int  # active indicators of the programme: history rows per POST


def build_world(users: int) -> list[Account]:
    """The demo data and `users` team members, round-robin over the teams that collect data."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from accounts.models import User
    from indicators import selectors
    from teams.models import ImprovementTeam, TeamMember

    call_command("load_demo", "--force", verbosity=0, stdout=io.StringIO())
    teams = [
        team
        for team in ImprovementTeam.objects.select_related("programme").order_by("pk")
        if selectors.active_indicators(team.programme).exists()
        and selectors.programme_months(team.programme)
    ]
    password = make_password(PASSWORD)  # one Argon2 hash for all: the setup stays quick
    members: dict[int, list[str]] = defaultdict(list)
    for number in range(users):
        team = teams[number % len(teams)]
        email = f"belastning{number:02d}@example.dk"
        user = User.objects.create(
            email=email, first_name="Belastning", last_name=f"{number:02d}", password=password
        )
        TeamMember.objects.create(team=team, user=user, role="member")
        members[team.pk].append(email)
    accounts = []
    for team in teams:
        emails = members.get(team.pk, [])
        months = [m.strftime("%Y-%m") for m in selectors.programme_months(team.programme)]
        count = selectors.active_indicators(team.programme).count()
        for share, email in enumerate(emails):
            mine = months[share :: len(emails)]
            accounts.append(Account(email, team.pk, team.programme_id, mine, count))
    return sorted(accounts, key=lambda account: account.email)
