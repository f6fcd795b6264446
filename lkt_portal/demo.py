"""Demo data: the ten real LKTs, real regions and organisations, and only fictional people.

Regions, hospitals, municipalities and programmes are real (seed 000 and DOMAIN.md); every person
is invented and has an address at the reserved domain example.dk. Three programmes (KOL, Akut
kirurgi, Sammenhængende Hoftebrudsforløb) are filled in completely: goals, expert group, teams,
PDSA cycles, seminars, indicators and 24 months of synthetic, seeded data per team and indicator.

`load_demo` is idempotent: records are looked up by their natural keys and only written when
missing or different, existing programmes and measurements are left alone, so running it twice
changes nothing.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any, TypeVar
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import check_password, is_password_usable, make_password
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from indicators.models import CHART_FOR_MEASURE, Indicator, Measurement
from indicators.spc import analyse
from indicators.summaries import refresh_summaries
from programmes.models import (
    ExpertGroup,
    ExpertMember,
    ImprovementGoal,
    Organisation,
    Programme,
    ProgrammeLead,
    ProgrammeStatusChange,
    Region,
    RegionalCoordinator,
)
from programmes.services import programme_change_status, programme_create
from seminars.models import Registration, Seminar, SeminarInvitation
from teams.models import ImprovementTeam, PDSACycle, TeamMember

DEMO_PASSWORD = "demo-lkt-2026"  # noqa: S105 - a published demo password, by design
EMAIL_DOMAIN = "example.dk"
TZ = ZoneInfo("Europe/Copenhagen")
MONTHS = 24

M = TypeVar("M", bound=models.Model)

# Statuses, kinds and roles, short enough to keep the tables below readable.
PREPARING, ACTIVE, PAUSED, COMPLETED = (
    Programme.Status.PREPARING,
    Programme.Status.ACTIVE,
    Programme.Status.PAUSED,
    Programme.Status.COMPLETED,
)
HOSPITAL, DEPARTMENT, MUNICIPALITY = "hospital", "department", "municipality"
CHAIR, CO_CHAIR, CLINICAL, PATIENT, RELATIVE, IMPROVEMENT, DATA = (
    "chair",
    "co_chair",
    "clinical",
    "patient",
    "relative",
    "improvement",
    "data",
)
REGIONAL, MUNICIPAL, PRIMARY = "regional", "municipal", "primary"
CITIZEN, OTHER = "citizen", "other"
LEAD, MEMBER, LEADER, QUALITY = "local_lead", "member", "formal_leader", "quality_coordinator"
PROCESS, OUTCOME, BALANCING = "process", "outcome", "balancing"
PROPORTION, RATE, COUNT = "proportion", "rate", "count"
UP, DOWN = "up", "down"
LEADERSHIP, KICKOFF, LEARNING, CLOSING = "leadership", "kickoff", "learning", "closing"
# A team's data profile: every series improves, only the first indicator does, or none does.
IMPROVING, PARTIAL, STABLE = "improving", "partial", "stable"


# --------------------------------------------------------------------------------------------
# The shapes of the demo data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A fictional person; the e-mail address is derived from the name unless given."""

    name: str
    email: str = ""

    @property
    def address(self) -> str:
        return self.email or email_for(self.name)


@dataclass(frozen=True)
class Login:
    """A demo login: one per role in the portal, all with DEMO_PASSWORD."""

    person: Person
    role: str
    organisation: str = ""
    is_superuser: bool = False
    is_steering_group_member: bool = False


@dataclass(frozen=True)
class ProgrammeSpec:
    """One of the ten real LKTs and the status steps that lead to its current status."""

    name: str
    slug: str
    region: str
    start: dt.date
    clinical_area: str
    target_population: str = ""
    concept: str = ""
    description: str = ""
    decided_on: dt.date | None = None
    description_approved_on: dt.date | None = None
    is_cross_sector: bool = False
    co_lead: str = ""
    # (status, day, reason) after creation as "preparing"; the last status is the current one.
    history: tuple[tuple[str, dt.date, str], ...] = ()

    @property
    def status(self) -> str:
        return self.history[-1][0] if self.history else PREPARING


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
    title: str
    indicator: str
    started_on: dt.date
    ended_on: dt.date | None
    plan: str
    do: str = ""
    study: str = ""
    act: str = ""


@dataclass(frozen=True)
class TeamSpec:
    """A local improvement team; `volume` is its patients per month, `profile` its data story."""

    name: str
    region: str
    organisations: tuple[str, ...]
    members: tuple[Member, ...]
    profile: str
    volume: int
    aim: str = ""
    method: str = "mfi"
    pdsa: tuple[Pdsa, ...] = ()


@dataclass(frozen=True)
class IndicatorSpec:
    """An indicator and the process level its synthetic data is drawn from.

    `baseline` and `improved` are a proportion (0-1), a rate per `multiplier` units of exposure,
    or for counts the expected count per patient of the team's monthly volume. The exposure (the
    denominator) is the team's volume times `scale`. `improved=None`: the level never changes.
    """

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
    change: str = ""  # the change a team notes when its level starts to shift


@dataclass(frozen=True)
class SeminarSpec:
    """A seminar on a fixed day, or `days_ahead` of the day the demo is loaded (upcoming)."""

    kind: str
    number: int
    title: str
    place: str
    day: dt.date | None = None
    days_ahead: int | None = None
    address: str = ""
    agenda: str = ""
    teams: tuple[str, ...] | None = None  # None: every team of the programme
    starts: dt.time = dt.time(9, 30)
    ends: dt.time = dt.time(15, 30)


@dataclass(frozen=True)
class ProgrammeDetail:
    """Everything below a programme for the three programmes shown in full."""

    slug: str
    mandate: str
    goals: tuple[tuple[str, dt.date | None], ...]
    experts: tuple[Expert, ...]
    leads: tuple[tuple[Person, str], ...]
    teams: tuple[TeamSpec, ...]
    indicators: tuple[IndicatorSpec, ...]
    seminars: tuple[SeminarSpec, ...]


def email_for(name: str) -> str:
    """fornavn.efternavn@example.dk, with æ, ø and å spelt ae, oe and aa."""
    text = name.lower()
    for letter, spelling in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("é", "e"), ("ü", "u")):
        text = text.replace(letter, spelling)
    local = re.sub(r"[^a-z0-9]+", ".", text).strip(".")
    return f"{local}@{EMAIL_DOMAIN}"


def d(year: int, month: int, day: int = 1) -> dt.date:
    return dt.date(year, month, day)


# --------------------------------------------------------------------------------------------
# Regions and organisations (all real)
# --------------------------------------------------------------------------------------------

REGIONS: dict[str, str] = {
    "RH": "Region Hovedstaden",
    "RSJ": "Region Sjælland",
    "RSD": "Region Syddanmark",
    "RM": "Region Midtjylland",
    "RN": "Region Nordjylland",
}

HOSPITALS: dict[str, tuple[str, ...]] = {
    "RH": (
        "Rigshospitalet",
        "Bispebjerg og Frederiksberg Hospital",
        "Herlev og Gentofte Hospital",
        "Amager og Hvidovre Hospital",
        "Nordsjællands Hospital",
    ),
    "RSJ": (
        "Sjællands Universitetshospital",
        "Holbæk Sygehus",
        "Nykøbing F. Sygehus",
        "Næstved, Slagelse og Ringsted Sygehuse",
    ),
    "RSD": (
        "Odense Universitetshospital",
        "Sygehus Lillebælt",
        "Sydvestjysk Sygehus",
        "Sygehus Sønderjylland",
    ),
    "RM": (
        "Aarhus Universitetshospital",
        "Regionshospitalet Gødstrup",
        "Regionshospitalet Randers",
        "Hospitalsenheden Horsens",
        "Hospitalsenhed Midt",
    ),
    "RN": ("Aalborg Universitetshospital", "Regionshospital Nordjylland"),
}

# (department, hospital): the organisation is named "<department>, <hospital>".
DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("Lungesygdomme", "Aarhus Universitetshospital"),
    ("Medicinsk Afdeling", "Regionshospitalet Randers"),
    ("Medicinsk Afdeling", "Regionshospitalet Gødstrup"),
    ("Lungemedicinsk Afdeling J", "Odense Universitetshospital"),
    ("Afdeling for Lungesygdomme", "Herlev og Gentofte Hospital"),
    ("Lungemedicinsk Afdeling", "Aalborg Universitetshospital"),
    ("Medicinsk Afdeling", "Holbæk Sygehus"),
    ("Kirurgisk Afdeling", "Herlev og Gentofte Hospital"),
    ("Kirurgisk Gastroenterologisk Afdeling", "Amager og Hvidovre Hospital"),
    ("Kirurgisk Afdeling", "Nordsjællands Hospital"),
    ("Kirurgisk Afdeling", "Sjællands Universitetshospital"),
    ("Kirurgisk Afdeling A", "Odense Universitetshospital"),
    ("Kirurgisk Afdeling", "Hospitalsenhed Midt"),
    ("Kirurgisk Gastroenterologisk Afdeling", "Aalborg Universitetshospital"),
    ("Ortopædkirurgisk Afdeling", "Odense Universitetshospital"),
    ("Ortopædkirurgisk Afdeling", "Sygehus Lillebælt"),
    ("Ortopædkirurgisk Afdeling", "Aarhus Universitetshospital"),
    ("Ortopædkirurgisk Afdeling", "Regionshospitalet Randers"),
    ("Ortopædkirurgisk Afdeling", "Amager og Hvidovre Hospital"),
    ("Ortopædkirurgisk Afdeling", "Sjællands Universitetshospital"),
    ("Ortopædkirurgisk Afdeling", "Regionshospital Nordjylland"),
)

MUNICIPALITIES: dict[str, tuple[str, ...]] = {
    "RH": (
        "Københavns Kommune",
        "Frederiksberg Kommune",
        "Gentofte Kommune",
        "Hvidovre Kommune",
        "Hillerød Kommune",
    ),
    "RSJ": (
        "Roskilde Kommune",
        "Køge Kommune",
        "Næstved Kommune",
        "Slagelse Kommune",
        "Holbæk Kommune",
    ),
    "RSD": (
        "Odense Kommune",
        "Nordfyns Kommune",
        "Svendborg Kommune",
        "Kolding Kommune",
        "Vejle Kommune",
        "Fredericia Kommune",
        "Middelfart Kommune",
        "Esbjerg Kommune",
        "Aabenraa Kommune",
        "Sønderborg Kommune",
    ),
    "RM": (
        "Aarhus Kommune",
        "Randers Kommune",
        "Norddjurs Kommune",
        "Horsens Kommune",
        "Viborg Kommune",
        "Herning Kommune",
    ),
    "RN": ("Aalborg Kommune", "Hjørring Kommune", "Frederikshavn Kommune"),
}

HEALTH_CLUSTERS: dict[str, tuple[str, ...]] = {
    "RH": ("Sundhedsklynge Amager og Hvidovre",),
    "RSJ": ("Sundhedsklynge Sjælland Øst",),
    "RSD": ("Sundhedsklynge Fyn", "Sundhedsklynge Lillebælt"),
    "RM": ("Sundhedsklynge Aarhus", "Sundhedsklynge Randers"),
    "RN": ("Sundhedsklynge Vendsyssel",),
}

KL = "KL"
RKKP = "Regionernes Kliniske Kvalitetsudviklingsprogram (RKKP)"
# Nationwide organisations without a region: (name, kind).
NATIONAL_ORGANISATIONS: tuple[tuple[str, str], ...] = (
    (KL, "kl"),
    (RKKP, "other"),
    ("Lungeforeningen", "other"),
)


def dept(department: str, hospital: str) -> str:
    return f"{department}, {hospital}"


AUH, OUH, AAUH = (
    "Aarhus Universitetshospital",
    "Odense Universitetshospital",
    "Aalborg Universitetshospital",
)


# --------------------------------------------------------------------------------------------
# People: the demo logins, one per role (all fictional)
# --------------------------------------------------------------------------------------------

ADMIN = Person("Astrid Holm", f"admin@{EMAIL_DOMAIN}")
STEERING = Person("Bent Lauridsen", f"styregruppe@{EMAIL_DOMAIN}")
NATIONAL_LEAD = Person("Camilla Vestergaard", f"projektleder@{EMAIL_DOMAIN}")
COORDINATOR = Person("Dorthe Lund", f"tovholder@{EMAIL_DOMAIN}")
EXPERT = Person("Erik Brandt", f"ekspert@{EMAIL_DOMAIN}")
TEAM_MEMBER = Person("Freja Mikkelsen", f"team@{EMAIL_DOMAIN}")

DEMO_LOGINS: tuple[Login, ...] = (
    Login(ADMIN, "Administrator", "Danske Regioner", is_superuser=True),
    Login(
        STEERING, "Medlem af styregruppen", "Styregruppen for LKT", is_steering_group_member=True
    ),
    Login(NATIONAL_LEAD, "National projektleder, LKT KOL", "Region Midtjylland"),
    Login(COORDINATOR, "Regional tovholder, Region Midtjylland", "Region Midtjylland"),
    Login(EXPERT, "Ekspertgruppemedlem, LKT KOL", dept("Lungemedicinsk Afdeling J", OUH)),
    Login(
        TEAM_MEMBER, "Lokal projektleder, KOL-team i Region Midtjylland", dept("Lungesygdomme", AUH)
    ),
)

# The other regions' LKT coordinators (tovholdere); no logins.
COORDINATORS: dict[str, tuple[Person, ...]] = {
    "RH": (Person("Karen Winther"),),
    "RSJ": (Person("Torben Kjærsgaard"),),
    "RSD": (Person("Susanne Holck"),),
    "RM": (COORDINATOR,),
    "RN": (Person("Anders Mølgaard"),),
}


# --------------------------------------------------------------------------------------------
# The ten real LKTs (seed 000): lead regions and statuses as in DOMAIN.md
# --------------------------------------------------------------------------------------------

STARTED = "Fælles ledelsesseminar og kick-off er holdt, og de lokale forbedringsteams er i gang."
ENDED = (
    "LKT-perioden på to år er slut. Forbedringerne fortsætter som en del af den almindelige drift "
    "på de deltagende afdelinger."
)

PROGRAMMES: tuple[ProgrammeSpec, ...] = (
    ProgrammeSpec(
        name="Nedbringelse af tvang",
        slug="nedbringelse-af-tvang",
        region="RN",
        start=d(2027, 3),
        clinical_area="Psykiatri",
        target_population="Voksne, der indlægges i psykiatrien",
        description=(
            "Et LKT, der skal nedbringe brugen af tvang i psykiatrien gennem forebyggelse, "
            "deeskalering og bedre samarbejde med patienter, pårørende og kommuner."
        ),
        decided_on=d(2025, 12, 1),
        is_cross_sector=True,
    ),
    ProgrammeSpec(
        name="Akut kirurgi",
        slug="akut-kirurgi",
        region="RH",
        start=d(2024, 11),
        clinical_area="Akut abdominalkirurgi",
        target_population="Voksne, der opereres akut i bughulen (akut højrisiko-abdominalkirurgi)",
        description=(
            "LKT Akut kirurgi skal sikre hurtig diagnostik, rettidig operation og systematisk "
            "risikovurdering af patienter, der opereres akut i bughulen, så færre dør eller får "
            "komplikationer."
        ),
        decided_on=d(2023, 6, 1),
        description_approved_on=d(2024, 5, 1),
        history=((ACTIVE, d(2024, 12, 3), STARTED),),
    ),
    ProgrammeSpec(
        name="KOL",
        slug="kol",
        region="RM",
        start=d(2024, 9),
        clinical_area="Kronisk obstruktiv lungesygdom (KOL)",
        target_population="Borgere med KOL, der indlægges med akut forværring",
        description=(
            "LKT KOL skal give borgere med KOL et sammenhængende forløb efter en indlæggelse med "
            "akut forværring: handleplan, rygestop og lungerehabilitering, så færre genindlægges."
        ),
        decided_on=d(2023, 6, 1),
        description_approved_on=d(2024, 3, 1),
        is_cross_sector=True,  # seed 002: "Kronisk Obstruktiv Lungesygdom (KOL) (tværsektorielt)"
        history=((ACTIVE, d(2024, 10, 2), STARTED),),
    ),
    ProgrammeSpec(
        name="Sammenhængende Hoftebrudsforløb",
        slug="sammenhaengende-hoftebrudsforloeb",
        region="RSD",
        start=d(2024, 8),
        clinical_area="Hoftebrud",
        target_population="Borgere på 65 år og derover med hoftebrud",
        concept=(
            "“Kom Trygt Hjem” fra Sygehus Lillebælt kombineret med indsatser for mobilisering "
            "og genoptræning"
        ),
        description=(
            "Det første tværsektorielle LKT: hospitaler og kommuner i hospitalets optageområde "
            "forbedrer sammen forløbet for borgere på 65 år og derover med hoftebrud. Delt "
            "formandskab i ekspertgruppen og fælles projektledelse mellem Region Syddanmark og KL."
        ),
        decided_on=d(2021, 12, 1),
        description_approved_on=d(2022, 11, 1),
        is_cross_sector=True,
        co_lead=KL,
    ),
    ProgrammeSpec(
        name="ADHD",
        slug="adhd",
        region="RSD",
        start=d(2023, 9),
        clinical_area="Børne- og ungdomspsykiatri",
        target_population="Børn og unge med ADHD",
        decided_on=d(2022, 12, 1),
        description_approved_on=d(2023, 5, 1),
        history=(
            (ACTIVE, d(2023, 9, 14), STARTED),
            (
                PAUSED,
                d(2024, 6, 1),
                "Styregruppen har sat LKT'et på pause, mens indikatorerne og datagrundlaget "
                "gennemgås af ekspertgruppen.",
            ),
        ),
    ),
    ProgrammeSpec(
        name="Apopleksi",
        slug="apopleksi",
        region="RM",
        start=d(2018, 9),
        clinical_area="Apopleksi",
        target_population="Patienter med akut apopleksi",
        decided_on=d(2017, 12, 1),
        history=((ACTIVE, d(2018, 9, 20), STARTED), (COMPLETED, d(2020, 9, 1), ENDED)),
    ),
    ProgrammeSpec(
        name="Specialiseret palliation",
        slug="specialiseret-palliation",
        region="RSJ",
        start=d(2019, 3),
        clinical_area="Palliation",
        target_population="Patienter med behov for specialiseret palliativ indsats",
        decided_on=d(2018, 6, 1),
        history=((ACTIVE, d(2019, 3, 12), STARTED), (COMPLETED, d(2021, 3, 1), ENDED)),
    ),
    ProgrammeSpec(
        name="Rationel brug af antibiotika",
        slug="rationel-brug-af-antibiotika",
        region="RH",
        start=d(2018, 1),
        clinical_area="Infektionsmedicin",
        target_population="Indlagte patienter, der behandles med antibiotika",
        decided_on=d(2017, 3, 1),
        history=((ACTIVE, d(2018, 1, 23), STARTED), (COMPLETED, d(2020, 1, 1), ENDED)),
    ),
    ProgrammeSpec(
        name="Hoftenære lårbensbrud",
        slug="hoftenaere-laarbensbrud",
        region="RSD",
        start=d(2017, 9),
        clinical_area="Ortopædkirurgi",
        target_population="Patienter på 65 år og derover med hoftenært lårbensbrud",
        decided_on=d(2016, 12, 1),
        history=((ACTIVE, d(2017, 9, 19), STARTED), (COMPLETED, d(2019, 9, 1), ENDED)),
    ),
    ProgrammeSpec(
        name="Børnediabetes",
        slug="boernediabetes",
        region="RH",
        start=d(2020, 9),
        clinical_area="Pædiatri",
        target_population="Børn og unge med type 1-diabetes",
        decided_on=d(2019, 12, 1),
        history=((ACTIVE, d(2020, 9, 15), STARTED), (COMPLETED, d(2022, 9, 1), ENDED)),
    ),
)


# --------------------------------------------------------------------------------------------
# KOL (Region Midtjylland)
# --------------------------------------------------------------------------------------------

KOL = ProgrammeDetail(
    slug="kol",
    mandate=(
        "Ekspertgruppen fastlægger det kliniske indhold, målene og indikatorerne for LKT KOL og "
        "støtter de lokale teams i at indføre handleplaner, rygestop og lungerehabilitering."
    ),
    goals=(
        (
            "Mindst 90 % af patienter indlagt med KOL-forværring får tilbud om lungerehabilitering "
            "ved udskrivelse.",
            d(2026, 9),
        ),
        ("Mindst 80 % har en skriftlig handleplan for forværring ved udskrivelse.", d(2026, 9)),
        (
            "Andelen, der genindlægges inden for 30 dage, falder til 15 % eller derunder.",
            d(2026, 9),
        ),
    ),
    experts=(
        Expert(Person("Mikkel Sand"), CHAIR, REGIONAL, dept("Lungesygdomme", AUH)),
        Expert(EXPERT, CLINICAL, REGIONAL, dept("Lungemedicinsk Afdeling J", OUH)),
        Expert(
            Person("Thomas Hviid"),
            CLINICAL,
            REGIONAL,
            dept("Afdeling for Lungesygdomme", "Herlev og Gentofte Hospital"),
        ),
        Expert(Person("Nanna Friis"), CLINICAL, MUNICIPAL, "Aarhus Kommune"),
        Expert(Person("Ole Bech"), CLINICAL, PRIMARY),
        Expert(Person("Pia Thorsen"), PATIENT, CITIZEN, "Lungeforeningen"),
        Expert(Person("Rasmus Krogh"), IMPROVEMENT, REGIONAL, "Region Midtjylland"),
        Expert(Person("Sofie Damgaard"), DATA, OTHER, RKKP),
    ),
    leads=((NATIONAL_LEAD, "Region Midtjylland"),),
    teams=(
        TeamSpec(
            name="Lungesygdomme AUH + Aarhus Kommune",
            region="RM",
            organisations=(dept("Lungesygdomme", AUH), "Aarhus Kommune"),
            members=(
                Member(TEAM_MEMBER, LEAD),
                Member(Person("Gustav Bang"), MEMBER, "Aarhus Kommune"),
                Member(Person("Helle Juhl"), LEADER),
            ),
            profile=IMPROVING,
            volume=45,
            aim="Alle borgere udskrives med en handleplan og en aftale om lungerehabilitering.",
            pdsa=(
                Pdsa(
                    title="Handleplan gennemgås med patienten dagen før udskrivelse",
                    indicator="Skriftlig handleplan ved forværring",
                    started_on=d(2025, 5, 5),
                    ended_on=d(2025, 6, 13),
                    plan="Sygeplejersken gennemgår handleplanen med fem patienter på sengeafsnit "
                    "L1. Vi forventer, at mindst fire af fem får planen med hjem.",
                    do="Afprøvet med seks patienter; én blev udskrevet om aftenen uden gennemgang.",
                    study="Fem af seks fik planen med hjem. Gennemgangen tog ca. 10 minutter.",
                    act="Tilpasser: gennemgangen flyttes til stuegang og afprøves på hele "
                    "afsnittet.",
                ),
                Pdsa(
                    title="Henvisning til kommunal rehabilitering sendes ved udskrivelse",
                    indicator="Tilbud om lungerehabilitering ved udskrivelse",
                    started_on=d(2025, 8, 4),
                    ended_on=None,
                    plan="Henvisningen til Aarhus Kommunes rehabiliteringstilbud sendes "
                    "elektronisk samme dag, som patienten udskrives.",
                ),
            ),
        ),
        TeamSpec(
            name="Medicinsk Afdeling Randers + Randers Kommune",
            region="RM",
            organisations=(
                dept("Medicinsk Afdeling", "Regionshospitalet Randers"),
                "Randers Kommune",
            ),
            members=(
                Member(Person("Ib Fogh"), LEAD),
                Member(Person("Jette Borg"), MEMBER, "Randers Kommune"),
                Member(Person("Kim Lauritsen"), QUALITY),
            ),
            profile=STABLE,
            volume=30,
        ),
        TeamSpec(
            name="Medicinsk Afdeling Gødstrup + Herning Kommune",
            region="RM",
            organisations=(
                dept("Medicinsk Afdeling", "Regionshospitalet Gødstrup"),
                "Herning Kommune",
            ),
            members=(
                Member(Person("Lene Aagaard"), LEAD),
                Member(Person("Morten Falk"), MEMBER, "Herning Kommune"),
            ),
            profile=PARTIAL,
            volume=35,
        ),
        TeamSpec(
            name="Lungemedicinsk Afdeling J OUH + Odense Kommune",
            region="RSD",
            organisations=(dept("Lungemedicinsk Afdeling J", OUH), "Odense Kommune"),
            members=(
                Member(Person("Nikolaj Bro"), LEAD),
                Member(Person("Oda Lindholm"), MEMBER, "Odense Kommune"),
                Member(Person("Per Holmgaard"), LEADER),
            ),
            profile=IMPROVING,
            volume=50,
            method="lean",
            pdsa=(
                Pdsa(
                    title="Rygestopsamtale tilbydes under indlæggelsen",
                    indicator="Rygestoptilbud til rygere med KOL",
                    started_on=d(2025, 3, 3),
                    ended_on=d(2025, 4, 30),
                    plan="Alle rygere får tilbudt en kort rygestopsamtale inden for det første "
                    "døgn og en henvisning til kommunens rygestoptilbud.",
                    do="Gennemført i otte uger på to sengeafsnit.",
                    study="Andelen, der fik tilbuddet, steg fra omkring 60 % til over 85 %.",
                    act="Indføres på alle afsnit; tjeklisten lægges ind i journalen.",
                ),
            ),
        ),
        TeamSpec(
            name="Lungesygdomme Gentofte + Gentofte Kommune",
            region="RH",
            organisations=(
                dept("Afdeling for Lungesygdomme", "Herlev og Gentofte Hospital"),
                "Gentofte Kommune",
            ),
            members=(
                Member(Person("Rikke Svane"), LEAD),
                Member(Person("Simon Ravn"), MEMBER, "Gentofte Kommune"),
                Member(Person("Tina Bruun"), MEMBER),
            ),
            profile=STABLE,
            volume=40,
        ),
        TeamSpec(
            name="Lungemedicinsk Afdeling AAUH + Aalborg Kommune",
            region="RN",
            organisations=(dept("Lungemedicinsk Afdeling", AAUH), "Aalborg Kommune"),
            members=(
                Member(Person("Uffe Skytte"), LEAD),
                Member(Person("Vibeke Nørgaard"), MEMBER, "Aalborg Kommune"),
                Member(Person("Yrsa Klit"), QUALITY),
            ),
            profile=IMPROVING,
            volume=40,
        ),
        TeamSpec(
            name="Medicinsk Afdeling Holbæk + Holbæk Kommune",
            region="RSJ",
            organisations=(dept("Medicinsk Afdeling", "Holbæk Sygehus"), "Holbæk Kommune"),
            members=(
                Member(Person("Zenia Kofoed"), LEAD),
                Member(Person("Aksel Vinding"), MEMBER, "Holbæk Kommune"),
            ),
            profile=STABLE,
            volume=25,
        ),
    ),
    indicators=(
        IndicatorSpec(
            name="Tilbud om lungerehabilitering ved udskrivelse",
            kind=PROCESS,
            measure=PROPORTION,
            definition="Andel af patienter udskrevet efter indlæggelse med KOL-forværring, som "
            "ved udskrivelsen har fået tilbud om lungerehabilitering.",
            numerator="Patienter, der har fået tilbud om lungerehabilitering ved udskrivelse",
            denominator="Patienter udskrevet efter indlæggelse med KOL-forværring",
            unit="%",
            multiplier=100,
            direction=UP,
            target=Decimal(90),
            baseline=0.55,
            improved=0.85,
            change="Henvisning til rehabilitering sendes nu samme dag som udskrivelsen.",
        ),
        IndicatorSpec(
            name="Skriftlig handleplan ved forværring",
            kind=PROCESS,
            measure=PROPORTION,
            definition="Andel af patienter, der udskrives med en skriftlig handleplan for, hvad "
            "de skal gøre ved tegn på forværring.",
            numerator="Patienter udskrevet med skriftlig handleplan",
            denominator="Patienter udskrevet efter indlæggelse med KOL-forværring",
            unit="%",
            multiplier=100,
            direction=UP,
            target=Decimal(80),
            baseline=0.35,
            improved=0.75,
        ),
        IndicatorSpec(
            name="Rygestoptilbud til rygere med KOL",
            kind=PROCESS,
            measure=PROPORTION,
            definition="Andel af indlagte rygere med KOL, som har fået tilbud om rygestop.",
            numerator="Rygere, der har fået tilbud om rygestop",
            denominator="Indlagte rygere med KOL",
            unit="%",
            multiplier=100,
            direction=UP,
            target=Decimal(95),
            baseline=0.60,
            improved=0.88,
            scale=0.4,
        ),
        IndicatorSpec(
            name="Genindlæggelse inden for 30 dage",
            kind=OUTCOME,
            measure=PROPORTION,
            definition="Andel af patienter, der genindlægges akut inden for 30 dage efter "
            "udskrivelse efter en indlæggelse med KOL-forværring.",
            numerator="Patienter genindlagt akut inden for 30 dage",
            denominator="Patienter udskrevet efter indlæggelse med KOL-forværring",
            unit="%",
            multiplier=100,
            direction=DOWN,
            target=Decimal(15),
            baseline=0.24,
            improved=0.12,
            data_source="database",
            national_goal="Flere sammenhængende patientforløb",
        ),
        IndicatorSpec(
            name="Akutte indlæggelser med KOL-forværring",
            kind=BALANCING,
            measure=COUNT,
            definition="Antal akutte indlæggelser med KOL-forværring i måneden. Følges for at "
            "se, om kortere indlæggelser fører til flere akutte indlæggelser.",
            unit="indlæggelser",
            direction=DOWN,
            baseline=1.0,
        ),
    ),
    seminars=(
        SeminarSpec(
            LEADERSHIP,
            1,
            "Fælles ledelsesseminar",
            "Comwell Aarhus",
            day=d(2024, 9, 10),
            address="Værkmestergade 2, 8000 Aarhus C",
            agenda="Velkomst og baggrund for LKT KOL\nLedelsens rolle i forbedringsarbejdet"
            "\nAftaler om data og åbenhed om resultater",
        ),
        SeminarSpec(
            KICKOFF,
            1,
            "Kick-off for de lokale teams",
            "Hotel Nyborg Strand",
            day=d(2024, 10, 2),
            address="Østerøvej 2, 5800 Nyborg",
            agenda="Projektbeskrivelse, mål og indikatorer\nForbedringsmodellen og "
            "PDSA-cyklusser\nTeamenes første plan",
        ),
        SeminarSpec(
            LEARNING,
            1,
            "Læringsseminar 1",
            "Comwell Kolding",
            day=d(2025, 1, 21),
            address="Skovbrynet 1, 6000 Kolding",
            agenda="Teamenes første data\nHandleplaner i praksis\nSeriediagrammer og "
            "Anhøj-reglerne",
        ),
        SeminarSpec(
            LEARNING,
            2,
            "Læringsseminar 2",
            "Hotel Nyborg Strand",
            day=d(2025, 9, 16),
            address="Østerøvej 2, 5800 Nyborg",
            agenda="Overgangen til kommunal rehabilitering\nTeams deler erfaringer",
        ),
        SeminarSpec(
            LEARNING,
            3,
            "Læringsseminar 3",
            "Comwell Kolding",
            day=d(2026, 4, 21),
            address="Skovbrynet 1, 6000 Kolding",
            agenda="Spredning af det, der virker\nPlan for fastholdelse",
        ),
        SeminarSpec(
            CLOSING,
            1,
            "Afslutningsseminar",
            "Comwell Aarhus",
            days_ahead=10,
            address="Værkmestergade 2, 8000 Aarhus C",
            agenda="Resultater fra to års forbedringsarbejde\nFastholdelse: kriterier, "
            "roller og forankring",
        ),
    ),
)


# --------------------------------------------------------------------------------------------
# Akut kirurgi (Region Hovedstaden)
# --------------------------------------------------------------------------------------------

HGH = "Herlev og Gentofte Hospital"
AHH = "Amager og Hvidovre Hospital"

AKUT_KIRURGI = ProgrammeDetail(
    slug="akut-kirurgi",
    mandate="Ekspertgruppen fastlægger pakken af indsatser for akut højrisiko-abdominalkirurgi, "
    "målene og indikatorerne, og følger teamenes data hver måned.",
    goals=(
        (
            "Mindst 90 % af patienterne får en dokumenteret risikovurdering før operationen.",
            d(2026, 11),
        ),
        ("Mindst 80 % opereres inden for 6 timer efter beslutningen om operation.", d(2026, 11)),
        ("30-dages dødeligheden falder med en fjerdedel.", d(2026, 11)),
    ),
    experts=(
        Expert(Person("Ulla Kirkegaard"), CHAIR, REGIONAL, dept("Kirurgisk Afdeling", HGH)),
        Expert(Person("Viggo Steen"), CLINICAL, REGIONAL, dept("Kirurgisk Afdeling A", OUH)),
        Expert(
            Person("Anja Holst"),
            CLINICAL,
            REGIONAL,
            dept("Kirurgisk Gastroenterologisk Afdeling", AAUH),
        ),
        Expert(Person("Bo Kristiansen"), CLINICAL, REGIONAL, "Sjællands Universitetshospital"),
        Expert(Person("Connie Dahl"), PATIENT, CITIZEN),
        Expert(Person("Dennis Lykke"), IMPROVEMENT, REGIONAL, "Region Hovedstaden"),
        Expert(Person("Eva Munk"), DATA, OTHER, RKKP),
    ),
    leads=((Person("Henrik Gade"), "Region Hovedstaden"),),
    teams=(
        TeamSpec(
            name="Kirurgisk Afdeling, Herlev og Gentofte Hospital",
            region="RH",
            organisations=(dept("Kirurgisk Afdeling", HGH),),
            members=(
                Member(Person("Bodil Ahlers"), LEAD),
                Member(Person("Carsten Dyhr"), MEMBER),
                Member(Person("Ditte Sejer"), MEMBER),
                Member(Person("Emil Kragh"), LEADER),
            ),
            profile=IMPROVING,
            volume=24,
            pdsa=(
                Pdsa(
                    title="Risikoscore udfyldes i akutmodtagelsen",
                    indicator="Risikovurdering før operation",
                    started_on=d(2025, 4, 1),
                    ended_on=d(2025, 5, 15),
                    plan="Forvagten udfylder risikoscoren, før patienten overflyttes til "
                    "operationsgangen. Test med de næste ti patienter.",
                    do="Gennemført med 11 patienter i dagtiden.",
                    study="Ni af 11 fik en risikoscore; de to manglende var om natten.",
                    act="Udvides til aften og nat med en påmindelse i tavlen.",
                ),
                Pdsa(
                    title="Fast tid til akutte operationer på dagsprogrammet",
                    indicator="Operation inden for 6 timer efter beslutning",
                    started_on=d(2025, 6, 2),
                    ended_on=d(2025, 8, 29),
                    plan="En operationsstue holdes fri kl. 8-12 til akutte patienter.",
                    do="Afprøvet i tolv uger.",
                    study="Tiden fra beslutning til operation faldt; ingen flere aflysninger af "
                    "planlagte operationer.",
                    act="Fastholdes som fast ordning.",
                ),
            ),
        ),
        TeamSpec(
            name="Kirurgisk Gastroenterologisk Afdeling, Amager og Hvidovre Hospital",
            region="RH",
            organisations=(dept("Kirurgisk Gastroenterologisk Afdeling", AHH),),
            members=(
                Member(Person("Frida Welling"), LEAD),
                Member(Person("Georg Lundsgaard"), MEMBER),
            ),
            profile=STABLE,
            volume=26,
        ),
        TeamSpec(
            name="Kirurgisk Afdeling, Nordsjællands Hospital",
            region="RH",
            organisations=(dept("Kirurgisk Afdeling", "Nordsjællands Hospital"),),
            members=(
                Member(Person("Hanne Vedel"), LEAD),
                Member(Person("Ivan Pagh"), MEMBER),
                Member(Person("Julie Krarup"), QUALITY),
            ),
            profile=PARTIAL,
            volume=18,
        ),
        TeamSpec(
            name="Kirurgisk Afdeling, Sjællands Universitetshospital",
            region="RSJ",
            organisations=(dept("Kirurgisk Afdeling", "Sjællands Universitetshospital"),),
            members=(
                Member(Person("Kasper Engel"), LEAD),
                Member(Person("Laura Thygesen"), MEMBER),
                Member(Person("Martin Hjort"), LEADER),
            ),
            profile=IMPROVING,
            volume=20,
            method="vmps",
            pdsa=(
                Pdsa(
                    title="Geriater tilkaldes ved akut operation af ældre patienter",
                    indicator="Geriatrisk vurdering af patienter på 65 år og derover",
                    started_on=d(2025, 9, 1),
                    ended_on=None,
                    plan="Geriater tilkaldes ved indlæggelse af alle patienter på 65 år og "
                    "derover, som skal opereres akut.",
                ),
            ),
        ),
        TeamSpec(
            name="Kirurgisk Afdeling A, Odense Universitetshospital",
            region="RSD",
            organisations=(dept("Kirurgisk Afdeling A", OUH),),
            members=(
                Member(Person("Nina Boesen"), LEAD),
                Member(Person("Oliver Rask"), MEMBER),
            ),
            profile=STABLE,
            volume=24,
        ),
        TeamSpec(
            name="Kirurgisk Afdeling, Hospitalsenhed Midt",
            region="RM",
            organisations=(dept("Kirurgisk Afdeling", "Hospitalsenhed Midt"),),
            members=(
                Member(Person("Pernille Hauge"), LEAD),
                Member(Person("Rune Enevoldsen"), MEMBER),
                Member(Person("Sara Bisgaard"), MEMBER),
            ),
            profile=STABLE,
            volume=15,
        ),
        TeamSpec(
            name="Kirurgisk Gastroenterologisk Afdeling, Aalborg Universitetshospital",
            region="RN",
            organisations=(dept("Kirurgisk Gastroenterologisk Afdeling", AAUH),),
            members=(
                Member(Person("Tobias Kvist"), LEAD),
                Member(Person("Vera Nyholm"), MEMBER),
            ),
            profile=IMPROVING,
            volume=22,
        ),
    ),
    indicators=(
        IndicatorSpec(
            name="Risikovurdering før operation",
            kind=PROCESS,
            measure=PROPORTION,
            definition="Andel af patienter, der opereres akut i bughulen, med en dokumenteret "
            "risikovurdering før operationen.",
            numerator="Patienter med dokumenteret risikovurdering før operation",
            denominator="Patienter opereret akut i bughulen",
            unit="%",
            multiplier=100,
            direction=UP,
            target=Decimal(90),
            baseline=0.50,
            improved=0.90,
            change="Risikoscoren udfyldes nu i akutmodtagelsen.",
        ),
        IndicatorSpec(
            name="Operation inden for 6 timer efter beslutning",
            kind=PROCESS,
            measure=PROPORTION,
            definition="Andel af patienter, der opereres inden for 6 timer efter beslutningen om "
            "akut operation.",
            numerator="Patienter opereret inden for 6 timer",
            denominator="Patienter opereret akut i bughulen",
            unit="%",
            multiplier=100,
            direction=UP,
            target=Decimal(80),
            baseline=0.55,
            improved=0.85,
        ),
        IndicatorSpec(
            name="Geriatrisk vurdering af patienter på 65 år og derover",
            kind=PROCESS,
            measure=PROPORTION,
            definition="Andel af patienter på 65 år og derover, der vurderes af en geriater "
            "inden for det første døgn efter operationen.",
            numerator="Patienter 65+ vurderet af geriater inden for et døgn",
            denominator="Patienter 65+ opereret akut i bughulen",
            unit="%",
            multiplier=100,
            direction=UP,
            target=Decimal(80),
            baseline=0.30,
            improved=0.75,
            scale=0.6,
        ),
        IndicatorSpec(
            name="30-dages dødelighed",
            kind=OUTCOME,
            measure=PROPORTION,
            definition="Andel af patienter, der dør inden for 30 dage efter akut operation i "
            "bughulen.",
            numerator="Patienter døde inden for 30 dage efter operationen",
            denominator="Patienter opereret akut i bughulen",
            unit="%",
            multiplier=100,
            direction=DOWN,
            target=Decimal(12),
            baseline=0.16,
            data_source="database",
            national_goal="Forbedret overlevelse og patientsikkerhed",
        ),
        IndicatorSpec(
            name="Aflyste planlagte operationer",
            kind=BALANCING,
            measure=COUNT,
            definition="Antal planlagte operationer, der aflyses på grund af akutte operationer. "
            "Følges, fordi hurtigere akutte operationer kan fortrænge planlagte.",
            unit="operationer",
            direction=DOWN,
            baseline=0.25,
        ),
    ),
    seminars=(
        SeminarSpec(
            LEADERSHIP,
            1,
            "Fælles ledelsesseminar",
            "Tivoli Hotel & Congress Center",
            day=d(2024, 11, 12),
            address="Arni Magnussons Gade 2, 1577 København V",
            agenda="Hvorfor akut kirurgi?\nLedelsens opgaver i LKT'et",
        ),
        SeminarSpec(
            KICKOFF,
            1,
            "Kick-off for de lokale teams",
            "Tivoli Hotel & Congress Center",
            day=d(2024, 12, 3),
            address="Arni Magnussons Gade 2, 1577 København V",
            agenda="Pakken af indsatser\nIndikatorer og dataindsamling\nTeamenes mål",
        ),
        SeminarSpec(
            LEARNING,
            1,
            "Læringsseminar 1",
            "Hotel Nyborg Strand",
            day=d(2025, 3, 11),
            address="Østerøvej 2, 5800 Nyborg",
            agenda="Risikovurdering i praksis\nTeams præsenterer deres første PDSA",
        ),
        SeminarSpec(
            LEARNING,
            2,
            "Læringsseminar 2",
            "Comwell Kolding",
            day=d(2025, 11, 4),
            address="Skovbrynet 1, 6000 Kolding",
            agenda="Tid til operation\nSamarbejde med anæstesi og intensiv",
        ),
        SeminarSpec(
            LEARNING,
            3,
            "Læringsseminar 3",
            "Hotel Nyborg Strand",
            day=d(2026, 6, 9),
            address="Østerøvej 2, 5800 Nyborg",
            agenda="Resultater indtil nu\nFastholdelse og spredning",
        ),
        SeminarSpec(
            CLOSING,
            1,
            "Afslutningsseminar",
            "Tivoli Hotel & Congress Center",
            days_ahead=37,
            address="Arni Magnussons Gade 2, 1577 København V",
            agenda="Resultater og erfaringer\nHvordan holder vi fast?",
        ),
    ),
)


# --------------------------------------------------------------------------------------------
# Sammenhængende Hoftebrudsforløb (Region Syddanmark with KL; cross-sector; seed 004)
# --------------------------------------------------------------------------------------------

ORTHO = "Ortopædkirurgisk Afdeling"

HOFTEBRUD = ProgrammeDetail(
    slug="sammenhaengende-hoftebrudsforloeb",
    mandate="Den tværsektorielle ekspertgruppe, med delt formandskab mellem region og kommune, "
    "har udarbejdet projektbeskrivelsen og fastlægger mål og indikatorer for hele "
    "forløbet fra hospital til eget hjem.",
    goals=(
        ("Mindst 90 % af borgerne mobiliseres inden for 24 timer efter operationen.", d(2026, 8)),
        (
            "Mindst 80 % får et opfølgende hjemmebesøg inden for tre dage efter udskrivelse "
            "(Kom Trygt Hjem).",
            d(2026, 8),
        ),
        (
            "Andelen, der genindlægges inden for 30 dage, falder til 12 % eller derunder.",
            d(2026, 8),
        ),
    ),
    experts=(
        Expert(Person("Finn Overgaard"), CHAIR, REGIONAL, dept(ORTHO, OUH)),
        Expert(Person("Gitte Kjeldsen"), CO_CHAIR, MUNICIPAL, "Kolding Kommune"),
        Expert(Person("Hans Toft"), CLINICAL, REGIONAL, dept(ORTHO, AUH)),
        Expert(Person("Inge Bundgaard"), CLINICAL, MUNICIPAL, "Københavns Kommune"),
        Expert(Person("Jesper Vind"), CLINICAL, PRIMARY),
        Expert(Person("Kirsten Hald"), RELATIVE, CITIZEN),
        Expert(Person("Lasse Brix"), IMPROVEMENT, REGIONAL, "Sygehus Lillebælt"),
        Expert(Person("Maja Skov"), DATA, OTHER, RKKP),
    ),
    leads=((Person("Ida Frost"), "Region Syddanmark"), (Person("Jonas Riis"), KL)),
    teams=(
        TeamSpec(
            name="OUH + Odense + Nordfyns Kommune",
            region="RSD",
            organisations=(dept(ORTHO, OUH), "Odense Kommune", "Nordfyns Kommune"),
            members=(
                Member(Person("Karina Ebbesen"), LEAD),
                Member(Person("Lars Ottosen"), LEAD, "Odense Kommune"),
                Member(Person("Mona Skaarup"), MEMBER, "Nordfyns Kommune"),
            ),
            profile=IMPROVING,
            volume=32,
            aim="Alle borgere får besøg af en kommunal sygeplejerske inden for tre dage.",
            pdsa=(
                Pdsa(
                    title="Fælles udskrivelsessamtale med kommunen over video",
                    indicator="Opfølgende hjemmebesøg inden for 3 dage",
                    started_on=d(2025, 2, 3),
                    ended_on=d(2025, 3, 14),
                    plan="Hospitalets sygeplejerske og kommunens sygeplejerske holder en kort "
                    "videosamtale med borgeren før udskrivelsen og aftaler hjemmebesøget.",
                    do="Afprøvet med otte borgere fra Odense Kommune.",
                    study="Syv af otte fik hjemmebesøg inden for tre dage.",
                    act="Udvides til Nordfyns Kommune.",
                ),
                Pdsa(
                    title="Mobilisering samme dag som operationen",
                    indicator="Mobilisering inden for 24 timer efter operation",
                    started_on=d(2025, 4, 7),
                    ended_on=d(2025, 5, 30),
                    plan="Fysioterapeuten mobiliserer alle borgere, der er opereret før kl. 14, "
                    "samme dag.",
                    do="Gennemført på hverdage.",
                    study="Andelen mobiliseret inden for 24 timer steg; weekender halter.",
                    act="Weekendvagt for fysioterapeuter afprøves i næste cyklus.",
                ),
            ),
        ),
        TeamSpec(
            name="Sygehus Lillebælt + Kolding + Vejle Kommune",
            region="RSD",
            organisations=(dept(ORTHO, "Sygehus Lillebælt"), "Kolding Kommune", "Vejle Kommune"),
            members=(
                Member(Person("Nadia Kjær"), LEAD),
                Member(Person("Otto Guldager"), LEAD, "Kolding Kommune"),
                Member(Person("Pia Strøm"), MEMBER, "Vejle Kommune"),
                Member(Person("Rolf Dam"), LEADER),
            ),
            profile=IMPROVING,
            volume=30,
            pdsa=(
                Pdsa(
                    title="Opfølgningsopkald dagen efter udskrivelse",
                    indicator="Genindlæggelse inden for 30 dage",
                    started_on=d(2025, 1, 13),
                    ended_on=None,
                    plan="Afsnittet ringer til borgeren dagen efter udskrivelsen og spørger til "
                    "smerter, medicin og toiletbesøg.",
                ),
            ),
        ),
        TeamSpec(
            name="AUH + Aarhus Kommune",
            region="RM",
            organisations=(dept(ORTHO, AUH), "Aarhus Kommune"),
            members=(
                Member(Person("Signe Dalsgaard"), LEAD),
                Member(Person("Troels Fisker"), LEAD, "Aarhus Kommune"),
                Member(Person("Ulrik Mose"), MEMBER),
            ),
            profile=STABLE,
            volume=32,
        ),
        TeamSpec(
            name="Regionshospitalet Randers + Randers + Norddjurs Kommune",
            region="RM",
            organisations=(
                dept(ORTHO, "Regionshospitalet Randers"),
                "Randers Kommune",
                "Norddjurs Kommune",
            ),
            members=(
                Member(Person("Winnie Hedegaard"), LEAD),
                Member(Person("Asger Lynge"), LEAD, "Randers Kommune"),
                Member(Person("Britt Sloth"), MEMBER, "Norddjurs Kommune"),
            ),
            profile=PARTIAL,
            volume=20,
        ),
        TeamSpec(
            name="Amager og Hvidovre Hospital + Hvidovre + Københavns Kommune",
            region="RH",
            organisations=(dept(ORTHO, AHH), "Hvidovre Kommune", "Københavns Kommune"),
            members=(
                Member(Person("Christel Bøgh"), LEAD),
                Member(Person("Dan Wessel"), LEAD, "Hvidovre Kommune"),
                Member(Person("Elin Greve"), MEMBER, "Københavns Kommune"),
            ),
            profile=STABLE,
            volume=36,
        ),
        TeamSpec(
            name="SUH Køge + Køge + Roskilde Kommune",
            region="RSJ",
            organisations=(
                dept(ORTHO, "Sjællands Universitetshospital"),
                "Køge Kommune",
                "Roskilde Kommune",
            ),
            members=(
                Member(Person("Flemming Holt"), LEAD),
                Member(Person("Grethe Mørch"), LEAD, "Roskilde Kommune"),
            ),
            profile=STABLE,
            volume=26,
        ),
        TeamSpec(
            name="Regionshospital Nordjylland + Hjørring + Frederikshavn Kommune",
            region="RN",
            organisations=(
                dept(ORTHO, "Regionshospital Nordjylland"),
                "Hjørring Kommune",
                "Frederikshavn Kommune",
            ),
            members=(
                Member(Person("Hjalte Ring"), LEAD),
                Member(Person("Iben Toldstrup"), LEAD, "Hjørring Kommune"),
                Member(Person("Jakob Lerche"), MEMBER, "Frederikshavn Kommune"),
            ),
            profile=IMPROVING,
            volume=24,
        ),
    ),
    indicators=(
        IndicatorSpec(
            name="Mobilisering inden for 24 timer efter operation",
            kind=PROCESS,
            measure=PROPORTION,
            definition="Andel af borgere på 65 år og derover med hoftebrud, der mobiliseres til "
            "stående eller gående inden for 24 timer efter operationen.",
            numerator="Borgere mobiliseret inden for 24 timer",
            denominator="Borgere 65+ opereret for hoftebrud",
            unit="%",
            multiplier=100,
            direction=UP,
            target=Decimal(90),
            baseline=0.62,
            improved=0.90,
            change="Fysioterapeuten mobiliserer nu samme dag som operationen.",
        ),
        IndicatorSpec(
            name="Opfølgende hjemmebesøg inden for 3 dage",
            kind=PROCESS,
            measure=PROPORTION,
            definition="Andel af borgere, der får et opfølgende hjemmebesøg af kommunen inden "
            "for tre dage efter udskrivelse (Kom Trygt Hjem).",
            numerator="Borgere med hjemmebesøg inden for tre dage",
            denominator="Borgere 65+ udskrevet til eget hjem efter hoftebrud",
            unit="%",
            multiplier=100,
            direction=UP,
            target=Decimal(80),
            baseline=0.30,
            improved=0.75,
            scale=0.8,
        ),
        IndicatorSpec(
            name="Genoptræningsplan modtaget ved udskrivelse",
            kind=PROCESS,
            measure=PROPORTION,
            definition="Andel af borgere, hvor kommunen har modtaget genoptræningsplanen senest "
            "på udskrivelsesdagen.",
            numerator="Borgere, hvis genoptræningsplan er modtaget senest ved udskrivelsen",
            denominator="Borgere 65+ udskrevet efter hoftebrud",
            unit="%",
            multiplier=100,
            direction=UP,
            target=Decimal(95),
            baseline=0.70,
            improved=0.94,
        ),
        IndicatorSpec(
            name="Genindlæggelse inden for 30 dage",
            kind=OUTCOME,
            measure=PROPORTION,
            definition="Andel af borgere, der genindlægges akut inden for 30 dage efter "
            "udskrivelse.",
            numerator="Borgere genindlagt akut inden for 30 dage",
            denominator="Borgere 65+ udskrevet efter hoftebrud",
            unit="%",
            multiplier=100,
            direction=DOWN,
            target=Decimal(12),
            baseline=0.20,
            improved=0.09,
            data_source="database",
            national_goal="Flere sammenhængende patientforløb",
        ),
        IndicatorSpec(
            name="Fald under indlæggelse",
            kind=BALANCING,
            measure=RATE,
            definition="Antal fald på afsnittet pr. 1.000 sengedage. Følges, fordi tidlig "
            "mobilisering kan give flere fald.",
            numerator="Fald registreret som utilsigtet hændelse",
            denominator="Sengedage på afsnittet",
            unit="pr. 1.000 sengedage",
            multiplier=1000,
            direction=DOWN,
            target=Decimal(5),
            baseline=7.0,
            scale=30,
        ),
    ),
    seminars=(
        SeminarSpec(
            LEADERSHIP,
            1,
            "Fælles ledelsesseminar for hospitaler og kommuner",
            "Hotel Nyborg Strand",
            day=d(2024, 8, 27),
            address="Østerøvej 2, 5800 Nyborg",
            agenda="Et tværsektorielt LKT: delt formandskab og fælles projektledelse\n"
            "Kom Trygt Hjem\nLedelsens opgaver på tværs af sektorer",
        ),
        SeminarSpec(
            KICKOFF,
            1,
            "Lokalt kick-off – Fyn og Lillebælt",
            "Odense Universitetshospital",
            day=d(2024, 9, 5),
            starts=dt.time(12),
            ends=dt.time(16),
            teams=(
                "OUH + Odense + Nordfyns Kommune",
                "Sygehus Lillebælt + Kolding + Vejle Kommune",
            ),
        ),
        SeminarSpec(
            KICKOFF,
            2,
            "Lokalt kick-off – Midtjylland",
            "Aarhus Universitetshospital",
            day=d(2024, 9, 12),
            starts=dt.time(12),
            ends=dt.time(16),
            teams=(
                "AUH + Aarhus Kommune",
                "Regionshospitalet Randers + Randers + Norddjurs Kommune",
            ),
        ),
        SeminarSpec(
            KICKOFF,
            3,
            "Lokalt kick-off – Hovedstaden og Sjælland",
            "Amager og Hvidovre Hospital",
            day=d(2024, 9, 19),
            starts=dt.time(12),
            ends=dt.time(16),
            teams=(
                "Amager og Hvidovre Hospital + Hvidovre + Københavns Kommune",
                "SUH Køge + Køge + Roskilde Kommune",
            ),
        ),
        SeminarSpec(
            KICKOFF,
            4,
            "Lokalt kick-off – Nordjylland",
            "Regionshospital Nordjylland",
            day=d(2024, 9, 24),
            starts=dt.time(12),
            ends=dt.time(16),
            teams=("Regionshospital Nordjylland + Hjørring + Frederikshavn Kommune",),
        ),
        SeminarSpec(
            LEARNING,
            1,
            "Læringsseminar 1",
            "Comwell Kolding",
            day=d(2024, 11, 26),
            address="Skovbrynet 1, 6000 Kolding",
            agenda="Overgangen fra hospital til hjem\nFørste data og PDSA-cyklusser",
        ),
        SeminarSpec(
            LEARNING,
            2,
            "Læringsseminar 2",
            "Trinity Hotel og Konferencecenter",
            day=d(2025, 6, 3),
            address="Gl. Færgevej 30, 7000 Fredericia",
            agenda="Mobilisering og genoptræning\nTeams lærer af hinanden",
        ),
        SeminarSpec(
            LEARNING,
            3,
            "Læringsseminar 3",
            "Comwell Kolding",
            day=d(2026, 2, 24),
            address="Skovbrynet 1, 6000 Kolding",
            agenda="Resultater på tværs af sektorer\nFastholdelseskriterier",
        ),
        SeminarSpec(
            CLOSING,
            1,
            "Afslutningsseminar",
            "Hotel Nyborg Strand",
            days_ahead=51,
            address="Østerøvej 2, 5800 Nyborg",
            agenda="To års tværsektorielt samarbejde\nForankring i sundhedsklyngerne",
        ),
    ),
)

DETAILS: tuple[ProgrammeDetail, ...] = (KOL, AKUT_KIRURGI, HOFTEBRUD)


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------

SUMMARY_MODELS: tuple[type[models.Model], ...] = (
    User,
    Region,
    Organisation,
    Programme,
    ProgrammeStatusChange,
    ImprovementGoal,
    ExpertGroup,
    ExpertMember,
    ProgrammeLead,
    RegionalCoordinator,
    ImprovementTeam,
    TeamMember,
    PDSACycle,
    Seminar,
    SeminarInvitation,
    Registration,
    Indicator,
    Measurement,
)


@dataclass(frozen=True)
class DemoSummary:
    """Rows per model after loading, the rows this run added, and the demo logins."""

    counts: dict[str, int]
    added: dict[str, int]
    logins: tuple[Login, ...] = DEMO_LOGINS
    password: str = DEMO_PASSWORD

    @property
    def total_added(self) -> int:
        return sum(self.added.values())

    def rows(self) -> list[tuple[str, int, int]]:
        """(Danish plural name, rows, rows added) per model, in SUMMARY_MODELS order."""
        return [
            (
                _capitalised(str(model._meta.verbose_name_plural)),
                self.counts[model._meta.label],
                self.added[model._meta.label],
            )
            for model in SUMMARY_MODELS
        ]


@dataclass
class _Loader:
    today: dt.date
    out: IO[str] | None
    regions: dict[str, Region] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    programmes: dict[str, Programme] = field(default_factory=dict)
    _password_hash: str = ""

    def say(self, text: str) -> None:
        if self.out is not None:
            self.out.write(text + "\n")

    def run(self) -> None:
        self.load_regions_and_organisations()
        self.load_logins()
        for region, people in COORDINATORS.items():
            for person in people:
                user = self.user(person, f"LKT-tovholder, {REGIONS[region]}")
                RegionalCoordinator.objects.get_or_create(region=self.regions[region], user=user)
        for spec in PROGRAMMES:
            self.load_programme(spec)
        for detail in DETAILS:
            self.load_detail(detail)

    # Regions, organisations and people ------------------------------------------------------

    def load_regions_and_organisations(self) -> None:
        for code, name in REGIONS.items():
            self.regions[code] = upsert(Region, {"name": name}, code=code)[0]
            self.organisation(name, "region", code)
        for code, names in HOSPITALS.items():
            for name in names:
                self.organisation(name, HOSPITAL, code)
        for department, hospital in DEPARTMENTS:
            parent = self.organisations[hospital]
            self.organisation(dept(department, hospital), DEPARTMENT, None, parent=parent)
        for kind, table in ((MUNICIPALITY, MUNICIPALITIES), ("health_cluster", HEALTH_CLUSTERS)):
            for code, names in table.items():
                for name in names:
                    self.organisation(name, kind, code)
        for name, kind in NATIONAL_ORGANISATIONS:
            self.organisation(name, kind, None)

    def organisation(
        self, name: str, kind: str, region: str | None, parent: Organisation | None = None
    ) -> Organisation:
        if parent is not None:
            region_obj = parent.region
        else:
            region_obj = self.regions[region] if region else None
        defaults = {"region": region_obj, "parent": parent}
        self.organisations[name] = upsert(Organisation, defaults, name=name, kind=kind)[0]
        return self.organisations[name]

    def user(self, person: Person, organisation_text: str = "", **flags: bool) -> User:
        """The person's user, created with an unusable password (load_logins sets the demo's)."""
        email = person.address
        if email in self.users and not flags:
            return self.users[email]
        first, _, last = person.name.rpartition(" ")
        defaults: dict[str, Any] = {"first_name": first, "last_name": last, **flags}
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, organisation_text=organisation_text, **defaults)
            user.set_unusable_password()
            _validate(user)
            user.save()
        else:
            changed = [k for k, v in defaults.items() if getattr(user, k) != v]
            for name in changed:
                setattr(user, name, defaults[name])
            if changed:
                user.save(update_fields=changed)
        self.users[email] = user
        return user

    def load_logins(self) -> None:
        users = [
            self.user(
                login.person,
                login.organisation,
                is_superuser=login.is_superuser,
                is_staff=login.is_superuser,
                is_steering_group_member=login.is_steering_group_member,
            )
            for login in DEMO_LOGINS
        ]
        # Hashing is slow on purpose: hash once, and check each distinct stored hash once.
        verdicts: dict[str, bool] = {}
        for user in users:
            if user.password not in verdicts:
                verdicts[user.password] = is_password_usable(user.password) and check_password(
                    DEMO_PASSWORD, user.password
                )
            if not verdicts[user.password]:
                if not self._password_hash:
                    self._password_hash = make_password(DEMO_PASSWORD)
                    verdicts[self._password_hash] = True
                user.password = self._password_hash
                user.save(update_fields=["password"])

    # Programmes -----------------------------------------------------------------------------

    def load_programme(self, spec: ProgrammeSpec) -> None:
        existing = Programme.objects.filter(Q(slug=spec.slug) | Q(name=spec.name)).first()
        if existing is not None:
            self.programmes[spec.slug] = existing
            self.say(f"  {spec.name}: findes allerede – springes over")
            return
        admin = self.users[ADMIN.address]
        programme = programme_create(
            by=admin,
            reason="Styregruppen for LKT har besluttet at etablere LKT'et.",
            name=spec.name,
            slug=spec.slug,
            clinical_area=spec.clinical_area,
            description=spec.description,
            target_population=spec.target_population,
            concept=spec.concept,
            lead_region=self.regions[spec.region],
            co_lead=self.organisations[spec.co_lead] if spec.co_lead else None,
            is_cross_sector=spec.is_cross_sector,
            start_date=spec.start,
            decided_on=spec.decided_on,
            description_approved_on=spec.description_approved_on,
        )
        created_on = spec.decided_on or spec.start - dt.timedelta(days=180)
        programme.status_changes.update(changed_at=at(created_on, dt.time(9)))
        for status, day, reason in spec.history:
            change = programme_change_status(
                programme=programme, status=status, by=admin, reason=reason
            )
            ProgrammeStatusChange.objects.filter(pk=change.pk).update(
                changed_at=at(day, dt.time(9))
            )
        self.programmes[spec.slug] = programme
        self.say(f"  {spec.name}: oprettet ({programme.get_status_display()})")

    def load_detail(self, detail: ProgrammeDetail) -> None:
        programme = self.programmes[detail.slug]
        for order, (text, target_date) in enumerate(detail.goals, start=1):
            upsert(
                ImprovementGoal,
                {"text": text, "target_date": target_date},
                programme=programme,
                order=order,
            )

        group = upsert(ExpertGroup, {"mandate": detail.mandate}, programme=programme)[0]
        for expert in detail.experts:
            org = self.organisations.get(expert.organisation)
            user = self.user(expert.person, expert.organisation)
            upsert(
                ExpertMember,
                {
                    "role": expert.role,
                    "sector": expert.sector,
                    "organisation": org,
                    "joined_on": programme.decided_on,
                },
                group=group,
                user=user,
            )
        for person, org_name in detail.leads:
            user = self.user(person, org_name)
            upsert(
                ProgrammeLead,
                {"organisation": self.organisations[org_name]},
                programme=programme,
                user=user,
            )

        indicators = {
            spec.name: upsert(
                Indicator,
                {
                    "definition": spec.definition,
                    "kind": spec.kind,
                    "measure": spec.measure,
                    "numerator_definition": spec.numerator,
                    "denominator_definition": spec.denominator,
                    "unit": spec.unit,
                    "multiplier": spec.multiplier,
                    "better_direction": spec.direction,
                    "target": spec.target,
                    "data_source": spec.data_source,
                    "national_goal": spec.national_goal,
                    "order": order,
                },
                programme=programme,
                name=spec.name,
            )[0]
            for order, spec in enumerate(detail.indicators, start=1)
        }
        teams = {spec.name: self.load_team(programme, spec, indicators) for spec in detail.teams}
        for spec in detail.seminars:
            self.load_seminar(programme, spec, detail, teams)
        self.load_measurements(programme, detail, teams, indicators)

    def load_team(
        self, programme: Programme, spec: TeamSpec, indicators: dict[str, Indicator]
    ) -> ImprovementTeam:
        team = upsert(
            ImprovementTeam,
            {
                "region": self.regions[spec.region],
                "method": spec.method,
                "status": ImprovementTeam.Status.ACTIVE,
                "started_on": programme.start_date,
                "aim": spec.aim,
            },
            programme=programme,
            name=spec.name,
        )[0]
        team.organisations.add(*(self.organisations[name] for name in spec.organisations))
        lead = None
        for member in spec.members:
            org_name = member.organisation or spec.organisations[0]
            user = self.user(member.person, org_name)
            upsert(
                TeamMember,
                {"role": member.role, "organisation": self.organisations[org_name]},
                team=team,
                user=user,
            )
            lead = lead or (user if member.role == LEAD else None)
        for pdsa in spec.pdsa:
            upsert(
                PDSACycle,
                {
                    "indicator": indicators[pdsa.indicator],
                    "plan": pdsa.plan,
                    "do": pdsa.do,
                    "study": pdsa.study,
                    "act": pdsa.act,
                    "started_on": pdsa.started_on,
                    "ended_on": pdsa.ended_on,
                    "created_by": lead,
                },
                team=team,
                title=pdsa.title,
            )
        return team

    def load_seminar(
        self,
        programme: Programme,
        spec: SeminarSpec,
        detail: ProgrammeDetail,
        teams: dict[str, ImprovementTeam],
    ) -> None:
        day = spec.day or weekday_on_or_after(self.today + dt.timedelta(days=spec.days_ahead or 0))
        seminar = upsert(
            Seminar,
            {
                "title": spec.title,
                "starts_at": at(day, spec.starts),
                "ends_at": at(day, spec.ends),
                "place": spec.place,
                "address": spec.address,
                "agenda": spec.agenda,
            },
            programme=programme,
            kind=spec.kind,
            number=spec.number,
        )[0]
        invited = spec.teams if spec.teams is not None else tuple(teams)
        # Who signed up is drawn from a seed per seminar (not from the date): the same every run.
        rng = random.Random(f"{detail.slug}|{spec.kind}|{spec.number}")  # noqa: S311
        team_specs = {t.name: t for t in detail.teams}
        invitations: list[SeminarInvitation] = []
        registrations: dict[int, Registration] = {}
        for name in invited:
            team = teams[name]
            invitations.append(SeminarInvitation(seminar=seminar, team=team))
            for member in team_specs[name].members:
                if member.role == LEAD or rng.random() < 0.75:
                    user = self.users[member.person.address]
                    registrations[user.pk] = Registration(seminar=seminar, user=user, team=team)
        for person, _org in detail.leads:
            user = self.users[person.address]
            registrations.setdefault(user.pk, Registration(seminar=seminar, user=user))
        # In bulk, and only what is missing: a seminar has hundreds of these.
        invited_ids = set(seminar.invitations.values_list("team_id", flat=True))
        SeminarInvitation.objects.bulk_create(
            [i for i in invitations if i.team_id not in invited_ids]
        )
        registered_ids = set(seminar.registrations.values_list("user_id", flat=True))
        Registration.objects.bulk_create(
            [r for pk, r in registrations.items() if pk not in registered_ids]
        )

    # Measurements ---------------------------------------------------------------------------

    def load_measurements(
        self,
        programme: Programme,
        detail: ProgrammeDetail,
        teams: dict[str, ImprovementTeam],
        indicators: dict[str, Indicator],
    ) -> None:
        existing = set(
            Measurement.objects.filter(indicator__programme=programme).values_list(
                "team_id", "indicator_id", "period_start"
            )
        )
        months = [add_months(programme.start_date.replace(day=1), i) for i in range(MONTHS)]
        now = timezone.now()
        new: list[Measurement] = []
        for team_spec in detail.teams:
            team = teams[team_spec.name]
            lead = next(
                (self.users[m.person.address] for m in team_spec.members if m.role == LEAD), None
            )
            for position, spec in enumerate(detail.indicators):
                indicator = indicators[spec.name]
                improving = spec.improved is not None and (
                    team_spec.profile == IMPROVING
                    or (team_spec.profile == PARTIAL and position == 0)
                )
                seed = f"{detail.slug}|{team_spec.name}|{spec.name}"
                points = series(seed, spec, team_spec.volume, improving)
                for period, point in zip(months, points, strict=True):
                    if (team.pk, indicator.pk, period) in existing:
                        continue
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
                    measurement._history_date = min(registered_at(period), now)
                    measurement._history_user = lead
                    new.append(measurement)
        self.insert_measurements(new)
        self.say(f"  {programme.name}: {len(new)} nye målinger")

    @staticmethod
    def insert_measurements(new: list[Measurement]) -> None:
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


# --------------------------------------------------------------------------------------------
# Synthetic data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal | None
    comment: str = ""


def series(seed: str, spec: IndicatorSpec, volume: int, improving: bool) -> list[Point]:
    """24 monthly points that tell the intended story on both the run chart and the SPC chart.

    An improving series must read "improvement" and a stable one "common cause" (Anhøj rules and
    limits, indicators.spc); a draw that happens to tell another story is redrawn with the next
    attempt number, so the result is the same on every run.
    """
    points: list[Point] = []
    for attempt in range(200):
        rng = random.Random(f"{seed}|{attempt}")  # noqa: S311 - seeded on purpose
        points = _draw(rng, spec, volume, improving)
        if _tells(points, spec, "improvement" if improving else "common_cause"):
            break
    return points


def _draw(rng: random.Random, spec: IndicatorSpec, volume: int, improving: bool) -> list[Point]:
    # Teams differ a little in where they start and how far they get.
    base = spec.baseline * rng.uniform(0.9, 1.1)
    goal = (spec.improved or spec.baseline) * rng.uniform(0.95, 1.05)
    if spec.measure == PROPORTION:
        base, goal = _clamp(base), _clamp(goal)
    shift = rng.randint(7, 10)  # the month the team's change starts to work
    ramp = 4
    exposure = volume * spec.scale
    points = []
    for month in range(MONTHS):
        level = base
        if improving and month >= shift:
            level = base + (goal - base) * min(1.0, (month - shift + 1) / ramp)
        comment = spec.change if improving and month == shift else ""
        n = max(3, round(rng.gauss(exposure, math.sqrt(exposure))))
        if spec.measure == PROPORTION:
            hits = sum(rng.random() < level for _ in range(n))
            points.append(Point(Decimal(hits), Decimal(n), None, comment))
        elif spec.measure == RATE:
            events = _poisson(rng, level * n / spec.multiplier)
            points.append(Point(Decimal(events), Decimal(n), None, comment))
        else:
            points.append(Point(None, None, Decimal(_poisson(rng, level * volume)), comment))
    return points


def _tells(points: list[Point], spec: IndicatorSpec, verdict: str) -> bool:
    direction = spec.direction if spec.direction in (UP, DOWN) else None
    if spec.measure == COUNT:
        values: list[Decimal | None] = [p.value for p in points]
        denominators = None
    else:
        values = [p.numerator for p in points]
        denominators = [p.denominator for p in points]
    control_chart = CHART_FOR_MEASURE[spec.measure]
    return all(
        analyse(values, denominators, chart, direction=direction).verdict == verdict
        for chart in ("run", control_chart)
    )


def _clamp(p: float) -> float:
    return min(0.98, max(0.02, p))


def _poisson(rng: random.Random, lam: float) -> int:
    """A Poisson draw (Knuth's method; a normal approximation for large means)."""
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, product = math.exp(-lam), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def upsert(model: type[M], defaults: dict[str, Any] | None = None, **lookup: Any) -> tuple[M, bool]:
    """Get by natural key and write only the fields that differ; (object, created)."""
    defaults = defaults or {}
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **defaults)
        _validate(obj)
        obj.save()
        return obj, True
    changed = [name for name, value in defaults.items() if _differs(obj, name, value)]
    if changed:
        for name in changed:
            setattr(obj, name, defaults[name])
        _validate(obj)
        obj.save(update_fields=changed)
    return obj, False


def _validate(obj: models.Model) -> None:
    # Fields and clean() here. The database enforces foreign keys, unique and check constraints
    # itself; asking it beforehand as well would more than double the queries of a first load.
    relations = [f.name for f in obj._meta.concrete_fields if f.is_relation]
    obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)


def _differs(obj: models.Model, name: str, value: Any) -> bool:
    field_ = obj._meta.get_field(name)
    if field_.many_to_one:  # compare ids, without loading the related object
        return getattr(obj, field_.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


def at(day: dt.date, time: dt.time) -> dt.datetime:
    """A Danish wall-clock time on `day`, time zone aware."""
    return dt.datetime.combine(day, time, tzinfo=TZ)


def registered_at(period: dt.date) -> dt.datetime:
    """When a month's figures came in: early in the next month, before the data deadline."""
    day = add_months(period, 1).replace(day=3 + period.month % 9)
    return at(day, dt.time(10))


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    return day.replace(year=day.year + index // 12, month=index % 12 + 1)


def weekday_on_or_after(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def model_counts(models_: Iterable[type[models.Model]] = SUMMARY_MODELS) -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in models_}


@transaction.atomic
def load_demo(*, stdout: IO[str] | None = None, today: dt.date | None = None) -> DemoSummary:
    """Load the demo data idempotently; `today` decides which seminars are still to come."""
    before = model_counts()
    loader = _Loader(today=today or timezone.localdate(), out=stdout)
    loader.say("Indlæser demodata …")
    loader.run()
    # The status pages read cached analyses; the loader writes measurements in bulk.
    refresh_summaries(Indicator.objects.values_list("pk", flat=True))
    after = model_counts()
    added = {label: after[label] - before[label] for label in after}
    return DemoSummary(counts=after, added=added)
