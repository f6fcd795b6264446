"""One indicator's series (LKT level or one team) as a status page shows it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from indicators.charting import provisional_label
from indicators.completeness import Provisional
from indicators.icons import SpcIcons, icons_for_summary
from indicators.models import Indicator, SeriesSummary
from indicators.spc_text import phase_span
from indicators.summaries import provisional_of
from indicators.wording import active_wording
from status.sparkline import sparkline_svg
from teams.models import ImprovementTeam

VERDICT_SHORT = {
    "improvement": _("Forbedring"),
    "deterioration": _("Forværring"),
    "common_cause": _("Tilfældig variation"),
    "no_direction_signal": _("Signal uden retning"),
    "too_few_data": _("For få data"),
}
# The badge after a baseline or split, when the verdict is the change from the previous phase.
PHASE_VERDICT_SHORT = {
    "improvement": pgettext_lazy("fase", "Forbedret ift. forrige fase"),
    "deterioration": pgettext_lazy("fase", "Forværret ift. forrige fase"),
    "no_direction_signal": pgettext_lazy("fase", "Ændret ift. forrige fase"),
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
        if self.summary.versus_previous_phase and self.verdict in PHASE_VERDICT_SHORT:
            return str(PHASE_VERDICT_SHORT[self.verdict])
        return str(VERDICT_SHORT[self.verdict])

    @property
    def verdict_text(self) -> str:
        """The full verdict; "… i forhold til forrige fase (fra 60 % til 83 %)" after a split."""
        summary, words = self.summary, active_wording()
        if summary.versus_previous_phase and summary.previous_phase_cl is not None:
            span = phase_span(
                summary.previous_phase_cl, summary.latest_phase_cl, self.indicator.unit, words
            )
            return f"{words.phase_verdicts[self.verdict]} {span}"
        return words.verdicts[self.verdict]

    @property
    def verdict_symbol(self) -> str:
        return VERDICT_SYMBOLS[self.verdict]

    @property
    def icons(self) -> SpcIcons:
        """The variation and assurance icons (Making Data Count) of the series."""
        return icons_for_summary(self.summary, self.indicator.better_direction)

    @property
    def assurance_label(self) -> str:
        return active_wording().assurance.get(self.summary.assurance, "")

    @property
    def sparkline(self) -> str:
        return sparkline_svg(self.summary.sparkline)

    @property
    def last_value(self) -> str:
        value = self.summary.last_value
        if value is None:
            return ""
        return active_wording().with_unit(value, self.indicator.unit)

    @property
    def provisional(self) -> Provisional | None:
        """The latest month that does not count yet (LKT level only), if any."""
        if self.team is not None or not self.summary.provisional:
            return None
        months = provisional_of(self.summary)
        return months[max(months)] if months else None

    @property
    def provisional_note(self) -> str:
        """'foreløbig: 3 af 7 teams', shown beside the latest (complete) value."""
        latest = self.provisional
        return provisional_label(latest.reported, latest.expected) if latest else ""


def series_status(indicator: Indicator, summary: SeriesSummary, team=None) -> SeriesStatus:
    return SeriesStatus(indicator, summary, team)
