"""/api/v1/: the documentation page, the schema and the operations."""

from __future__ import annotations

from django.urls import path

from api import views
from api.endpoints import calendar, indicators, me, measurements, pdsa, programmes, seminars, teams
from api.main import api

api.add_router("/me", me.router, tags=["me"])
api.add_router("/programmes", programmes.router, tags=["programmes"])
api.add_router("/indicators", indicators.router, tags=["indicators"])
api.add_router("/teams", teams.router, tags=["teams"])
api.add_router("/teams", pdsa.router, tags=["pdsa"])  # /teams/{id}/pdsa-cycles
api.add_router("/seminars", seminars.router, tags=["seminars"])
api.add_router("/calendar", calendar.router, tags=["calendar"])
api.add_router("/measurements", measurements.router, tags=["measurements"])

urlpatterns = [
    path("docs", views.api_docs, name="api_docs"),
    path("", api.urls),
]
