"""Indicators, measurements and the SPC engine."""
