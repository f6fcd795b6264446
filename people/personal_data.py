"""What the portal holds about one person (GDPR art. 15 and 20): collected in one place."""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry

from accounts.models import SecurityEvent, User
from indicators.models import Measurement
from programmes.models import ExpertMember, ProgrammeLead, RegionalCoordinator
from seminars.models import Registration
from teams.models import MonthlyNote, PDSACycle, ProgressScore, TeamMember


def personal_data(user: User) -> dict[str, Any]:
    """The person's own record, their roles and memberships, and what they did in the portal."""
    return {
        "person": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "phone": user.phone,
            "workplace": user.organisation_text,
            "active": user.is_active,
            "steering_group_member": user.is_steering_group_member,
            "administrator": user.is_superuser,
            "joined": user.date_joined,
            "last_login": user.last_login,
        },
        "national_project_lead_of": list(
            ProgrammeLead.objects.filter(user=user).values_list("programme__name", flat=True)
        ),
        "regional_coordinator_of": list(
            RegionalCoordinator.objects.filter(user=user).values_list("region__name", flat=True)
        ),
        "expert_groups": list(
            ExpertMember.objects.filter(user=user).values(
                "group__programme__name", "role", "sector", "organisation__name", "joined_on"
            )
        ),
        "teams": list(
            TeamMember.objects.filter(user=user).values(
                "team__name", "team__programme__name", "role", "organisation__name", "joined_on"
            )
        ),
        "seminar_registrations": list(
            Registration.objects.filter(user=user).values(
                "seminar__title",
                "seminar__starts_at",
                "team__name",
                "registered_at",
                "cancelled_at",
            )
        ),
        "invitations": list(
            user.invitations.values("invited_to", "created_at", "expires_at", "used_at")
        ),
        "measurements_registered": list(
            Measurement.objects.filter(registered_by=user).values(
                "team__name", "indicator__name", "period_start", "registered_at", "updated_at"
            )
        ),
        "pdsa_cycles_created": list(
            PDSACycle.objects.filter(created_by=user).values("team__name", "title", "started_on")
        ),
        "progress_scores_set": list(
            ProgressScore.objects.filter(set_by=user).values(
                "team__name", "month", "rater", "score", "comment"
            )
        ),
        "monthly_notes_written": list(
            MonthlyNote.objects.filter(written_by=user).values(
                "team__name", "month", "tried", "learned", "next_steps"
            )
        ),
        "security_events": list(
            SecurityEvent.objects.filter(user=user).values("kind", "at", "ip_address", "path")
        ),
        "changes_made": list(
            LogEntry.objects.filter(actor=user).values(
                "timestamp", "content_type__model", "object_repr", "action"
            )
        ),
    }
