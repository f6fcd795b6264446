"""Each team's row on a programme's or a region's status page: its series and completeness."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from indicators.models import Indicator
from indicators.summaries import registered_in, summaries_for
from programmes.models import Programme
from status.selectors.series import SeriesStatus, series_status
from teams.models import ImprovementTeam


@dataclass
class TeamStatus:
    """One team's row on a programme's (or a region's) status page."""

    team: ImprovementTeam
    registered: int = 0
    expected: int = 0
    series: list[SeriesStatus] = field(default_factory=list)

    @property
    def completeness(self) -> int | None:
        if not self.expected:
            return None
        return min(100, round(100 * self.registered / self.expected))

    def count(self, verdict: str) -> int:
        return sum(s.verdict == verdict for s in self.series)

    @property
    def improving(self) -> int:
        return self.count("improvement")

    @property
    def deteriorating(self) -> int:
        return self.count("deterioration")

    @property
    def too_few(self) -> int:
        return self.count("too_few_data")


def team_statuses(
    teams: Sequence[ImprovementTeam],
    indicators: Sequence[Indicator],
    periods_of: Sequence[dt.date] | Callable[[Programme], Sequence[dt.date]],
) -> list[TeamStatus]:
    """Each team's series and completeness; `periods_of` is a list of months, or a function
    from a team's programme to its list of months (teams from several programmes)."""
    by_team = {team.pk: TeamStatus(team) for team in teams}
    summaries = summaries_for(
        indicators,
        team_ids=list(by_team),
        lkt=False,
        only=("verdict", "counts", "signal_side", "assurance"),
    )
    for indicator in indicators:
        for team in teams:
            if team.programme_id != indicator.programme_id:
                continue
            status = by_team[team.pk]
            summary = summaries[(indicator.pk, team.pk)]
            status.series.append(series_status(indicator, summary, team))
            periods = periods_of(team.programme) if callable(periods_of) else periods_of
            started = team.started_on.replace(day=1) if team.started_on else None
            own = [m for m in periods if started is None or m >= started]
            status.registered += min(registered_in(summary, own), len(own))
            if team.status != ImprovementTeam.Status.WITHDRAWN:
                status.expected += len(own)
    return [by_team[team.pk] for team in teams]
