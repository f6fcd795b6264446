from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Invitation, SecurityEvent, User


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
