"""The traffic-light rule of the status pages, on hand-made facts (no database)."""

from __future__ import annotations

import pytest

from status.traffic import (
    GREEN,
    GREY,
    RED,
    RULE,
    YELLOW,
    Facts,
    IndicatorFact,
    traffic_light,
)


def facts(*indicators: tuple[str, str], registered: int = 90, expected: int = 100, **kw) -> Facts:
    """Facts with the given (kind, verdict) indicators, named after their position."""
    return Facts(
        paused=kw.get("paused", False),
        teams=kw.get("teams", 5),
        expected=expected,
        registered=registered,
        indicators=[
            IndicatorFact(f"Ind {i}", kind, verdict) for i, (kind, verdict) in enumerate(indicators)
        ],
    )


def test_it_is_green_when_half_the_outcome_indicators_improve_and_data_is_complete() -> None:
    light = traffic_light(
        facts(("outcome", "improvement"), ("outcome", "common_cause"), ("process", "too_few_data"))
    )
    assert light.colour == GREEN
    assert light.label == "Grøn"
    assert any("1 af 2 resultatindikatorer viser forbedring" in r for r in light.reasons)
    assert any("Datakomplethed 90 %" in r for r in light.reasons)
    assert any("Ingen indikator viser forværring" in r for r in light.reasons)


def test_it_uses_the_process_indicators_when_there_is_no_outcome_indicator() -> None:
    light = traffic_light(facts(("process", "improvement"), ("balancing", "common_cause")))
    assert light.colour == GREEN
    assert any("procesindikator viser forbedring" in r for r in light.reasons)


def test_it_is_red_when_an_outcome_indicator_deteriorates() -> None:
    light = traffic_light(facts(("outcome", "deterioration"), ("outcome", "improvement")))
    assert light.colour == RED
    assert "Resultatindikatoren “Ind 0” viser forværring." in light.reasons


def test_it_is_red_when_completeness_is_below_half() -> None:
    light = traffic_light(facts(("outcome", "improvement"), registered=49, expected=100))
    assert light.colour == RED
    assert any("Datakomplethed 49 %" in r and "under 50 %" in r for r in light.reasons)


def test_it_is_yellow_when_fewer_than_half_the_outcome_indicators_improve() -> None:
    light = traffic_light(
        facts(("outcome", "improvement"), ("outcome", "too_few_data"), ("outcome", "common_cause"))
    )
    assert light.colour == YELLOW
    assert any(
        "1 af 3 resultatindikatorer viser forbedring; 1 har endnu for få data" in r
        for r in light.reasons
    )


def test_it_is_yellow_when_a_process_or_balancing_indicator_deteriorates() -> None:
    for kind, word in (("process", "Procesindikatoren"), ("balancing", "Balanceindikatoren")):
        light = traffic_light(facts(("outcome", "improvement"), (kind, "deterioration")))
        assert light.colour == YELLOW
        assert f"{word} “Ind 1” viser forværring." in light.reasons


def test_it_is_yellow_when_completeness_is_between_half_and_eighty_per_cent() -> None:
    for registered in (50, 79):
        light = traffic_light(facts(("outcome", "improvement"), registered=registered))
        assert light.colour == YELLOW, registered
        assert any("under 80 %" in r for r in light.reasons)
    assert traffic_light(facts(("outcome", "improvement"), registered=80)).colour == GREEN


def test_a_paused_lkt_is_yellow_and_its_completeness_is_not_judged() -> None:
    light = traffic_light(facts(("outcome", "improvement"), registered=0, paused=True))
    assert light.colour == YELLOW
    assert any("sat på pause" in r for r in light.reasons)


def test_red_reasons_come_first_and_yellow_ones_are_kept() -> None:
    light = traffic_light(
        facts(("outcome", "deterioration"), ("process", "deterioration"), registered=60)
    )
    assert light.colour == RED
    assert light.reasons[0].startswith("Resultatindikatoren")
    assert any(r.startswith("Procesindikatoren") for r in light.reasons)
    assert any("under 80 %" in r for r in light.reasons)


@pytest.mark.parametrize(
    ("kw", "reason"),
    [
        ({"indicators": ()}, "LKT'et har ingen aktive indikatorer."),
        ({"teams": 0}, "LKT'et har ingen teams."),
        ({"expected": 0, "registered": 0}, "Ingen perioder har endnu overskredet datafristen."),
    ],
)
def test_it_is_grey_when_there_is_nothing_to_judge(kw: dict, reason: str) -> None:
    indicators = kw.pop("indicators", (("outcome", "improvement"),))
    light = traffic_light(facts(*indicators, **kw))
    assert light.colour == GREY
    assert light.label == "Ikke vurderet"
    assert light.reasons == (reason,)


def test_every_light_has_a_symbol_besides_its_colour_and_the_rule_names_each() -> None:
    symbols = {
        traffic_light(f).symbol
        for f in [
            facts(("outcome", "improvement")),
            facts(("outcome", "common_cause")),
            facts(("outcome", "deterioration")),
            facts(),
        ]
    }
    assert len(symbols) == 4
    assert [colour for colour, _ in RULE] == [GREEN, YELLOW, RED, GREY]
    assert "80 %" in str(RULE[0][1]) and "50 %" in str(RULE[2][1])
