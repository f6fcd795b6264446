from django.contrib import admin

from programmes.models import (
    ChangeIdea,
    DiagramRevision,
    Driver,
    ExpertGroup,
    ExpertMember,
    ImprovementGoal,
    Organisation,
    Programme,
    ProgrammeLead,
    ProgrammeStatusChange,
    Region,
    RegionalCoordinator,
    StatusRating,
    SustainmentReview,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "parent"]
    list_filter = ["kind", "region"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]
    list_select_related = ["region", "parent"]


class ImprovementGoalInline(admin.TabularInline):
    model = ImprovementGoal
    extra = 0


class ProgrammeLeadInline(admin.TabularInline):
    model = ProgrammeLead
    extra = 0
    autocomplete_fields = ["user", "organisation"]


class StatusChangeInline(admin.TabularInline):
    model = ProgrammeStatusChange
    extra = 0
    fields = readonly_fields = ("changed_at", "from_status", "to_status", "reason", "changed_by")
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ARG002 -- the history is written by the workflow only
        return False


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "lead_region",
        "co_lead",
        "status",
        "is_cross_sector",
        "start_date",
        "end_date",
    ]
    list_filter = ["status", "lead_region", "is_cross_sector"]
    search_fields = ["name", "clinical_area", "description"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "start_date"
    list_select_related = ["lead_region", "co_lead"]
    autocomplete_fields = ["co_lead"]
    inlines = [ProgrammeLeadInline, ImprovementGoalInline, StatusChangeInline]


@admin.register(ProgrammeStatusChange)
class ProgrammeStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["programme", "from_status", "to_status", "changed_by", "changed_at"]
    list_filter = ["to_status", "programme"]
    search_fields = ["programme__name", "reason"]
    list_select_related = ["programme", "changed_by"]


@admin.register(ImprovementGoal)
class ImprovementGoalAdmin(admin.ModelAdmin):
    list_display = ["text", "programme", "target_date"]
    list_filter = ["programme"]
    search_fields = ["text"]


class ExpertMemberInline(admin.TabularInline):
    model = ExpertMember
    extra = 0
    autocomplete_fields = ["user", "organisation"]


@admin.register(ExpertGroup)
class ExpertGroupAdmin(admin.ModelAdmin):
    list_display = ["programme"]
    search_fields = ["programme__name"]
    inlines = [ExpertMemberInline]


@admin.register(ExpertMember)
class ExpertMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "sector", "organisation", "group"]
    list_filter = ["role", "sector", "group__programme"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation", "group__programme"]


@admin.register(ProgrammeLead)
class ProgrammeLeadAdmin(admin.ModelAdmin):
    list_display = ["user", "programme", "organisation"]
    list_filter = ["programme"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "programme__name"]
    autocomplete_fields = ["user", "organisation", "programme"]
    list_select_related = ["user", "programme", "organisation"]


@admin.register(RegionalCoordinator)
class RegionalCoordinatorAdmin(admin.ModelAdmin):
    list_display = ["user", "region"]
    list_filter = ["region"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "region"]


@admin.register(StatusRating)
class StatusRatingAdmin(admin.ModelAdmin):
    list_display = ["programme", "colour", "rated_by", "rated_at"]
    list_filter = ["colour", "programme"]
    search_fields = ["programme__name", "reason"]
    list_select_related = ["programme", "rated_by"]
    readonly_fields = ["rated_at"]


@admin.register(Driver)
class DriverAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "parent", "position"]
    list_filter = ["programme"]
    search_fields = ["title"]
    list_select_related = ["programme", "parent"]


@admin.register(ChangeIdea)
class ChangeIdeaAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "driver", "status", "source"]
    list_filter = ["programme", "status", "source"]
    search_fields = ["title"]
    list_select_related = ["programme", "driver"]
    filter_horizontal = ["indicators"]


@admin.register(DiagramRevision)
class DiagramRevisionAdmin(admin.ModelAdmin):
    list_display = ["programme", "changed_at", "changed_by", "summary"]
    list_filter = ["programme"]
    readonly_fields = ["programme", "changed_at", "changed_by", "summary", "snapshot"]


@admin.register(SustainmentReview)
class SustainmentReviewAdmin(admin.ModelAdmin):
    list_display = ["programme", "due_on", "held_on"]
    list_filter = ["programme"]
    search_fields = ["programme__name", "note"]
    list_select_related = ["programme"]
