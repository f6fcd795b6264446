"""The bench's world at national scale: 30 LKTs × 40 teams × 10 indicators × 36 months.

Regions, LKTs with teams, indicators, seminars, status ratings, a change package and PDSA cycles
in every state, a steering group member, and the measurements written with COPY (a few months
never registered); then every series summary refreshed. Used by `make bench`
(bench/bench_overview.py) and by anyone timing a page on national-scale data.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import time

from bench.pg import copy_measurements

LKTS, TEAMS, INDICATORS, MONTHS = 30, 40, 10, 36
IDEAS, CYCLES = 10, 4  # change ideas per LKT, PDSA cycles per team
DECISIONS = ["adopt", "adapt", "abandon"]
REGIONS = [
    ("Region Hovedstaden", "RH"),
    ("Region Sjælland", "RSJ"),
    ("Region Syddanmark", "RSD"),
    ("Region Midtjylland", "RM"),
    ("Region Nordjylland", "RN"),
]
KINDS = ["outcome"] * 3 + ["process"] * 5 + ["balancing"] * 2
PASSWORD = "bench-password-123"  # noqa: S105 -- a throwaway database


def build_world() -> dict:
    """Regions, 30 LKTs with teams, indicators, seminars and ratings; measurements by COPY."""
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from core.months import add_months, first_of_month
    from indicators.models import Indicator
    from programmes.models import Programme, Region, StatusRating
    from seminars.models import Seminar
    from teams.models import ImprovementTeam

    rng = random.Random(20260101)
    regions = [Region.objects.create(name=name, code=code) for name, code in REGIONS]
    start = add_months(first_of_month(timezone.localdate()), -MONTHS)
    now = timezone.now()
    programmes = Programme.objects.bulk_create(
        Programme(
            name=f"LKT {n:02d}",
            slug=f"lkt-{n:02d}",
            clinical_area=f"Område {n % 7}",
            lead_region=regions[n % len(regions)],
            status=rng.choice(["active"] * 4 + ["paused", "completed"]),
            start_date=start,
            end_date=add_months(start, MONTHS + 6),
            is_cross_sector=n % 3 == 0,
        )
        for n in range(LKTS)
    )
    teams = ImprovementTeam.objects.bulk_create(
        ImprovementTeam(
            programme=p,
            region=regions[t % len(regions)],
            name=f"Team {t:02d}",
            status="active",
            started_on=start,
        )
        for p in programmes
        for t in range(TEAMS)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            programme=p,
            name=f"Indikator {i:02d}",
            kind=KINDS[i],
            measure="proportion",
            multiplier=100,
            unit="%",
            better_direction="up",
            target=80,
            order=i,
        )
        for p in programmes
        for i in range(INDICATORS)
    )
    for p in programmes:
        for k in range(4):
            begins = now + dt.timedelta(days=120 * (k - 2))
            Seminar.objects.create(
                programme=p,
                kind="learning",
                number=k + 1,
                starts_at=begins,
                ends_at=begins + dt.timedelta(hours=7),
                place="Comwell Kolding",
            )
    steering = User.objects.create_user(
        "styregruppe@example.dk", PASSWORD, is_steering_group_member=True
    )
    StatusRating.objects.bulk_create(
        StatusRating(programme=p, colour=rng.choice(["green", "yellow", "red"]), reason="Bench")
        for p in programmes
    )

    build_learning(programmes, teams, indicators, start, rng)

    months = [add_months(start, m) for m in range(MONTHS)]
    teams_of: dict[int, list] = {}
    for team in teams:
        teams_of.setdefault(team.programme_id, []).append(team)
    buffer = io.StringIO()
    stamp = now.isoformat()
    for indicator in indicators:
        shift = rng.choice([0.0, 0.0, 0.12, -0.12])  # some LKTs improve, some get worse
        for team in teams_of[indicator.programme_id]:
            level = rng.uniform(0.35, 0.75)
            for m, month in enumerate(months):
                if rng.random() < 0.03:  # a few months never registered
                    continue
                chance = min(0.98, max(0.02, level + (shift if m >= MONTHS // 2 else 0.0)))
                den = rng.randint(20, 60)
                num = min(den, max(0, round(den * (chance + rng.gauss(0, 0.05)))))
                buffer.write(
                    f"{team.pk}\t{indicator.pk}\t{month}\t{num}\t{den}\t\\N\t\t{stamp}\t{stamp}\n"
                )
    started = time.perf_counter()
    copy_measurements(buffer.getvalue())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    copied = time.perf_counter() - started
    return {
        "programme": programmes[0],
        "team": teams[0],
        "indicators": [i.pk for i in indicators],
        "indicator": indicators[0].pk,
        "steering": steering,
        "copied": copied,
    }


def build_learning(programmes, teams, indicators, start, rng) -> None:
    """The change package (IDEAS ideas per LKT, each aimed at an indicator) and CYCLES PDSA
    cycles per team, in every state, testing the package's ideas or the team's own."""
    from core.months import add_months
    from programmes.models import ChangeIdea
    from teams.models import PDSACycle

    ideas = ChangeIdea.objects.bulk_create(
        ChangeIdea(programme=p, title=f"Idé {i:02d}", description="Bench")
        for p in programmes
        for i in range(IDEAS)
    )
    ideas_of: dict[int, list] = {}
    for idea in ideas:
        ideas_of.setdefault(idea.programme_id, []).append(idea)
    indicators_of: dict[int, list] = {}
    for indicator in indicators:
        indicators_of.setdefault(indicator.programme_id, []).append(indicator)
    ChangeIdea.indicators.through.objects.bulk_create(
        ChangeIdea.indicators.through(
            changeidea_id=idea.pk, indicator_id=indicators_of[idea.programme_id][n % INDICATORS].pk
        )
        for n, idea in enumerate(ideas)
    )
    states = ["planned", "running", "studied", "decided"]
    owners = [t for t in teams for _ in range(CYCLES)]
    cycles = []
    for team in teams:
        for c in range(CYCLES):
            state = states[(team.pk + c) % len(states)]
            own = c % 4 == 3
            cycles.append(
                PDSACycle(
                    team=team,
                    title=f"Cyklus {c + 1}",
                    change_idea=None if own else rng.choice(ideas_of[team.programme_id]),
                    own_idea="Egen idé" if own else "",
                    state=state,
                    prediction="Flere får det rigtige",
                    study="Det virkede" if state in ("studied", "decided") else "",
                    decision=rng.choice(DECISIONS) if state == "decided" else "",
                    started_on=add_months(start, 3 * c + 1),
                )
            )
    cycles = PDSACycle.objects.bulk_create(cycles)
    PDSACycle.indicators.through.objects.bulk_create(
        PDSACycle.indicators.through(
            pdsacycle_id=cycle.pk, indicator_id=indicators_of[team.programme_id][n % INDICATORS].pk
        )
        for n, (cycle, team) in enumerate(zip(cycles, owners, strict=True))
    )


def refresh_all(indicator_ids: list[int]) -> float:
    from indicators.summaries import refresh_summaries

    started = time.perf_counter()
    for indicator_id in indicator_ids:
        refresh_summaries([indicator_id])
    return time.perf_counter() - started
