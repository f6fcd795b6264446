"""Variation and assurance icons in the manner of NHS England's *Making Data Count*, computed
from the portal's own Anhøj + 3σ results (SPC.md, "Variation and assurance icons").

`icon_kinds` is the one mapping; `icons_for_analysis` and `icons_for_summary` feed it from a
drawn chart's analysis or a stored `SeriesSummary`. The templatetag `spc_icons` draws them.

Assurance is left out, with no icon, where it cannot be judged: without a target, without a
better direction (no good or bad side of the limits) and on run charts (no limits). NHS draws
no assurance icon without a target either, and an extra "not assessed" icon beside every such
chart would only be noise; the target, when there is one, is named beside the chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext_lazy as _

from indicators.spc import Analysis

VARIATION_LABELS = {
    "common_cause": _("Almindelig årsag – tilfældig variation"),
    "improving_high": _("Særlig årsag – forbedring (høj)"),
    "improving_low": _("Særlig årsag – forbedring (lav)"),
    "concerning_high": _("Særlig årsag – forværring (høj)"),
    "concerning_low": _("Særlig årsag – forværring (lav)"),
    "neither_high": _("Særlig årsag – hverken forbedring eller forværring (høj)"),
    "neither_low": _("Særlig årsag – hverken forbedring eller forværring (lav)"),
    "neither": _("Særlig årsag – hverken forbedring eller forværring"),
}
ASSURANCE_LABELS = {
    "consistently_passing": _("Målet nås konsekvent"),
    "consistently_failing": _("Målet nås konsekvent ikke"),
    "hit_and_miss": _("Målet nås kun nogle gange"),
}
# The engine's assurance (indicators.spc.analyse) under Making Data Count's names.
_ASSURANCE_KINDS = {
    "met_reliably": "consistently_passing",
    "never_met": "consistently_failing",
    "sometimes": "hit_and_miss",
}


@dataclass(frozen=True)
class SpcIcons:
    """The variation and assurance icon of one series; None where none is drawn."""

    variation: str | None
    assurance: str | None

    @property
    def variation_label(self) -> str:
        return str(VARIATION_LABELS[self.variation]) if self.variation else ""

    @property
    def assurance_label(self) -> str:
        return str(ASSURANCE_LABELS[self.assurance]) if self.assurance else ""


def icon_kinds(
    *, verdict: str, direction: str | None, side: int, assurance: str | None
) -> SpcIcons:
    """Map a verdict (`Analysis.overall_verdict`), the better direction ("up", "down", None or
    "none"), the side of the CL where the latest signal lies (+1, -1, 0 unknown) and the engine's
    assurance to the icons.

    High or low follows from the direction for an improvement or a deterioration (an improvement
    is high when higher is better); without a direction only the signal's side tells it.
    """
    return SpcIcons(_variation(verdict, direction, side), _ASSURANCE_KINDS.get(assurance or ""))


def _variation(verdict: str, direction: str | None, side: int) -> str | None:
    if verdict == "common_cause":
        return "common_cause"
    if verdict in ("improvement", "deterioration") and direction in ("up", "down"):
        high = (verdict == "improvement") == (direction == "up")
        kind = "improving" if verdict == "improvement" else "concerning"
        return f"{kind}_{'high' if high else 'low'}"
    if verdict == "no_direction_signal":
        return {1: "neither_high", -1: "neither_low"}.get(side, "neither")
    return None  # too few data: no verdict to draw


def icons_for_analysis(analysis: Analysis | None) -> SpcIcons:
    """The icons of a chart's latest phase (its `overall_verdict`, as the chart's badge)."""
    if analysis is None:
        return SpcIcons(None, None)
    return icon_kinds(
        verdict=analysis.overall_verdict,
        direction=analysis.direction,
        side=analysis.signal_side,
        assurance=analysis.assurance,
    )


class _Summary(Protocol):
    verdict: str
    signal_side: int
    assurance: str


def icons_for_summary(summary: _Summary, better_direction: str) -> SpcIcons:
    """The icons of a stored `SeriesSummary` of an indicator with `better_direction`."""
    return icon_kinds(
        verdict=summary.verdict,
        direction=better_direction,
        side=summary.signal_side,
        assurance=summary.assurance,
    )
