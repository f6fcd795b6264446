"""The API's response and request shapes (pydantic, via django-ninja)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class RegionOut(Schema):
    id: int
    name: str
    code: str


class ProgrammeOut(Schema):
    """A programme (LKT): every signed-in person may read its description."""

    id: int
    name: str
    slug: str
    clinical_area: str
    description: str
    aim: str
    target_population: str
    status: str
    start_date: dt.date
    end_date: dt.date
    is_cross_sector: bool
    lead_region: RegionOut
    data_deadline_day: int


class IndicatorOut(Schema):
    """An indicator with its definition: what is counted, how, and which direction is better."""

    id: int
    programme_id: int
    name: str
    kind: str
    measure: str
    definition: str
    numerator_definition: str
    denominator_definition: str
    unit: str
    multiplier: int
    better_direction: str
    target: float | None
    frequency: str
    data_source: str
    national_goal: str
    is_active: bool
    chart: str


class TeamOut(Schema):
    id: int
    programme_id: int
    name: str
    region: RegionOut
    status: str
    started_on: dt.date | None
    aim: str


class SeminarOut(Schema):
    id: int
    programme_id: int
    kind: str
    number: int | None
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    address: str
    agenda: str
    cancelled: bool


class PointOut(Schema):
    """One period of a series: what is plotted, and the limits around it."""

    period: dt.date
    value: float | None
    lcl: float | None
    ucl: float | None
    in_long_run: bool
    outside_limits: bool


class AnalysisOut(Schema):
    """One part of a series (the whole series unless split at a known change)."""

    start_period: dt.date
    chart: str
    centre_line: float | None
    baseline_points: int
    n_points: int
    n_useful: int
    longest_run: int | None
    longest_run_max: int | None
    n_crossings: int | None
    n_crossings_min: int | None
    runs_signal: bool
    sigma_signal: int
    verdict: str
    assurance: str | None
    points: list[PointOut]


class ProvisionalOut(Schema):
    """A month that does not count yet: drawn apart, outside every calculation."""

    period: dt.date
    value: float
    reported: int
    expected: int


class SeriesOut(Schema):
    """An indicator's series with the analysis the chart shows."""

    indicator_id: int
    title: str
    unit: str
    kind: str
    chart: str
    per_team: bool
    verdict: str
    verdict_label: str
    assurance: str | None
    assurance_label: str
    target: float | None
    last_value: float | None
    parts: list[AnalysisOut]
    provisional: list[ProvisionalOut]


class MeOut(Schema):
    """The token's person and the token itself."""

    email: str
    name: str
    token_name: str
    scope: str
    expires_at: dt.datetime
