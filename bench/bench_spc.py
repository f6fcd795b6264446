"""Time the SPC engine and SVG renderer on random 24-point series: ``python bench/bench_spc.py``."""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

# Runnable as a plain script from the repository root or from bench/.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indicators.chart_svg.render import render_svg  # noqa: E402
from indicators.spc import analyse  # noqa: E402

REPETITIONS = 3
SEED = 20240101


def _random_p_series(rng: random.Random, length: int) -> tuple[list[int], list[int]]:
    """Numerators and denominators of a proportion that drifts a little, like real audits."""
    dens = [rng.randint(20, 200) for _ in range(length)]
    level = rng.uniform(0.2, 0.9)
    nums = [min(d, max(0, round(d * (level + rng.gauss(0, 0.05))))) for d in dens]
    return nums, dens


def _random_run_series(rng: random.Random, length: int) -> list[float]:
    """Values of a run chart, with a step change in one series out of three."""
    shift = rng.choice([0.0, 0.0, 1.5])
    return [rng.gauss(0, 1) + (shift if i >= length // 2 else 0.0) for i in range(length)]


def _median_time(run: Callable[[], None]) -> float:
    """Median wall time in seconds over the repetitions."""
    times = []
    for _ in range(REPETITIONS):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def bench_analyse(n_series: int = 10000, length: int = 24) -> dict[str, float]:
    """Microseconds per series for analyse() on p, Laney p′ and u′, and run charts (median of 3
    repetitions)."""
    rng = random.Random(SEED)
    p_cases = [_random_p_series(rng, length) for _ in range(n_series)]
    run_cases = [_random_run_series(rng, length) for _ in range(n_series)]

    def run_p() -> None:
        for nums, dens in p_cases:
            analyse(nums, dens, chart="p", multiplier=100, direction="up", target=80)

    def run_pp() -> None:
        for nums, dens in p_cases:
            analyse(nums, dens, chart="pp", multiplier=100, direction="up", target=80)

    def run_up() -> None:
        for nums, dens in p_cases:
            analyse(nums, dens, chart="up", multiplier=1000, direction="down")

    def run_run() -> None:
        for values in run_cases:
            analyse(values, chart="run", direction="down")

    return {
        "n_series": n_series,
        "length": length,
        "p_us_per_series": _median_time(run_p) / n_series * 1e6,
        "pp_us_per_series": _median_time(run_pp) / n_series * 1e6,
        "up_us_per_series": _median_time(run_up) / n_series * 1e6,
        "run_us_per_series": _median_time(run_run) / n_series * 1e6,
    }


def bench_render(n_charts: int = 500, length: int = 24) -> dict[str, float]:
    """Microseconds per render_svg() call for a labelled p chart (median of 3 repetitions)."""
    rng = random.Random(SEED)
    months = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    labels = [f"{months[i % 12]} {2023 + i // 12}" for i in range(length)]
    analyses = [
        analyse(
            *_random_p_series(rng, length), chart="p", multiplier=100, target=80, direction="up"
        )
        for _ in range(n_charts)
    ]

    def run() -> None:
        for analysis in analyses:
            render_svg(
                analysis,
                title="Andel patienter med opfølgning",
                unit="%",
                x_labels=labels,
                annotations=[(6, "PDSA 1"), (12, "PDSA 2")],
            )

    return {
        "n_charts": n_charts,
        "length": length,
        "us_per_chart": _median_time(run) / n_charts * 1e6,
    }


def bench_read_postgres(n_series: int = 10000, length: int = 24) -> dict[str, float]:
    """Microseconds per series to read the same numbers from PostgreSQL (one query, grouped)."""
    from bench.pg import django_on_postgres

    with django_on_postgres():
        from django.db import connection

        from indicators.models import Measurement

        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")  # bench rows need no parents
            rng = random.Random(SEED)
            lines = []
            for series in range(n_series):
                nums, dens = _random_p_series(rng, length)
                for month in range(length):
                    lines.append(
                        f"{series // 10 + 1}\t{series % 10 + 1}\t"
                        f"{2023 + month // 12}-{month % 12 + 1:02d}-01\t{nums[month]}\t"
                        f"{dens[month]}\t\\N\t\t2024-01-01 00:00+00\t2024-01-01 00:00+00\n"
                    )
            with cursor.copy(
                "COPY indicators_measurement (team_id, indicator_id, period_start, numerator, "
                "denominator, value, comment, registered_at, updated_at) FROM STDIN"
            ) as copy:
                copy.write("".join(lines))
            cursor.execute("ANALYZE indicators_measurement")

        def run() -> None:
            grouped: dict[tuple[int, int], tuple[list, list]] = {}
            rows = Measurement.objects.order_by("team_id", "indicator_id", "period_start")
            for team, indicator, num, den in rows.values_list(
                "team_id", "indicator_id", "numerator", "denominator"
            ).iterator(chunk_size=10000):
                nums, dens = grouped.setdefault((team, indicator), ([], []))
                nums.append(num)
                dens.append(den)
            assert len(grouped) == n_series

        return {"us_per_series": _median_time(run) / n_series * 1e6}


def main() -> None:
    """Print the timings."""
    analysed = bench_analyse()
    print(
        f"analyse, {analysed['n_series']:.0f} series of {analysed['length']:.0f} points "
        f"(median of {REPETITIONS}):"
    )
    print(f"  p chart:   {analysed['p_us_per_series']:8.1f} µs per series")
    print(f"  p′ chart:  {analysed['pp_us_per_series']:8.1f} µs per series (Laney)")
    print(f"  u′ chart:  {analysed['up_us_per_series']:8.1f} µs per series (Laney)")
    print(f"  run chart: {analysed['run_us_per_series']:8.1f} µs per series")
    read = bench_read_postgres()
    print(
        f"  read the same {analysed['n_series']:.0f} series from PostgreSQL: "
        f"{read['us_per_series']:8.1f} µs per series"
    )
    rendered = bench_render()
    print(
        f"render_svg, {rendered['n_charts']:.0f} p charts of {rendered['length']:.0f} points: "
        f"{rendered['us_per_chart']:8.1f} µs per chart"
    )


if __name__ == "__main__":
    main()
