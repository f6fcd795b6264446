"""`manage.py refresh_summaries`: re-analyse every series the status pages show."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from indicators.models import Indicator
from indicators.summaries import refresh_summaries


class Command(BaseCommand):
    help = (
        "Genberegner de gemte SPC-vurderinger (én pr. team og indikator og én for hele LKT'et), "
        "som statussiderne viser. Kør den efter ændringer uden om portalen, f.eks. i admin."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--programme", type=int, action="append", help="Kun dette programs id (kan gentages)."
        )

    def handle(self, *args: Any, programme: list[int] | None = None, **options: Any) -> None:
        started = time.monotonic()
        indicators = Indicator.objects.order_by("pk")
        if programme:
            indicators = indicators.filter(programme_id__in=programme)
        ids = list(indicators.values_list("pk", flat=True))
        written = 0
        for indicator_id in ids:  # one transaction per indicator keeps the locks short
            written += refresh_summaries([indicator_id])
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"{written} serier genberegnet for {len(ids)} indikatorer ({seconds:.1f} s)."
            )
        )
