"""factory_boy factories for the domain; every default is a valid object."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from accounts.models import User
from indicators.models import Indicator, Measurement
from programmes.models import (
    ExpertGroup,
    ExpertMember,
    Organisation,
    Programme,
    ProgrammeLead,
    Region,
    RegionalCoordinator,
)
from seminars.models import Seminar
from teams.models import ImprovementTeam, TeamMember


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.dk")
    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    password = factory.django.Password("test-password-123")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("name",)

    name = "Region Midtjylland"
    code = factory.LazyAttribute(lambda o: "".join(w[0] for w in o.name.split()).upper()[:5])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Hospital nr. {n}")
    kind = Organisation.Kind.HOSPITAL
    region = factory.SubFactory(RegionFactory)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"LKT nr. {n}")
    slug = factory.Sequence(lambda n: f"lkt-{n}")
    lead_region = factory.SubFactory(RegionFactory)
    status = Programme.Status.ACTIVE
    start_date = dt.date(2024, 1, 1)


class ExpertGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertGroup

    programme = factory.SubFactory(ProgrammeFactory)


class ExpertMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertMember

    group = factory.SubFactory(ExpertGroupFactory)
    user = factory.SubFactory(UserFactory)
    role = ExpertMember.Role.CLINICAL
    sector = ExpertMember.Sector.REGIONAL


class ProgrammeLeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeLead

    programme = factory.SubFactory(ProgrammeFactory)
    user = factory.SubFactory(UserFactory)


class RegionalCoordinatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalCoordinator

    region = factory.SubFactory(RegionFactory)
    user = factory.SubFactory(UserFactory)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImprovementTeam
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    region = factory.SelfAttribute("programme.lead_region")

    @factory.post_generation
    def organisations(self, create: bool, extracted: list[Organisation] | None, **kwargs) -> None:
        if create and extracted:
            self.organisations.set(extracted)


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    role = TeamMember.Role.MEMBER


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Indikator {n}")
    kind = Indicator.Kind.PROCESS
    measure = Indicator.Measure.PROPORTION
    multiplier = 100
    unit = "%"


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    team = factory.SubFactory(TeamFactory)
    indicator = factory.SubFactory(
        IndicatorFactory, programme=factory.SelfAttribute("..team.programme")
    )
    period_start = dt.date(2024, 3, 1)
    numerator = 7
    denominator = 10


class SeminarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seminar

    programme = factory.SubFactory(ProgrammeFactory)
    kind = Seminar.Kind.LEARNING
    number = factory.Sequence(lambda n: n + 1)
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=7))
    place = "Comwell Kolding"


def goal_form_data(programme: Programme) -> dict:
    """A whole goal form as a browser posts it: the text, a new indicator of the programme to
    follow it on, a target value and a date."""
    indicator = IndicatorFactory(programme=programme)
    return {
        "text": "Færre fald",
        "indicator": indicator.pk,
        "target_value": "5",
        "target_date": programme.end_date.isoformat(),
    }
