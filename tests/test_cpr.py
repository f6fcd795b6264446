"""CPR-number-shaped text is refused everywhere free text is stored."""

from __future__ import annotations

import pytest

from programmes.validators import looks_like_cpr


@pytest.mark.parametrize(
    "text", ["010203-1234", "0102031234", "Patient 311299-0001 blev udskrevet", "(150588 1234)"]
)
def test_it_spots_cpr_shaped_text(text: str) -> None:
    assert looks_like_cpr(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "12 ud af 40 patienter",
        "Telefon 12345678",
        "2024-03-01",
        "320199-1234",
        "011399-1234",
        "1234567890123",
        "Pr. 1.000 sengedage",
    ],
)
def test_it_lets_ordinary_text_through(text: str) -> None:
    assert not looks_like_cpr(text)
