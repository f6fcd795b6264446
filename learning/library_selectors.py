"""Reads of the learning library: per change idea who tested it and what they decided, the
indicators' latest verdicts in teams that adopted it and in the others, and the feed of what
teams have studied. Each read is a fixed number of queries however many ideas, cycles and teams."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.textsearch import matching, words_of
from indicators.models import Indicator
from indicators.summaries import summaries_for
from indicators.wording import active_wording
from programmes.models import ChangeIdea, ChangeIdeaStatus, Programme
from teams.models import ImprovementTeam, PDSACycle, PDSADecision, PDSAState

DECISIONS = (PDSADecision.ADOPT, PDSADecision.ADAPT, PDSADecision.ABANDON)
# The verdicts in the order the charts rank them (good news first, no data last).
VERDICT_ORDER = (
    "improvement",
    "no_direction_signal",
    "common_cause",
    "deterioration",
    "too_few_data",
)
FEED_FIELDS = (
    "title",
    "own_idea",
    "prediction",
    "plan",
    "do",
    "study",
    "act",
    "change_idea__title",
    "team__name",
)


@dataclass
class TeamTrial:
    """One team's cycles of one idea: how many, and how many ended in each decision."""

    team: ImprovementTeam
    cycles: int = 0
    decisions: Counter = field(default_factory=Counter)

    @property
    def adopted(self) -> bool:
        return self.decisions[PDSADecision.ADOPT] > 0

    def decision_labels(self) -> list[tuple[str, str | Promise, int]]:
        return [(d.value, d.label, self.decisions[d]) for d in DECISIONS if self.decisions[d]]


@dataclass
class VerdictTally:
    """How many teams' latest verdict of one indicator was each verdict word."""

    teams: int = 0
    verdicts: list[tuple[str, str, int]] = field(default_factory=list)


@dataclass
class IndicatorComparison:
    indicator: Indicator
    adopted: VerdictTally
    others: VerdictTally


@dataclass
class IdeaRow:
    idea: ChangeIdea
    trials: list[TeamTrial]
    comparisons: list[IndicatorComparison]

    @property
    def cycles(self) -> int:
        return sum(trial.cycles for trial in self.trials)

    @property
    def tested_by(self) -> str:
        """ "Afprøvet af 2 teams i 3 cyklusser", each number with its own plural."""
        teams = ngettext("%(n)s team", "%(n)s teams", len(self.trials)) % {"n": len(self.trials)}
        cycles = ngettext("%(n)s cyklus", "%(n)s cyklusser", self.cycles) % {"n": self.cycles}
        return _("Afprøvet af %(teams)s i %(cycles)s") % {"teams": teams, "cycles": cycles}

    def decision_totals(self) -> list[tuple[str, str | Promise, int]]:
        totals: Counter = Counter()
        for trial in self.trials:
            totals.update(trial.decisions)
        return [(d.value, d.label, totals[d]) for d in DECISIONS]


def library_ideas(programme: Programme) -> QuerySet[ChangeIdea]:
    """The programme's change ideas that are, or are proposed for, the change package."""
    active = Indicator.objects.filter(is_active=True).order_by("order", "name")
    return (
        ChangeIdea.objects.filter(programme=programme)
        .exclude(status=ChangeIdeaStatus.DECLINED)
        .select_related("driver", "proposed_by_team")
        .prefetch_related(Prefetch("indicators", queryset=active))
        .order_by("position", "pk")
    )


def idea_choices(programme: Programme) -> QuerySet[ChangeIdea]:
    """The library's ideas, titles only (the feed's filter)."""
    return (
        ChangeIdea.objects.filter(programme=programme)
        .exclude(status=ChangeIdeaStatus.DECLINED)
        .only("pk", "title")
        .order_by("position", "pk")
    )


def idea_rows(programme: Programme) -> list[IdeaRow]:
    """Every idea of the library with its trials and its indicators' verdicts (5 queries, or 7
    when some verdicts must be computed on the fly)."""
    ideas = list(library_ideas(programme))
    teams = {team.pk: team for team in ImprovementTeam.objects.filter(programme=programme)}
    trials: dict[int, dict[int, TeamTrial]] = defaultdict(dict)
    counts = (
        PDSACycle.objects.filter(team__programme=programme, change_idea__isnull=False)
        .values_list("change_idea_id", "team_id", "decision")
        .annotate(n=Count("id"))
        .order_by()
    )
    for idea_id, team_id, decision, n in counts:
        trial = trials[idea_id].setdefault(team_id, TeamTrial(teams[team_id]))
        trial.cycles += n
        if decision:
            trial.decisions[decision] += n
    indicators = {i.pk: i for idea in ideas for i in idea.indicators.all()}
    for indicator in indicators.values():
        indicator.programme = programme
    summaries = summaries_for(
        list(indicators.values()),
        team_ids=teams,
        lkt=False,
        only=("verdict", "versus_previous_phase"),
    )
    verdicts = {key: summary.verdict for key, summary in summaries.items()}
    rows = []
    for idea in ideas:
        own = sorted(trials[idea.pk].values(), key=lambda t: (-t.cycles, t.team.name))
        adopters = {trial.team.pk for trial in own if trial.adopted}
        comparisons = [
            IndicatorComparison(
                indicator,
                _tally(verdicts, indicator.pk, adopters),
                _tally(verdicts, indicator.pk, set(teams) - adopters),
            )
            for indicator in idea.indicators.all()
        ]
        rows.append(IdeaRow(idea, own, comparisons))
    return rows


def _tally(verdicts: dict, indicator_id: int, team_ids: set[int]) -> VerdictTally:
    words = active_wording().verdicts
    found = Counter(verdicts[(indicator_id, t)] for t in team_ids if (indicator_id, t) in verdicts)
    ordered = [(v, words.get(v, v), found[v]) for v in VERDICT_ORDER if found[v]]
    return VerdictTally(len(team_ids), ordered)


def learned_cycles(
    programme: Programme, *, query: str = "", idea_id: int | None = None
) -> QuerySet[PDSACycle]:
    """The programme's studied and decided cycles, newest first, matching the words typed and
    the idea chosen (a search ranks by relevance)."""
    cycles = PDSACycle.objects.filter(
        team__programme=programme, state__in=[PDSAState.STUDIED, PDSAState.DECIDED]
    ).select_related("team", "change_idea", "builds_on")
    if idea_id is not None:
        cycles = cycles.filter(change_idea_id=idea_id)
    words = words_of(query)
    if words:
        return matching(cycles, FEED_FIELDS, words)
    return cycles.order_by("-updated_at", "-pk")


def planned_try(
    team: ImprovementTeam, *, source_cycle: PDSACycle | None, idea: ChangeIdea | None
) -> PDSACycle | None:
    """The team's planned cycle from an earlier press of "det vil vi også prøve" on the same
    cycle (or, for an idea, today), so pressing twice does not plan the same thing twice."""
    planned = PDSACycle.objects.filter(team=team, state=PDSAState.PLANNED)
    if source_cycle is not None:
        return planned.filter(inspired_by=source_cycle).order_by("pk").first()
    return (
        planned.filter(change_idea=idea, inspired_by=None, started_on=timezone.localdate())
        .order_by("pk")
        .first()
    )
