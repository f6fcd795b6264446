"""Programmes (the LKTs), regions, organisations and expert groups."""
