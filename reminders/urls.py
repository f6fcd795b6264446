"""Reminder preferences: the page in the profile and the one-click link in every e-mail."""

from django.urls import path

from reminders import views

app_name = "reminders"
urlpatterns = [
    path("", views.edit_preferences, name="preferences"),
    path("afmeld/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
