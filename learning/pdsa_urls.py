"""URLs of the pdsa pages (filled in by its views)."""

from django.urls import URLPattern

# Mounted under the programmes namespace (programme pages) and the teams namespace (team pages)
# by learning/urls.py.
programme_patterns: list[URLPattern] = []
team_patterns: list[URLPattern] = []
