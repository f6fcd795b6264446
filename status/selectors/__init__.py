"""Reads for the steering group's status pages: a fixed number of queries per page.

Nothing here runs SPC on the stored measurements: verdicts, sparklines and registration counts
come from the cached `SeriesSummary` rows (see `indicators.summaries`). `overview` reads the
national overview, `programme` one LKT's page (and its indicators'), `regions` the regions'
pages; `teams` and `series` are the rows those pages share.
"""
