"""The active programmes' measurements: one seeded series per team and indicator.

A series that has any row already is left alone, so a later run neither adds months nor
redraws figures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from core.months import months
from demo.dates import DataWindow, at, registered_on
from demo.series import series, sustainment_series
from demo.specs import ProgrammeDetail
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
    existing = set(
        Measurement.objects.filter(indicator__programme=programme).values_list(
            "team_id", "indicator_id"
        )
    )
    deadline_day = programme.data_deadline_day
    window = DataWindow.of(programme.start_date, programme.end_date, deadline_day, loader.today)
    new: list[Measurement] = []
    for team_spec in detail.teams:
        team = teams[team_spec.name]
        lead = loader.users[team_spec.lead.person.address] if team_spec.lead else None
        periods = window.for_team(team_spec.reported)
        for position, spec in enumerate(detail.indicators):
            indicator = indicators[spec.name]
            if (team.pk, indicator.pk) in existing or not periods:
                continue
            improving = spec.improved is not None and (
                team_spec.profile == IMPROVING or (team_spec.profile == PARTIAL and position == 0)
            )
            seed = f"{detail.slug}|{team_spec.name}|{spec.name}"
            points = series(seed, spec, team_spec.volume, improving, len(periods))
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
    loader.say(f"  {programme.name}: {len(new)} nye målinger")


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
    existing = set(
        Measurement.objects.filter(indicator__programme=programme).values_list(
            "team_id", "indicator_id"
        )
    )
    deadline_day = programme.data_deadline_day
    lkt_periods = months(programme.start_date, programme.end_date)
    after = [
        period
        for period in programme.sustainment_periods(loader.today)
        if programme.period_deadline(period) < loader.today
    ]
    new: list[Measurement] = []
    for team_spec in detail.teams:
        team = teams[team_spec.name]
        lead = loader.users[team_spec.lead.person.address] if team_spec.lead else None
        for position, spec in enumerate(detail.indicators):
            indicator = indicators[spec.name]
            if (team.pk, indicator.pk) in existing:
                continue
            improving = spec.improved is not None and (
                team_spec.profile == IMPROVING or (team_spec.profile == PARTIAL and position == 0)
            )
            seed = f"{detail.slug}|{team_spec.name}|{spec.name}"
            lkt = series(seed, spec, team_spec.volume, improving, len(lkt_periods))
            slips = team_spec.sustainment == "slips" and position == 0
            rest = sustainment_series(seed, spec, team_spec.volume, lkt, len(after), slips)
            for period, point in zip([*lkt_periods, *after], [*lkt, *rest], strict=True):
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
                measurement._history_date = min(moment, loader.now)
                measurement._history_user = lead
                new.append(measurement)
    insert(new)
    loader.say(f"  {programme.name}: {len(new)} nye målinger (med fastholdelse)")
