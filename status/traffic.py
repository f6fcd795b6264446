"""The steering group's traffic light for an LKT: the one rule, and the words the page shows.

Read like the status report for the 8 national goals: green is positive development, yellow is
no clear development (yet), red is negative development — here judged from the SPC verdicts of
the LKT-level indicator series, and from whether the teams deliver their data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

GREEN, YELLOW, RED, GREY = "green", "yellow", "red", "grey"
GREEN_COMPLETENESS = 80  # per cent of the expected registrations, at least
RED_COMPLETENESS = 50  # per cent, below this

OUTCOME, PROCESS, BALANCING = "outcome", "process", "balancing"

# Shown on the page, next to the lights; keep in step with `traffic_light` below.
RULE: list[tuple[str, StrOrPromise]] = [
    (
        GREEN,
        _(
            "Grøn: ingen indikator viser forværring, mindst halvdelen af resultatindikatorerne "
            "(har LKT'et ingen, procesindikatorerne) viser forbedring, og datakompletheden de "
            "seneste tre perioder med overskredet frist er mindst 80 %."
        ),
    ),
    (
        YELLOW,
        _(
            "Gul: hverken grøn eller rød – f.eks. forbedring i under halvdelen af "
            "resultatindikatorerne (også når der endnu er for få data), forværring i en proces- "
            "eller balanceindikator, komplethed på 50–79 %, eller LKT'et er sat på pause."
        ),
    ),
    (
        RED,
        _(
            "Rød: mindst én resultatindikator viser forværring, eller datakompletheden er under "
            "50 % (ikke for LKT'er sat på pause)."
        ),
    ),
    (
        GREY,
        _(
            "Grå – ikke vurderet: LKT'et har ingen aktive indikatorer eller teams, eller ingen "
            "perioder har endnu overskredet datafristen."
        ),
    ),
]

LABELS = {GREEN: _("Grøn"), YELLOW: _("Gul"), RED: _("Rød"), GREY: _("Ikke vurderet")}
# A shape as well as a colour, so the light never depends on colour alone.
SYMBOLS = {GREEN: "●", YELLOW: "▲", RED: "■", GREY: "○"}
KIND_LABELS = {
    OUTCOME: _("Resultatindikatoren"),
    PROCESS: _("Procesindikatoren"),
    BALANCING: _("Balanceindikatoren"),
}


@dataclass(frozen=True)
class IndicatorFact:
    """One active indicator of the LKT and the verdict of its LKT-level series."""

    name: str
    kind: str
    verdict: str


@dataclass(frozen=True)
class Facts:
    """What the light is computed from."""

    paused: bool
    teams: int
    expected: int  # registrations expected in the last three periods past their deadline
    registered: int
    indicators: Sequence[IndicatorFact]

    @property
    def completeness(self) -> int | None:
        if not self.expected:
            return None
        return min(100, round(100 * self.registered / self.expected))


@dataclass(frozen=True)
class Light:
    colour: str
    reasons: tuple[str, ...]

    @property
    def label(self) -> str:
        return str(LABELS[self.colour])

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.colour]


def traffic_light(facts: Facts) -> Light:
    """The rule in RULE: grey when there is nothing to judge, else red, yellow or green."""
    if not facts.indicators:
        return Light(GREY, (str(_("LKT'et har ingen aktive indikatorer.")),))
    if not facts.teams:
        return Light(GREY, (str(_("LKT'et har ingen teams.")),))
    if facts.completeness is None:
        return Light(GREY, (str(_("Ingen perioder har endnu overskredet datafristen.")),))
    red: list[str] = []
    yellow: list[str] = []
    green: list[str] = []
    for fact in facts.indicators:
        if fact.verdict == "deterioration":
            text = _("%(kind)s “%(name)s” viser forværring.") % {
                "kind": KIND_LABELS.get(fact.kind, _("Indikatoren")),
                "name": fact.name,
            }
            (red if fact.kind == OUTCOME else yellow).append(text)
    _judge_improvement(facts, yellow, green)
    _judge_completeness(facts, red, yellow, green)
    if red:
        return Light(RED, tuple(red + yellow))
    if yellow:
        return Light(YELLOW, tuple(yellow))
    return Light(GREEN, (*green, str(_("Ingen indikator viser forværring."))))


def _judge_improvement(facts: Facts, yellow: list[str], green: list[str]) -> None:
    outcome = [f for f in facts.indicators if f.kind == OUTCOME]
    basis = outcome or [f for f in facts.indicators if f.kind == PROCESS]
    if not basis:
        yellow.append(str(_("LKT'et har hverken resultat- eller procesindikatorer.")))
        return
    improving = sum(f.verdict == "improvement" for f in basis)
    too_few = sum(f.verdict == "too_few_data" for f in basis)
    if outcome:
        text = ngettext(
            "%(n)d af %(total)d resultatindikator viser forbedring",
            "%(n)d af %(total)d resultatindikatorer viser forbedring",
            len(basis),
        )
    else:
        text = ngettext(
            "%(n)d af %(total)d procesindikator viser forbedring (ingen resultatindikatorer)",
            "%(n)d af %(total)d procesindikatorer viser forbedring (ingen resultatindikatorer)",
            len(basis),
        )
    text = text % {"n": improving, "total": len(basis)}
    if 2 * improving >= len(basis):
        green.append(text + ".")
        return
    if too_few:
        text += str(_("; %(few)d har endnu for få data")) % {"few": too_few}
    yellow.append(text + str(_(" (mindst halvdelen kræves for grøn).")))


def _judge_completeness(facts: Facts, red: list[str], yellow: list[str], green: list[str]) -> None:
    percent = facts.completeness or 0
    figures = {"percent": percent, "registered": facts.registered, "expected": facts.expected}
    if facts.paused:
        yellow.append(
            str(_("LKT'et er sat på pause (komplethed %(percent)d %% indgår ikke).")) % figures
        )
    elif percent < RED_COMPLETENESS:
        red.append(
            str(
                _(
                    "Datakomplethed %(percent)d %% de seneste tre perioder "
                    "(%(registered)d af %(expected)d) – under 50 %%."
                )
            )
            % figures
        )
    elif percent < GREEN_COMPLETENESS:
        yellow.append(
            str(
                _(
                    "Datakomplethed %(percent)d %% de seneste tre perioder "
                    "(%(registered)d af %(expected)d) – under 80 %%."
                )
            )
            % figures
        )
    else:
        green.append(
            str(
                _(
                    "Datakomplethed %(percent)d %% de seneste tre perioder "
                    "(%(registered)d af %(expected)d)."
                )
            )
            % figures
        )
