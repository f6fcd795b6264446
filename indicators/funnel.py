"""A funnel plot comparing teams over the latest months (Spiegelhalter 2005, with the additive
random-effects adjustment for overdispersion); pure Python, the SVG as text."""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist


@dataclass(frozen=True)
class FunnelPoint:
    label: str
    numerator: float
    denominator: float


# Two-sided normal quantiles of Spiegelhalter's 95 % and 99.8 % limits (qnorm(0.975), qnorm(0.999)).
Z_95 = NormalDist().inv_cdf(0.975)  # 1.959963984540054
Z_998 = NormalDist().inv_cdf(0.999)  # 3.090232306167813
WINSOR = 0.10  # winsorise the z-scores at the 10th and 90th percentiles


@dataclass(frozen=True)
class FunnelResult:
    """Each team against the LKT value, with Spiegelhalter's (2005) funnel limits.

    ``centre`` is θ (plotted units), ``points`` (point, plotted rate, "above"/"below"/"inside"
    the 99.8 % limits). ``phi`` is the overdispersion factor from the winsorised z-scores,
    ``tau2`` the DerSimonian-Laird between-team variance (unscaled units; 0 when not needed)
    and ``overdispersed`` whether it widened the limits (k·φ > k − 1); ``centre_raw`` is θ
    unscaled.
    """

    centre: float | None
    points: list[tuple[FunnelPoint, float, str]]
    chart: str = "p"
    phi: float | None = None
    tau2: float = 0.0
    overdispersed: bool = False
    centre_raw: float | None = None  # θ in unscaled units

    def sd(self, n: float) -> float:
        """s(n) of the binomial or Poisson model at θ, unscaled."""
        return _sd(0.0 if self.centre_raw is None else self.centre_raw, n, self.chart)

    def limit(self, n: float, z: float) -> float:
        """θ + z·√(s(n)² + τ²), unscaled and unclipped."""
        assert self.centre_raw is not None
        return self.centre_raw + z * math.sqrt(self.sd(n) ** 2 + self.tau2)


def analyse_funnel(points: list[FunnelPoint], *, chart: str, multiplier: float) -> FunnelResult:
    """Spiegelhalter's funnel plot: θ = Σ numerators / Σ denominators (the LKT value); for team
    i, s_i from the binomial (p) or Poisson (u) model at θ and z_i = (y_i − θ)/s_i. The z_i are
    winsorised at their 10th and 90th percentiles (R's default quantile, type 7) and
    φ = Σ z_i² / k. When k·φ > k − 1 the data are overdispersed and the additive random-effects
    variance τ² = (k·φ − (k − 1)) / (Σ w_i − Σ w_i² / Σ w_i), w_i = 1/s_i², widens the limits
    to θ ± z·√(s_i² + τ²); otherwise τ² = 0. A team is above or below outside the 99.8 %
    limits. Teams with a zero denominator are left out; with θ at 0 or 1 (every s_i zero)
    there are no z-scores and τ² stays 0."""
    useful = [p for p in points if p.denominator > 0]
    total_n = math.fsum(p.denominator for p in useful)
    if not useful or total_n <= 0:
        return FunnelResult(None, [], chart)
    theta = math.fsum(p.numerator for p in useful) / total_n
    sds = [_sd(theta, p.denominator, chart) for p in useful]
    phi, tau2 = overdispersion([p.numerator / p.denominator for p in useful], sds, theta)
    overdispersed = tau2 > 0
    rows = []
    for p, sd in zip(useful, sds, strict=True):
        rate = p.numerator / p.denominator
        spread = Z_998 * math.sqrt(sd**2 + tau2)
        where = "above" if rate > theta + spread else "below" if rate < theta - spread else "inside"
        rows.append((p, rate * multiplier, where))
    return FunnelResult(theta * multiplier, rows, chart, phi, tau2, overdispersed, theta)


def overdispersion(
    rates: list[float], sds: list[float], theta: float
) -> tuple[float | None, float]:
    """(φ, τ²) from the units' rates and model sds (see `analyse_funnel`); φ None without
    z-scores."""
    pairs = [(r, s) for r, s in zip(rates, sds, strict=True) if s > 0]
    k = len(pairs)
    if k == 0:
        return None, 0.0
    z = [(r - theta) / s for r, s in pairs]
    low, high = quantile(z, WINSOR), quantile(z, 1 - WINSOR)
    winsorised = [min(max(v, low), high) for v in z]
    phi = math.fsum(v * v for v in winsorised) / k
    if k * phi <= k - 1:
        return phi, 0.0
    w = [1 / s**2 for _, s in pairs]
    sum_w = math.fsum(w)
    denominator = sum_w - math.fsum(x * x for x in w) / sum_w
    if denominator <= 0:  # one unit, or all weights in one: no between-unit variance to see
        return phi, 0.0
    return phi, (k * phi - (k - 1)) / denominator


def quantile(values: list[float], q: float) -> float:
    """R's default quantile (type 7): linear interpolation between the order statistics."""
    ordered = sorted(values)
    h = (len(ordered) - 1) * q
    below = math.floor(h)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (h - below) * (ordered[above] - ordered[below])


def _sd(centre: float, n: float, chart: str) -> float:
    if chart == "p":
        return math.sqrt(max(centre * (1 - centre), 0.0) / n)
    return math.sqrt(max(centre, 0.0) / n)
