"""/api/v1/: the documentation page, the schema and the operations."""

from __future__ import annotations

from django.urls import path

from api import views
from api.endpoints import programmes
from api.main import api

api.add_router("/programmes", programmes.router, tags=["programmes"])

urlpatterns = [
    path("docs", views.api_docs, name="api_docs"),
    path("", api.urls),
]
