"""The people pages; served with `accounts.urls` under /brugere/ in the namespace "accounts"."""

from django.urls import path

from people import token_views, views

urlpatterns = [
    path("", views.list_users, name="list"),
    path("inviter/", views.invite_user, name="invite"),
    path("<int:pk>/deaktiver/", views.deactivate_user, name="deactivate"),
    path("<int:pk>/genaktiver/", views.reactivate_user, name="reactivate"),
    path("<int:pk>/ny-invitation/", views.resend_invitation, name="resend_invitation"),
    path("min-profil/", views.edit_profile, name="profile"),
    path("min-profil/mine-data/", views.my_data, name="my_data"),
    path("min-profil/api-noegler/ny/", token_views.create_token, name="token_create"),
    path(
        "min-profil/api-noegler/<int:pk>/tilbagekald/",
        token_views.revoke_token,
        name="token_revoke",
    ),
    path("min-profil/kalender/ny/", token_views.create_calendar_feed, name="calendar_create"),
    path(
        "min-profil/kalender/tilbagekald/",
        token_views.revoke_calendar_feed,
        name="calendar_revoke",
    ),
]
