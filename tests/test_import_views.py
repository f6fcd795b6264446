"""The upload pages: who may upload, bad files get a message (never a 500), the preview writes
nothing, confirmation writes all rows or none, and the template downloads."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
from types import SimpleNamespace

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from indicators.file_views import SESSION_KEY
from indicators.models import Indicator, Measurement, UploadPreview
from tests.factories import IndicatorFactory, MeasurementFactory, TeamFactory, TeamMemberFactory

HEADER = "team;indikator;periode;tæller;nævner;værdi;kommentar"
UPLOAD = reverse("indicators:upload")
PREVIEW = reverse("indicators:upload_preview")
CONFIRM = reverse("indicators:upload_confirm")
CANCEL = reverse("indicators:upload_cancel")
TEMPLATE = reverse("indicators:upload_template")


@pytest.fixture
def data(cast) -> SimpleNamespace:
    aero = TeamFactory(programme=cast.kol, region=cast.regions["rsd"], name="Ærø Kommune")
    TeamMemberFactory(team=aero, user=cast.member)
    share = IndicatorFactory(
        programme=cast.kol, name="Andel med træningstilbud", measure=Indicator.Measure.PROPORTION
    )
    count = IndicatorFactory(
        programme=cast.kol, name="Antal genindlæggelser", measure=Indicator.Measure.COUNT
    )
    return SimpleNamespace(cast=cast, aero=aero, share=share, count=count)


def kept(client) -> UploadPreview:
    """The upload waiting for the client's confirmation (the session holds only its token)."""
    return UploadPreview.objects.get(token=client.session[SESSION_KEY])


def csv_file(*lines: str, name: str = "data.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "\r\n".join((HEADER, *lines)).encode(encoding))


GOOD = (
    "Ærø Kommune;Andel med træningstilbud;2024-03;7;10;;",
    "Ærø Kommune;Antal genindlæggelser;2024-03;;;3;",
    "Lungemedicin OUH;Andel med træningstilbud;marts 2024;1.234;2.000;;Fin måned",
)


@pytest.fixture
def member_client(client, data) -> Client:
    client.force_login(data.cast.member)
    return client


def upload(client: Client, file: SimpleUploadedFile):
    return client.post(UPLOAD, {"file": file})


# --- Who may upload ----------------------------------------------------------------------------


def test_it_sends_an_anonymous_visitor_to_the_login(client, data) -> None:
    for url in (UPLOAD, PREVIEW, TEMPLATE):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response.url
    assert client.post(CONFIRM).status_code == 302


@pytest.mark.parametrize("who", ["nobody", "steering", "coordinator", "expert"])
def test_it_refuses_the_upload_page_to_someone_without_a_team(client, data, who) -> None:
    client.force_login(getattr(data.cast, who))
    assert client.get(UPLOAD).status_code == 403
    assert upload(client, csv_file(*GOOD)).status_code == 403
    assert client.get(TEMPLATE).status_code == 403


def test_it_shows_the_upload_page_with_the_columns_and_the_templates(member_client) -> None:
    response = member_client.get(UPLOAD)

    assert response.status_code == 200
    content = response.content.decode()
    assert '<label class="form-label" for="id_file">' in content
    for column in ("team", "indikator", "periode", "tæller", "nævner", "værdi", "kommentar"):
        assert f"<code>{column}</code>" in content
    assert f"{TEMPLATE}?format=xlsx" in content
    assert "Ærø Kommune" in content  # the teams the person may register for


def test_it_checks_the_csrf_token_although_the_size_guard_comes_first(data) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(data.cast.member)
    response = upload(client, csv_file(*GOOD))
    assert response.status_code == 403
    assert SESSION_KEY not in client.session


def test_a_member_cannot_upload_another_teams_data(member_client, data) -> None:
    response = upload(
        member_client, csv_file("Lungemedicin AUH;Andel med træningstilbud;2024-03;7;10;;")
    )
    assert response.status_code == 302
    preview = member_client.get(PREVIEW)
    assert "Du kan ikke registrere data for teamet Lungemedicin AUH." in preview.content.decode()
    token = kept(member_client).token
    member_client.post(CONFIRM, {"token": token})
    assert Measurement.objects.count() == 0


# --- Preview and confirmation ------------------------------------------------------------------


def test_a_valid_file_is_previewed_and_nothing_is_written_until_confirmed(
    member_client, data
) -> None:
    response = upload(member_client, csv_file(*GOOD))
    assert response.status_code == 302 and response.url == PREVIEW

    preview = member_client.get(PREVIEW)

    content = preview.content.decode()
    assert preview.status_code == 200
    assert content.count('<span class="badge text-bg-success">Ny</span>') == 3
    assert "Alle 3 rækker kan gemmes. Intet er gemt endnu." in content
    assert "1234 / 2000" in content
    assert Measurement.objects.count() == 0

    token = kept(member_client).token
    response = member_client.post(CONFIRM, {"token": token}, follow=True)

    assert Measurement.objects.count() == 3
    assert "Data er gemt: 3 nye tal og 0 rettelser." in response.content.decode()
    saved = Measurement.objects.get(team=data.cast.kol_rsd)
    assert (saved.numerator, saved.denominator, saved.comment) == (1234, 2000, "Fin måned")
    assert saved.registered_by == data.cast.member
    assert saved.history.get().history_user == data.cast.member
    assert SESSION_KEY not in member_client.session


def test_a_file_with_one_bad_row_writes_nothing_even_when_confirm_is_forced(
    member_client, data
) -> None:
    upload(member_client, csv_file(*GOOD, "Ærø Kommune;Antal genindlæggelser;2024-04;;;-2;"))

    preview = member_client.get(PREVIEW).content.decode()
    assert 'role="alert"' in preview
    assert "Ret fejlene i filen og upload den igen." in preview
    assert "Række 5</a>: Et antal kan ikke være negativt." in preview
    assert CONFIRM not in preview  # no confirm button

    token = kept(member_client).token
    response = member_client.post(CONFIRM, {"token": token}, follow=True)

    assert "Ret fejlene i filen og upload den igen. Intet er gemt." in response.content.decode()
    assert Measurement.objects.count() == 0


def test_a_confirmation_without_a_pending_upload_writes_nothing(member_client, data) -> None:
    response = member_client.post(CONFIRM, {"token": "made-up"}, follow=True)
    assert "Der er ingen upload at bekræfte." in response.content.decode()

    upload(member_client, csv_file(*GOOD))
    member_client.post(CONFIRM, {"token": "an-older-preview"})
    assert Measurement.objects.count() == 0


def test_confirmation_is_all_or_nothing_when_the_programme_changed_meanwhile(
    member_client, data
) -> None:
    upload(member_client, csv_file(*GOOD, "Ærø Kommune;Antal genindlæggelser;2025-11;;;4;"))
    assert kept(member_client).rows[-1]["status"] == "new"
    data.cast.kol.end_date = dt.date(2025, 6, 30)  # row 5 now lies after the programme's end
    data.cast.kol.save()

    token = kept(member_client).token
    response = member_client.post(CONFIRM, {"token": token}, follow=True)

    content = response.content.decode()
    assert Measurement.objects.count() == 0
    assert "Noget er ændret, siden du så forhåndsvisningen" in content
    assert "uden for programmets periode" in content


def test_confirmation_writes_nothing_when_the_person_left_the_team_meanwhile(
    member_client, data
) -> None:
    upload(member_client, csv_file(*GOOD))
    data.aero.members.filter(user=data.cast.member).delete()

    member_client.post(CONFIRM, {"token": kept(member_client).token})

    assert Measurement.objects.count() == 0
    rows = kept(member_client).rows
    assert rows[0]["errors"] == ["Du kan ikke registrere data for teamet Ærø Kommune."]


def test_a_file_name_shaped_like_a_cpr_number_is_not_kept(member_client, data) -> None:
    upload(member_client, csv_file(*GOOD, name="010190-1234.csv"))
    assert kept(member_client).filename == "[skjult: ligner et CPR-nummer]"


def test_a_confirmed_correction_keeps_the_old_value_in_the_history(member_client, data) -> None:
    old = MeasurementFactory(
        team=data.aero, indicator=data.share, period_start=dt.date(2024, 3, 1), numerator=5
    )
    upload(member_client, csv_file("Ærø Kommune;Andel med træningstilbud;2024-03;6;10;;"))

    preview = member_client.get(PREVIEW).content.decode()
    assert "Rettelse" in preview and "5 / 10 → 6 / 10" in preview

    member_client.post(CONFIRM, {"token": kept(member_client).token})

    old.refresh_from_db()
    assert old.numerator == 6
    assert [v.numerator for v in old.history.order_by("history_date")] == [5, 6]
    assert old.history.latest().history_user == data.cast.member


def test_cancel_forgets_the_pending_upload(member_client, data) -> None:
    upload(member_client, csv_file(*GOOD))
    member_client.post(CANCEL)
    assert SESSION_KEY not in member_client.session
    assert member_client.get(PREVIEW).status_code == 302
    assert Measurement.objects.count() == 0


def test_the_preview_is_paginated_and_can_show_only_the_rows_with_errors(
    member_client, data, django_assert_max_num_queries
) -> None:
    months = [dt.date(2024, 1, 1) + dt.timedelta(days=31 * i) for i in range(20)]
    lines = [f"Ærø Kommune;Antal genindlæggelser;{m:%Y-%m};;;{i};" for i, m in enumerate(months)]
    lines += [f"Ærø Kommune;Andel med træningstilbud;{m:%Y-%m};7;10;;" for m in months]
    lines[33] = f"Ærø Kommune;Andel med træningstilbud;{months[13]:%Y-%m};12;10;;"  # row 35
    upload(member_client, csv_file(*lines))

    # The session, the user, the kept preview and the navbar's role checks; nothing per row.
    with django_assert_max_num_queries(9):
        first = member_client.get(PREVIEW).content.decode()
    second = member_client.get(PREVIEW + "?page=2").content.decode()
    errors_only = member_client.get(PREVIEW + "?fejl=1").content.decode()

    assert 'id="raekke-2"' in first and 'id="raekke-35"' not in first
    assert 'id="raekke-35"' in second
    assert "Side 1 af 2" in first
    assert errors_only.count('id="raekke-') == 1
    assert 'href="?fejl=1&amp;page=1#raekke-35"' in first


# --- Bad files: a message, never a 500, nothing written ----------------------------------------


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("tom.csv", b""), "Filen er tom."),
        (SimpleUploadedFile("data.csv", b"\xef\xbb\xbf\r\n"), "Filen er tom."),
        (
            SimpleUploadedFile("data.csv", "Hold;Måling;Måned\r\nÆrø;x;2024-01".encode()),
            "Portalen kender ikke kolonnerne “Hold” og “Måling”.",
        ),
        (
            SimpleUploadedFile("data.bin", bytes(range(256)) * 20),
            "Filen kunne ikke læses som CSV eller Excel.",
        ),
        (SimpleUploadedFile("gammel.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 512), "(.xls)"),
    ],
    ids=["empty", "only-bom", "wrong-columns", "garbage", "xls"],
)
def test_a_bad_file_gets_a_danish_message_on_the_page(member_client, data, file, message) -> None:
    response = upload(member_client, file)

    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert 'role="alert"' in content and 'aria-invalid="true"' in content
    assert SESSION_KEY not in member_client.session
    assert Measurement.objects.count() == 0


def test_an_upload_without_a_file_asks_for_one(member_client) -> None:
    response = member_client.post(UPLOAD, {})
    assert "Vælg en CSV- eller Excel-fil at uploade." in response.content.decode()


def test_a_50_mb_file_gets_a_message_quickly_and_is_not_kept(member_client, data) -> None:
    big = SimpleUploadedFile("stor.csv", HEADER.encode() + b"\r\n" + b"x" * (50 * 1024 * 1024))
    started = time.monotonic()

    response = upload(member_client, big)

    assert time.monotonic() - started < 5
    assert response.status_code == 200
    assert (
        "Filen er for stor (50 MB). Den største tilladte størrelse er 5 MB."
        in response.content.decode()
    )
    assert SESSION_KEY not in member_client.session


def test_the_size_limit_comes_from_the_settings(member_client, data, settings) -> None:
    settings.LKT_UPLOAD_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("stor.csv", HEADER.encode() + b"\r\n" + b"x" * (2 * 1024 * 1024))
    response = upload(member_client, big)
    assert "Filen er for stor (2 MB). Den største tilladte størrelse er 1 MB." in (
        response.content.decode()
    )


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_danish_letters_survive_every_encoding_into_the_database(
    member_client, data, encoding
) -> None:
    upload(
        member_client,
        csv_file(
            "Ærø Kommune;Antal genindlæggelser;2024-03;;;3;Æbler og øl på Ærø", encoding=encoding
        ),
    )
    member_client.post(CONFIRM, {"token": kept(member_client).token})

    assert Measurement.objects.get(team=data.aero).comment == "Æbler og øl på Ærø"


# --- The template ------------------------------------------------------------------------------


def test_the_csv_template_opens_in_danish_excel_and_has_a_row_per_team_and_indicator(
    member_client, data
) -> None:
    IndicatorFactory(programme=data.cast.kol, name="Udgået indikator", is_active=False)
    response = member_client.get(TEMPLATE)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="lkt-skabelon-' in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbfteam;indikator;periode;t\xc3\xa6ller;")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["team", "indikator", "periode", "tæller", "nævner", "værdi", "kommentar"]
    pairs = {(row[0], row[1]) for row in rows[1:]}
    assert pairs == {
        (team, indicator)
        for team in ("Ærø Kommune", "Lungemedicin OUH")
        for indicator in ("Andel med træningstilbud", "Antal genindlæggelser")
    }


def test_the_excel_template_opens_and_a_filled_template_uploads(member_client, data) -> None:
    response = member_client.get(TEMPLATE + "?format=xlsx")

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    assert [c.value for c in sheet[1]] == [
        "team",
        "indikator",
        "periode",
        "tæller",
        "nævner",
        "værdi",
        "kommentar",
    ]
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == "Antal genindlæggelser":
            row[5].value = 2
        else:
            row[3].value, row[4].value = 3, 4
    filled = io.BytesIO()
    workbook.save(filled)

    upload(member_client, SimpleUploadedFile("skabelon.xlsx", filled.getvalue()))
    pending = kept(member_client)
    assert [row["status"] for row in pending.rows] == ["new"] * 4
