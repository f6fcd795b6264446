from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from teams.models import (
    ImprovementTeam,
    MonthlyNote,
    PDSACycle,
    ProgressScore,
    SustainmentLogEntry,
    SustainmentPlan,
    TeamMember,
)


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    autocomplete_fields = ["user", "organisation"]


@admin.register(ImprovementTeam)
class ImprovementTeamAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "region", "method", "status"]
    list_filter = ["programme", "region", "method", "status"]
    search_fields = ["name", "programme__name", "organisations__name"]
    filter_horizontal = ["organisations"]
    list_select_related = ["programme", "region"]
    inlines = [TeamMemberInline]


@admin.register(TeamMember)
class TeamMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "team", "role", "organisation"]
    list_filter = ["role", "team__programme"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "team__name"]
    autocomplete_fields = ["user", "organisation", "team"]
    list_select_related = ["user", "team", "organisation"]


@admin.register(PDSACycle)
class PDSACycleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "team", "state", "started_on", "ended_on"]
    list_filter = ["team__programme", "state"]
    search_fields = ["title", "plan", "study", "team__name"]
    date_hierarchy = "started_on"
    autocomplete_fields = ["team", "indicators", "change_idea", "builds_on", "inspired_by"]
    list_select_related = ["team"]


@admin.register(ProgressScore)
class ProgressScoreAdmin(admin.ModelAdmin):
    list_display = ["team", "month", "rater", "score", "set_by"]
    list_filter = ["team__programme", "rater", "score"]
    search_fields = ["team__name", "comment"]
    date_hierarchy = "month"
    autocomplete_fields = ["team"]
    list_select_related = ["team", "set_by"]


@admin.register(MonthlyNote)
class MonthlyNoteAdmin(admin.ModelAdmin):
    list_display = ["team", "month", "written_by", "written_at"]
    list_filter = ["team__programme"]
    search_fields = ["team__name", "tried", "learned", "next_steps"]
    date_hierarchy = "month"
    autocomplete_fields = ["team"]
    list_select_related = ["team", "written_by"]


@admin.register(SustainmentPlan)
class SustainmentPlanAdmin(admin.ModelAdmin):
    list_display = ["__str__", "programme", "team", "state", "approved_at"]
    list_filter = ["programme", "state"]
    list_select_related = ["programme", "team"]


@admin.register(SustainmentLogEntry)
class SustainmentLogEntryAdmin(admin.ModelAdmin):
    list_display = ["plan", "held_on", "written_by", "written_at"]
    list_filter = ["plan__programme"]
    search_fields = ["plan__team__name", "note"]
    list_select_related = ["plan__programme", "plan__team", "written_by"]
