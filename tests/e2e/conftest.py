"""The browser journeys: Playwright drives Debian's Chromium against pytest-django's live server.

Every page a journey visits is checked with axe-core (vendored, served from our own origin,
since the Content-Security-Policy refuses inline scripts); a serious or critical violation fails
the journey. A screenshot of the last page of each journey is kept in `LKT_E2E_SCREENSHOTS`
(default: a folder under pytest's temporary directory, printed at the end of the run).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.cache import cache

from core.months import add_months
from programmes.models import Organisation
from tests import factories as f
from tests.servers import unavailable

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "hofte-forlob-2025"  # the factories' users; never a real one
SERIOUS = {"serious", "critical"}
SCREENSHOTS = pytest.StashKey[Path]()


@pytest.fixture(scope="session")
def _async_unsafe_allowed() -> Iterator[None]:
    """Playwright's sync API keeps an event loop running; the ORM must still work beside it."""
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if before is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture(scope="session")
def browser(_async_unsafe_allowed: None) -> Iterator:
    """One headless Chromium for the whole run (Debian's: Playwright cannot download one here)."""
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        unavailable(f"Playwright is not installed ({exc}); run `make install`")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    folder = Path(os.environ.get("LKT_E2E_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    request.config.stash[SCREENSHOTS] = folder
    return folder


@pytest.fixture
def page(browser, live_server, screenshots: Path, request: pytest.FixtureRequest) -> Iterator:
    """A fresh browser context at a laptop's size, in Danish; a screenshot when the test ends."""
    context = browser.new_context(
        base_url=live_server.url, locale="da-DK", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    name = re.sub(r"\W+", "-", request.node.name).strip("-")
    tab.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)
    context.close()


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """The status pages cache rendered tables; each journey's database starts empty."""
    cache.clear()


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ARG001
    folder = config.stash.get(SCREENSHOTS, None)
    if folder is not None:
        terminalreporter.write_line(f"Screenshots of the journeys' last pages: {folder}")


# --- Accessibility ------------------------------------------------------------------------------


@dataclass
class Axe:
    """Runs axe-core on a page and keeps its serious and critical violations, by rule."""

    origin: str
    findings: dict[str, dict] = field(default_factory=dict)
    pages: list[str] = field(default_factory=list)

    def check(self, page) -> None:
        page.wait_for_load_state("load")
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(url=f"{self.origin}/static/vendor/axe-core/axe.min.js")
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        )
        path = page.url.removeprefix(self.origin)
        self.pages.append(path)
        for violation in violations:
            if violation["impact"] not in SERIOUS:
                continue
            finding = self.findings.setdefault(
                violation["id"],
                {"impact": violation["impact"], "help": violation["help"], "pages": {}},
            )
            for node in violation["nodes"]:
                why = node.get("failureSummary", "").replace("\n", " ")
                finding["pages"].setdefault(", ".join(node["target"]), (path, why))

    def assert_clean(self) -> None:
        """Fails with every serious or critical violation seen on the journey's pages."""
        lines = []
        for rule, finding in self.findings.items():
            lines.append(f"[{finding['impact']}] {rule}: {finding['help']}")
            for target, (path, why) in finding["pages"].items():
                lines.append(f"    {target}  (first on {path}) {why}")
        assert not lines, (
            f"axe-core: serious accessibility violations on {len(self.pages)} pages checked:\n"
            + "\n".join(lines)
        )


@pytest.fixture
def axe(live_server) -> Iterator[Axe]:
    checker = Axe(origin=live_server.url)
    yield checker
    if checker.findings:  # also when the journey broke off before its own assertion
        print("\n".join(f"axe-core {rule}: {v['help']}" for rule, v in checker.findings.items()))


# --- The world of the journeys ------------------------------------------------------------------


@pytest.fixture
def hip_fracture(transactional_db, clock) -> SimpleNamespace:
    """Sammenhængende Hoftebrudsforløb: cross-sector, led by Region Syddanmark with KL.

    It started five months ago, so data can be registered for five months; one team
    (Kolding-Vejle) already exists. The coordinator and the steering member log in with
    `PASSWORD`.
    """
    rsd = f.RegionFactory(name="Region Syddanmark", code="RSD")
    rm = f.RegionFactory(name="Region Midtjylland", code="RM")
    kl = f.OrganisationFactory(name="KL", kind=Organisation.Kind.KL, region=None)

    def organisation(name: str, kind: str, region=rsd) -> Organisation:
        return f.OrganisationFactory(name=name, kind=kind, region=region)

    hospital, municipality = Organisation.Kind.HOSPITAL, Organisation.Kind.MUNICIPALITY
    orgs = SimpleNamespace(
        ouh=organisation("Odense Universitetshospital", hospital),
        lillebaelt=organisation("Sygehus Lillebælt", hospital),
        odense=organisation("Odense Kommune", municipality),
        svendborg=organisation("Svendborg Kommune", municipality),
        kolding=organisation("Kolding Kommune", municipality),
        vejle=organisation("Vejle Kommune", municipality),
        auh=organisation("Aarhus Universitetshospital", hospital, rm),
        aarhus=organisation("Aarhus Kommune", municipality, rm),
    )
    start = clock.month(-5)
    programme = f.ProgrammeFactory(
        name="Sammenhængende Hoftebrudsforløb",
        slug="hoftebrud",
        lead_region=rsd,
        co_lead=kl,
        is_cross_sector=True,
        clinical_area="Hoftebrud",
        start_date=start,
        end_date=add_months(start, 36) - dt.timedelta(days=1),
    )
    indicators = SimpleNamespace(
        surgery=f.IndicatorFactory(
            programme=programme,
            name="Andel opereret inden for 24 timer",
            kind="process",
            target=90,
        ),
        rehab=f.IndicatorFactory(
            programme=programme,
            name="Andel med genoptræningsplan ved udskrivelse",
            kind="process",
            target=95,
        ),
    )
    kolding_vejle = f.TeamFactory(
        programme=programme,
        region=rsd,
        name="Hoftebrud Kolding-Vejle",
        organisations=[orgs.lillebaelt, orgs.kolding, orgs.vejle],
    )
    coordinator = f.RegionalCoordinatorFactory(
        region=rsd,
        user__email="tovholder@rsyd.example.dk",
        user__first_name="Karen",
        user__last_name="Holm",
        user__password=PASSWORD,
    ).user
    steering = f.UserFactory(
        email="styregruppe@example.dk",
        first_name="Peter",
        last_name="Lund",
        is_steering_group_member=True,
        password=PASSWORD,
    )
    mail.outbox.clear()
    return SimpleNamespace(
        rsd=rsd,
        rm=rm,
        kl=kl,
        orgs=orgs,
        programme=programme,
        indicators=indicators,
        kolding_vejle=kolding_vejle,
        coordinator=coordinator,
        steering=steering,
        start=start,
        months=[add_months(start, n) for n in range(5)],
    )


def log_in(page, email: str, password: str = PASSWORD) -> None:
    """Through the login form, as a person would."""
    page.goto("/login/")
    page.get_by_label("E-mailadresse").fill(email)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(lambda url: "/login/" not in url)
