"""The demo's reference data, read from the TOML files in demo/data/ into plain dataclasses.

Nothing here touches the database or the clock: dates stay relative (`Offset`) until the
loader places them around the day it runs.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from core.months import add_months

DATA_DIR = Path(__file__).resolve().parent / "data"
DETAIL_FILES = ("kol", "akut_kirurgi", "hoftebrud", "boernediabetes")


def read(name: str) -> dict[str, Any]:
    """One data file, parsed."""
    with (DATA_DIR / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)


@dataclass(frozen=True)
class Offset:
    """Day `day` of the month `months` months after an anchor month."""

    months: int
    day: int = 1

    @classmethod
    def of(cls, raw: dict[str, int]) -> Offset:
        return cls(raw["months"], raw.get("day", 1))

    @classmethod
    def parse(cls, raw: dict[str, int] | None) -> Offset | None:
        return None if raw is None else cls.of(raw)

    def after(self, anchor: dt.date) -> dt.date:
        month = add_months(anchor.replace(day=1), self.months)
        return month.replace(day=min(self.day, 28))


# --- People ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A fictional person with an e-mail address at the demo's domain."""

    name: str
    address: str


@dataclass(frozen=True)
class Login:
    """A demo login: one per role in the portal, all with the demo password."""

    person: Person
    role: str
    organisation: str = ""
    is_superuser: bool = False
    is_steering_group_member: bool = False


def email_for(name: str, domain: str) -> str:
    """fornavn.efternavn@domain, with æ, ø and å spelt ae, oe and aa."""
    text = name.lower()
    for letter, spelling in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("é", "e"), ("ü", "u")):
        text = text.replace(letter, spelling)
    local = re.sub(r"[^a-z0-9]+", ".", text).strip(".")
    return f"{local}@{domain}"


@dataclass(frozen=True)
class People:
    password: str
    domain: str
    logins: tuple[Login, ...]
    coordinators: dict[str, tuple[str, ...]]

    def person(self, name: str) -> Person:
        """The named person: a login's own address, or one derived from the name."""
        for login in self.logins:
            if login.person.name == name:
                return login.person
        return Person(name, email_for(name, self.domain))


@cache
def people() -> People:
    raw = read("people")
    domain = raw["email_domain"]
    logins = tuple(
        Login(
            person=Person(item["name"], f"{item['email']}@{domain}"),
            role=item["role"],
            organisation=item.get("organisation", ""),
            is_superuser=item.get("superuser", False),
            is_steering_group_member=item.get("steering_group", False),
        )
        for item in raw["logins"]
    )
    coordinators = {code: tuple(names) for code, names in raw["coordinators"].items()}
    return People(raw["password"], domain, logins, coordinators)


# --- Programmes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """A status change after creation: to `status`, on `on` after the start, for `reason`."""

    status: str
    on: Offset
    reason: str


@dataclass(frozen=True)
class ProgrammeSpec:
    """One of the ten real LKTs; `start` counts months from the current month."""

    name: str
    slug: str
    region: str
    start: int
    clinical_area: str
    created_reason: str
    target_population: str = ""
    concept: str = ""
    description: str = ""
    decided: int | None = None
    approved: int | None = None
    is_cross_sector: bool = False
    co_lead: str = ""
    history: tuple[Step, ...] = ()


@cache
def programmes() -> tuple[ProgrammeSpec, ...]:
    raw = read("programmes")
    reasons = raw["reasons"]
    return tuple(
        ProgrammeSpec(
            name=item["name"],
            slug=item["slug"],
            region=item["region"],
            start=item["start"],
            clinical_area=item["clinical_area"],
            created_reason=reasons["created"],
            target_population=item.get("target_population", ""),
            concept=item.get("concept", ""),
            description=item.get("description", ""),
            decided=item.get("decided"),
            approved=item.get("approved"),
            is_cross_sector=item.get("cross_sector", False),
            co_lead=item.get("co_lead", ""),
            history=tuple(
                Step(step["status"], Offset.of(step["on"]), reasons[step["reason"]])
                for step in item.get("history", ())
            ),
        )
        for item in raw["programmes"]
    )


# --- What lies below a programme -------------------------------------------------------------


@dataclass(frozen=True)
class Expert:
    person: Person
    role: str
    sector: str
    organisation: str = ""


@dataclass(frozen=True)
class Member:
    """A team member; `organisation` defaults to the team's first organisation."""

    person: Person
    role: str
    organisation: str = ""


@dataclass(frozen=True)
class Pdsa:
    """A PDSA cycle; `idea` is the key of a change idea in the programme's diagram, `builds_on`
    the title of an earlier cycle of the same team (a ramp)."""

    title: str
    indicator: str
    started: Offset
    ended: Offset | None
    plan: str
    do: str = ""
    study: str = ""
    act: str = ""
    state: str = "planned"
    decision: str = ""
    prediction: str = ""
    who: str = ""
    where: str = ""
    idea: str = ""
    own_idea: str = ""
    builds_on: str = ""


@dataclass(frozen=True)
class TeamSpec:
    """A local improvement team; `volume` is patients per month, `profile` its data story."""

    name: str
    region: str
    organisations: tuple[str, ...]
    members: tuple[Member, ...]
    profile: str
    volume: int
    aim: str = ""
    method: str = "mfi"
    reported: bool = False
    pdsa: tuple[Pdsa, ...] = ()
    sustainment: str = ""  # after the end date: "holds" or "slips" (programmes in sustainment)
    plan: str = ""  # the local sustainment plan: "approved", "draft" or none

    @property
    def lead(self) -> Member | None:
        return next((m for m in self.members if m.role == "local_lead"), None)


@dataclass(frozen=True)
class IndicatorSpec:
    """An indicator and the process level its synthetic data is drawn from (see the files)."""

    name: str
    kind: str
    measure: str
    definition: str
    direction: str
    baseline: float
    improved: float | None = None
    numerator: str = ""
    denominator: str = ""
    unit: str = ""
    multiplier: int = 1
    target: Decimal | None = None
    scale: float = 1.0
    data_source: str = "portal"
    national_goal: str = ""
    change: str = ""


@dataclass(frozen=True)
class SeminarSpec:
    kind: str
    number: int
    title: str
    place: str
    on: Offset
    address: str = ""
    agenda: str = ""
    teams: tuple[str, ...] | None = None  # None: every team of the programme
    starts: dt.time = dt.time(9, 30)
    ends: dt.time = dt.time(15, 30)


@dataclass(frozen=True)
class IdeaSpec:
    """A change idea; `key` is how the teams' cycles name it, `indicators` the names of the
    programme's indicators it should move."""

    key: str
    title: str
    description: str = ""
    source: str = "evidence"
    source_detail: str = ""
    indicators: tuple[str, ...] = ()


@dataclass(frozen=True)
class DriverSpec:
    """A primary driver with its secondary drivers, or a secondary driver with its ideas."""

    title: str
    description: str = ""
    children: tuple[DriverSpec, ...] = ()
    ideas: tuple[IdeaSpec, ...] = ()


@dataclass(frozen=True)
class ProposalSpec:
    """A team's own idea, proposed to the change package and not yet decided on."""

    team: str
    title: str
    description: str


@dataclass(frozen=True)
class DiagramSpec:
    aim: str
    primaries: tuple[DriverSpec, ...]
    proposals: tuple[ProposalSpec, ...] = ()


def _idea(raw: dict[str, Any]) -> IdeaSpec:
    fields = dict(raw)
    fields["indicators"] = tuple(fields.get("indicators", ()))
    return IdeaSpec(**fields)


def _diagram(raw: dict[str, Any] | None) -> DiagramSpec | None:
    if raw is None:
        return None
    return DiagramSpec(
        aim=raw["aim"],
        primaries=tuple(
            DriverSpec(
                primary["title"],
                primary.get("description", ""),
                children=tuple(
                    DriverSpec(
                        secondary["title"],
                        secondary.get("description", ""),
                        ideas=tuple(_idea(idea) for idea in secondary.get("idea", ())),
                    )
                    for secondary in primary.get("secondary", ())
                ),
            )
            for primary in raw["primary"]
        ),
        proposals=tuple(ProposalSpec(**p) for p in raw.get("proposal", ())),
    )


@dataclass(frozen=True)
class ProgrammeDetail:
    """Everything below a programme, for the three programmes shown in full."""

    slug: str
    mandate: str
    # (text, months after the start it is due, the indicator it is followed on, target value)
    goals: tuple[tuple[str, int, str, float | None], ...]
    experts: tuple[Expert, ...]
    leads: tuple[tuple[Person, str], ...]
    teams: tuple[TeamSpec, ...]
    indicators: tuple[IndicatorSpec, ...]
    seminars: tuple[SeminarSpec, ...]
    diagram: DiagramSpec | None = None


def _team(raw: dict[str, Any], cast: People) -> TeamSpec:
    return TeamSpec(
        name=raw["name"],
        region=raw["region"],
        organisations=tuple(raw["organisations"]),
        members=tuple(
            Member(cast.person(m["name"]), m["role"], m.get("organisation", ""))
            for m in raw["members"]
        ),
        profile=raw["profile"],
        volume=raw["volume"],
        aim=raw.get("aim", ""),
        method=raw.get("method", "mfi"),
        reported=raw.get("reported", False),
        sustainment=raw.get("sustainment", ""),
        plan=raw.get("plan", ""),
        pdsa=tuple(_pdsa(p) for p in raw.get("pdsa", ())),
    )


def _pdsa(raw: dict[str, Any]) -> Pdsa:
    fields = dict(raw)
    fields["indicator"] = fields.get("indicator", "")
    fields["started"] = Offset.of(fields["started"])
    fields["ended"] = Offset.parse(fields.get("ended"))
    return Pdsa(**fields)


def _indicator(raw: dict[str, Any]) -> IndicatorSpec:
    fields = dict(raw)
    if "target" in fields:
        fields["target"] = Decimal(str(fields["target"]))
    return IndicatorSpec(**fields)


def _seminar(raw: dict[str, Any]) -> SeminarSpec:
    fields = dict(raw)
    fields["on"] = Offset.of(fields["on"])
    fields["agenda"] = "\n".join(fields.get("agenda", ()))
    if "teams" in fields:
        fields["teams"] = tuple(fields["teams"])
    return SeminarSpec(**fields)


def _detail(raw: dict[str, Any], cast: People) -> ProgrammeDetail:
    return ProgrammeDetail(
        slug=raw["slug"],
        mandate=raw["mandate"],
        goals=tuple(
            (g["text"], g["due"], g.get("indicator", ""), g.get("target")) for g in raw["goals"]
        ),
        experts=tuple(
            Expert(cast.person(e["name"]), e["role"], e["sector"], e.get("organisation", ""))
            for e in raw["experts"]
        ),
        leads=tuple((cast.person(lead["name"]), lead["organisation"]) for lead in raw["leads"]),
        teams=tuple(_team(t, cast) for t in raw["teams"]),
        indicators=tuple(_indicator(i) for i in raw["indicators"]),
        seminars=tuple(_seminar(s) for s in raw["seminars"]),
        diagram=_diagram(raw.get("diagram")),
    )


@cache
def details() -> tuple[ProgrammeDetail, ...]:
    cast = people()
    return tuple(_detail(read(name), cast) for name in DETAIL_FILES)


@cache
def places() -> dict[str, Any]:
    """Regions, hospitals, departments, municipalities, health clusters, national bodies."""
    return read("places")
