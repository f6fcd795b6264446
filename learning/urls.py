"""The improvement work's URLs, mounted into the `programmes` and `teams` namespaces by the
project's URL map (`programmes:driver_diagram`, `programmes:learning`, `teams:pdsa_list`, …)."""

from learning import diagram_urls, library_urls, pdsa_urls

programme_patterns = (
    diagram_urls.programme_patterns + library_urls.programme_patterns + pdsa_urls.programme_patterns
)
team_patterns = diagram_urls.team_patterns + library_urls.team_patterns + pdsa_urls.team_patterns
