"""The chart's description for screen readers: the SPC summary of the series, or of each part."""

from __future__ import annotations

from indicators.spc import Analysis
from indicators.spc_text import Wording, summary_text


def description(
    segments: list[tuple[int, Analysis]],
    *,
    title: str,
    unit: str,
    decimals: int | None,
    words: Wording,
) -> str:
    """The screen-reader description: one summary, or one per part."""
    if len(segments) == 1:
        return summary_text(segments[0][1], title=title, unit=unit, decimals=decimals, words=words)
    texts = [
        words.part % {"part": k, "point": start + 1}
        + " "
        + summary_text(part, title="", unit=unit, decimals=decimals, words=words)
        for k, (start, part) in enumerate(segments, start=1)
    ]
    return f"{title.strip()}. " + " ".join(texts) if title.strip() else " ".join(texts)
