from django.urls import path

from teams import views

app_name = "teams"
urlpatterns = [
    path("", views.list_teams, name="list"),
    path("ny/<int:programme_pk>/", views.create_team, name="create"),
    path("<int:pk>/", views.show_team, name="detail"),
    path("<int:pk>/rediger/", views.edit_team, name="edit"),
    path("<int:pk>/medlemmer/", views.add_member, name="add_member"),
    path("<int:pk>/medlemmer/soeg/", views.search_people, name="search_people"),
    path(
        "<int:pk>/medlemmer/<int:member_pk>/rolle/",
        views.change_member_role,
        name="change_member_role",
    ),
    path("<int:pk>/medlemmer/<int:member_pk>/fjern/", views.remove_member, name="remove_member"),
]
