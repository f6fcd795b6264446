"""Users of the portal and their roles."""
