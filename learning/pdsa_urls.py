"""URLs of the PDSA pages: a team's cycles, mounted under the `teams` namespace by
learning/urls.py (`teams:pdsa_list`, `teams:pdsa_create`, `teams:pdsa_detail`,
`teams:pdsa_edit`)."""

from django.urls import URLPattern, path

from learning import pdsa_views

programme_patterns: list[URLPattern] = []
team_patterns: list[URLPattern] = [
    path("<int:pk>/pdsa/", pdsa_views.list_cycles, name="pdsa_list"),
    path("<int:pk>/pdsa/ny/", pdsa_views.create_cycle, name="pdsa_create"),
    path("<int:pk>/pdsa/<int:cycle_pk>/", pdsa_views.show_cycle, name="pdsa_detail"),
    path("<int:pk>/pdsa/<int:cycle_pk>/rediger/", pdsa_views.edit_cycle, name="pdsa_edit"),
]
