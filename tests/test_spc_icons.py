"""Variation and assurance icons (NHS England, Making Data Count) from the portal's own analyses.

The expected kinds are written by hand from SPC.md, not computed by the code under test.
"""

from __future__ import annotations

import pytest

from indicators import spc
from indicators.icons import SpcIcons, icon_kinds, icons_for_analysis

LOW_THEN_HIGH = [9, 11] * 5 + [19, 21] * 5  # a run of 10 above the mean (limit 7 for 20 points)
HIGH_THEN_LOW = [19, 21] * 5 + [9, 11] * 5
STABLE = [9, 11] * 10  # mean 10; I-chart limits 10 ± 3 × 2 / 1.128 = 4.68 to 15.32


@pytest.mark.parametrize(
    ("verdict", "direction", "side", "expected"),
    [
        ("too_few_data", "up", 0, None),
        ("common_cause", "up", 0, "common_cause"),
        ("common_cause", None, 0, "common_cause"),
        ("improvement", "up", 1, "improving_high"),
        ("improvement", "down", -1, "improving_low"),
        ("deterioration", "up", -1, "concerning_low"),
        ("deterioration", "down", 1, "concerning_high"),
        ("no_direction_signal", None, 1, "neither_high"),
        ("no_direction_signal", None, -1, "neither_low"),
        ("no_direction_signal", "none", 1, "neither_high"),
        ("no_direction_signal", None, 0, "neither"),
    ],
)
def test_it_maps_every_verdict_to_its_variation_icon(verdict, direction, side, expected) -> None:
    icons = icon_kinds(verdict=verdict, direction=direction, side=side, assurance=None)
    assert icons == SpcIcons(expected, None)


@pytest.mark.parametrize(
    ("assurance", "expected"),
    [
        ("met_reliably", "consistently_passing"),
        ("never_met", "consistently_failing"),
        ("sometimes", "hit_and_miss"),
        (None, None),
        ("", None),  # a summary stores "no assurance" as an empty string
    ],
)
def test_it_maps_every_assurance_to_its_icon(assurance, expected) -> None:
    icons = icon_kinds(verdict="common_cause", direction="up", side=0, assurance=assurance)
    assert icons.assurance == expected


@pytest.mark.parametrize(
    ("values", "direction", "expected"),
    [
        (LOW_THEN_HIGH, "up", "improving_high"),
        (LOW_THEN_HIGH, "down", "concerning_high"),
        (LOW_THEN_HIGH, None, "neither_high"),
        (HIGH_THEN_LOW, "up", "concerning_low"),
        (HIGH_THEN_LOW, "down", "improving_low"),
        (HIGH_THEN_LOW, None, "neither_low"),
        (STABLE, "up", "common_cause"),
        (STABLE[:8], "up", None),  # too few data: no variation icon
    ],
)
def test_an_analysed_series_gets_its_variation_icon(values, direction, expected) -> None:
    analysis = spc.analyse(values, chart="i", direction=direction)
    assert icons_for_analysis(analysis).variation == expected


@pytest.mark.parametrize(
    ("direction", "target", "expected"),
    [
        ("up", 3, "consistently_passing"),  # below the LCL (4.68) when higher is better
        ("up", 20, "consistently_failing"),  # above the UCL (15.32)
        ("up", 10, "hit_and_miss"),
        ("down", 20, "consistently_passing"),
        ("down", 3, "consistently_failing"),
        ("down", 15, "hit_and_miss"),
        ("up", None, None),  # no target
        (None, 3, None),  # no better direction: neither good nor bad side
    ],
)
def test_an_analysed_series_gets_its_assurance_icon(direction, target, expected) -> None:
    analysis = spc.analyse(STABLE, chart="i", direction=direction, target=target)
    assert icons_for_analysis(analysis).assurance == expected


def test_a_run_chart_has_no_assurance_icon_as_it_has_no_limits() -> None:
    analysis = spc.analyse(STABLE, chart="run", direction="up", target=3)
    assert icons_for_analysis(analysis) == SpcIcons("common_cause", None)


def test_a_missing_analysis_has_no_icons() -> None:
    assert icons_for_analysis(None) == SpcIcons(None, None)
