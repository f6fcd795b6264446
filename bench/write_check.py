"""After the load: is every registration the portal said it saved in the database, in full?"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from bench.load_world import Account

MARK = "belastning"  # every comment the load writes starts with this


@dataclass
class Write:
    account: Account
    month: str
    comment: str
    status: int
    saved: bool  # answered with the redirect back to the month: the portal says it is saved
    started: float


@dataclass
class WriteCheck:
    saved: int  # POSTs answered with the success redirect
    found: int  # … whose rows are all in the database
    unsaved: int  # POSTs answered otherwise (an error, or the form again)
    missing: list[str]
    unsaved_found: int  # POSTs answered otherwise whose rows are there all the same
    unsaved_partly: list[str]  # … or partly there: a half-written month (must never happen)
    cells_wrong: list[str]  # current figures that are not the last saved POST's


def check_writes(writes: list[Write]) -> WriteCheck:
    """Every saved POST in the history (one row per indicator); the last one is current."""
    from django.db.models import Count

    from indicators.models import Measurement

    rows = dict(
        Measurement.history.filter(comment__startswith=MARK)
        .values_list("comment")
        .annotate(n=Count("history_id"))
        .order_by()
    )
    check = WriteCheck(0, 0, 0, [], 0, [], [])
    last: dict[tuple[int, str], Write] = {}
    for write in sorted(writes, key=lambda w: w.started):
        expected, got = write.account.indicators, rows.get(write.comment, 0)
        if write.saved:
            check.saved += 1
            if got == expected:
                check.found += 1
            else:
                check.missing.append(f"{write.comment}: {got} of {expected} rows")
        else:
            check.unsaved += 1
        if not write.saved and got == expected:
            check.unsaved_found += 1
        elif not write.saved and got:
            check.unsaved_partly.append(f"{write.comment}: {got} of {expected} rows")
        if got == expected:
            last[write.account.team_id, write.month] = write
    current = {
        (team, period.strftime("%Y-%m")): comments
        for team, period, comments in _current_comments([t for t, _ in last])
    }
    for (team, month), write in last.items():
        comments = current.get((team, month), set())
        if comments != {write.comment}:
            check.cells_wrong.append(f"team {team} {month}: {sorted(comments)} ≠ {write.comment}")
    return check


def _current_comments(team_ids: list[int]):  # noqa: ANN202
    from indicators.models import Measurement

    cells: dict[tuple[int, object], set[str]] = defaultdict(set)
    for team, period, comment in Measurement.objects.filter(
        team_id__in=set(team_ids), comment__startswith=MARK
    ).values_list("team_id", "period_start", "comment"):
        cells[team, period].add(comment)
    return [(team, period, comments) for (team, period), comments in cells.items()]


def print_write_check(check: WriteCheck) -> int:
    print(
        f"registrations: {check.saved} POSTs answered 'saved'; {check.found} of them found in "
        f"full in the database (one history row per indicator with the POST's own comment); "
        f"{len(check.missing)} missing; {len(check.cells_wrong)} months whose current figures "
        f"are not the last saved POST's"
    )
    if check.unsaved:
        print(
            f"  {check.unsaved} POSTs answered otherwise (e.g. 503): {check.unsaved_found} of "
            f"them were saved all the same (committed before the answer failed), "
            f"{check.unsaved - check.unsaved_found - len(check.unsaved_partly)} left nothing, "
            f"{len(check.unsaved_partly)} half-written"
        )
    for problem in (check.missing + check.unsaved_partly + check.cells_wrong)[:10]:
        print(f"  {problem}")
    return len(check.missing) + len(check.unsaved_partly) + len(check.cells_wrong)
