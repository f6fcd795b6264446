"""`manage.py load_demo`: the ten real LKTs with fictional people and data, dated from today."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.loader import load_demo
from demo.records import DemoSummary


class Command(BaseCommand):
    help = (
        "Indlæser demodata: regioner, organisationer, de ti rigtige LKT'er og fiktive personer, "
        "teams, seminarer og målinger. Kan køres flere gange; allerede indlæste data røres ikke."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Indlæs demodata, selv om DEBUG er slået fra (f.eks. på en testserver).",
        )

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "Demodata indlæses kun, når DEBUG er slået til, så fiktive brugere med en kendt "
                "adgangskode ikke havner i en rigtig database. Brug --force, hvis du er sikker."
            )
        started = time.monotonic()
        summary = load_demo(stdout=self.stdout)
        self.print_summary(summary, time.monotonic() - started)

    def print_summary(self, summary: DemoSummary, seconds: float) -> None:
        rows = summary.rows()
        width = max(len(name) for name, _, _ in rows)
        self.stdout.write("")
        self.stdout.write(f"{'Data'.ljust(width)}  {'i alt':>7}  {'nye':>6}")
        for name, count, added in rows:
            self.stdout.write(f"{name.ljust(width)}  {count:>7}  {added:>6}")
        verdict = f"{summary.total_added} nye rækker" if summary.total_added else "ingen ændringer"
        self.stdout.write(self.style.SUCCESS(f"Demodata er indlæst ({verdict}, {seconds:.1f} s)."))

        self.stdout.write("")
        self.stdout.write(f"Demo-logins – alle har adgangskoden: {summary.password}")
        email_width = max(len(login.person.address) for login in summary.logins)
        self.stdout.write(f"  {'E-mail'.ljust(email_width)}  {'Adgangskode'.ljust(13)}  Rolle")
        for login in summary.logins:
            self.stdout.write(
                f"  {login.person.address.ljust(email_width)}  {summary.password.ljust(13)}  "
                f"{login.role} ({login.person.name})"
            )
