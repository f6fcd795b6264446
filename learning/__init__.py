"""The improvement work itself: the programme's driver diagram and change package, the teams'
PDSA cycles in the browser, and the LKT's learning library (what other teams tried and learned).

The models live low in the house (`programmes.models.changes`, `teams.models.PDSACycle`); this
app composes them with the indicators' verdicts into pages."""
