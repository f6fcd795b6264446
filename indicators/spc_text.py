"""The SPC results in Danish: chart names, verdicts, target assurance, numbers with decimal
commas, and the one-paragraph summary a screen reader reads. Pure Python, like the engine."""

from __future__ import annotations

import math

from indicators.spc import Analysis

CHART_NAMES_DA: dict[str, str] = {
    "run": "Seriediagram",
    "p": "P-kort",
    "u": "U-kort",
    "c": "C-kort",
    "i": "I-kort",
    "pp": "p′-kort (Laney)",
    "up": "u′-kort (Laney)",
}

PHASE_VERDICT_LABELS_DA: dict[str, str] = {
    "improvement": "Forbedring i forhold til forrige fase",
    "deterioration": "Forværring i forhold til forrige fase",
}
PHASE_CHANGE_DA: dict[str, str] = {
    "improvement": "forbedret",
    "deterioration": "forværret",
    "no_direction_signal": "ændret",
}

VERDICT_LABELS_DA: dict[str, str] = {
    "too_few_data": "For få data (under 10 brugbare målinger)",
    "improvement": "Forbedring",
    "deterioration": "Forværring",
    "common_cause": "Tilfældig variation",
    "no_direction_signal": "Ikke-tilfældig variation (retning for forbedring ikke angivet)",
}

ASSURANCE_LABELS_DA: dict[str, str] = {
    "met_reliably": "Målet nås pålideligt",
    "never_met": "Målet nås ikke uden ændringer",
    "sometimes": "Målet nås kun nogle gange",
}


def format_number_da(value: float, decimals: int | None = None) -> str:
    """Format a number the Danish way (1.234,5); ``decimals=None`` gives 3 significant digits."""
    auto = decimals is None
    if decimals is None:
        if value == 0 or not math.isfinite(value):
            places = 0
        else:
            places = min(10, max(0, 2 - math.floor(math.log10(abs(value)))))
    else:
        places = max(0, int(decimals))
    text = f"{value:,.{places}f}"
    if auto and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text.startswith("-") and not any(ch in "123456789" for ch in text):
        text = text[1:]  # "-0,0" reads as a negative number to a screen reader
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def phase_span_da(previous: float, latest: float | None, unit: str = "") -> str:
    """ "(fra 60 % til 83 %)": the previous and the latest phase's centre lines."""

    def number(value: float) -> str:
        text = format_number_da(value)
        return f"{text} {unit}" if unit else text

    if latest is None:
        return f"(fra {number(previous)})"
    return f"(fra {number(previous)} til {number(latest)})"


def verdict_label_da(analysis: Analysis, unit: str = "") -> str:
    """The verdict in Danish, "Forbedring i forhold til forrige fase (fra 60 % til 83 %)" when
    it comes from the change against the previous phase."""
    change = analysis.phase_change
    if analysis.versus_previous_phase and change is not None:
        span = phase_span_da(change.previous_cl, change.latest_cl, unit)
        return f"{PHASE_VERDICT_LABELS_DA[change.direction]} {span}"
    return VERDICT_LABELS_DA[analysis.verdict]


def summary_text_da(
    analysis: Analysis, *, title: str, unit: str = "", decimals: int | None = None
) -> str:
    """One Danish paragraph describing the chart, written for screen readers."""

    def number(value: float) -> str:
        text = format_number_da(value, decimals)
        return f"{text} {unit}" if unit else text

    name = CHART_NAMES_DA[analysis.chart]
    head = f"{title.strip()}. {name}" if title and title.strip() else name
    n_points = analysis.n_points
    if n_points == 0:
        return f"{head}: ingen data."

    clauses = [f"{n_points} {'måling' if n_points == 1 else 'målinger'}"]
    n_missing = analysis.n_obs - n_points
    if n_missing:
        clauses[0] += f" ({n_missing} mangler)"
    if analysis.cl is not None:
        cl_name = "median" if analysis.chart == "run" else "middelværdi"
        clauses.append(f"{cl_name} {number(analysis.cl)}")
    limits = analysis.latest_limits
    if limits is not None:
        clauses.append(f"kontrolgrænser {number(limits[0])} til {number(limits[1])}")

    signals = []
    lr, lr_max = analysis.longest_run, analysis.longest_run_max
    if lr is not None and lr_max is not None and lr > lr_max:
        signals.append(f"for lang serie ({lr} punkter, grænse {lr_max})")
    nc, nc_min = analysis.n_crossings, analysis.n_crossings_min
    if nc is not None and nc_min is not None and nc < nc_min:
        signals.append(f"for få kryds ({nc}, mindst {nc_min} forventet)")
    if analysis.sigma_signal:
        k = analysis.sigma_signal
        signals.append(f"{k} {'punkt' if k == 1 else 'punkter'} uden for kontrolgrænserne")
    clauses.append("signal: " + " og ".join(signals) if signals else "intet signal")

    text = f"{head}: {', '.join(clauses)}."
    change = analysis.phase_change
    if change is not None and change.direction in PHASE_CHANGE_DA:
        span = phase_span_da(change.previous_cl, change.latest_cl, unit)
        text += (
            f" Niveauet er {PHASE_CHANGE_DA[change.direction]} i forhold til forrige fase {span}"
            f" (serie på {change.longest_run} punkter mod grænse {change.longest_run_max},"
            f" {change.n_crossings} kryds mod mindst {change.n_crossings_min})."
        )
    text += f" Vurdering: {verdict_label_da(analysis, unit)}."
    if analysis.target is not None:
        text += f" Mål: {number(analysis.target)}."
        if analysis.assurance is not None:
            text += f" {ASSURANCE_LABELS_DA[analysis.assurance]}."
    return text
