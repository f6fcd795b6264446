"""The portal's icon: linked from every page, and `/favicon.ico` answers instead of a 404."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_to_the_vendored_icon(client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    found = finders.find(response.url.removeprefix(settings.STATIC_URL).removeprefix("/"))
    assert found, response.url
    assert Path(found).read_bytes()[:4] == b"\x00\x00\x01\x00"  # an ICO file's magic number


def test_every_page_links_its_icon(client) -> None:
    page = client.get("/login/").content.decode()
    assert 'rel="icon"' in page
    assert "img/favicon.svg" in page
