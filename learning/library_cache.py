"""The learning library's ideas and latest cycles, rendered once per version of the programme's
data (`indicators.page_cache`), not on every request.

Rendering them (per idea its trials and its indicators' verdicts, ~500 objects at national
scale) costs ten times a trivial page. They are the same for everyone who may read the
programme's library but for the "det vil vi også prøve" buttons, which depend on the person's
own teams (in the key) and carry the person's CSRF token (put in after the cache).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

from indicators.page_cache import cached_page_part
from programmes.models import Programme

# Stands for the person's CSRF token in the cached HTML (`{% csrf_token %}` renders it).
CSRF_PLACEHOLDER = "lkt-library-csrf-token"  # noqa: S105 -- a placeholder, not a secret


def cached_library(
    programme: Programme, team_ids: list[int], csrf_token: str, render: Callable[[str], str]
) -> SafeString:
    """`render(placeholder)`'s HTML for this version, language and set of the person's teams,
    with the person's `csrf_token` in place of the placeholder."""
    html = cached_page_part("library", programme, team_ids, lambda: render(CSRF_PLACEHOLDER))
    return mark_safe(html.replace(CSRF_PLACEHOLDER, csrf_token))  # noqa: S308 -- our template
