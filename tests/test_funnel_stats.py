"""Funnel plot statistics (Spiegelhalter 2005; SPC.md "Funnel plots"): a worked example by hand."""

from __future__ import annotations

import math

import pytest

from indicators.funnel import FunnelPoint, analyse_funnel

Z_95, Z_998 = 1.959963984540054, 3.090232306167813  # qnorm(0.975), qnorm(0.999)

# Five teams, proportions.
TEAMS = [("A", 20, 100), ("B", 60, 200), ("C", 100, 400), ("D", 40, 100), ("E", 30, 200)]


def points(rows=TEAMS):
    return [FunnelPoint(*row) for row in rows]


def test_worked_example_with_overdispersion():
    # 1. θ = Σy/Σn = 250/1000 = 0.25; θ(1−θ) = 0.1875.
    # 2. s_i = √(0.1875/n_i): n=100 → 0.0433013, n=200 → 0.0306186, n=400 → 0.0216506.
    # 3. z_i = (p_i − θ)/s_i:
    #    A (0.20 − 0.25)/0.0433013 = −1.154701;  B (0.30 − 0.25)/0.0306186 = 1.632993;
    #    C 0;  D (0.40 − 0.25)/0.0433013 = 3.464102;  E (0.15 − 0.25)/0.0306186 = −3.265986.
    # 4. Sorted: −3.265986, −1.154701, 0, 1.632993, 3.464102 (k = 5).
    #    10th percentile (R type 7): h = 4·0.1 = 0.4 → −3.265986 + 0.4·2.111285 = −2.421472.
    #    90th percentile: h = 3.6 → 1.632993 + 0.6·1.831109 = 2.731658.
    # 5. Winsorised: A −1.154701, B 1.632993, C 0, D 2.731658, E −2.421472.
    #    Squares: 1.333333 + 2.666667 + 0 + 7.461957 + 5.863527 = 17.325484; φ = 17.325484/5.
    phi = 17.325484 / 5  # 3.465097
    # 6. kφ = 17.325484 > k − 1 = 4: overdispersed.
    # 7. w_i = 1/s_i² = n_i/0.1875 = 533.333, 1066.667, 2133.333, 533.333, 1066.667;
    #    Σw = 5333.333; Σw² = 7395555.6; Σw − Σw²/Σw = 5333.333 − 1386.667 = 3946.667.
    # 8. τ² = (17.325484 − 4)/3946.667 = 0.00337639.
    tau2 = (17.325484 - 4) / 3946.6667
    result = analyse_funnel(points(), chart="p", multiplier=100)
    assert result.centre == pytest.approx(25.0)
    assert result.phi == pytest.approx(phi, rel=1e-6)
    assert result.tau2 == pytest.approx(tau2, rel=1e-6)
    assert result.tau2 == pytest.approx(0.00337639, rel=1e-5)
    assert result.overdispersed
    # 9. Limits θ ± z·√(s² + τ²): at n = 100, 99.8 %: 0.25 ± 3.090232·√(0.001875 + 0.00337639)
    #    = 0.25 ± 3.090232·0.0724665 = 0.25 ± 0.223938 → 0.026062 to 0.473938; D (0.40) is
    #    inside. Without τ² the upper limit would be 0.25 + 3.090232·0.0433013 = 0.383811 and
    #    D above it.
    assert result.limit(100, Z_998) == pytest.approx(0.473938, abs=1e-6)
    assert result.limit(100, -Z_998) == pytest.approx(0.026062, abs=1e-6)
    assert result.limit(100, Z_95) == pytest.approx(0.25 + 1.959964 * 0.0724665, abs=1e-6)
    assert [where for _, _, where in result.points] == ["inside"] * 5


def test_no_adjustment_when_the_spread_is_binomial():
    # θ = 247.5/1000 = 0.2475; every team within about one s of θ, so Σ(winsorised z)² = kφ
    # stays under k − 1 = 4 and the limits are Spiegelhalter's plain θ ± z·s.
    rows = [("A", 22.5, 100), ("B", 51, 200), ("C", 100, 400), ("D", 26, 100), ("E", 48, 200)]
    result = analyse_funnel(points(rows), chart="p", multiplier=1)
    assert not result.overdispersed and result.tau2 == 0.0
    assert result.phi is not None and result.phi * 5 <= 4
    s100 = math.sqrt(result.centre_raw * (1 - result.centre_raw) / 100)
    assert result.limit(100, Z_998) == pytest.approx(result.centre_raw + Z_998 * s100)


def test_an_outlier_stays_outside_after_the_adjustment():
    rows = [*TEAMS, ("F", 95, 100)]
    result = analyse_funnel(points(rows), chart="p", multiplier=100)
    assert result.overdispersed
    assert dict((p.label, where) for p, _, where in result.points)["F"] == "above"


def test_rates_use_the_poisson_sd():
    rows = [("A", 5, 1000), ("B", 30, 2000), ("C", 12, 1500), ("D", 40, 1000)]
    result = analyse_funnel(points(rows), chart="u", multiplier=1000)
    theta = 87 / 5500
    assert result.centre == pytest.approx(theta * 1000)
    s = [math.sqrt(theta / n) for _, _, n in rows]
    z = sorted((y / n - theta) / si for (_, y, n), si in zip(rows, s, strict=True))
    low = z[0] + 0.3 * (z[1] - z[0])  # h = 3·0.1
    high = z[2] + 0.7 * (z[3] - z[2])  # h = 3·0.9 = 2.7
    zw = [min(max((y / n - theta) / si, low), high) for (_, y, n), si in zip(rows, s, strict=True)]
    phi = sum(v * v for v in zw) / 4
    w = [1 / si**2 for si in s]
    tau2 = (4 * phi - 3) / (sum(w) - sum(x * x for x in w) / sum(w))
    assert result.phi == pytest.approx(phi) and result.tau2 == pytest.approx(tau2)
