from django.urls import path

from programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.list_programmes, name="list"),
    path("nyt/", views.create_programme, name="create"),
    path("<int:pk>/", views.show_programme, name="detail"),
    path("<int:pk>/rediger/", views.edit_programme, name="edit"),
    path("<int:pk>/status/", views.change_status, name="status"),
    path("<int:pk>/maal/", views.add_goal, name="add_goal"),
    path("<int:pk>/maal/<int:goal_pk>/fjern/", views.remove_goal, name="remove_goal"),
    path("<int:pk>/maal/<int:goal_pk>/rediger/", views.edit_goal, name="edit_goal"),
    path("<int:pk>/maal/<int:goal_pk>/flyt/", views.move_goal, name="move_goal"),
    path("<int:pk>/ekspertgruppe/", views.manage_expert_group, name="expert_group"),
    path("<int:pk>/ekspertgruppe/soeg/", views.search_experts, name="search_experts"),
    path(
        "<int:pk>/ekspertgruppe/<int:member_pk>/rolle/",
        views.change_expert_role,
        name="change_expert_role",
    ),
    path(
        "<int:pk>/ekspertgruppe/<int:member_pk>/fjern/", views.remove_expert, name="remove_expert"
    ),
]
