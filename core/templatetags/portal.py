"""Small template helpers shared by every page."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

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
