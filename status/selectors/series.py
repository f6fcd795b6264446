"""One indicator's series (LKT level or one team) as a status page shows it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from indicators.icons import SpcIcons, icons_for_summary
from indicators.models import Indicator, SeriesSummary
from indicators.spc_text import (
    ASSURANCE_LABELS_DA,
    PHASE_VERDICT_LABELS_DA,
    VERDICT_LABELS_DA,
    format_number_da,
    phase_span_da,
)
from status.sparkline import sparkline_svg
from teams.models import ImprovementTeam

VERDICT_SHORT = {
    "improvement": _("Forbedring"),
    "deterioration": _("Forværring"),
    "common_cause": _("Tilfældig variation"),
    "no_direction_signal": _("Signal uden retning"),
    "too_few_data": _("For få data"),
}
VERDICT_SYMBOLS = {
    "improvement": "+",
    "deterioration": "−",
    "common_cause": "~",
    "no_direction_signal": "!",
    "too_few_data": "…",
}


@dataclass
class SeriesStatus:
    """One indicator's series (LKT level or one team) as a status page shows it."""

    indicator: Indicator
    summary: SeriesSummary
    team: ImprovementTeam | None = None

    @property
    def verdict(self) -> str:
        return self.summary.verdict

    @property
    def verdict_label(self) -> str:
        return str(VERDICT_SHORT[self.verdict])

    @property
    def verdict_text(self) -> str:
        """The full verdict; "… i forhold til forrige fase (fra 60 % til 83 %)" after a split."""
        summary = self.summary
        if summary.versus_previous_phase and summary.previous_phase_cl is not None:
            span = phase_span_da(
                summary.previous_phase_cl, summary.latest_phase_cl, self.indicator.unit
            )
            return f"{PHASE_VERDICT_LABELS_DA[self.verdict]} {span}"
        return VERDICT_LABELS_DA[self.verdict]

    @property
    def verdict_symbol(self) -> str:
        return VERDICT_SYMBOLS[self.verdict]

    @property
    def icons(self) -> SpcIcons:
        """The variation and assurance icons (Making Data Count) of the series."""
        return icons_for_summary(self.summary, self.indicator.better_direction)

    @property
    def assurance_label(self) -> str:
        return ASSURANCE_LABELS_DA.get(self.summary.assurance, "")

    @property
    def sparkline(self) -> str:
        return sparkline_svg(self.summary.sparkline)

    @property
    def last_value(self) -> str:
        value = self.summary.last_value
        if value is None:
            return ""
        unit = self.indicator.unit
        return format_number_da(value) + (f" {unit}" if unit else "")


def series_status(indicator: Indicator, summary: SeriesSummary, team=None) -> SeriesStatus:
    return SeriesStatus(indicator, summary, team)
