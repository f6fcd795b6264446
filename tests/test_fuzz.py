"""The portal's own fuzzer: as every role, walk every page it can reach, post every form it finds
with hostile values, send hostile query strings, then fetch every export and PDF: never a 5xx.

Pages come from the URL resolver (built with the objects of `test_every_url.World`) and from the
links on the pages rendered; forms are read from the HTML as a browser would see them. The counts
(roles, pages, forms, requests) are printed at the end of the run.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from django.urls import reverse

from tests.test_every_url import EXPECTED, ROLES, World

# Not `clock`-marked: it walks the same dated world as test_every_url, which the moved-clock
# runs cover; the fuzzer runs once, at the real date, in `make test`.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Every value a hostile or careless person can type or paste.
HOSTILE = {
    "control characters": "Kol\x0bteam\x07\x1b[31m",
    "CR/LF": "Seminar\r\nBcc: alle@example.dk",
    "NUL": "navn\x00null",
    "huge text": "æ" * 20_000,
    "huge number": "9" * 30,
    "negative number": "-12",
    "non-numeric number": "12,5,3 stk",
    "impossible date": "2025-02-30",
    "far date": "0001-01-01",
    "far month": "9999-12",
}
# Query parameters the views read, each given hostile values too.
QUERY_NAMES = [
    "q", "page", "program", "team", "region", "status", "month", "kind", "vis", "fejl",
    "format", "kort", "next", "target", "lead_region", "is_cross_sector", "light", "area", "maaned",
    "tilstand", "ide", "indikator", "bygger_paa",
]  # fmt: skip
QUERY_VALUES = ["9" * 30, "-1", "\x00\x0b<script>", "æøå" * 2_000]
# Links and actions the walk leaves alone: leaving the session, Django's admin, static files.
SKIP = re.compile(r"^/(logout/|admin/|static/|i18n/)")
MAX_PAGES_PER_ROLE = 90


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)  # name → the value a browser sends
    choices: dict[str, list[str]] = field(default_factory=dict)


class PageReader(HTMLParser):
    """The links and forms of one rendered page."""

    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href", "").startswith("/"):
            self.links.append(a["href"].split("#")[0])
        elif tag == "form":
            action = a.get("action") or urlsplit(self.url).path
            self._form = Form(action=action, method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
        elif self._form is not None and tag in {"input", "textarea", "select", "button"}:
            name = a.get("name")
            if not name or a.get("type") in {"submit", "button", "image", "reset"}:
                return
            if a.get("type") in {"checkbox", "radio"} and "checked" not in a:
                self._form.choices.setdefault(name, []).append(a.get("value", "on"))
                return
            self._form.fields.setdefault(name, a.get("value", ""))
            if tag == "select":
                self._select = name
        elif tag == "option" and self._form is not None and self._select:
            self._form.choices.setdefault(self._select, []).append(a.get("value", ""))
            if "selected" in a:
                self._form.fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


@dataclass
class Walk:
    """One role's walk: what it saw and the 5xx answers it got."""

    client: object
    seen: set[str] = field(default_factory=set)
    forms: dict[tuple[str, tuple[str, ...]], Form] = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def request(self, method: str, url: str, data: dict | None = None) -> object:
        self.counts["requests"] += 1
        if method == "get":
            response = self.client.get(url, data or {})
        else:
            response = self.client.post(url, data or {})
        if response.status_code >= 500:
            shown = {k: (v[:40] + "…" if len(v) > 40 else v) for k, v in (data or {}).items()}
            self.failures.append(f"{method.upper()} {url} {shown!r} → {response.status_code}")
        return response

    def visit(self, url: str) -> None:
        if url in self.seen or SKIP.match(url) or len(self.seen) >= MAX_PAGES_PER_ROLE:
            return
        self.seen.add(url)
        response = self.request("get", url)
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("text/html"):
            return
        self.counts["pages"] += 1
        reader = PageReader(url)
        reader.feed(response.content.decode("utf-8", "replace"))
        for form in reader.forms:
            if SKIP.match(form.action):
                continue
            key = (form.action, tuple(sorted(form.fields)))
            self.forms.setdefault(key, form)
        for link in reader.links:
            self.visit(link)

    def hostile_queries(self) -> None:
        for url in sorted(self.seen):
            if urlsplit(url).query:
                continue
            for value in QUERY_VALUES:
                self.request("get", url + "?" + urlencode(dict.fromkeys(QUERY_NAMES, value)))

    def hostile_forms(self) -> None:
        for form in self.forms.values():
            self.counts["forms"] += 1
            method = "get" if form.method == "get" else "post"
            for value in HOSTILE.values():
                data = {name: value for name in [*form.fields, *form.choices]}
                data.update({k: v for k, v in form.fields.items() if k == "csrfmiddlewaretoken"})
                self.request(method, form.action, data)
            # The same valid form twice in a row (a double click, a resent POST).
            valid = dict(form.fields)
            valid.update({name: values[0] for name, values in form.choices.items() if values})
            self.request(method, form.action, valid)
            self.request(method, form.action, valid)


def _start_urls(world: World) -> list[str]:
    urls = []
    for name, rules in EXPECTED.items():
        if any(method == "GET" for method, _ in rules):
            urls.append(reverse(name, kwargs=world.kwargs(name)))
    return urls


def _exports(world: World) -> list[str]:
    c = world.cast
    plain = [
        reverse("indicators:export_team", kwargs={"pk": c.kol_rm.pk}),
        reverse("indicators:export_region", kwargs={"pk": c.regions["rm"].pk}),
        reverse("indicators:export_programme", kwargs={"pk": c.kol.pk}),
        reverse("status:export"),
    ]
    pdfs = [
        reverse("status:overview_pdf"),
        reverse("status:programme_pdf", args=[c.kol.pk]),
        reverse("programmes:learning_pdf", args=[c.kol.pk]),
    ]
    return [*plain, *(f"{url}?format=xlsx" for url in plain), *pdfs]


FUZZ_COUNTS: Counter = Counter()


@pytest.mark.parametrize("role", ROLES)
def test_no_input_from_any_role_gives_a_server_error(client, cast, clock, role) -> None:
    world = World(cast, clock)
    if role != "anonymous":
        client.force_login(getattr(cast, role))
    client.raise_request_exception = False  # an exception is counted as the 500 it would be
    walk = Walk(client)

    for url in _start_urls(world):
        walk.visit(url)
    walk.hostile_queries()
    walk.hostile_forms()
    for url in _exports(world):  # with whatever the hostile forms managed to store
        walk.request("get", url)

    FUZZ_COUNTS.update(walk.counts)
    FUZZ_COUNTS["roles"] += 1
    assert walk.counts["pages"] > 0
    assert walk.failures == [], "\n".join(walk.failures[:30])
