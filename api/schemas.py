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
