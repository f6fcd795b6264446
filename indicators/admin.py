from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from indicators.models import (
    ChartChange,
    Indicator,
    IndicatorProposal,
    IndicatorVersion,
    Measurement,
    SeriesSummary,
    UploadPreview,
)
from indicators.summaries import refresh_summaries


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "kind", "measure", "better_direction", "target"]
    list_filter = ["programme", "kind", "measure", "is_active"]
    search_fields = ["name", "definition"]
    list_select_related = ["programme"]


@admin.register(Measurement)
class MeasurementAdmin(SimpleHistoryAdmin):
    list_display = [
        "team",
        "indicator",
        "period_start",
        "numerator",
        "denominator",
        "value",
        "registered_by",
    ]
    list_filter = ["indicator__programme", "indicator"]
    search_fields = ["team__name", "indicator__name", "comment"]
    date_hierarchy = "period_start"
    autocomplete_fields = ["team", "indicator"]
    list_select_related = ["team", "indicator", "registered_by"]

    # A figure changed here is analysed again like one changed in the portal, so the status
    # pages and the charts (drawn once per version of a series) show it.
    def save_model(self, request, obj, form, change) -> None:  # noqa: ANN001
        super().save_model(request, obj, form, change)
        refresh_summaries([obj.indicator_id], [obj.team_id])

    def delete_model(self, request, obj) -> None:  # noqa: ANN001
        super().delete_model(request, obj)
        refresh_summaries([obj.indicator_id], [obj.team_id])

    def delete_queryset(self, request, queryset) -> None:  # noqa: ANN001
        touched = {(m.indicator_id, m.team_id) for m in queryset}
        super().delete_queryset(request, queryset)
        for indicator_id, team_id in touched:
            refresh_summaries([indicator_id], [team_id])


@admin.register(ChartChange)
class ChartChangeAdmin(admin.ModelAdmin):
    list_display = ["indicator", "team", "kind", "period_start", "created_by", "created_at"]
    list_filter = ["kind", "indicator__programme"]
    search_fields = ["indicator__name", "reason"]
    autocomplete_fields = ["indicator", "team"]
    list_select_related = ["indicator", "team", "created_by"]


@admin.register(SeriesSummary)
class SeriesSummaryAdmin(admin.ModelAdmin):
    """Read-only: the cache is written by `refresh_summaries` (or `manage.py refresh_summaries`)."""

    list_display = ["indicator", "team", "verdict", "assurance", "n_useful", "computed_at"]
    list_filter = ["verdict", "indicator__programme"]
    search_fields = ["indicator__name", "team__name"]
    list_select_related = ["indicator", "team"]

    def has_add_permission(self, request) -> bool:  # noqa: ARG002
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ARG002
        return False


@admin.register(UploadPreview)
class UploadPreviewAdmin(admin.ModelAdmin):
    """Read-only: written by the upload pages, gone at confirmation, cancellation or expiry."""

    list_display = ["filename", "user", "created_at"]
    search_fields = ["filename", "user__email"]
    list_select_related = ["user"]
    fields = ["filename", "user", "created_at"]  # not the rows: they may be thousands

    def has_add_permission(self, request) -> bool:  # noqa: ARG002
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ARG002
        return False


class _ReadOnly(admin.ModelAdmin):
    """The indicators' history is written by the portal's pages (indicators/definitions.py)."""

    def has_add_permission(self, request) -> bool:  # noqa: ARG002
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ARG002
        return False


@admin.register(IndicatorVersion)
class IndicatorVersionAdmin(_ReadOnly):
    list_display = ["indicator", "changed_by", "changed_at", "month"]
    list_filter = ["indicator__programme"]
    search_fields = ["indicator__name"]
    list_select_related = ["indicator", "changed_by"]


@admin.register(IndicatorProposal)
class IndicatorProposalAdmin(_ReadOnly):
    list_display = ["indicator", "status", "proposed_by", "proposed_at", "decided_by"]
    list_filter = ["status", "indicator__programme"]
    search_fields = ["indicator__name", "reason"]
    list_select_related = ["indicator", "proposed_by", "decided_by"]
