"""Every row of qicharts2's own u-chart summaries of hospital_infections, reproduced exactly."""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from indicators.spc import analyse

DATA = Path(__file__).parent / "data" / "qicharts2"
# Facet columns of each expected summary: which data columns group the series.
GROUPINGS: dict[str, tuple[str, ...]] = {
    "hai_1": (),
    "hai_2": ("infection",),
    "hai_3": ("hospital", "infection"),
}


def _read_csv(name: str) -> list[dict[str, str]]:
    """Rows of one CSV file in the conformance data folder."""
    with (DATA / name).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _series(grouping: tuple[str, ...]) -> dict[tuple[str, ...], tuple[list[float], list[float]]]:
    """Numerators and denominators per group, summed by month and ordered by month."""
    sums: dict[tuple[str, ...], dict[str, list[float]]] = defaultdict(dict)
    for row in _read_csv("hospital_infections.csv"):
        key = tuple(row[column] for column in grouping)
        month = sums[key].setdefault(row["month"], [0.0, 0.0])
        month[0] += float(row["n"])
        month[1] += float(row["days"])
    return {
        key: ([months[m][0] for m in sorted(months)], [months[m][1] for m in sorted(months)])
        for key, months in sums.items()
    }


def _assert_close(got: float | None, expected: str) -> None:
    """Within 1e-9 absolute, and to the 10 significant digits qicharts2's summary printed."""
    assert got is not None
    want = float(expected)
    assert abs(got - want) <= 1e-9
    assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-15)


def _cases() -> list[Any]:
    """One pytest param per expected summary row."""
    cases = []
    for name, grouping in GROUPINGS.items():
        series = _series(grouping)
        for row in _read_csv(f"{name}_expected_summary.csv"):
            facets = tuple(row[f"facet{i + 1}"] for i in range(len(grouping)))
            values, days = series[facets]
            case_id = "-".join([name, *facets])
            cases.append(pytest.param(values, days, row, id=case_id))
    return cases


CASES = _cases()


def test_it_has_a_case_for_every_expected_row() -> None:
    expected_rows = sum(len(_read_csv(f"{n}_expected_summary.csv")) for n in GROUPINGS)
    assert len(CASES) == expected_rows
    assert expected_rows > 0


@pytest.mark.parametrize(("values", "days", "expected"), CASES)
def test_it_reproduces_the_qicharts2_summary(
    values: list[float], days: list[float], expected: dict[str, str]
) -> None:
    result = analyse(values, days, chart="u", multiplier=1)

    assert result.n_obs == int(expected["n.obs"])
    assert result.n_useful == int(expected["n.useful"])
    assert result.longest_run == int(expected["longest.run"])
    assert result.longest_run_max == int(expected["longest.run.max"])
    assert result.n_crossings == int(expected["n.crossings"])
    assert result.n_crossings_min == int(expected["n.crossings.min"])
    assert result.runs_signal is bool(int(expected["runs.signal"]))
    assert result.sigma_signal == int(expected["sigma.signal"])
    _assert_close(result.cl, expected["CL"])
    _assert_close(result.mean_lcl, expected["aLCL"])
    _assert_close(result.mean_ucl, expected["aUCL"])
