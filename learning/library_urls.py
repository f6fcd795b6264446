"""URLs of the learning library (in the programmes namespace)."""

from django.urls import URLPattern, path

from learning import library_views as views

# Mounted under the programmes namespace (programme pages) and the teams namespace (team pages)
# by learning/urls.py.
programme_patterns: list[URLPattern] = [
    path("laering/", views.list_libraries, name="learning_index"),
    path("<int:pk>/laering/", views.show_library, name="learning"),
    path("<int:pk>/laering/erfaringer/", views.show_feed, name="learning_feed"),
    path("<int:pk>/laering/pdf/", views.library_pdf, name="learning_pdf"),
    path(
        "<int:pk>/laering/cyklus/<int:cycle_pk>/proev/", views.try_cycle, name="learning_try_cycle"
    ),
    path("<int:pk>/laering/ide/<int:idea_pk>/proev/", views.try_idea, name="learning_try_idea"),
]
team_patterns: list[URLPattern] = []
