"""A browser, just enough of one: cookies and plain HTTP/1.1 requests, for the benches."""

from __future__ import annotations

import http.client
import os
import re
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

TIMEOUT = float(os.environ.get("LOAD_TIMEOUT", "30"))  # per request; gunicorn's own is 30 s too


@dataclass
class Answer:
    status: int  # 0: no answer (refused, reset, timed out)
    location: str
    body: str
    error: str = ""
    retry_after: str = ""


class Browser:
    """One person's cookies and plain HTTP/1.1 requests; redirects are not followed."""

    def __init__(self, port: int, timeout: float = TIMEOUT) -> None:
        self.port, self.timeout = port, timeout
        self.cookies: dict[str, str] = {}

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str]) -> Answer:
        return self.request("POST", path, form)

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Answer:
        headers = {"Host": "127.0.0.1", "User-Agent": "lkt-load/1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel["max-age"] == "0" or morsel.value == "":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return Answer(
                response.status,
                response.getheader("Location") or "",
                content,
                retry_after=response.getheader("Retry-After") or "",
            )
        except (OSError, http.client.HTTPException) as exc:
            return Answer(0, "", "", f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    def form_token(self, answer: Answer) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', answer.body)
        return found.group(1) if found else ""
