"""Pages whose parts htmx fetches later (`hx-get`), as a browser ends up showing them."""

from __future__ import annotations

import html
import re

from django.test import Client


def with_lazy_parts(client: Client, url: str, params: dict | None = None) -> str:
    """The page and, after it, every part its placeholders fetch (and theirs), as htmx would."""
    page = client.get(url, params or {}).content.decode()
    fetched: set[str] = set()
    while pending := [u for u in re.findall(r'hx-get="([^"]+)"', page) if u not in fetched]:
        for part_url in pending:
            fetched.add(part_url)
            response = client.get(html.unescape(part_url), headers={"HX-Request": "true"})
            assert response.status_code == 200, (part_url, response.status_code)
            page += response.content.decode()
    return page
