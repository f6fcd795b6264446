from django.contrib import admin

from indicators.models import Indicator, Measurement


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "kind", "measure", "better_direction", "target"]
    list_filter = ["programme", "kind", "measure", "is_active"]
    search_fields = ["name", "definition"]
    list_select_related = ["programme"]


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
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
