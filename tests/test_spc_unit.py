"""Small hand-checked cases for indicators.spc; the arithmetic is worked out in the comments."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from indicators.spc import (
    Analysis,
    analyse,
    analyse_parts,
    crossings_limit,
    longest_run_limit,
    qbinom_05,
)
from indicators.spc_text import (
    ASSURANCE_LABELS_DA,
    VERDICT_LABELS_DA,
    format_number_da,
    summary_text_da,
)

# Anhøj & Olesen 2014, table 1: useful points -> (longest run limit, fewest crossings).
ANHOEJ_TABLE = {
    10: (6, 2), 11: (6, 2), 12: (7, 3), 13: (7, 3), 14: (7, 4), 15: (7, 4), 16: (7, 4),
    17: (7, 5), 18: (7, 5), 19: (7, 6), 20: (7, 6), 21: (7, 6), 22: (7, 7), 23: (8, 7),
    24: (8, 8), 25: (8, 8), 26: (8, 8), 27: (8, 9), 28: (8, 9), 29: (8, 10), 30: (8, 10),
}  # fmt: skip

# 30 points: "1, 1, 9" six times, three more 1s, then nine 9s. Fifteen 1s and fifteen 9s, so
# the median is (1 + 9) / 2 = 5 and no point sits on it. Runs: [1,1],[9] x 6 = 12 runs, then
# [1,1,1] and [9 x 9]: 14 runs, 13 crossings (limit 10 for n = 30); longest run 9 > 8.
LONG_RUN_SERIES = [1, 1, 9] * 6 + [1, 1, 1] + [9] * 9


def _exact_qbinom_05(size: int) -> int:
    """Independent check: add the Binomial(size, 1/2) pmf as exact fractions until >= 1/20."""
    cumulative = Fraction(0)
    for k in range(size + 1):
        cumulative += Fraction(math.comb(size, k), 2**size)
        if cumulative >= Fraction(1, 20):
            return k
    raise AssertionError("the cdf reaches 1")


@pytest.mark.parametrize("n_useful", range(10, 31))
def test_it_computes_the_crossings_limit_exactly(n_useful: int) -> None:
    assert crossings_limit(n_useful) == _exact_qbinom_05(n_useful - 1)
    assert qbinom_05(n_useful - 1) == _exact_qbinom_05(n_useful - 1)


@pytest.mark.parametrize(("n_useful", "limits"), ANHOEJ_TABLE.items())
def test_it_agrees_with_the_published_anhoej_table(n_useful: int, limits: tuple[int, int]) -> None:
    assert (longest_run_limit(n_useful), crossings_limit(n_useful)) == limits


def test_it_computes_qbinom_for_tiny_sizes() -> None:
    # size 0: P(X <= 0) = 1. size 4: P(X <= 0) = 1/16 = 0.0625 >= 0.05, so k = 0.
    # size 5: P(X <= 0) = 1/32 = 0.031 < 0.05, P(X <= 1) = 6/32 = 0.19, so k = 1.
    assert [qbinom_05(0), qbinom_05(4), qbinom_05(5)] == [0, 0, 1]
    with pytest.raises(ValueError):
        qbinom_05(-1)


def test_it_flags_a_nine_point_run() -> None:
    result = analyse(LONG_RUN_SERIES, chart="run")

    assert result.cl == 5
    assert result.n_obs == result.n_useful == 30
    assert (result.longest_run, result.longest_run_max) == (9, 8)
    assert (result.n_crossings, result.n_crossings_min) == (13, 10)
    assert result.runs_signal is True
    assert result.in_long_run == [False] * 21 + [True] * 9
    assert result.sigma_signal == 0
    assert result.lcl == result.ucl == [None] * 30


def test_it_ignores_points_on_the_median_and_missing_points() -> None:
    # Median of 1, 2, 3, 4, 5 is 3: the 3 and the missing point leave 4 useful points,
    # runs [1, 2] and [4, 5]: one crossing; limits round(log2 4) + 3 = 5 and qbinom(3) = 0.
    result = analyse([1, 2, None, 3, 4, 5], chart="run")

    assert result.cl == 3
    assert (result.n_obs, result.n_useful) == (6, 4)
    assert (result.longest_run, result.longest_run_max) == (2, 5)
    assert (result.n_crossings, result.n_crossings_min) == (1, 0)
    assert result.runs_signal is False


def test_it_screens_the_moving_ranges_of_an_i_chart() -> None:
    # y = 10, 11 alternating (9 points) then 50. Mean = (5*10 + 4*11 + 50) / 10 = 14.4.
    # Moving ranges: eight 1s and one 40; mean 48 / 9 = 5.33, screening limit 3.267 * 5.33 =
    # 17.4, so the 40 goes and the mean MR is 1: sd = 1 / 1.128, limits 14.4 -/+ 3 / 1.128.
    values = [10, 11, 10, 11, 10, 11, 10, 11, 10, 50]
    result = analyse(values, chart="i")

    assert result.cl == pytest.approx(14.4)
    assert result.lcl == pytest.approx([14.4 - 3 / 1.128] * 10)
    assert result.ucl == pytest.approx([14.4 + 3 / 1.128] * 10)
    # Unscreened, sd would be 5.33 / 1.128 and the UCL 28.6; screened, 50 is far outside and
    # every 10 and 11 lies below the LCL of 11.74.
    assert result.outside_limits == [True] * 10
    assert result.sigma_signal == 10


def test_it_keeps_moving_ranges_within_the_baseline_and_off_gaps() -> None:
    # Baseline 1, 3, None, 4, 6: MRs |3-1| = 2 and |6-4| = 2 (none across the gap), mean 2,
    # sd 2 / 1.128; mean of the baseline values (1 + 3 + 4 + 6) / 4 = 3.5. The 100 is outside.
    result = analyse([1, 3, None, 4, 6, 100], chart="i", freeze=5)

    assert result.cl == pytest.approx(3.5)
    assert result.ucl[0] == pytest.approx(3.5 + 3 * 2 / 1.128)
    assert result.outside_limits == [False] * 5 + [True]


def test_it_gives_an_i_chart_of_equal_values_zero_width_limits() -> None:
    result = analyse([7, 7, 7, 7], chart="i")

    assert result.cl == 7
    assert result.lcl == result.ucl == [7, 7, 7, 7]
    assert result.sigma_signal == 0
    assert result.n_useful == 0


def test_it_takes_cl_from_the_frozen_baseline_and_runs_over_all_points() -> None:
    # Baseline 1, 2, 3, 4: median 2.5. All 12 points are useful: runs [1, 2] and [3 .. 12]
    # (10 points > limit 7 for n = 12), one crossing < 3.
    result = analyse(list(range(1, 13)), chart="run", freeze=4)

    assert result.baseline == 4
    assert result.cl == 2.5
    assert result.n_useful == 12
    assert (result.longest_run, result.longest_run_max) == (10, 7)
    assert (result.n_crossings, result.n_crossings_min) == (1, 3)
    assert result.runs_signal is True


def test_it_computes_a_frozen_p_chart_from_the_baseline_sums() -> None:
    # Baseline 4 x 1/10: CL = 4/40 = 0.1 (all six points would give 14/60 = 0.233).
    # sd = sqrt(0.1 * 0.9 / 10) = 0.0949; UCL = 0.1 + 0.285 = 0.385, so 5/10 is outside.
    result = analyse([1, 1, 1, 1, 5, 5], [10] * 6, chart="p", freeze=4)

    assert result.cl == pytest.approx(0.1)
    assert result.ucl[0] == pytest.approx(0.1 + 3 * math.sqrt(0.09 / 10))
    assert result.lcl[0] == 0  # 0.1 - 0.285 clipped at 0
    assert result.sigma_signal == 2


def test_it_computes_u_and_p_limits_per_point() -> None:
    # u: CL = (2 + 4) / (100 + 200) = 0.02; sd_1 = sqrt(0.02 / 100) = 0.01414,
    # UCL_1 = 0.02 + 0.04243 = 0.06243, LCL_1 = max(0, 0.02 - 0.04243) = 0.
    u = analyse([2, 4], [100, 200], chart="u")
    assert u.cl == pytest.approx(0.02)
    assert u.ucl == pytest.approx([0.02 + 3 * math.sqrt(0.02 / 100), 0.02 + 3 * math.sqrt(1e-4)])
    assert u.lcl == [0, 0]
    # p: CL = 20 / 100 = 0.2; sd = sqrt(0.2 * 0.8 / 50) = 0.05657; limits 0.0303 and 0.3697.
    p = analyse([5, 15], [50, 50], chart="p")
    assert p.lcl == pytest.approx([0.2 - 3 * math.sqrt(0.0032)] * 2)
    assert p.ucl == pytest.approx([0.2 + 3 * math.sqrt(0.0032)] * 2)
    # p clipped: CL = 0.5, sd = sqrt(0.25 / 2) = 0.354, so 0.5 -/+ 1.06 is clipped to [0, 1].
    clipped = analyse([1], [2], chart="p")
    assert (clipped.lcl, clipped.ucl) == ([0], [1])


def test_it_scales_by_the_multiplier() -> None:
    result = analyse([5, 15], [50, 50], chart="p", multiplier=100)

    assert result.y == pytest.approx([10, 30])
    assert result.cl == pytest.approx(20)
    assert result.ucl[0] == pytest.approx(20 + 300 * math.sqrt(0.0032))


def test_it_treats_zero_denominators_as_missing() -> None:
    result = analyse([1, 0, 2], [10, 0, 10], chart="u")

    assert result.y == [0.1, None, 0.2]
    assert result.cl == pytest.approx(3 / 20)
    assert result.lcl[1] is None and result.ucl[1] is None
    assert (result.n_obs, result.n_useful) == (3, 2)


@pytest.mark.parametrize("chart", ["run", "i", "c"])
@pytest.mark.parametrize("values", [[], [None, None], [4], [3, 3, 3]])
def test_it_survives_degenerate_series(chart: str, values: list[float | None]) -> None:
    result = analyse(values, chart=chart)

    assert result.n_obs == len(values)
    assert result.runs_signal is False
    assert result.verdict == "too_few_data"
    if result.n_useful == 0:
        assert result.longest_run is None and result.n_crossings_min is None


def test_it_defines_the_limits_for_one_and_two_useful_points() -> None:
    # Frozen CL = 2 (the first point, which then sits on the CL). [2, 5]: one useful point,
    # longest run 1, limit round(log2 1) + 3 = 3, no crossings, qbinom(0.05, 0) = 0.
    one = analyse([2, 5], chart="run", freeze=1)
    assert (one.n_useful, one.longest_run, one.longest_run_max) == (1, 1, 3)
    assert (one.n_crossings, one.n_crossings_min) == (0, 0)
    # [2, 1, 5]: two useful points on either side: limit round(log2 2) + 3 = 4, one crossing,
    # qbinom(0.05, 1) = 0 because P(X <= 0) = 0.5.
    two = analyse([2, 1, 5], chart="run", freeze=1)
    assert (two.n_useful, two.longest_run, two.longest_run_max) == (2, 1, 4)
    assert (two.n_crossings, two.n_crossings_min) == (1, 0)


def test_it_splits_a_series_into_parts() -> None:
    parts = analyse_parts([1, 2, 1, 2, 1, 2, 10, 11, 10, 11, 10, 11], chart="run", breaks=[6])

    assert [start for start, _ in parts] == [0, 6]
    first, second = parts[0].analysis, parts[1].analysis
    assert (first.cl, second.cl) == (1.5, 10.5)
    assert first.n_obs == second.n_obs == 6
    assert first.n_crossings == second.n_crossings == 5
    # Unsplit, the step would be a long run: 1, 2 below and 10, 11 above a median of 6.
    assert analyse([1, 2, 1, 2, 1, 2, 10, 11, 10, 11, 10, 11]).n_crossings == 1


def test_it_splits_denominators_with_their_values() -> None:
    parts = analyse_parts([1, 2, 30, 40], [10, 10, 100, 100], chart="u", breaks=(2,))

    assert parts[0].analysis.cl == pytest.approx(3 / 20)
    assert parts[1].analysis.cl == pytest.approx(70 / 200)


@pytest.mark.parametrize("breaks", [(0,), (12,), (-1,), (3.5,)])
def test_it_rejects_breaks_outside_the_series(breaks: tuple[float, ...]) -> None:
    with pytest.raises(ValueError, match="break"):
        analyse_parts(list(range(12)), breaks=breaks)  # type: ignore[arg-type]


def test_it_rejects_freeze_with_parts() -> None:
    with pytest.raises(ValueError, match="freeze"):
        analyse_parts(list(range(12)), breaks=(6,), freeze=3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("direction", "verdict"), [("up", "improvement"), ("down", "deterioration"), (None, None)]
)
def test_it_judges_a_high_run_by_direction(direction: str | None, verdict: str | None) -> None:
    result = analyse(LONG_RUN_SERIES, chart="run", direction=direction)

    assert result.verdict == (verdict or "no_direction_signal")


@pytest.mark.parametrize(
    ("direction", "verdict"), [("up", "deterioration"), ("down", "improvement")]
)
def test_it_judges_a_low_run_by_direction(direction: str, verdict: str) -> None:
    mirrored = [10 - v for v in LONG_RUN_SERIES]  # the nine-point run now lies below the CL

    assert analyse(mirrored, chart="run", direction=direction).verdict == verdict


@pytest.mark.parametrize(
    ("direction", "verdict"), [("up", "improvement"), ("down", "deterioration")]
)
def test_it_judges_a_point_above_the_limits_by_direction(direction: str, verdict: str) -> None:
    # c chart: 2, 12 alternating (6 x 2, 5 x 12), then 40. CL = (12 + 60 + 40) / 12 = 9.33,
    # sd = 3.06, UCL = 18.5, LCL = 0.17: only the 40 is outside, and the runs alternate.
    result = analyse([2, 12] * 5 + [2, 40], chart="c", direction=direction)

    assert result.outside_limits == [False] * 11 + [True]
    assert result.runs_signal is False
    assert result.verdict == verdict


def test_it_calls_random_variation_common_cause() -> None:
    result = analyse([1, 2] * 6, chart="run", direction="up")

    assert (result.n_crossings, result.longest_run) == (11, 1)
    assert result.verdict == "common_cause"


def test_it_needs_ten_useful_points_for_a_verdict() -> None:
    assert analyse([1, 9] * 4 + [1], direction="up").verdict == "too_few_data"


@pytest.mark.parametrize(
    ("direction", "target", "assurance"),
    [
        # c chart of 8, 12 alternating: CL 10, sd sqrt(10) = 3.162, limits 0.513 and 19.49.
        ("up", 0.3, "met_reliably"),
        ("up", 25, "never_met"),
        ("up", 10, "sometimes"),
        ("down", 25, "met_reliably"),
        ("down", 0.3, "never_met"),
        ("down", 19, "sometimes"),
        (None, 25, None),
        ("up", None, None),
    ],
)
def test_it_gives_target_assurance(
    direction: str | None, target: float | None, assurance: str | None
) -> None:
    result = analyse([8, 12] * 6, chart="c", direction=direction, target=target)

    assert result.lcl[-1] == pytest.approx(10 - 3 * math.sqrt(10))
    assert result.assurance == assurance


def test_it_gives_no_assurance_for_a_run_chart() -> None:
    assert analyse([8, 12] * 6, direction="up", target=0).assurance is None


def test_it_has_danish_labels_for_every_verdict_and_assurance() -> None:
    assert set(VERDICT_LABELS_DA) == {
        "too_few_data", "improvement", "deterioration", "common_cause", "no_direction_signal"
    }  # fmt: skip
    assert set(ASSURANCE_LABELS_DA) == {"met_reliably", "never_met", "sometimes"}


def test_it_writes_the_summary_with_decimal_commas() -> None:
    # Twelve 60s and twelve 65s: median 62.5, alternating so no signal.
    result = analyse([60, 65] * 12, chart="run", direction="up")
    text = summary_text_da(result, title="Andel screenet", unit="%", decimals=1)

    assert text == (
        "Andel screenet. Seriediagram: 24 målinger, median 62,5 %, intet signal. "
        "Vurdering: Tilfældig variation."
    )


def test_it_names_the_signal_in_the_summary() -> None:
    result = analyse(LONG_RUN_SERIES, chart="run", direction="up")
    text = summary_text_da(result, title="Titel")

    assert (
        "Seriediagram: 30 målinger, median 5, signal: for lang serie (9 punkter, grænse 8)" in text
    )
    assert "Forbedring" in text


def test_it_summarises_a_control_chart_with_target() -> None:
    result = analyse([8, 12] * 6, chart="c", direction="up", target=25)
    text = summary_text_da(result, title="Fald", decimals=2)

    assert "C-kort: 12 målinger, middelværdi 10,00, kontrolgrænser 0,51 til 19,49" in text
    assert "Mål: 25,00. Målet nås ikke uden ændringer." in text


def test_it_summarises_an_empty_series() -> None:
    assert summary_text_da(analyse([], chart="u", denominators=[]), title="X") == (
        "X. U-kort: ingen data."
    )


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (1234.5, 1, "1.234,5"),
        (0.0018235, None, "0,00182"),
        (62.0, None, "62"),
        (-0.0001, 1, "0,0"),
        (-2.5, 2, "-2,50"),
    ],
)
def test_it_formats_numbers_the_danish_way(value: float, decimals: int | None, text: str) -> None:
    assert format_number_da(value, decimals) == text


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"values": [1], "chart": "x"}, "Unknown chart kind"),
        ({"values": [1, 2], "denominators": [1], "chart": "u"}, "differ in length"),
        ({"values": [1], "denominators": [-1], "chart": "u"}, "negative"),
        ({"values": [3], "denominators": [2], "chart": "p"}, "exceeds"),
        ({"values": [1], "chart": "p"}, "needs denominators"),
        ({"values": [1], "denominators": [2], "chart": "c"}, "no denominators"),
        ({"values": [-1], "chart": "c"}, "negative"),
        ({"values": ["1"]}, "must be a number"),
        ({"values": [math.inf]}, "finite"),
        ({"values": [1], "freeze": 0}, "freeze"),
        ({"values": [1], "direction": "sideways"}, "direction"),
        ({"values": [1], "multiplier": 0}, "multiplier"),
    ],
)
def test_it_rejects_arguments_that_cannot_be_meant(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        analyse(**kwargs)  # type: ignore[arg-type]


def test_it_returns_a_frozen_analysis() -> None:
    result = analyse([1, 2, 3])

    assert isinstance(result, Analysis)
    with pytest.raises(AttributeError):
        result.cl = 0  # type: ignore[misc]


# Nine points at 10, then fifteen lower ones that cross the median now and then:
# sorted, the 12th and 13th values are 3 and 9, so the median is 6; the nine-point run above
# it is the only run longer than 8 (24 useful points); after it, the level sits at 3.
FALLEN_SERIES = [10] * 9 + [2, 3, 9, 2, 3, 2, 9, 3, 2, 3, 9, 2, 3, 2, 3]


@pytest.mark.parametrize(
    ("direction", "verdict"), [("down", "improvement"), ("up", "deterioration")]
)
def test_an_early_high_run_followed_by_lower_values_is_a_fall(direction: str, verdict: str) -> None:
    result = analyse(FALLEN_SERIES, chart="run", direction=direction)

    assert (result.cl, result.longest_run, result.longest_run_max) == (6, 9, 8)
    assert result.runs_signal
    assert result.verdict == verdict
