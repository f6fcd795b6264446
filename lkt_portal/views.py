"""Pages that belong to the portal as a whole: the home page and the health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedRequest
from lkt_portal.forms import SearchForm
from lkt_portal.health import broker_status, database_status
from lkt_portal.home import my_work
from lkt_portal.search import search as search_portal


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The front page: for a signed-in person their own work, else what the portal is."""
    if not request.user.is_authenticated:
        return render(request, "home.html")
    return render(request, "my_work.html", my_work(request.user))


@require_GET
@login_required
def search(request: AuthenticatedRequest) -> HttpResponse:
    """Results of the navigation bar's search box, grouped by kind, limited to what one may see."""
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    groups = search_portal(request.user, query) if query else []
    return render(request, "search.html", {"form": form, "query": query, "groups": groups})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker reachability as JSON; 503 when either is down."""
    db_ok, db_detail = database_status()
    broker_ok, broker_detail = broker_status()
    ok = db_ok and broker_ok
    body = {
        "status": "ok" if ok else "error",
        "database": {"ok": db_ok, "detail": db_detail},
        "broker": {"ok": broker_ok, "detail": broker_detail},
    }
    return JsonResponse(body, status=200 if ok else 503)
