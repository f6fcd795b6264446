from django.urls import path

from indicators import definition_views, file_views, report_views, results_views, views

app_name = "indicators"
urlpatterns: list = [
    path("team/<int:pk>/", views.team_results, name="team_results"),
    path("team/<int:pk>/registrer/", views.enter_data, name="enter"),
    path("team/<int:pk>/registrer/<str:month>/", views.enter_data, name="enter_month"),
    path("team/<int:pk>/historik/", views.measurement_history_page, name="history"),
    path("indikator/<int:pk>/graf/", views.chart_changes, name="chart_changes"),
    *results_views.urlpatterns,
    *file_views.urlpatterns,
    *report_views.urlpatterns,
    *definition_views.urlpatterns,
]
