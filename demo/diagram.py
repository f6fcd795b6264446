"""The demo's driver diagrams: drivers, change ideas (with their indicators), a team's proposal,
and the first line of each diagram's history."""

from __future__ import annotations

from accounts.models import User
from demo.records import ensure
from demo.specs import DiagramSpec
from indicators.models import Indicator
from programmes.models import Programme
from programmes.models.changes import ChangeIdea, ChangeIdeaStatus, DiagramRevision, Driver
from programmes.snapshots import diagram_snapshot
from teams.models import ImprovementTeam


def load_diagram(
    programme: Programme, spec: DiagramSpec, indicators: dict[str, Indicator]
) -> dict[str, ChangeIdea]:
    """The diagram's drivers and ideas; the ideas by their keys, for the teams' cycles."""
    if not programme.aim:
        programme.aim = spec.aim
        programme.save(update_fields=["aim"])
    ideas: dict[str, ChangeIdea] = {}
    idea_position = 0
    for p_position, primary_spec in enumerate(spec.primaries, start=1):
        primary = ensure(
            Driver,
            {"description": primary_spec.description, "position": p_position},
            programme=programme,
            parent=None,
            title=primary_spec.title,
        )
        for s_position, secondary_spec in enumerate(primary_spec.children, start=1):
            secondary = ensure(
                Driver,
                {"description": secondary_spec.description, "position": s_position},
                programme=programme,
                parent=primary,
                title=secondary_spec.title,
            )
            for idea_spec in secondary_spec.ideas:
                idea_position += 1
                idea = ChangeIdea.objects.filter(programme=programme, title=idea_spec.title).first()
                if idea is None:
                    idea = ensure(
                        ChangeIdea,
                        {
                            "driver": secondary,
                            "description": idea_spec.description,
                            "source": idea_spec.source,
                            "source_detail": idea_spec.source_detail,
                            "position": idea_position,
                        },
                        programme=programme,
                        title=idea_spec.title,
                    )
                    idea.indicators.set([indicators[name] for name in idea_spec.indicators])
                ideas[idea_spec.key] = idea
    return ideas


def load_proposals(
    programme: Programme, spec: DiagramSpec, teams: dict[str, ImprovementTeam]
) -> None:
    for proposal in spec.proposals:
        team = teams[proposal.team]
        ensure(
            ChangeIdea,
            {
                "description": proposal.description,
                "source": ChangeIdea.Source.EXPERIENCE,
                "source_detail": team.name,
                "status": ChangeIdeaStatus.PROPOSED,
                "proposed_by_team": team,
                "position": 100,
            },
            programme=programme,
            title=proposal.title,
        )


def load_first_revision(programme: Programme, by: User | None) -> None:
    """One line of history: the diagram as it was taken over from the project description."""
    if not DiagramRevision.objects.filter(programme=programme).exists():
        DiagramRevision.objects.create(
            programme=programme,
            changed_by=by,
            summary="Driverdiagrammet blev lagt ind fra projektbeskrivelsen.",
            snapshot=diagram_snapshot(programme),
        )
