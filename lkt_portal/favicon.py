"""`/favicon.ico`, which browsers ask for on every page whatever the page's own link says."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe


@require_safe
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    # Not permanent: with hashed static names the icon's address changes when the icon does.
    return HttpResponseRedirect(static("img/favicon.ico"))
