"""The bulk measurement write behind the API: the upload's rules and words, all or nothing,
idempotent, history with the person, one summary refresh."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from indicators.bulk import (
    BulkRefused,
    BulkTooLarge,
    BulkUnreadable,
    items_from_json,
    measurements_bulk_write,
)
from indicators.importer.checking import check_rows
from indicators.importer.rows import parse_rows
from indicators.importer.table import read_table
from indicators.models import Measurement, SeriesSummary
from tests import test_import_files
from tests.factories import MeasurementFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

# The upload tests' KOL team “Ærø Kommune” with its member, a proportion and a count.
data = test_import_files.data


def month(data, period: str = "2024-03", numerator: object = 7) -> list[dict]:
    return [
        {
            "team": "Ærø Kommune",
            "indicator": "Andel med træningstilbud",
            "period": period,
            "numerator": numerator,
            "denominator": 10,
            "comment": "Træning på Ærø",
        },
        {"team": data.aero.pk, "indicator": data.count.pk, "period": period, "value": 3},
    ]


def refused(items: list, user) -> list[tuple[int, str | None, str]]:
    with pytest.raises(BulkRefused) as caught:
        measurements_bulk_write(items=items, by=user)
    return [(p.row, p.field, p.message) for p in caught.value.problems]


def test_it_writes_a_month_with_history_kept_with_the_person(data) -> None:
    result = measurements_bulk_write(items=month(data), by=data.user)

    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    share = Measurement.objects.get(indicator=data.share)
    assert (share.numerator, share.denominator, share.comment) == (7, 10, "Træning på Ærø")
    assert share.registered_by == data.user
    assert Measurement.objects.get(indicator=data.count).value == 3
    versions = Measurement.history.filter(team=data.aero)
    assert versions.count() == 2
    assert {v.history_user for v in versions} == {data.user}


def test_it_refreshes_the_touched_series_once(data) -> None:
    measurements_bulk_write(items=month(data), by=data.user)

    summarised = set(SeriesSummary.objects.values_list("indicator_id", "team_id"))
    assert summarised == {
        (data.share.pk, data.aero.pk),
        (data.share.pk, None),
        (data.count.pk, data.aero.pk),
        (data.count.pk, None),
    }


def test_the_same_payload_twice_changes_nothing_the_second_time(data) -> None:
    measurements_bulk_write(items=month(data), by=data.user)
    history_before = Measurement.history.count()

    with CaptureQueriesContext(connection) as queries:
        result = measurements_bulk_write(items=month(data), by=data.cast.administrator)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert Measurement.history.count() == history_before
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    assert not any("seriessummary" in q["sql"] for q in queries)
    # The first writer is still the one on record.
    assert set(Measurement.objects.values_list("registered_by", flat=True)) == {data.user.pk}


def test_a_changed_row_is_a_correction_and_the_rest_is_left_alone(data) -> None:
    measurements_bulk_write(items=month(data), by=data.user)

    result = measurements_bulk_write(items=month(data, numerator=8), by=data.user)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    share = Measurement.objects.get(indicator=data.share)
    assert [h.numerator for h in share.history.order_by("history_date")] == [7, 8]
    assert Measurement.objects.get(indicator=data.count).history.count() == 1


def test_one_bad_row_writes_nothing(data) -> None:
    items = month(data) + [
        {"team": "Ærø Kommune", "indicator": "Antal genindlæggelser", "period": "2024-04"}
    ]

    assert refused(items, data.user) == [(3, "value", "Angiv en værdi.")]
    assert Measurement.objects.count() == 0
    assert Measurement.history.count() == 0
    assert SeriesSummary.objects.count() == 0


def test_a_bad_last_row_keeps_the_corrections_before_it_from_being_written(data) -> None:
    MeasurementFactory(
        team=data.aero,
        indicator=data.count,
        period_start=dt.date(2024, 1, 1),
        numerator=None,
        denominator=None,
        value=1,
    )
    items = [
        {"team": data.aero.pk, "indicator": data.count.pk, "period": "2024-01", "value": 2},
        {"team": data.aero.pk, "indicator": data.count.pk, "period": "2024-02", "value": 2},
        {
            "team": data.aero.pk,
            "indicator": data.count.pk,
            "period": "2024-03",
            "value": 2,
            "comment": "a\x00b",
        },
    ]

    problems = refused(items, data.user)

    assert [(row, field) for row, field, _ in problems] == [(3, "comment")]
    assert Measurement.objects.get().value == 1
    assert Measurement.history.count() == 1


def test_a_member_cannot_write_another_team(data) -> None:
    items = [
        {
            "team": "Lungemedicin AUH",
            "indicator": data.share.pk,
            "period": "2024-03",
            "numerator": 1,
            "denominator": 2,
        },
        {"team": data.cast.adhd_rsd.pk, "indicator": "x", "period": "2024-03", "value": 1},
    ]

    assert refused(items, data.user) == [
        (1, "team", "Du kan ikke registrere data for teamet Lungemedicin AUH."),
        # Out of sight: answered as a team that does not exist.
        (2, "team", f"Ukendt team: “{data.cast.adhd_rsd.pk}”."),
    ]
    assert Measurement.objects.count() == 0


def test_only_members_and_administrators_write_a_teams_data(data) -> None:
    row = {"team": data.cast.kol_rm.pk, "indicator": data.count.pk, "period": "2024-03", "value": 4}

    assert measurements_bulk_write(items=[row], by=data.cast.local_lead).created == 1
    for reader in (data.cast.coordinator, data.cast.lead, data.cast.expert, data.cast.steering):
        assert refused([{**row, "value": 5}], reader)[0][1] == "team"
    assert (
        measurements_bulk_write(items=[{**row, "value": 5}], by=data.cast.administrator).updated
        == 1
    )


# --- The same words as the upload -------------------------------------------------------------

BAD_ROWS = [
    # (CSV line, JSON object): the same mistake written both ways.
    ("Ærø Kommune;Andel med træningstilbud;2024-03;12;10;;", {"numerator": 12, "denominator": 10}),
    ("Ærø Kommune;Andel med træningstilbud;2024-03;-1;10;;", {"numerator": -1, "denominator": 10}),
    ("Ærø Kommune;Andel med træningstilbud;2024-03;7;;;", {"numerator": 7}),
    (
        "Ærø Kommune;Andel med træningstilbud;2024-03;syv;10;;",
        {"numerator": "syv", "denominator": 10},
    ),
    (
        "Ærø Kommune;Andel med træningstilbud;2024-03;1.5;10;;",
        {"numerator": 1.5, "denominator": 10},
    ),
    (
        "Ærø Kommune;Andel med træningstilbud;2023-06;1;10;;",
        {"period": "2023-06", "numerator": 1, "denominator": 10},
    ),
    (
        "Ærø Kommune;Andel med træningstilbud;2024-13;1;10;;",
        {"period": "2024-13", "numerator": 1, "denominator": 10},
    ),
    (
        "Ærø Kommune;Andel med træningstilbud;2024-03-15;1;10;;",
        {"period": "2024-03-15", "numerator": 1, "denominator": 10},
    ),
    (
        "Ærø Kommune;Andel med træningstilbud;;1;10;;",
        {"period": None, "numerator": 1, "denominator": 10},
    ),
    (
        "Ærø Kommune;Andel med træningstilbud;2024-03;1;10;;Pt. 010190-1234",
        {"numerator": 1, "denominator": 10, "comment": "Pt. 010190-1234"},
    ),
    (
        "Ærø Kommune;Andel med kaffe;2024-03;1;10;;",
        {"indicator": "Andel med kaffe", "numerator": 1, "denominator": 10},
    ),
    (
        "Samsø Kommune;Andel med træningstilbud;2024-03;1;10;;",
        {"team": "Samsø Kommune", "numerator": 1, "denominator": 10},
    ),
    (
        "Ærø Kommune;Antal genindlæggelser;2024-03;;;1,23456;",
        {"indicator": "Antal genindlæggelser", "value": "1.23456"},
    ),
    (
        "Ærø Kommune;Antal genindlæggelser;2024-03;;;100000000000000000;",
        {"indicator": "Antal genindlæggelser", "value": 10**17},
    ),
]


# One month each, so that no two rows are the same measurement.
PERIODS = [f"{2024 + i // 12}-{i % 12 + 1:02d}" for i in range(len(BAD_ROWS))]


@pytest.mark.parametrize("language", ["da", "en"])
def test_row_errors_are_the_uploads_words_in_both_languages(data, language) -> None:
    rows = list(zip(BAD_ROWS, PERIODS, strict=True))
    lines = [line.replace(";2024-03;", f";{period};") for (line, _), period in rows]
    csv = "\r\n".join(["team;indikator;periode;tæller;nævner;værdi;kommentar", *lines])
    base = {"team": "Ærø Kommune", "indicator": "Andel med træningstilbud"}
    items = [{**base, "period": period, **obj} for (_, obj), period in rows]

    with translation.override(language):
        uploaded = check_rows(parse_rows(read_table(csv.encode(), "data.csv")), data.user)
        problems = refused(items, data.user)

    from_upload = [(row.line - 1, str(message)) for row in uploaded for message in row.errors]
    from_api = [(row, message) for row, _, message in problems]
    assert from_api == from_upload
    assert len({row for row, _ in from_api}) == len(BAD_ROWS)  # every row has its message
    danish = "Tælleren kan ikke være negativ."
    assert (danish in {m for _, m in from_api}) is (language == "da")


def test_the_field_is_named_beside_the_message(data) -> None:
    items = [
        {"team": "", "indicator": data.count.pk, "period": "2024-03", "value": 1},
        {"team": data.aero.pk, "indicator": "", "period": "2024-03", "value": 1},
        {"team": data.aero.pk, "indicator": data.count.pk, "period": "marts", "value": 1},
        {"team": data.aero.pk, "indicator": data.count.pk, "period": "2024-03", "value": "x"},
        {
            "team": data.aero.pk,
            "indicator": data.share.pk,
            "period": "2024-03",
            "numerator": 1,
            "denominator": "y",
        },
        {
            "team": data.aero.pk,
            "indicator": data.count.pk,
            "period": "2024-04",
            "value": 1,
            "comment": {"nested": True},
        },
        {
            "team": data.aero.pk,
            "indicator": data.count.pk,
            "period": "2024-05",
            "value": 1,
            "extra": 1,
        },
        [1, 2, 3],
    ]

    fields = list(dict.fromkeys((row, field) for row, field, _ in refused(items, data.user)))

    assert fields[:7] == [
        (1, "team"),
        (2, "indicator"),
        (3, "period"),
        (4, "value"),
        (5, "denominator"),
        (6, "comment"),
        (7, None),
    ]
    assert (8, None) in fields


def test_repeated_rows_are_named_with_their_numbers(data) -> None:
    items = month(data) + month(data)
    problems = refused(items, data.user)
    assert problems[0] == (
        1,
        None,
        "Samme team, indikator og periode står i 2 rækker (række 1 og 3).",
    )
    assert {row for row, _, _ in problems} == {1, 2, 3, 4}


# --- Hostile input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("numerator", 1e308),
        ("numerator", -(10**40)),
        ("numerator", "1" * 5000),
        ("numerator", True),
        ("numerator", [1]),
        ("numerator", {"a": 1}),
        ("numerator", "NaN"),
        ("numerator", "Infinity"),
        ("numerator", "1e999999999"),
        ("numerator", "\x00"),
        ("team", "Ærø\x00Kommune"),
        ("team", {"id": 1}),
        ("team", -1),
        ("team", 10**30),
        ("team", "0" * 5000),  # more digits than int() reads
        ("team", "²"),  # a digit to str.isdigit(), not to int()
        ("indicator", "9" * 4400),
        ("indicator", "³"),
        ("indicator", "\r\n"),
        ("indicator", 2.5),
        ("period", "0000-00"),
        ("period", "9999-12"),
        ("period", "2024-02-30"),
        ("period", 202413),
        ("period", "\x00"),
        ("period", "x" * 20_000),
        ("comment", "\x00"),
        ("comment", "linje 1\r\nlinje 2\x07"),
        ("comment", "x" * 20_000),
    ],
)
def test_hostile_values_are_row_errors_never_a_crash(data, field, value) -> None:
    item = {**month(data)[0], field: value}
    problems = refused([item], data.user)
    assert problems and all(row == 1 for row, _, _ in problems)
    assert Measurement.objects.count() == 0


@pytest.mark.parametrize("label", ["0" * 4999, "²", "١٢"])
def test_the_upload_reads_digits_that_are_no_id_as_a_name(data, label) -> None:
    csv = f"team;indikator;periode;tæller;nævner;værdi;kommentar\r\n{label};{label};2024-03;1;2;;"
    rows = check_rows(parse_rows(read_table(csv.encode(), "data.csv")), data.user)
    assert rows[0].errors[0].startswith("Ukendt team: “")


def test_a_comment_with_line_breaks_is_kept(data) -> None:
    item = {**month(data)[0], "comment": "linje 1\r\nlinje 2"}
    measurements_bulk_write(items=[item], by=data.user)
    assert Measurement.objects.get().comment.splitlines() == ["linje 1", "linje 2"]


def test_large_numbers_within_the_model_are_written_exactly(data) -> None:
    items = [
        {**month(data)[0], "numerator": "9999999999", "denominator": 9999999999.0},
        {**month(data)[1], "value": 9999999999},
    ]
    measurements_bulk_write(items=items, by=data.user)
    assert Measurement.objects.get(indicator=data.share).numerator == Decimal("9999999999")
    assert Measurement.objects.get(indicator=data.count).value == Decimal("9999999999")


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"{}",
        b'{"team": 1}',
        b"[]",
        b"\xff\xfe[]",
        b"[" * 100_000 + b"]" * 100_000,
        b"[" + b"1" * 5000 + b"]",
        b"[NaN]",
        b'[{"value": Infinity}]',
        b"null",
    ],
)
def test_a_body_that_is_not_a_list_of_rows_is_unreadable(body) -> None:
    with pytest.raises(BulkUnreadable) as caught:
        items_from_json(body)
    assert caught.value.message


def test_too_many_bytes_or_rows_are_too_large(settings) -> None:
    settings.LKT_UPLOAD_MAX_ROWS = 3
    with pytest.raises(BulkTooLarge):
        items_from_json(json.dumps([{}] * 4).encode())
    assert len(items_from_json(json.dumps([{}] * 3).encode())) == 3
    settings.LKT_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(BulkTooLarge) as caught:
        items_from_json(b" " * 1001)
    assert "for stor" in caught.value.message
