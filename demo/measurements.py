"""The active programmes' measurements: one seeded series per team and indicator.

A series that has any row already is left alone, so a later run neither adds months nor
redraws figures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING

from core.months import months
from demo.dates import DataWindow, at, registered_on
from demo.series import Point, series, sustainment_series
from demo.specs import IndicatorSpec, ProgrammeDetail, TeamSpec
from indicators.models import Indicator, Measurement
from programmes.models import Programme
from teams.models import ImprovementTeam

if TYPE_CHECKING:
    from demo.loader import Loader

IMPROVING, PARTIAL = "improving", "partial"


def load_measurements(
    loader: Loader,
    programme: Programme,
    detail: ProgrammeDetail,
    teams: dict[str, ImprovementTeam],
    indicators: dict[str, Indicator],
) -> None:
    deadline_day = programme.data_deadline_day
    window = DataWindow.of(programme.start_date, programme.end_date, deadline_day, loader.today)

    def draw(seed: str, spec: IndicatorSpec, team: TeamSpec, improving: bool, n: int) -> list:
        return series(seed, spec, team.volume, improving, n)

    added = write_series(
        loader, programme, detail, (teams, indicators), lambda t: window.for_team(t.reported), draw
    )
    loader.say(f"  {programme.name}: {added} nye målinger")


def write_series(
    loader: Loader,
    programme: Programme,
    detail: ProgrammeDetail,
    rows: tuple[dict[str, ImprovementTeam], dict[str, Indicator]],
    periods_of: Callable[[TeamSpec], list[dt.date]],
    draw: Callable[[str, IndicatorSpec, TeamSpec, bool, int], list[Point]],
) -> int:
    """Every team's seeded series over its periods (`draw` makes the points), for the series
    that have no row yet; returns how many measurements were added."""
    teams, indicators = rows
    existing = set(
        Measurement.objects.filter(indicator__programme=programme).values_list(
            "team_id", "indicator_id"
        )
    )
    deadline_day = programme.data_deadline_day
    new: list[Measurement] = []
    for team_spec in detail.teams:
        team = teams[team_spec.name]
        lead = loader.users[team_spec.lead.person.address] if team_spec.lead else None
        periods = periods_of(team_spec)
        for position, spec in enumerate(detail.indicators):
            indicator = indicators[spec.name]
            if (team.pk, indicator.pk) in existing or not periods:
                continue
            improving = spec.improved is not None and (
                team_spec.profile == IMPROVING or (team_spec.profile == PARTIAL and position == 0)
            )
            seed = f"{detail.slug}|{team_spec.name}|{spec.name}"
            points = draw(seed, spec, team_spec, improving, len(periods))
            for period, point in zip(periods, points, strict=True):
                measurement = Measurement(
                    team=team,
                    indicator=indicator,
                    period_start=period,
                    numerator=point.numerator,
                    denominator=point.denominator,
                    value=point.value,
                    comment=point.comment,
                    registered_by=lead,
                )
                moment = at(registered_on(period, deadline_day, loader.today), dt.time(10))
                # simple-history's bulk_history_create reads these two.
                measurement._history_date = min(moment, loader.now)
                measurement._history_user = lead
                new.append(measurement)
    insert(new)
    return len(new)


def insert(new: list[Measurement]) -> None:
    """Insert in bulk, with realistic registration times and a first line of history each."""
    created = Measurement.objects.bulk_create(new, batch_size=500)
    # auto_now_add stamps "now" on insert; the demo wants the time each figure came in.
    by_time: dict[dt.datetime, list[int]] = defaultdict(list)
    for measurement in created:
        measurement.registered_at = measurement._history_date
        by_time[measurement.registered_at].append(measurement.pk)
    for moment, pks in by_time.items():
        Measurement.objects.filter(pk__in=pks).update(registered_at=moment)
    Measurement.history.bulk_history_create(
        created, batch_size=500, default_change_reason="Demodata"
    )


def load_sustainment_measurements(
    loader: Loader,
    programme: Programme,
    detail: ProgrammeDetail,
    teams: dict[str, ImprovementTeam],
    indicators: dict[str, Indicator],
) -> None:
    """A programme in sustainment: every LKT month, then the sustainment periods whose
    deadline has passed; a team that `slips` drifts back on its first indicator."""
    lkt = months(programme.start_date, programme.end_date)
    after = [
        period
        for period in programme.sustainment_periods(loader.today)
        if programme.period_deadline(period) < loader.today
    ]
    slipping = {t.name for t in detail.teams if t.sustainment == "slips"}
    first = detail.indicators[0].name if detail.indicators else ""

    def draw(seed: str, spec: IndicatorSpec, team: TeamSpec, improving: bool, n: int) -> list:
        before = series(seed, spec, team.volume, improving, len(lkt))
        slips = team.name in slipping and spec.name == first
        return [*before, *sustainment_series(seed, spec, team.volume, before, len(after), slips)]

    added = write_series(
        loader, programme, detail, (teams, indicators), lambda _: [*lkt, *after], draw
    )
    loader.say(f"  {programme.name}: {added} nye målinger (med fastholdelse)")
