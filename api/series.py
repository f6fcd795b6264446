"""A chart (indicators.charting.Chart) as the API reports it: the numbers the chart draws."""

from __future__ import annotations

from typing import Any

from indicators.charting import Chart


def chart_out(chart: Chart, kind: str) -> dict[str, Any]:
    """The chart's analysis per part, its verdict and assurance, and its provisional months."""
    latest = chart.latest
    parts = []
    for start, analysis in chart.segments:
        months = chart.months[start : start + len(analysis.y)]
        points = [
            {
                "period": month,
                "value": analysis.y[i],
                "lcl": analysis.lcl[i],
                "ucl": analysis.ucl[i],
                "in_long_run": analysis.in_long_run[i],
                "outside_limits": analysis.outside_limits[i],
            }
            for i, month in enumerate(months)
        ]
        parts.append(
            {
                "start_period": chart.months[start],
                "chart": analysis.chart,
                "centre_line": analysis.cl,
                "baseline_points": analysis.baseline,
                "n_points": analysis.n_points,
                "n_useful": analysis.n_useful,
                "longest_run": analysis.longest_run,
                "longest_run_max": analysis.longest_run_max,
                "n_crossings": analysis.n_crossings,
                "n_crossings_min": analysis.n_crossings_min,
                "runs_signal": analysis.runs_signal,
                "sigma_signal": analysis.sigma_signal,
                "verdict": analysis.overall_verdict,
                "assurance": analysis.assurance,
                "points": points,
            }
        )
    return {
        "indicator_id": chart.indicator.pk,
        "title": chart.title,
        "unit": chart.indicator.unit,
        "kind": kind,
        "chart": latest.chart if latest else "",
        "per_team": chart.per_team,
        "verdict": chart.verdict,
        "verdict_label": chart.verdict_label,
        "assurance": latest.assurance if latest else None,
        "assurance_label": chart.assurance_label,
        "target": latest.target if latest else None,
        "last_value": chart.last_value,
        "parts": parts,
        "provisional": [
            {"period": p.month, "value": p.value, "reported": p.reported, "expected": p.expected}
            for p in chart.provisional
        ],
    }
