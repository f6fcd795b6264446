"""The portal's URL map."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

import accounts.urls
import api.urls
import learning.urls
import people.urls
import programmes.urls
import teams.sustainment_urls
import teams.urls
from accounts.forms import LoginForm
from lkt_portal import views
from lkt_portal.favicon import favicon

admin.site.site_header = "LKT-portalen – administration"
admin.site.site_title = "LKT-portalen"
admin.site.index_title = "Administration"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("soeg/", views.search, name="search"),
    path("favicon.ico", favicon, name="favicon"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "programmer/",
        include(
            (
                programmes.urls.urlpatterns
                + learning.urls.programme_patterns
                + teams.sustainment_urls.programme_patterns,
                "programmes",
            )
        ),
    ),
    path(
        "teams/",
        include(
            (
                teams.urls.urlpatterns
                + learning.urls.team_patterns
                + teams.sustainment_urls.team_patterns,
                "teams",
            )
        ),
    ),
    path("seminarer/", include("seminars.urls")),
    path(
        "brugere/",
        include((people.urls.urlpatterns + accounts.urls.urlpatterns, "accounts")),
    ),
    path("data/", include("indicators.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("paamindelser/", include("reminders.urls")),
    path("status/", include("status.urls")),
    path("api/v1/", include(api.urls)),
    path("admin/", admin.site.urls),
]
handler500 = "lkt_portal.errors.server_error"
