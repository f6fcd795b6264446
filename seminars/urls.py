from django.urls import path

from seminars import material_views, views

app_name = "seminars"
urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("nyt/<int:programme_pk>/", views.create_seminar, name="create"),
    path("<int:pk>/", views.show_seminar, name="detail"),
    path("<int:pk>/rediger/", views.edit_seminar, name="edit"),
    path("<int:pk>/aflys/", views.cancel_seminar, name="cancel"),
    path("<int:pk>/inviter/", views.invite_teams, name="invite"),
    path("<int:pk>/tilmeld/", views.register_participant, name="register"),
    path(
        "<int:pk>/tilmeldinger/<int:registration_pk>/afmeld/",
        views.unregister_participant,
        name="unregister",
    ),
    path("<int:pk>/materialer/", material_views.materials, name="materials"),
    path(
        "<int:pk>/materialer/<int:material_pk>/hent/",
        material_views.download_material,
        name="material_download",
    ),
    path(
        "<int:pk>/materialer/<int:material_pk>/slet/",
        material_views.delete_material,
        name="material_delete",
    ),
]
