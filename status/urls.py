"""The steering group's status pages under /status/."""

from django.urls import path

from status import views

app_name = "status"
urlpatterns = [
    path("", views.show_overview, name="overview"),
    path("eksport/", views.export_overview, name="export"),
    path("pdf/", views.overview_pdf, name="overview_pdf"),
    path("program/<int:pk>/", views.show_programme, name="programme"),
    path("program/<int:pk>/pdf/", views.programme_pdf, name="programme_pdf"),
    path("program/<int:pk>/fastholdelse/pdf/", views.sustainment_pdf, name="sustainment_pdf"),
    path("program/<int:pk>/vurdering/", views.rate_programme, name="rate"),
    path("program/<int:pk>/vurderinger/", views.list_ratings, name="ratings"),
    path("indikator/<int:pk>/", views.show_indicator, name="indicator"),
    path("regioner/", views.list_regions, name="regions"),
    path("regioner/<int:pk>/", views.show_region, name="region"),
]
