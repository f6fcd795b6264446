"""Local improvement teams, their members and PDSA cycles."""
