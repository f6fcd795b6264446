"""Invariants of indicators.spc that must hold for any series (hypothesis)."""

from __future__ import annotations

import math
from dataclasses import fields

from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.spc import CHART_KINDS, Analysis, analyse

SETTINGS = settings(max_examples=200, deadline=None)
PER_POINT = {"y", "lcl", "ucl", "in_long_run", "outside_limits"}


@st.composite
def series(
    draw: st.DrawFn, kinds: tuple[str, ...] = CHART_KINDS, max_size: int = 40
) -> tuple[str, list[float | None], list[float | None] | None]:
    """A chart kind with matching values and denominators, missing points and zeros included."""
    kind = draw(st.sampled_from(kinds))
    size = draw(st.integers(0, max_size))
    # Few distinct values make points on the CL and ties common, which is where bugs hide.
    small = st.integers(0, 6)
    if kind in ("p", "pp"):
        dens: list[float | None] = draw(
            st.lists(st.one_of(st.none(), st.integers(0, 60)), min_size=size, max_size=size)
        )
        values: list[float | None] = [
            None if d is None else draw(st.one_of(st.none(), st.integers(0, d))) for d in dens
        ]
        return kind, values, dens
    if kind in ("u", "up"):
        dens = draw(
            st.lists(
                st.one_of(st.none(), st.just(0), st.floats(0.5, 1e4)), min_size=size, max_size=size
            )
        )
        values = draw(
            st.lists(st.one_of(st.none(), small, st.integers(0, 200)), min_size=size, max_size=size)
        )
        return kind, values, dens
    if kind == "c":
        values = draw(
            st.lists(st.one_of(st.none(), small, st.integers(0, 100)), min_size=size, max_size=size)
        )
        return kind, values, None
    number = st.one_of(st.none(), small, st.floats(-1e6, 1e6))
    values = draw(st.lists(number, min_size=size, max_size=size))
    return kind, values, None


def _same_apart_from_length(a: Analysis, b: Analysis, n: int) -> None:
    """Every field equal, per-point lists compared over the first n points, counts skipped."""
    for f in fields(Analysis):
        # n_obs counts missing points, and the default baseline is every point.
        if f.name in ("n_obs", "baseline"):
            continue
        left, right = getattr(a, f.name), getattr(b, f.name)
        if f.name in PER_POINT:
            left, right = left[:n], right[:n]
        assert left == right, f.name


@SETTINGS
@given(series())
def test_runs_figures_stay_within_their_bounds(case: tuple) -> None:
    kind, values, dens = case
    result = analyse(values, dens, chart=kind)

    assert result.n_obs == len(values)
    assert 0 <= result.n_useful <= result.n_points <= result.n_obs
    if result.n_useful:
        assert result.n_crossings is not None and result.longest_run is not None
        assert 0 <= result.n_crossings <= result.n_useful - 1
        assert 1 <= result.longest_run <= result.n_useful
        assert result.n_crossings_min is not None
        assert 0 <= result.n_crossings_min <= result.n_useful - 1
    else:
        assert result.longest_run is None and result.n_crossings is None
        assert result.runs_signal is False
    assert result.sigma_signal == sum(result.outside_limits)
    assert (result.verdict == "too_few_data") == (result.n_useful < 10)


@SETTINGS
@given(series())
def test_flags_cover_the_long_run(case: tuple) -> None:
    kind, values, dens = case
    result = analyse(values, dens, chart=kind)

    assert len(result.in_long_run) == len(result.outside_limits) == result.n_obs
    if result.longest_run is not None and result.longest_run_max is not None:
        if result.longest_run > result.longest_run_max:
            assert sum(result.in_long_run) >= result.longest_run
            assert result.runs_signal
        else:
            assert not any(result.in_long_run)
    for v, long_run, outside in zip(
        result.y, result.in_long_run, result.outside_limits, strict=True
    ):
        if v is None:
            assert not long_run and not outside
        elif long_run:
            assert v != result.cl


@SETTINGS
@given(series(kinds=("p", "u", "c", "i", "pp", "up")))
def test_limits_are_symmetric_unless_clipped(case: tuple) -> None:
    kind, values, dens = case
    result = analyse(values, dens, chart=kind)

    if result.cl is None:
        assert all(v is None for v in result.lcl + result.ucl)
        return
    for low, high in zip(result.lcl, result.ucl, strict=True):
        if low is None or high is None:
            continue
        assert low <= result.cl <= high
        clipped = low == 0 or (kind in ("p", "pp") and high == 1)
        if not clipped:
            scale = max(1.0, abs(result.cl), abs(high))
            assert math.isclose(
                high - result.cl, result.cl - low, rel_tol=1e-9, abs_tol=1e-9 * scale
            )


@SETTINGS
@given(series(kinds=("p", "pp")))
def test_p_limits_stay_within_zero_and_one(case: tuple) -> None:
    kind, values, dens = case
    result = analyse(values, dens, chart=kind)

    for v in result.lcl + result.ucl + result.y:
        assert v is None or 0 <= v <= 1


@SETTINGS
@given(series(kinds=("u", "c")))
def test_u_and_c_lower_limits_are_never_negative(case: tuple) -> None:
    kind, values, dens = case
    result = analyse(values, dens, chart=kind)

    assert all(v is None or v >= 0 for v in result.lcl)


@SETTINGS
@given(series(), st.integers(1, 5))
def test_missing_points_at_the_end_change_nothing(case: tuple, extra: int) -> None:
    kind, values, dens = case
    padded_dens = None if dens is None else dens + [None] * extra
    result = analyse(values, dens, chart=kind, direction="up", target=1)
    padded = analyse(values + [None] * extra, padded_dens, chart=kind, direction="up", target=1)

    assert padded.n_obs == result.n_obs + extra
    _same_apart_from_length(result, padded, len(values))
    assert padded.y[len(values) :] == [None] * extra


@SETTINGS
@given(series(), st.randoms(use_true_random=False))
def test_the_centre_line_ignores_the_order_of_points(case: tuple, rnd: object) -> None:
    kind, values, dens = case
    order = list(range(len(values)))
    rnd.shuffle(order)  # type: ignore[attr-defined]
    shuffled = [values[i] for i in order]
    shuffled_dens = None if dens is None else [dens[i] for i in order]

    # Sums are correctly rounded (math.fsum), so the CL is identical, not merely close.
    assert analyse(shuffled, shuffled_dens, chart=kind).cl == analyse(values, dens, chart=kind).cl


@SETTINGS
@given(series(), st.sampled_from([10, 100, 1000]))
def test_the_multiplier_only_scales(case: tuple, multiplier: int) -> None:
    kind, values, dens = case
    plain = analyse(values, dens, chart=kind)
    scaled = analyse(values, dens, chart=kind, multiplier=multiplier)

    assert scaled.runs_signal == plain.runs_signal
    assert scaled.sigma_signal == plain.sigma_signal
    assert (scaled.n_useful, scaled.longest_run, scaled.n_crossings) == (
        plain.n_useful, plain.longest_run, plain.n_crossings
    )  # fmt: skip
    if plain.cl is None:
        assert scaled.cl is None
    else:
        assert scaled.cl is not None
        assert math.isclose(scaled.cl, plain.cl * multiplier, rel_tol=1e-12, abs_tol=1e-300)


@SETTINGS
@given(
    st.sampled_from(["run", "i", "c"]),
    st.lists(st.one_of(st.none(), st.floats(0, 1e300)), max_size=30),
    st.one_of(st.none(), st.integers(1, 35)),
    st.sampled_from([None, "up", "down"]),
)
def test_it_never_raises_on_extreme_finite_values(
    kind: str, values: list[float | None], freeze: int | None, direction: str | None
) -> None:
    result = analyse(values, chart=kind, freeze=freeze, direction=direction, target=0)

    assert result.n_obs == len(values)


@SETTINGS
@given(
    st.lists(st.one_of(st.none(), st.floats(-1.7e308, 1.7e308)), max_size=30),
    st.one_of(st.none(), st.integers(1, 35)),
)
def test_it_never_raises_on_any_finite_run_or_i_series(
    values: list[float | None], freeze: int | None
) -> None:
    for kind in ("run", "i"):
        assert analyse(values, chart=kind, freeze=freeze).n_obs == len(values)


@SETTINGS
@given(
    st.lists(st.tuples(st.floats(0, 1e300), st.floats(0, 1e300)), max_size=30),
    st.one_of(st.none(), st.integers(1, 35)),
)
def test_it_never_raises_on_extreme_rates(
    pairs: list[tuple[float, float]], freeze: int | None
) -> None:
    values = [v for v, _ in pairs]
    dens = [d for _, d in pairs]
    result = analyse(values, dens, chart="u", freeze=freeze, direction="down", target=1)

    assert result.n_obs == len(pairs)
    proportions = [(min(v, d), d) for v, d in pairs]
    p = analyse([v for v, _ in proportions], dens, chart="p", freeze=freeze)
    assert all(v is None or 0 <= v <= 1 for v in p.lcl + p.ucl)
