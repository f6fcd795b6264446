"""Laney p′ and u′ charts and the change from the previous phase (SPC.md: "Laney p′ and u′",
"Phases"). Expected values are computed here from the formulas, not by the engine."""

from __future__ import annotations

import math

import pytest

from indicators.spc import analyse, analyse_parts
from indicators.spc_text import summary_text_da


def laney_by_hand(nums, dens, proportion, baseline=None):
    """CL, sigma_z and per-point limits straight from SPC.md's formulas."""
    base = len(nums) if baseline is None else baseline
    cl = math.fsum(nums[:base]) / math.fsum(dens[:base])
    sd = [math.sqrt((cl * (1 - cl) if proportion else cl) / n) for n in dens]
    z = [(y / n - cl) / s for y, n, s in zip(nums[:base], dens[:base], sd, strict=False)]
    moving_ranges = [abs(b - a) for a, b in zip(z, z[1:], strict=False)]
    sigma_z = sum(moving_ranges) / len(moving_ranges) / 1.128
    lcl = [max(0.0, cl - 3 * s * sigma_z) for s in sd]
    ucl = [min(1.0, cl + 3 * s * sigma_z) if proportion else cl + 3 * s * sigma_z for s in sd]
    return cl, sigma_z, lcl, ucl


# Overdispersed audits: large denominators, proportions that vary more than binomially.
NUMS = [812, 955, 700, 880, 990, 650, 865, 960, 740, 985, 780, 870]
DENS = [1000, 1100, 950, 1050, 1150, 900, 1000, 1080, 990, 1120, 1010, 1040]


def test_p_prime_worked_example_step_by_step():
    """Three points written out: CL = 60/300 = 0.2; sd = √(0.2·0.8/100) = 0.04;
    z = (0.1−0.2)/0.04 = −2.5, (0.2−0.2)/0.04 = 0, (0.3−0.2)/0.04 = 2.5;
    MR = 2.5, 2.5; σz = 2.5/1.128 = 2.2163…; limits 0.2 ± 3·0.04·σz = 0.2 ± 0.26596…"""
    result = analyse([10, 20, 30], [100, 100, 100], chart="pp")
    sigma_z = 2.5 / 1.128
    assert result.cl == pytest.approx(0.2, abs=1e-12)
    assert result.ucl == pytest.approx([0.2 + 0.12 * sigma_z] * 3, abs=1e-12)
    assert result.lcl == [0.0, 0.0, 0.0]  # 0.2 − 0.266 clipped at 0
    assert result.chart == "pp"


@pytest.mark.parametrize(("chart", "proportion"), [("pp", True), ("up", False)])
def test_laney_limits_follow_the_formula(chart, proportion):
    cl, sigma_z, lcl, ucl = laney_by_hand(NUMS, DENS, proportion)
    assert sigma_z > 1.2  # the point of Laney: more spread than binomial/Poisson
    result = analyse(NUMS, DENS, chart=chart, multiplier=100)
    assert result.cl == pytest.approx(cl * 100, abs=1e-9)
    assert result.lcl == pytest.approx([v * 100 for v in lcl], abs=1e-9)
    assert result.ucl == pytest.approx([v * 100 for v in ucl], abs=1e-9)
    plain = analyse(NUMS, DENS, chart=chart[0], multiplier=100)
    assert plain.sigma_signal > 0 and result.sigma_signal == 0


@pytest.mark.parametrize(("chart", "proportion"), [("pp", True), ("up", False)])
def test_laney_freeze_takes_sigma_z_from_the_baseline_only(chart, proportion):
    nums = [*NUMS[:6], 990, 995, 990, 999, 995, 990]
    cl, _, lcl, ucl = laney_by_hand(nums, DENS, proportion, baseline=6)
    result = analyse(nums, DENS, chart=chart, freeze=6)
    assert result.cl == pytest.approx(cl, abs=1e-12)
    assert result.lcl == pytest.approx(lcl, abs=1e-12)
    assert result.ucl == pytest.approx(ucl, abs=1e-12)
    assert result.baseline == 6


def test_p_prime_is_clipped_to_zero_and_one():
    result = analyse([1, 99, 2, 98, 50], [100] * 5, chart="pp")
    assert min(result.lcl) == 0.0 and max(result.ucl) == 1.0


@pytest.mark.parametrize(
    ("chart", "nums", "dens"),
    [
        # CL = 0.5, sd = √(0.25/16) = 0.125, z = −1.128, 0, 1.128: σz = 1.128/1.128 = 1.
        ("pp", [5.744, 8, 10.256], [16, 16, 16]),
        # CL = 16, sd = √(16/16) = 1, z = −1.128, 0, 1.128: σz = 1.
        ("up", [237.952, 256, 274.048], [16, 16, 16]),
    ],
)
def test_sigma_z_of_one_gives_exactly_the_p_and_u_limits(chart, nums, dens):
    _, sigma_z, _, _ = laney_by_hand(nums, dens, chart == "pp")
    # 1.128 has no exact binary form: σz is 1 to the last bit of a double.
    assert sigma_z == pytest.approx(1.0, abs=3e-16)
    laney, plain = analyse(nums, dens, chart=chart), analyse(nums, dens, chart=chart[0])
    assert laney.cl == plain.cl
    if chart == "up":  # here sd·σz rounds back to sd: the very same limits
        assert (laney.lcl, laney.ucl) == (plain.lcl, plain.ucl)
    assert laney.lcl == pytest.approx(plain.lcl, abs=1e-15)
    assert laney.ucl == pytest.approx(plain.ucl, abs=1e-15)


def test_laney_without_a_moving_range_has_no_limits():
    result = analyse([10, None, 30], [100, 100, 100], chart="pp")
    assert result.lcl == [None] * 3 and result.ucl == [None] * 3


def test_laney_refuses_what_p_and_u_refuse():
    with pytest.raises(ValueError, match="needs denominators"):
        analyse([1, 2, 3], chart="up")
    with pytest.raises(ValueError, match="cannot exceed 1"):
        analyse([5, 2], [4, 4], chart="pp")


# --- Phases ------------------------------------------------------------------------------------

# KOL: 12 months at about 60 % (of 50 patients), then, after the split, 10 months at about 83 %.
KOL_BEFORE = [30, 31, 29, 30, 32, 28, 30, 31, 29, 30, 31, 29]
KOL_AFTER = [41, 42, 41, 42, 41, 42, 41, 42, 41, 42]
KOL_DENS = [50] * 22


def kol(after=KOL_AFTER, direction="up"):
    return analyse_parts(
        KOL_BEFORE + after, KOL_DENS, "p", [12], direction=direction, multiplier=100
    )


def test_a_rise_after_the_split_is_an_improvement_on_the_previous_phase():
    parts = kol()
    latest = parts[-1].analysis
    assert latest.verdict == "common_cause"  # stable at its new level
    change = latest.phase_change
    assert change is not None
    assert change.direction == "improvement"
    assert change.previous_cl == pytest.approx(100 * 360 / 600)  # 60 %
    assert change.latest_cl == pytest.approx(100 * 415 / 500)  # 83 %
    # All ten points lie above 60 %: one run of 10 > round(log2 10) + 3 = 6, no crossing.
    assert (change.longest_run, change.longest_run_max) == (10, 6)
    assert (change.n_crossings, change.n_crossings_min) == (0, 2)
    assert latest.overall_verdict == "improvement" and latest.versus_previous_phase
    text = summary_text_da(latest, title="KOL", unit="%")
    assert "Vurdering: Forbedring i forhold til forrige fase (fra 60 % til 83 %)." in text
    assert "Tilfældig variation" not in text and "Forværring" not in text


def test_the_same_rise_is_a_deterioration_when_lower_is_better():
    latest = kol(direction="down")[-1].analysis
    assert latest.overall_verdict == "deterioration"
    assert "Forværring i forhold til forrige fase (fra 60 % til 83 %)" in summary_text_da(
        latest, title="KOL", unit="%"
    )


def test_no_change_from_the_previous_phase_keeps_the_own_verdict():
    latest = kol(after=[31, 29, 32, 28, 31, 29, 31, 29, 32, 28])[-1].analysis
    assert latest.phase_change is not None and latest.phase_change.direction == "none"
    assert latest.overall_verdict == latest.verdict == "common_cause"
    assert "forrige fase" not in summary_text_da(latest, title="KOL", unit="%")


def test_without_a_split_there_is_no_phase_change():
    (only,) = analyse_parts(KOL_BEFORE, KOL_DENS[:12], "p", direction="up")
    assert only.analysis.phase_change is None
    assert only.analysis.overall_verdict == only.analysis.verdict
