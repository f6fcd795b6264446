"""Finding a row's team and indicator by id or by name, within what the person may write."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from accounts.roles import roles_of
from indicators.importer.cells import shown
from indicators.importer.errors import RowMessage
from indicators.importer.rows import Row
from indicators.models import Indicator
from teams.models import ImprovementTeam


def writable_teams(user: Any) -> list[ImprovementTeam]:
    """Teams the person may register data for, by the role matrix."""
    if not getattr(user, "is_authenticated", False):
        return []
    candidates = ImprovementTeam.objects.select_related("programme", "region")
    if not user.is_superuser:
        candidates = candidates.filter(pk__in=roles_of(user).teams)
    return [t for t in candidates if user.has_perm("indicators.change_team_data", t)]


class TeamFinder:
    """The teams the person may see, found by id or by name (case-insensitive); loaded once per
    file. A team out of their sight is unknown, as one that does not exist: the answer must not
    tell that it does."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self._may_write: dict[int, bool] = {}
        teams = ImprovementTeam.objects.select_related("programme")
        self.by_id = {team.pk: team for team in teams if user.has_perm("teams.view_teams", team)}
        self.by_name: dict[str, list[ImprovementTeam]] = defaultdict(list)
        for team in self.by_id.values():
            self.by_name[name_key(team.name)].append(team)

    def may_write(self, team: ImprovementTeam) -> bool:
        """Asked once per team however many rows name it (the rules are per team)."""
        if team.pk not in self._may_write:
            self._may_write[team.pk] = self.user.has_perm("indicators.change_team_data", team)
        return self._may_write[team.pk]

    def find(self, row: Row) -> ImprovementTeam | None:
        if row.team_id is not None:
            team = self.by_id.get(row.team_id)
            if team is None:
                row.errors.append(RowMessage(_("Teamet findes ikke længere."), "team"))
            return team
        label = row.team_label
        if not label:
            row.errors.append(RowMessage(_("Teamet mangler."), "team"))
            return None
        candidates = self.by_name.get(name_key(label), [])
        if not candidates and (pk := as_id(label)) in self.by_id:
            candidates = [self.by_id[pk]]
        if not candidates:
            row.errors.append(
                RowMessage(_("Ukendt team: “%(team)s”.") % {"team": shown(label)}, "team")
            )
            return None
        writable = [team for team in candidates if self.may_write(team)]
        if len(writable) > 1:
            row.errors.append(
                RowMessage(
                    _("Flere teams hedder “%(team)s”. Angiv teamets id i stedet for navnet.")
                    % {"team": label},
                    "team",
                )
            )
            return None
        return (writable or candidates)[0]


class IndicatorFinder:
    """The indicators of the teams' programmes, found by id or by name within the programme."""

    def __init__(self, programme_ids: set[int]) -> None:
        indicators = Indicator.objects.filter(programme_id__in=programme_ids)
        self.by_id = {indicator.pk: indicator for indicator in indicators}
        self.by_name = {
            (indicator.programme_id, name_key(indicator.name)): indicator
            for indicator in self.by_id.values()
        }

    def find(self, row: Row, team: ImprovementTeam) -> Indicator | None:
        programme = team.programme
        if row.indicator_id is not None:
            indicator = self.by_id.get(row.indicator_id)
            if indicator is None or indicator.programme_id != programme.pk:
                row.errors.append(RowMessage(_("Indikatoren findes ikke længere."), "indicator"))
                return None
        elif not row.indicator_label:
            row.errors.append(RowMessage(_("Indikatoren mangler."), "indicator"))
            return None
        else:
            label = row.indicator_label
            indicator = self.by_name.get((programme.pk, name_key(label)))
            if indicator is None and (pk := as_id(label)) is not None:
                by_id = self.by_id.get(pk)
                indicator = by_id if by_id and by_id.programme_id == programme.pk else None
            if indicator is None:
                row.errors.append(
                    RowMessage(
                        _("Ukendt indikator “%(indicator)s” i programmet %(programme)s.")
                        % {"indicator": shown(label), "programme": programme.name},
                        "indicator",
                    )
                )
                return None
        indicator.programme = programme  # one object per programme: no query in clean()
        return indicator


def as_id(label: str) -> int | None:
    """The id a label writes, if it is one: ASCII digits of a size an id can have (“²” is a
    digit to Python, and 5,000 digits are more than `int` reads)."""
    if label.isascii() and label.isdigit() and len(label) <= 18:
        return int(label)
    return None


def name_key(text: str) -> str:
    """A name as it is compared; a short one remembered (a file names the same few teams and
    indicators many times), a long one not (hostile files are long)."""
    return _remembered_name_key(text) if len(text) <= _REMEMBERED_LENGTH else _name_key(text)


_REMEMBERED_LENGTH = 200
_SPACES = re.compile(r"\s+")


def _name_key(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip().casefold()


_remembered_name_key = functools.lru_cache(maxsize=2048)(_name_key)
