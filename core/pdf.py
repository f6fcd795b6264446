"""PDFs of the status pages with WeasyPrint: charts stay SVG, nothing is fetched from the network.

Only the portal's own static files (read from disk) and `data:` URLs are loaded; any other URL
is refused, so a PDF never waits for, or leaks a request to, another server. Fonts are the
machine's local fonts (DejaVu Sans, named by the print stylesheet).
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

# WeasyPrint narrates every step at INFO; keep its warnings (a refused URL, say) only.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# Used when there is no request: a name that can never resolve.
BASE_URL = "https://lkt-portal.invalid/"


class RefusedURL(ValueError):
    """WeasyPrint asked for something that is not one of the portal's static files."""


def static_file(url: str, base_url: str = BASE_URL) -> Path:
    """The file on disk behind one of our static URLs (on `base_url`'s host), or RefusedURL."""
    parts = urlsplit(url)
    base = urlsplit(base_url)
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not parts.path.startswith(
        prefix
    ):
        raise RefusedURL(f"Not a local static file: {url}")
    name = unquote(parts.path[len(prefix) :])
    if not name or ".." in Path(name).parts:
        raise RefusedURL(f"Not a local static file: {url}")
    try:
        found = finders.find(name)
    except SuspiciousFileOperation as exc:
        raise RefusedURL(f"Not a local static file: {url}") from exc
    if not found and settings.STATIC_ROOT:
        try:
            candidate = Path(staticfiles_storage.path(name)).resolve()
        except Exception as exc:  # noqa: BLE001 -- a suspicious name is refused like a missing one
            raise RefusedURL(f"Not a local static file: {url}") from exc
        if candidate.is_file() and candidate.is_relative_to(Path(settings.STATIC_ROOT).resolve()):
            found = str(candidate)
    if not found:
        raise RefusedURL(f"No such static file: {url}")
    return Path(found)


def local_url_fetcher(base_url: str = BASE_URL):
    """WeasyPrint's fetcher: our static files from disk and `data:` URLs, nothing else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):
        def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = static_file(url, base_url)
            mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, path.read_bytes(), {"Content-Type": mime_type}, status=200
            )

    return LocalFetcher(allowed_protocols=["data", "https"], allow_redirects=False)


def render_pdf(html: str, base_url: str = BASE_URL) -> bytes:
    """The page as PDF; links in it point at the portal (`base_url`), which is never fetched."""
    from weasyprint import HTML

    fetcher = local_url_fetcher(base_url)
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()


def pdf_response(request: HttpRequest, html: str, name: str) -> HttpResponse:
    pdf = render_pdf(html, request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{name}-{timezone.localdate().isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
