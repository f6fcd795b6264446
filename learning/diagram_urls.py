"""URLs of the driver diagram and change package, in the `programmes` namespace."""

from django.urls import URLPattern, path

from learning import diagram_edit_views as edit
from learning import diagram_views as views

IDEA = "<int:pk>/forandringsideer/<int:idea_pk>/"
DRIVER = "<int:pk>/driverdiagram/drivkraefter/<int:driver_pk>/"

# Mounted under the programmes namespace (programme pages) and the teams namespace (team pages)
# by learning/urls.py.
programme_patterns: list[URLPattern] = [
    path("<int:pk>/driverdiagram/", views.driver_diagram, name="driver_diagram"),
    path("<int:pk>/driverdiagram/historik/", views.diagram_history, name="diagram_history"),
    path("<int:pk>/driverdiagram/rediger/", edit.diagram_edit, name="diagram_edit"),
    path("<int:pk>/driverdiagram/drivkraefter/ny/", edit.driver_add, name="driver_add"),
    path(DRIVER, edit.driver_edit, name="driver_edit"),
    path(DRIVER + "flyt/", edit.driver_move, name="driver_move"),
    path(DRIVER + "slet/", edit.driver_delete, name="driver_delete"),
    path("<int:pk>/forandringspakke/", views.change_package, name="change_package"),
    path("<int:pk>/forandringsideer/ny/", edit.idea_create, name="idea_create"),
    path(IDEA, views.change_idea, name="change_idea"),
    path(IDEA + "rediger/", edit.idea_edit, name="idea_edit"),
    path(IDEA + "flyt/", edit.idea_move, name="idea_move"),
    path(IDEA + "slet/", edit.idea_delete, name="idea_delete"),
    path(IDEA + "afgoer/", edit.idea_decide, name="idea_decide"),
]
team_patterns: list[URLPattern] = []
