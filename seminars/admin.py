from django.contrib import admin
from django.http import HttpRequest

from seminars.models import Registration, Seminar, SeminarInvitation, SeminarMaterial


class InvitationInline(admin.TabularInline):
    model = SeminarInvitation
    extra = 0
    autocomplete_fields = ["team"]


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    autocomplete_fields = ["user", "team"]


@admin.register(Seminar)
class SeminarAdmin(admin.ModelAdmin):
    list_display = ["__str__", "programme", "kind", "starts_at", "place", "cancelled_at"]
    list_filter = ["kind", "programme"]
    search_fields = ["title", "place", "programme__name"]
    date_hierarchy = "starts_at"
    list_select_related = ["programme"]
    inlines = [InvitationInline, RegistrationInline]


@admin.register(SeminarInvitation)
class SeminarInvitationAdmin(admin.ModelAdmin):
    list_display = ["seminar", "team", "invited_at"]
    list_filter = ["seminar__programme"]
    search_fields = ["team__name", "seminar__title"]
    list_select_related = ["seminar", "team"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["user", "seminar", "team", "registered_at", "cancelled_at"]
    list_filter = ["seminar__programme"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "team", "seminar"]
    list_select_related = ["user", "seminar", "team"]


@admin.register(SeminarMaterial)
class SeminarMaterialAdmin(admin.ModelAdmin):
    """Read and retitle only: files are uploaded (and checked) on the seminar's own page."""

    list_display = ["title", "seminar", "kind", "extension", "size", "uploaded_at"]
    list_filter = ["kind"]
    list_select_related = ["seminar"]
    search_fields = ["title", "original_name"]
    readonly_fields = [
        "seminar",
        "file",
        "original_name",
        "extension",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
    ]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
