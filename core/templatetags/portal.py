"""Small template helpers shared by every page."""

from __future__ import annotations

import hashlib
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from core.cache import versioned_get, versioned_set

register = template.Library()

# Bootstrap colour per status value (programmes, teams); unknown values are grey.
_STATUS_COLOURS = {
    "preparing": "info",
    "active": "success",
    "paused": "warning",
    "completed": "secondary",
    "sustainment": "primary",
    "forming": "info",
    "withdrawn": "dark",
}


@register.simple_tag
def status_badge(obj: object) -> str:
    """A coloured badge with the object's status label, e.g. “Igangværende”."""
    value = getattr(obj, "status", "")
    label = obj.get_status_display() if hasattr(obj, "get_status_display") else value
    colour = _STATUS_COLOURS.get(value, "secondary")
    text = "text-dark" if colour in {"info", "warning"} else ""
    return format_html('<span class="badge text-bg-{} {}">{}</span>', colour, text, label)


@register.simple_tag(takes_context=True)
def can(context: template.Context, permission: str, obj: object = None) -> bool:
    """`{% can "teams.change_team" team as allowed %}`: the role matrix in templates."""
    user = context.get("user")
    return bool(user and user.has_perm(permission, obj))


NAVIGATION_SECONDS = 12 * 3600
# The parts of the navigation that follow from who the person is: the main menu and the
# person's own menu (the search box, the language form and the log-out button stay live: they
# carry the query, the page's address and the CSRF token).
NAVIGATION_PARTS = {"items": "includes/_nav_items.html", "person": "includes/_nav_person.html"}
# Fields that move without changing what the menus show (the last login moves at every login).
_NOT_SHOWN = frozenset({"password", "last_login"})


def navigation_key(user: Any) -> str:
    """The cache key of a person's menus: every field of their row but the password and last
    login (their name, flags and `roles_version`, which every change of their posts,
    memberships and permissions moves on), the language and the script prefix. A change of any
    of them is another key, so a change shows on the next page and no one shares another's."""
    values = [
        repr(getattr(user, f.attname))
        for f in user._meta.concrete_fields
        if f.name not in _NOT_SHOWN
    ]
    values += [translation.get_language() or "", get_script_prefix()]
    digest = hashlib.sha1("\x00".join(values).encode(), usedforsecurity=False).hexdigest()
    return f"lkt-nav:{user.pk}:{digest}"


@register.simple_tag(takes_context=True)
def navigation(context: template.Context) -> dict[str, SafeString]:
    """`{% navigation as nav %}`: the signed-in person's menus (`nav.items`, `nav.person`),
    rendered once per state of the person and language and kept in the cache. The menus ask the
    role matrix four questions and reverse a dozen URLs: a good part of a small page's time."""
    user = context["user"]
    key = navigation_key(user)
    parts = versioned_get(key)
    if parts is None:
        parts = {
            part: render_to_string(name, {"user": user}) for part, name in NAVIGATION_PARTS.items()
        }
        versioned_set(key, parts, NAVIGATION_SECONDS)
    return {name: mark_safe(html) for name, html in parts.items()}  # noqa: S308 -- our templates
