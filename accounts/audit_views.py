"""The audit trail in the portal, for administrators (a person's own data: `people/views.py`)."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedRequest
from accounts.models import SecurityEvent
from core.paging import paginate
from core.text import one_line


@require_GET
@login_required
@permission_required("accounts.view_audit_trail", raise_exception=True)
def audit_trail(request: AuthenticatedRequest) -> HttpResponse:
    """Security events and data changes, newest first, searchable by person."""
    tab = "changes" if request.GET.get("vis") == "aendringer" else "security"
    query = one_line(request.GET.get("q") or "")  # a NUL would reach PostgreSQL and fail
    if tab == "security":
        events = SecurityEvent.objects.select_related("user")
        if request.GET.get("kind") in SecurityEvent.Kind.values:
            events = events.filter(kind=request.GET["kind"])
        if query:
            events = events.filter(Q(username__icontains=query) | Q(user__email__icontains=query))
    else:
        events = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")
        if query:
            events = events.filter(
                Q(actor__email__icontains=query) | Q(object_repr__icontains=query)
            )
    context = {
        "tab": tab,
        "q": query,
        "kinds": SecurityEvent.Kind.choices,
        "kind": request.GET.get("kind", ""),
        **paginate(request, events, per_page=50),
    }
    return render(request, "accounts/audit_trail.html", context)
