"""Pagination shared by every list page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 25


def paginate(
    request: HttpRequest, items: QuerySet[Any] | Sequence[Any], per_page: int = PAGE_SIZE
) -> dict[str, Any]:
    """Context for `includes/_pagination.html`: the page and the other query parameters."""
    page: Page[Any] = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"page_obj": page, "object_list": page.object_list, "query": query.urlencode()}
