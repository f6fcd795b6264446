"""One part of the series as drawn: control limits, centre line, the data line and its points."""

from __future__ import annotations

from collections.abc import Sequence

from indicators.chart_svg.frame import Frame
from indicators.chart_svg.markup import COLOURS, escape, px
from indicators.spc import Analysis
from indicators.spc_text import DANISH, Wording


def limit_lines(frame: Frame, start: int, part: Analysis) -> list[str]:
    """Dashed control limits, stepped where they vary from point to point."""
    out = []
    for name, values in (("lower", part.lcl), ("upper", part.ucl)):
        path = _stepped_path(frame, start, values)
        if path:
            out.append(
                f'<path class="spc-limit spc-limit-{name}" d="{path}" fill="none" '
                f'stroke="{COLOURS["limit"]}" stroke-width="1.2" stroke-dasharray="5 4"/>'
            )
    return out


def _stepped_path(frame: Frame, start: int, values: Sequence[float | None]) -> str:
    """Path through each point's band at its value; a missing value leaves a gap."""
    commands: list[str] = []
    previous: float | None = None
    for k, value in enumerate(values):
        if value is None:
            previous = None
            continue
        x0, x1 = frame.x(start + k) - frame.step / 2, frame.x(start + k) + frame.step / 2
        y = px(frame.y(value))
        if previous is None:
            commands += [f"M{px(x0)} {y}", f"H{px(x1)}"]
        elif value == previous:
            commands[-1] = f"H{px(x1)}"  # one long segment for a constant limit
        else:
            commands += [f"V{y}", f"H{px(x1)}"]
        previous = value
    return "".join(commands)


def centre_line(frame: Frame, start: int, part: Analysis) -> list[str]:
    """Solid CL over the baseline, dashed where a frozen CL is carried forward."""
    if part.cl is None or part.n_obs == 0:
        return []
    y = px(frame.y(part.cl))
    x0 = frame.x(start) - frame.step / 2
    x_base = frame.x(start + part.baseline - 1) + frame.step / 2
    x_end = frame.x(start + part.n_obs - 1) + frame.step / 2
    out = [
        f'<line class="spc-cl" x1="{px(x0)}" x2="{px(x_base)}" y1="{y}" y2="{y}" '
        f'stroke="{COLOURS["cl"]}" stroke-width="1.5"/>'
    ]
    if part.baseline < part.n_obs:
        out.append(
            f'<line class="spc-cl spc-cl-extended" x1="{px(x_base)}" x2="{px(x_end)}" '
            f'y1="{y}" y2="{y}" stroke="{COLOURS["cl"]}" stroke-width="1.5" '
            'stroke-dasharray="8 3"/>'
        )
    return out


def data_line(frame: Frame, start: int, part: Analysis) -> list[str]:
    """The line joining neighbouring points; a missing point breaks it."""
    commands = []
    joined = False
    for k, value in enumerate(part.y):
        if value is None:
            joined = False
            continue
        commands.append(f"{'L' if joined else 'M'}{px(frame.x(start + k))} {px(frame.y(value))}")
        joined = True
    if not commands:
        return []
    return [
        f'<path class="spc-line" d="{"".join(commands)}" fill="none" '
        f'stroke="{COLOURS["line"]}" stroke-width="1.5" stroke-linejoin="round"/>'
    ]


def point_markers(
    frame: Frame,
    start: int,
    part: Analysis,
    x_labels: Sequence[str] | None,
    unit: str,
    decimals: int | None,
    words: Wording = DANISH,
) -> list[str]:
    """One marker per point: circle, or a larger orange diamond/square for a signal."""
    out = ['<g class="spc-points">']
    for k, value in enumerate(part.y):
        if value is None:
            continue
        x, y = frame.x(start + k), frame.y(value)
        name = (
            str(x_labels[start + k])
            if x_labels is not None
            else words.point % {"number": start + k + 1}
        )
        tip = f"{name}: {words.with_unit(value, unit, decimals)}"
        if part.outside_limits[k]:
            tip += f" ({words.outside_tip})"
            out.append(
                f'<rect class="spc-point signal outside-limits'
                f'{" long-run" if part.in_long_run[k] else ""}" x="{px(x - 4.5)}" '
                f'y="{px(y - 4.5)}" width="9" height="9" fill="{COLOURS["signal"]}" '
                f'stroke="#ffffff" stroke-width="1"><title>{escape(tip)}</title></rect>'
            )
        elif part.in_long_run[k]:
            tip += f" ({words.long_run_tip})"
            out.append(
                f'<path class="spc-point signal long-run" '
                f'd="M{px(x)} {px(y - 5.5)}L{px(x + 5.5)} {px(y)}L{px(x)} {px(y + 5.5)}'
                f'L{px(x - 5.5)} {px(y)}Z" fill="{COLOURS["signal"]}" stroke="#ffffff" '
                f'stroke-width="1"><title>{escape(tip)}</title></path>'
            )
        else:
            out.append(
                f'<circle class="spc-point" cx="{px(x)}" cy="{px(y)}" r="3.5" '
                f'fill="{COLOURS["point"]}" stroke="#ffffff" stroke-width="1">'
                f"<title>{escape(tip)}</title></circle>"
            )
    out.append("</g>")
    return out
