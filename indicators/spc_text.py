"""The SPC results in words: chart names, verdicts, target assurance, numbers, the labels drawn
inside a chart and the one-paragraph summary a screen reader reads. Pure Python, like the engine.

Every text lives in one `Wording`; `DANISH` is the source. The portal translates it with
`indicators.wording.active_wording()` (gettext over every field, numbers in the active
language's format), so the charts read in the reader's language. The strings are marked with
`gettext_noop` here so that `makemessages` finds them without this module importing Django.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from indicators.spc import Analysis


def gettext_noop(text: str) -> str:
    """Marks a string for `makemessages`; the portal translates it later (see the docstring)."""
    return text


def format_number_da(value: float, decimals: int | None = None) -> str:
    """Format a number the Danish way (1.234,5); ``decimals=None`` gives 3 significant digits."""
    return format_number(value, decimals, decimal_sep=",", thousand_sep=".")


def format_number(
    value: float, decimals: int | None = None, *, decimal_sep: str, thousand_sep: str
) -> str:
    """A number with the given separators; ``decimals=None`` gives 3 significant digits."""
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
    return text.replace(",", "\x00").replace(".", decimal_sep).replace("\x00", thousand_sep)


# With the year in the text: Django's own catalogue already translates "sep" (as "sept").
MONTHS_SHORT = [
    gettext_noop("jan %(year)s"),
    gettext_noop("feb %(year)s"),
    gettext_noop("mar %(year)s"),
    gettext_noop("apr %(year)s"),
    gettext_noop("maj %(year)s"),
    gettext_noop("jun %(year)s"),
    gettext_noop("jul %(year)s"),
    gettext_noop("aug %(year)s"),
    gettext_noop("sep %(year)s"),
    gettext_noop("okt %(year)s"),
    gettext_noop("nov %(year)s"),
    gettext_noop("dec %(year)s"),
]


HOLDING_LABELS_DA: dict[str, str] = {
    "holding": gettext_noop("Forbedringerne holder"),
    "slipping": gettext_noop("Tilbagefald siden LKT'et sluttede"),
    "too_few": gettext_noop("For få målinger i fastholdelsen til at vurdere"),
    "no_data": gettext_noop("Ingen målinger i fastholdelsen endnu"),
}


@dataclass(frozen=True)
class Wording:
    """Every word a chart, its verdict and its screen-reader summary use, in one language.

    Templates with ``%(name)s`` placeholders keep the word order translatable.
    """

    chart_names: dict[str, str]
    verdicts: dict[str, str]
    phase_verdicts: dict[str, str]
    phase_changes: dict[str, str]
    assurance: dict[str, str]
    months: list[str] = field(default_factory=lambda: list(MONTHS_SHORT))
    number: Callable[[float, int | None], str] = format_number_da
    # Inside the chart
    measurement: str = gettext_noop("Måling")
    median: str = gettext_noop("Median")
    mean: str = gettext_noop("Middelværdi")
    ucl: str = gettext_noop("ØKG")
    lcl: str = gettext_noop("NKG")
    target: str = gettext_noop("Mål")
    limits: str = gettext_noop("Kontrolgrænser")
    long_run: str = gettext_noop("For lang serie")
    outside: str = gettext_noop("Uden for kontrolgrænser")
    note: str = gettext_noop("Note")
    no_data: str = gettext_noop("Ingen data")
    new_phase: str = gettext_noop("Ny fase")
    sustainment: str = gettext_noop("Fastholdelse")
    quarter: str = gettext_noop("%(quarter)s. kvt. %(year)s")
    holding: dict[str, str] = field(default_factory=lambda: dict(HOLDING_LABELS_DA))
    baseline: str = gettext_noop("Baseline")
    point: str = gettext_noop("Punkt %(number)s")
    outside_tip: str = gettext_noop("uden for kontrolgrænserne")
    long_run_tip: str = gettext_noop("del af for lang serie")
    part: str = gettext_noop("Del %(part)s fra punkt %(point)s:")
    notes: str = gettext_noop("Markeringer: %(notes)s.")
    # The summary
    no_points: str = gettext_noop("ingen data")
    one_measurement: str = gettext_noop("%(count)s måling")
    measurements: str = gettext_noop("%(count)s målinger")
    missing: str = gettext_noop("%(count)s mangler")
    cl_median: str = gettext_noop("median %(value)s")
    cl_mean: str = gettext_noop("middelværdi %(value)s")
    limits_span: str = gettext_noop("kontrolgrænser %(low)s til %(high)s")
    long_run_signal: str = gettext_noop("for lang serie (%(run)s punkter, grænse %(limit)s)")
    crossings_signal: str = gettext_noop(
        "for få kryds (%(crossings)s, mindst %(minimum)s forventet)"
    )
    one_outside: str = gettext_noop("%(count)s punkt uden for kontrolgrænserne")
    many_outside: str = gettext_noop("%(count)s punkter uden for kontrolgrænserne")
    signal: str = gettext_noop("signal: %(signals)s")
    and_: str = gettext_noop(" og ")
    no_signal: str = gettext_noop("intet signal")
    phase_level: str = gettext_noop(
        "Niveauet er %(change)s i forhold til forrige fase %(span)s (serie på %(run)s punkter"
        " mod grænse %(limit)s, %(crossings)s kryds mod mindst %(minimum)s)."
    )
    span_from: str = gettext_noop("(fra %(previous)s)")
    span_from_to: str = gettext_noop("(fra %(previous)s til %(latest)s)")
    judgement: str = gettext_noop("Vurdering: %(verdict)s.")
    target_sentence: str = gettext_noop("Mål: %(value)s.")

    def month(self, year: int, month: int) -> str:
        """'jan 2025' in this language."""
        return self.months[month - 1] % {"year": year}

    def quarter_label(self, year: int, quarter: int) -> str:
        """'3. kvt. 2027' in this language."""
        return self.quarter % {"quarter": quarter, "year": year}

    def with_unit(self, value: float, unit: str, decimals: int | None = None) -> str:
        """A number with its unit: "83 %"."""
        text = self.number(value, decimals)
        return f"{text} {unit}" if unit else text


CHART_NAMES_DA: dict[str, str] = {
    "run": gettext_noop("Seriediagram"),
    "p": gettext_noop("P-kort"),
    "u": gettext_noop("U-kort"),
    "c": gettext_noop("C-kort"),
    "i": gettext_noop("I-kort"),
    "pp": gettext_noop("p′-kort (Laney)"),
    "up": gettext_noop("u′-kort (Laney)"),
}

PHASE_VERDICT_LABELS_DA: dict[str, str] = {
    "improvement": gettext_noop("Forbedring i forhold til forrige fase"),
    "deterioration": gettext_noop("Forværring i forhold til forrige fase"),
}
PHASE_CHANGE_DA: dict[str, str] = {
    "improvement": gettext_noop("forbedret"),
    "deterioration": gettext_noop("forværret"),
    "no_direction_signal": gettext_noop("ændret"),
}

VERDICT_LABELS_DA: dict[str, str] = {
    "too_few_data": gettext_noop("For få data (under 10 brugbare målinger)"),
    "improvement": gettext_noop("Forbedring"),
    "deterioration": gettext_noop("Forværring"),
    "common_cause": gettext_noop("Tilfældig variation"),
    "no_direction_signal": gettext_noop(
        "Ikke-tilfældig variation (retning for forbedring ikke angivet)"
    ),
}

ASSURANCE_LABELS_DA: dict[str, str] = {
    "met_reliably": gettext_noop("Målet nås pålideligt"),
    "never_met": gettext_noop("Målet nås ikke uden ændringer"),
    "sometimes": gettext_noop("Målet nås kun nogle gange"),
}

DANISH = Wording(
    chart_names=CHART_NAMES_DA,
    verdicts=VERDICT_LABELS_DA,
    phase_verdicts=PHASE_VERDICT_LABELS_DA,
    phase_changes=PHASE_CHANGE_DA,
    assurance=ASSURANCE_LABELS_DA,
)


def phase_span_da(previous: float, latest: float | None, unit: str = "") -> str:
    """ "(fra 60 % til 83 %)": the previous and the latest phase's centre lines."""
    return phase_span(previous, latest, unit, DANISH)


def phase_span(previous: float, latest: float | None, unit: str, words: Wording) -> str:
    """ "(fra 60 % til 83 %)" in the wording's language."""
    if latest is None:
        return words.span_from % {"previous": words.with_unit(previous, unit)}
    return words.span_from_to % {
        "previous": words.with_unit(previous, unit),
        "latest": words.with_unit(latest, unit),
    }


def verdict_label_da(analysis: Analysis, unit: str = "") -> str:
    """The verdict in Danish, "Forbedring i forhold til forrige fase (fra 60 % til 83 %)" when
    it comes from the change against the previous phase."""
    return verdict_label(analysis, unit, DANISH)


def verdict_label(analysis: Analysis, unit: str, words: Wording) -> str:
    """The verdict in the wording's language (see `verdict_label_da`)."""
    change = analysis.phase_change
    if analysis.versus_previous_phase and change is not None:
        span = phase_span(change.previous_cl, change.latest_cl, unit, words)
        return f"{words.phase_verdicts[change.direction]} {span}"
    return words.verdicts[analysis.verdict]


def summary_text_da(
    analysis: Analysis, *, title: str, unit: str = "", decimals: int | None = None
) -> str:
    """One Danish paragraph describing the chart, written for screen readers."""
    return summary_text(analysis, title=title, unit=unit, decimals=decimals, words=DANISH)


def summary_text(
    analysis: Analysis,
    *,
    title: str,
    unit: str = "",
    decimals: int | None = None,
    words: Wording = DANISH,
) -> str:
    """One paragraph describing the chart in the wording's language, for screen readers."""

    def number(value: float) -> str:
        return words.with_unit(value, unit, decimals)

    name = words.chart_names[analysis.chart]
    head = f"{title.strip()}. {name}" if title and title.strip() else name
    n_points = analysis.n_points
    if n_points == 0:
        return f"{head}: {words.no_points}."

    counted = words.one_measurement if n_points == 1 else words.measurements
    clauses = [counted % {"count": n_points}]
    n_missing = analysis.n_obs - n_points
    if n_missing:
        clauses[0] += f" ({words.missing % {'count': n_missing}})"
    if analysis.cl is not None:
        cl_text = words.cl_median if analysis.chart == "run" else words.cl_mean
        clauses.append(cl_text % {"value": number(analysis.cl)})
    limits = analysis.latest_limits
    if limits is not None:
        clauses.append(words.limits_span % {"low": number(limits[0]), "high": number(limits[1])})

    signals = []
    lr, lr_max = analysis.longest_run, analysis.longest_run_max
    if lr is not None and lr_max is not None and lr > lr_max:
        signals.append(words.long_run_signal % {"run": lr, "limit": lr_max})
    nc, nc_min = analysis.n_crossings, analysis.n_crossings_min
    if nc is not None and nc_min is not None and nc < nc_min:
        signals.append(words.crossings_signal % {"crossings": nc, "minimum": nc_min})
    if analysis.sigma_signal:
        k = analysis.sigma_signal
        signals.append((words.one_outside if k == 1 else words.many_outside) % {"count": k})
    clauses.append(
        words.signal % {"signals": words.and_.join(signals)} if signals else words.no_signal
    )

    text = f"{head}: {', '.join(clauses)}."
    change = analysis.phase_change
    if change is not None and change.direction in words.phase_changes:
        text += " " + words.phase_level % {
            "change": words.phase_changes[change.direction],
            "span": phase_span(change.previous_cl, change.latest_cl, unit, words),
            "run": change.longest_run,
            "limit": change.longest_run_max,
            "crossings": change.n_crossings,
            "minimum": change.n_crossings_min,
        }
    text += " " + words.judgement % {"verdict": verdict_label(analysis, unit, words)}
    if analysis.target is not None:
        text += " " + words.target_sentence % {"value": number(analysis.target)}
        if analysis.assurance is not None:
            text += f" {words.assurance[analysis.assurance]}."
    return text
