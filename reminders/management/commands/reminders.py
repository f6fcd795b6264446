"""`manage.py reminders [--dry-run] [--at DATETIME]`: what is due, and to whom; or send it now."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accounts.models import User
from programmes.models import Programme
from reminders.delivery import MODEL_OF_KIND, SendFailed, deliver
from reminders.models import ReminderKind
from reminders.scanner import Due, due_reminders
from reminders.timing import TZ, parse_at


class Command(BaseCommand):
    help = (
        "Finder de påmindelser, der skal sendes nu (eller på --at), og sender dem med det samme "
        "uden om Celery. Med --dry-run vises kun, hvad der ville blive sendt og til hvem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Vis kun, hvad der ville blive sendt."
        )
        parser.add_argument(
            "--at",
            metavar="DATETIME",
            help="Lad som om klokken er DATETIME, f.eks. '2026-12-01 08:00' (dansk tid).",
        )

    def handle(self, *args: Any, dry_run: bool = False, at: str | None = None, **opts: Any) -> None:
        try:
            moment = parse_at(at) if at else timezone.now()
        except ValueError as exc:
            raise CommandError(
                f"--at: ugyldigt tidspunkt {at!r} (brug f.eks. 2026-12-01 08:00)"
            ) from exc
        due = due_reminders(moment)
        self.stdout.write(
            f"Påmindelser, der skal sendes {moment.astimezone(TZ):%Y-%m-%d %H:%M}: {len(due)}"
        )
        self.list(due)
        if dry_run or not due:
            return
        outcomes: Counter[str] = Counter()
        for item in due:
            try:
                outcomes[deliver(item, token=uuid.uuid4().hex)] += 1
            except SendFailed as exc:
                outcomes["fejlede (prøves igen ved næste kørsel)"] += 1
                self.stderr.write(f"{item}: {exc}")
        self.stdout.write(
            self.style.SUCCESS(", ".join(f"{n} {what}" for what, n in outcomes.items()))
        )

    def list(self, due: list[Due]) -> None:
        emails = dict(
            User.objects.filter(pk__in={item.recipient_id for item in due}).values_list(
                "pk", "email"
            )
        )
        names: dict[tuple[str, int], str] = {}
        for kind in {item.kind for item in due}:
            model = MODEL_OF_KIND[kind]
            ids = {item.object_id for item in due if item.kind == kind}
            if issubclass(model, Programme):
                names |= {(kind, obj.pk): str(obj) for obj in model.objects.filter(pk__in=ids)}
            else:  # a seminar or a team: say which programme's
                objects = model.objects.filter(pk__in=ids).select_related("programme")
                names |= {(kind, obj.pk): f"{obj} ({obj.programme})" for obj in objects}
        for item in due:
            about = names.get((item.kind, item.object_id), item.object_id)
            to = emails.get(item.recipient_id, item.recipient_id)
            label = ReminderKind(item.kind).label
            self.stdout.write(f"  {label} · {about} · {item.occasion} → {to}")
