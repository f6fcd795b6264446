"""Learning seminars, invitations and registrations."""
