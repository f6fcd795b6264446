"""Demo data: the ten real LKTs, real regions and organisations, and only fictional people.

The data lives in demo/data/*.toml with relative dates; this module places it around the day it
is loaded, so the demo always lives in today: two LKTs well into their two years with data up to
the last month whose deadline has passed (and some teams already on the next), Sammenhængende
Hoftebrudsforløb preparing its first seminar, the completed LKTs ended years ago and one in
sustainment.

Idempotent: every row is found by a stable key (a slug, a name, a programme with a seminar kind
and number, a team's series) and rows already present are left alone, so running it again, on
any later day, adds nothing and moves nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.contrib.auth.hashers import check_password, is_password_usable, make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from core.months import add_months, first_of_month
from demo import specs
from demo.dates import at
from demo.details import load_detail
from demo.records import DemoSummary, ensure, model_counts, validate
from indicators.models import Indicator
from indicators.summaries import refresh_summaries
from programmes.models import (
    Organisation,
    Programme,
    ProgrammeStatusChange,
    Region,
    RegionalCoordinator,
)
from programmes.services import programme_change_status, programme_create


class Writer(Protocol):
    """Where the loader reports progress: a stream, or a management command's stdout."""

    def write(self, text: str) -> Any: ...


@dataclass
class Loader:
    """One run: the day it lives in, what it writes to, and the rows it has met so far."""

    today: dt.date
    now: dt.datetime
    out: Writer | None
    regions: dict[str, Region] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    programmes: dict[str, Programme] = field(default_factory=dict)

    def say(self, text: str) -> None:
        if self.out is not None:
            self.out.write(text + "\n")

    def run(self) -> None:
        self.load_places()
        self.load_logins()
        self.load_coordinators()
        for spec in specs.programmes():
            self.load_programme(spec)
        for detail in specs.details():
            load_detail(self, detail)

    # Regions and organisations --------------------------------------------------------------

    def load_places(self) -> None:
        data = specs.places()
        for code, name in data["regions"].items():
            self.regions[code] = ensure(Region, {"name": name}, code=code)
            self.organisation(name, "region", code)
        for code, names in data["hospitals"].items():
            for name in names:
                self.organisation(name, "hospital", code)
        for item in data["departments"]:
            hospital = self.organisations[item["hospital"]]
            name = f"{item['name']}, {item['hospital']}"
            self.organisation(name, "department", None, parent=hospital)
        for kind, table in (
            ("municipality", "municipalities"),
            ("health_cluster", "health_clusters"),
        ):
            for code, names in data[table].items():
                for name in names:
                    self.organisation(name, kind, code)
        for item in data["national"]:
            self.organisation(item["name"], item["kind"], None)
        for hospital, municipalities in data["catchment"].items():
            self.organisations[hospital].catchment.set(
                [self.organisations[name] for name in municipalities]
            )

    def organisation(
        self, name: str, kind: str, region: str | None, parent: Organisation | None = None
    ) -> Organisation:
        if parent is not None:
            region_obj = parent.region
        else:
            region_obj = self.regions[region] if region else None
        defaults = {"region": region_obj, "parent": parent}
        self.organisations[name] = ensure(Organisation, defaults, name=name, kind=kind)
        return self.organisations[name]

    # People ---------------------------------------------------------------------------------

    def user(self, person: specs.Person, organisation_text: str = "") -> User:
        """The person's user; created with an unusable password (logins get the demo's)."""
        if person.address not in self.users:
            first, _, last = person.name.rpartition(" ")
            user = User.objects.filter(email=person.address).first()
            if user is None:
                user = User(
                    email=person.address,
                    first_name=first,
                    last_name=last,
                    organisation_text=organisation_text,
                )
                user.set_unusable_password()
                validate(user)
                user.save()
            self.users[person.address] = user
        return self.users[person.address]

    def load_logins(self) -> None:
        """The demo logins, with their roles' flags and the demo password (hashed once)."""
        cast = specs.people()
        password_hash = ""
        verdicts: dict[str, bool] = {}  # hashing is slow on purpose: check each hash once
        for login in cast.logins:
            user = self.user(login.person, login.organisation)
            flags = {
                "is_superuser": login.is_superuser,
                "is_staff": login.is_superuser,
                "is_steering_group_member": login.is_steering_group_member,
            }
            changed = [name for name, value in flags.items() if getattr(user, name) != value]
            if user.password not in verdicts:
                verdicts[user.password] = is_password_usable(user.password) and check_password(
                    cast.password, user.password
                )
            if not verdicts[user.password]:
                password_hash = password_hash or make_password(cast.password)
                verdicts[password_hash] = True
                user.password = password_hash
                changed.append("password")
            for name in changed:
                if name in flags:
                    setattr(user, name, flags[name])
            if changed:
                user.save(update_fields=changed)

    def load_coordinators(self) -> None:
        cast = specs.people()
        for code, names in cast.coordinators.items():
            region = self.regions[code]
            for name in names:
                user = self.user(cast.person(name), f"LKT-tovholder, {region.name}")
                ensure(RegionalCoordinator, region=region, user=user)

    # Programmes -----------------------------------------------------------------------------

    def load_programme(self, spec: specs.ProgrammeSpec) -> None:
        """Create the programme and walk it through its status history, unless it exists."""
        existing = Programme.objects.filter(Q(slug=spec.slug) | Q(name=spec.name)).first()
        if existing is not None:
            self.programmes[spec.slug] = existing
            self.say(f"  {spec.name}: findes allerede – springes over")
            return
        start = add_months(first_of_month(self.today), spec.start)
        admin = self.users[specs.people().logins[0].person.address]
        programme = programme_create(by=admin, reason=spec.created_reason, **fields(self, spec))
        created_on = programme.decided_on or start - dt.timedelta(days=180)
        programme.status_changes.update(changed_at=at(created_on, dt.time(9)))
        for step in spec.history:
            change = programme_change_status(
                programme=programme, status=step.status, by=admin, reason=step.reason
            )
            moment = min(at(step.on.after(start), dt.time(9)), self.now)
            ProgrammeStatusChange.objects.filter(pk=change.pk).update(changed_at=moment)
        self.programmes[spec.slug] = programme
        self.say(f"  {spec.name}: oprettet ({programme.get_status_display()})")


def fields(loader: Loader, spec: specs.ProgrammeSpec) -> dict[str, Any]:
    """The programme's own fields, its dates placed around the loader's today."""
    start = add_months(first_of_month(loader.today), spec.start)

    def months_from_start(n: int | None) -> dt.date | None:
        return None if n is None else add_months(start, n)

    return {
        "name": spec.name,
        "slug": spec.slug,
        "clinical_area": spec.clinical_area,
        "description": spec.description,
        "target_population": spec.target_population,
        "concept": spec.concept,
        "lead_region": loader.regions[spec.region],
        "co_lead": loader.organisations[spec.co_lead] if spec.co_lead else None,
        "is_cross_sector": spec.is_cross_sector,
        "start_date": start,
        "decided_on": months_from_start(spec.decided),
        "description_approved_on": months_from_start(spec.approved),
    }


@transaction.atomic
def load_demo(*, stdout: Writer | None = None, today: dt.date | None = None) -> DemoSummary:
    """Load the demo data idempotently, dated from `today` (default: today in Copenhagen)."""
    before = model_counts()
    now = timezone.now() if today is None else at(today, dt.time(12))
    loader = Loader(today=today or timezone.localdate(), now=now, out=stdout)
    loader.say("Indlæser demodata …")
    loader.run()
    # The status pages read cached analyses; the loader writes measurements in bulk.
    refresh_summaries(Indicator.objects.values_list("pk", flat=True))
    after = model_counts()
    added = {label: after[label] - before[label] for label in after}
    cast = specs.people()
    return DemoSummary(counts=after, added=added, logins=cast.logins, password=cast.password)
