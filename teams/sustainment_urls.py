"""Sustainment pages, mounted in the `programmes` and `teams` namespaces (lkt_portal/urls.py)."""

from django.urls import path

from teams import sustainment_views as views

programme_patterns = [
    path("<int:pk>/fastholdelse/", views.programme_sustainment, name="sustainment"),
    path(
        "<int:pk>/fastholdelse/opfoelgning/",
        views.add_sustainment_review,
        name="add_sustainment_review",
    ),
    path(
        "<int:pk>/fastholdelse/opfoelgning/<int:review_pk>/",
        views.edit_sustainment_review,
        name="edit_sustainment_review",
    ),
    path(
        "<int:pk>/fastholdelse/opfoelgning/<int:review_pk>/fjern/",
        views.remove_sustainment_review,
        name="remove_sustainment_review",
    ),
]

team_patterns = [
    path("<int:pk>/fastholdelse/", views.team_sustainment, name="sustainment"),
    path(
        "<int:pk>/fastholdelse/godkend/",
        views.approve_sustainment_plan,
        name="approve_sustainment_plan",
    ),
    path("<int:pk>/fastholdelse/log/", views.add_sustainment_log, name="add_sustainment_log"),
]
