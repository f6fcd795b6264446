"""Exactly once, for real: a `celery worker` process, a Redis broker, PostgreSQL and an SMTP server.

Nothing runs eagerly here. The test and the worker share the test database (so the tests commit:
`transaction=True`); the worker mails a fake SMTP server in this process, which counts what it
accepts.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Iterator

import pytest
from celery import Celery
from django.conf import settings
from django.utils import timezone

from programmes.models import Programme
from reminders.models import ReminderStatus, SentReminder
from seminars.models import Registration
from tests import factories as f
from tests.fake_smtp import FakeSMTPServer
from tests.servers import CeleryWorker, RedisServer

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
]

CLAIM_TIMEOUT = 3  # seconds, for the worker: a dead worker's claim is taken over this soon


def database_url() -> str:
    """The test database (not the one named in settings before the tests began)."""
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


def sent() -> int:
    return SentReminder.objects.filter(status=ReminderStatus.SENT).count()


class Rig:
    """A broker (its own Redis database), a fake SMTP server and workers started on demand."""

    def __init__(self, redis_server: RedisServer, database: int, smtp: FakeSMTPServer) -> None:
        self.broker = f"redis://127.0.0.1:{redis_server.port}/{database}"
        self.smtp = smtp
        self.workers: list[CeleryWorker] = []
        self.client = Celery(
            "client", broker=self.broker, backend=self.broker, set_as_current=False
        )

    def start_worker(self) -> CeleryWorker:
        worker = CeleryWorker(
            env={
                "DJANGO_SETTINGS_MODULE": "lkt_portal.settings",
                "DEBUG": "False",
                "SECRET_KEY": "worker-test-key-" + "y" * 40,
                "DATABASE_URL": database_url(),
                "REDIS_URL": self.broker,
                "EMAIL_URL": self.smtp.url,
                "REMINDERS_CLAIM_TIMEOUT": str(CLAIM_TIMEOUT),
                "REMINDERS_RETRY_BACKOFF": "1",
                "REMINDERS_MAX_ATTEMPTS": "3",
            }
        ).start()
        self.workers.append(worker)
        return worker

    def scan(self) -> int:
        """Run the scanner task in the worker, as beat does; the number of reminders it sent off."""
        result = self.client.send_task("lkt_portal.reminders.scan")
        try:
            return result.get(timeout=60)
        except Exception:
            logs = "\n".join(worker.output()[-3000:] for worker in self.workers)
            pytest.fail(f"The scan got no answer; the workers' logs:\n{logs}")

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.smtp.stop()


@pytest.fixture
def rig(redis_server, transactional_db, clock) -> Iterator[Callable[..., Rig]]:
    """Rigs made on demand; this process on the machine's clock, which the workers read."""
    clock.move_to_real_time()
    rigs: list[Rig] = []

    def make(database: int, **smtp_options) -> Rig:
        rigs.append(Rig(redis_server, database, FakeSMTPServer(**smtp_options).start()))
        return rigs[-1]

    yield make
    for made in rigs:
        made.stop()


def seminar_with_participants(count: int) -> list[str]:
    """A seminar ten days ahead (its 14-day reminder is due) with `count` registered people."""
    seminar = f.SeminarFactory(starts_at=timezone.now() + dt.timedelta(days=10))
    people = [f.UserFactory() for _ in range(count)]
    Registration.objects.bulk_create(Registration(seminar=seminar, user=p) for p in people)
    return [person.email for person in people]


def test_due_reminders_are_sent_once_and_a_second_scan_sends_nothing(rig) -> None:
    emails = seminar_with_participants(5)
    setup = rig(database=3)
    setup.start_worker()

    assert setup.scan() == 5
    wait_for(lambda: sent() == 5, "five reminders marked sent")
    assert setup.scan() == 0
    # The same reminders delivered again (a re-delivered or duplicated task) send nothing.
    keys = SentReminder.objects.values_list("kind", "object_id", "recipient_id", "occasion")
    again = [setup.client.send_task("lkt_portal.reminders.send", args=key) for key in keys]
    assert [result.get(timeout=30) for result in again] == ["taken"] * 5

    assert sorted(setup.smtp.recipients()) == sorted(emails)
    assert sent() == SentReminder.objects.count() == 5
    message = setup.smtp.accepted[0].message
    assert "text/calendar" in {part.get_content_type() for part in message.walk()}
    assert message["List-Unsubscribe"]


def test_a_worker_killed_mid_batch_leaves_every_reminder_sent_exactly_once(rig) -> None:
    emails = seminar_with_participants(12)
    setup = rig(database=4, delay=0.3)  # a slow mail server: 0.3 s before it answers MAIL
    first = setup.start_worker()
    assert setup.scan() == 12

    # Kill the worker while it waits for the server in the middle of the batch: the mail it is
    # sending has not been accepted, and its claim is left behind.
    wait_for(lambda: setup.smtp.count() >= 4 and setup.smtp.busy.is_set(), "the batch under way")
    first.process.kill()
    first.process.wait(timeout=10)
    assert 4 <= setup.smtp.count() < 12
    assert SentReminder.objects.filter(status=ReminderStatus.CLAIMED).count() == 1

    # A new worker sends the rest of the batch from the queue …
    setup.start_worker()
    wait_for(lambda: sent() == 11, "the rest of the batch")
    # … and once the dead worker's claim is stale, the next scan takes it over.
    time.sleep(CLAIM_TIMEOUT + 0.5)
    assert setup.scan() == 1
    wait_for(lambda: sent() == 12, "the orphaned reminder")
    assert setup.scan() == 0
    time.sleep(1)

    received = Counter(setup.smtp.recipients())
    assert setup.smtp.count() == 12
    assert received == Counter(emails)  # everyone once, nobody twice
    orphan = SentReminder.objects.get(attempts=2)
    assert orphan.status == ReminderStatus.SENT


@pytest.mark.parametrize(
    "refusal", ["451 4.3.0 Proev igen senere", "554 5.7.1 Afvist"], ids=["451", "554"]
)
def test_an_smtp_failure_is_retried_with_backoff_and_then_recorded(rig, refusal) -> None:
    (email,) = seminar_with_participants(1)
    setup = rig(database=5 if refusal.startswith("4") else 6, refuse_with=refusal)
    worker = setup.start_worker()

    assert setup.scan() == 1
    wait_for(
        lambda: SentReminder.objects.filter(status=ReminderStatus.FAILED).exists(),
        "the reminder to be marked failed",
    )

    record = SentReminder.objects.get()
    assert record.attempts == 3  # REMINDERS_MAX_ATTEMPTS
    assert refusal[:3] in record.last_error
    assert setup.smtp.attempts == 3
    assert setup.smtp.count() == 0
    assert "Retry in 1s" in worker.output() and "Retry in 2s" in worker.output()
    assert setup.scan() == 0  # a failed reminder waits for an administrator, not the scanner


def test_a_sustainment_review_is_reminded_once_to_the_leader_and_coordinator(rig) -> None:
    """Issue 18: the formal leader and the quality coordinator of each team, nobody else."""
    programme = f.ProgrammeFactory(
        status=Programme.Status.SUSTAINMENT, start_date=dt.date(2020, 1, 1)
    )
    team = f.TeamFactory(programme=programme)
    wanted = [
        f.TeamMemberFactory(team=team, role=role).user.email
        for role in ("formal_leader", "quality_coordinator")
    ]
    f.TeamMemberFactory(team=team, role="member")
    programme.sustainment_reviews.create(due_on=timezone.localdate() + dt.timedelta(days=5))
    setup = rig(database=7)
    setup.start_worker()

    assert setup.scan() == 2
    wait_for(lambda: sent() == 2, "two review reminders marked sent")
    assert setup.scan() == 0
    keys = SentReminder.objects.values_list("kind", "object_id", "recipient_id", "occasion")
    again = [setup.client.send_task("lkt_portal.reminders.send", args=key) for key in keys]
    assert [result.get(timeout=30) for result in again] == ["taken"] * 2

    assert sorted(setup.smtp.recipients()) == sorted(wanted)
    assert set(SentReminder.objects.values_list("kind", flat=True)) == {"sustainment_review"}
