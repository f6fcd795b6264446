"""From stored measurements to analysed, rendered charts (the SPC engine and the SVG renderer)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_lazy

from core.months import quarter_number
from indicators import spc
from indicators.chart_svg.frame import value_range
from indicators.chart_svg.render import render_svg
from indicators.completeness import Provisional
from indicators.icons import SpcIcons, icons_for_analysis
from indicators.models import ChartChange, Indicator, Measure
from indicators.selectors import Point
from indicators.spc_sustainment import Holding, sustainment_part
from indicators.spc_text import Wording, summary_text, verdict_label
from indicators.wording import active_wording

CHART_KINDS = ("run", "spc")
PER_TEAM_NOTE = gettext_lazy(
    "Gennemsnit pr. rapporterende team: summen ville falde, hver gang et team mangler."
)


@dataclass(frozen=True)
class ProvisionalPoint:
    """A provisional month as drawn: its plotted value and how many teams have reported."""

    month: dt.date
    value: float
    reported: int
    expected: int

    @property
    def label(self) -> str:
        return provisional_label(self.reported, self.expected)


def provisional_label(reported: int, expected: int) -> str:
    """'foreløbig: 3 af 7 teams', the words beside every provisional month."""
    return gettext("foreløbig: %(reported)d af %(expected)d teams") % {
        "reported": reported,
        "expected": expected,
    }


@dataclass
class Chart:
    """One indicator series, analysed and drawn."""

    indicator: Indicator
    title: str
    months: list[dt.date]
    analysis: spc.Analysis | None
    parts: list[spc.Part] = field(default_factory=list)
    svg: SafeString = mark_safe("")  # noqa: S308 -- empty
    notes: list[str] = field(default_factory=list)
    provisional: list[ProvisionalPoint] = field(default_factory=list)
    per_team: bool = False  # an LKT-level mean per reporting team (counts and values)
    # (point index, short label, detail for the tooltip and the screen reader, or "")
    marks: list[tuple[int, str, str]] = field(default_factory=list)
    quarters: frozenset[dt.date] = frozenset()  # periods drawn as quarters (sustainment)
    holding: Holding | None = None  # the sustainment phase against the last improvement phase

    @property
    def per_team_note(self) -> str:
        return str(PER_TEAM_NOTE) if self.per_team else ""

    @property
    def segments(self) -> list[tuple[int, spc.Analysis]]:
        """The drawn parts as (first point, analysis); one part when the series is not split."""
        if self.parts:
            return [(p.start, p.analysis) for p in self.parts]
        return [(0, self.analysis)] if self.analysis is not None else []

    @property
    def value_range(self) -> tuple[float, float] | None:
        """The values the chart must show (points, limits, target); None without data."""
        segments = self.segments
        if not any(a.n_points for _, a in segments):
            return None
        return value_range(segments, self.latest.target if self.latest else None)

    @property
    def latest(self) -> spc.Analysis | None:
        """The analysis of the last part (or the whole series)."""
        return self.parts[-1].analysis if self.parts else self.analysis

    @property
    def verdict(self) -> str:
        """The latest phase's verdict, or its change from the previous phase when that signals."""
        latest = self.latest
        return latest.overall_verdict if latest else "too_few_data"

    @property
    def holding_label(self) -> str:
        """'Tilbagefald siden LKT'et sluttede' and the like; empty without a sustainment phase."""
        return active_wording().holding[self.holding.state] if self.holding else ""

    @property
    def holding_centre(self) -> str:
        """The last improvement phase's centre line the sustainment points are tested against."""
        if self.holding is None or self.holding.centre is None:
            return ""
        return active_wording().with_unit(self.holding.centre, self.indicator.unit)

    @property
    def verdict_label(self) -> str:
        if self.holding:
            return self.holding_label
        latest = self.latest
        return verdict_label(latest, self.indicator.unit, active_wording()) if latest else ""

    @property
    def icons(self) -> SpcIcons:
        """The variation and assurance icons (Making Data Count) of the latest phase."""
        return icons_for_analysis(self.latest)

    @property
    def chart_name(self) -> str:
        latest = self.latest
        return active_wording().chart_names[latest.chart] if latest else ""

    @property
    def is_laney(self) -> bool:
        latest = self.latest
        return latest is not None and latest.chart in ("pp", "up")

    @property
    def assurance_label(self) -> str:
        latest = self.latest
        if latest is None or latest.assurance is None:
            return ""
        return active_wording().assurance[latest.assurance]

    @property
    def summary(self) -> str:
        latest = self.latest
        if latest is None:
            return ""
        return summary_text(
            latest, title=self.title, unit=self.indicator.unit, words=active_wording()
        )

    @property
    def registered(self) -> int:
        latest = self.latest
        return (
            sum(p.analysis.n_points for p in self.parts)
            if self.parts
            else (latest.n_points if latest else 0)
        )

    @property
    def last_value(self) -> float | None:
        source = self.latest
        if source is None:
            return None
        return next((y for y in reversed(source.y) if y is not None), None)


def series(
    indicator: Indicator, months: Sequence[dt.date], points: dict[dt.date, Point]
) -> tuple[list[float | None], list[float | None] | None]:
    """Numerators and denominators (or values) per month, None where nothing is registered."""
    if indicator.measure in (Measure.PROPORTION, Measure.RATE):
        nums = [points[m].numerator if m in points else None for m in months]
        dens = [points[m].denominator if m in points else None for m in months]
        return nums, dens
    return [points[m].value if m in points else None for m in months], None


def chart_type(indicator: Indicator, kind: str, *, lkt: bool = False) -> str:
    """'run' for run charts (the Danish default), else the indicator's control chart; at the
    LKT level (`lkt`, team None) a p or u chart becomes Laney's p′ or u′ chart, as the summed
    denominators are large enough for overdispersion to make the p/u limits too narrow."""
    if kind == "run":
        return "run"
    if lkt and indicator.measure == Measure.COUNT:
        return "i"  # the LKT level plots the mean count per reporting team, not a count
    return spc.LANEY_KINDS.get(indicator.chart, indicator.chart) if lkt else indicator.chart


@dataclass(frozen=True)
class ChartOptions:
    """How one series is analysed: its chart, direction, target, scale and baseline or splits."""

    chart: str
    direction: str | None
    target: float | None
    multiplier: float
    splits: tuple[int, ...] = ()  # indices of the months where a new part begins
    freeze: int | None = None  # points in the latest baseline; only without splits

    def analyse(
        self, values: Sequence[float | None], denominators: Sequence[float | None] | None
    ) -> tuple[spc.Analysis | None, list[spc.Part]]:
        """The whole series' analysis, or (None and) one analysis per part when it is split."""
        if self.splits:
            parts = spc.analyse_parts(
                values,
                denominators,
                self.chart,
                self.splits,
                direction=self.direction,
                target=self.target,
                multiplier=self.multiplier,
            )
            return None, parts
        analysis = spc.analyse(
            values,
            denominators,
            self.chart,
            self.freeze,
            direction=self.direction,
            target=self.target,
            multiplier=self.multiplier,
        )
        return analysis, []


def chart_options(
    indicator: Indicator,
    months: Sequence[dt.date],
    changes: Iterable[ChartChange] = (),
    *,
    kind: str = "spc",
    lkt: bool = False,
) -> ChartOptions:
    """The options of one series over `months`: the drawn chart (`build_chart`) and the cached
    verdict (`indicators.summaries`) both take them from here, so the two never drift apart.

    A split starts a new part (each its own baseline); without a split the latest baseline
    freezes the centre line. `lkt` (the LKT-level series, team None) draws proportions and rates
    as Laney p′/u′ charts; team-level series keep p and u.
    """
    changes = list(changes)
    index = {month: i for i, month in enumerate(months)}
    splits = sorted(
        index[c.period_start]
        for c in changes
        if c.kind == ChartChange.Kind.SPLIT and 0 < index.get(c.period_start, 0) < len(months)
    )
    baselines = [
        index[c.period_start] + 1
        for c in changes
        if c.kind == ChartChange.Kind.BASELINE and c.period_start in index
    ]
    return ChartOptions(
        chart=chart_type(indicator, kind, lkt=lkt),
        direction=None if indicator.better_direction == "none" else indicator.better_direction,
        target=float(indicator.target) if indicator.target is not None else None,
        multiplier=indicator.multiplier if indicator.has_denominator else 1,
        splits=tuple(splits),
        freeze=max(baselines) if baselines and not splits else None,
    )


def analyse_sustainment(
    options: ChartOptions,
    nums: Sequence[float | None],
    dens: Sequence[float | None] | None,
    end: int,
) -> tuple[spc.Analysis, Holding]:
    """The points from index `end` on (the sustainment periods) against the last improvement
    phase before it: the last split's part, or the whole series with its baseline."""
    first = options.splits[-1] if options.splits else 0
    return sustainment_part(
        (nums[first:end], None if dens is None else dens[first:end]),
        (nums[end:], None if dens is None else dens[end:]),
        options.chart,
        freeze=None if options.splits else options.freeze,
        direction=options.direction,
        target=options.target,
        multiplier=options.multiplier,
    )


def build_chart(
    indicator: Indicator,
    months: Sequence[dt.date],
    points: dict[dt.date, Point],
    *,
    title: str,
    kind: str = "run",
    changes: Iterable[ChartChange] = (),
    annotations: Iterable[tuple[dt.date, str] | tuple[dt.date, str, str]] = (),
    width: int = 720,
    height: int = 320,
    lkt: bool = False,
    provisional: Mapping[dt.date, Provisional] | None = None,
    draw: bool = True,
    sustainment_from: int | None = None,
    quarters: Iterable[dt.date] = (),
) -> Chart:
    """Analyse one series with its baseline or splits and draw it (`lkt`: the LKT level;
    `draw=False` leaves the drawing to `draw_chart`, e.g. for a shared y range).

    `provisional` months (`indicators.completeness`) are left out of the analysis and drawn
    apart as hollow points. From `sustainment_from` (an index into `months`) on, the periods are
    the sustainment phase after the LKT (`indicators.spc_sustainment`), some of them `quarters`.
    """
    months, changes = list(months), list(changes)
    provisional = provisional or {}
    end = len(months) if sustainment_from is None else sustainment_from
    options = chart_options(indicator, months[:end], changes, kind=kind, lkt=lkt)
    counted = {m: p for m, p in points.items() if m not in provisional}
    nums, dens = series(indicator, months, counted)
    analysis, parts = options.analyse(nums[:end], None if dens is None else dens[:end])
    holding = None
    if 0 < end < len(months):
        part, holding = analyse_sustainment(options, nums, dens, end)
        parts = [*(parts or [spc.Part(0, analysis)]), spc.Part(end, part)]  # type: ignore[arg-type]
        analysis = None
    words = active_wording()
    notes = [
        f"{c.get_kind_display()} {words.month(c.period_start.year, c.period_start.month)}: "
        f"{c.reason}"
        for c in changes
    ]
    result = Chart(indicator, title, months, analysis, parts, notes=notes, holding=holding)
    result.quarters = frozenset(quarters)
    result.per_team = lkt and not indicator.has_denominator
    index = {month: i for i, month in enumerate(months)}
    result.provisional = [
        ProvisionalPoint(month, value, p.reported, p.expected)
        for month, p in sorted(provisional.items())
        if month in index
        and month in points
        and (value := plotted_value(indicator, points[month])) is not None
    ]
    marks = [
        (index[day], text, str(rest[0]) if rest else "")
        for day, text, *rest in annotations
        if day in index
    ]
    marks += [(i, words.new_phase, "") for i in options.splits]
    if options.freeze:
        marks.append((options.freeze - 1, words.baseline, ""))
    if holding is not None:
        marks.append((end, words.sustainment, ""))
    result.marks = marks
    if draw:
        draw_chart(result, width=width, height=height)
    return result


def draw_chart(
    chart: Chart,
    *,
    width: int = 720,
    height: int = 320,
    y_range: tuple[float, float] | None = None,
    legend_rows_min: int = 1,
) -> Chart:
    """Draw the analysed chart in the active language (`y_range`: shared with other charts,
    `legend_rows_min`: the legend rows to leave room for, so that such charts align)."""
    words = active_wording()
    index = {month: i for i, month in enumerate(chart.months)}
    chart.svg = mark_safe(  # noqa: S308 -- render_svg escapes every text it draws
        render_svg(
            chart.analysis,
            parts=chart.parts or None,
            title=chart.title,
            unit=chart.indicator.unit,
            x_labels=[period_label(words, m, m in chart.quarters) for m in chart.months],
            annotations=chart.marks,
            width=width,
            height=height,
            words=words,
            y_range=y_range,
            legend_rows_min=legend_rows_min,
            provisional=[(index[p.month], p.value, p.label) for p in chart.provisional],
        )
    )
    return chart


def period_label(words: Wording, period: dt.date, quarter: bool = False) -> str:
    """'jan 2025', or '3. kvt. 2027' for a sustainment quarter, in the chart's language."""
    if quarter:
        return words.quarter_label(period.year, quarter_number(period))
    return words.month(period.year, period.month)


def plotted_value(indicator: Indicator, point: Point) -> float | None:
    """The value a point is drawn at: numerator / denominator × multiplier, or the value."""
    if not indicator.has_denominator:
        return point.value
    if point.numerator is None or not point.denominator:
        return None
    return point.numerator / point.denominator * indicator.multiplier


def shared_range(charts: Iterable[Chart]) -> tuple[float, float] | None:
    """One y range covering every chart's values (small multiples read on a common scale)."""
    ranges = [r for r in (chart.value_range for chart in charts) if r is not None]
    if not ranges:
        return None
    return min(low for low, _ in ranges), max(high for _, high in ranges)
