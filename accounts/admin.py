from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import AccessToken, CalendarFeed, Invitation, SecurityEvent, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "is_steering_group_member"]
    search_fields = ["email", "first_name", "last_name", "organisation_text"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "phone", "organisation_text")}),
        (
            _("Rettigheder"),
            {
                "fields": (
                    "is_active",
                    "is_steering_group_member",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Datoer"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["user", "invited_to", "invited_by", "created_at", "expires_at", "used_at"]
    list_select_related = ["user", "invited_by"]
    search_fields = ["user__email", "invited_to"]
    raw_id_fields = ["user", "invited_by"]


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "user", "username", "ip_address", "path"]
    list_filter = ["kind"]
    search_fields = ["username", "user__email", "path"]
    date_hierarchy = "at"
    list_select_related = ["user"]

    def has_add_permission(self, request) -> bool:  # noqa: ARG002 -- the trail is append-only
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ARG002
        return False


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    """API tokens are made by their person on the profile page; here they can only be revoked."""

    list_display = ["name", "user", "scope", "prefix", "created_at", "expires_at", "last_used_at"]
    list_filter = ["scope"]
    search_fields = ["name", "user__email", "prefix"]
    list_select_related = ["user"]
    readonly_fields = [
        "user",
        "name",
        "scope",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
    ]
    fields = [*readonly_fields, "revoked_at"]

    def has_add_permission(self, request) -> bool:  # noqa: ARG002 -- the secret is shown once
        return False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "prefix", "created_at", "last_used_at", "revoked_at"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    readonly_fields = ["user", "prefix", "created_at", "last_used_at"]
    fields = [*readonly_fields, "revoked_at"]

    def has_add_permission(self, request) -> bool:  # noqa: ARG002 -- made on the profile page
        return False
