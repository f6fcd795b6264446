"""The migration that turned a cycle's one indicator into several keeps every existing link."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("teams", "0006_sustainment_log")]
AFTER = [("teams", "0007_pdsa_indicators_history")]


@pytest.mark.django_db(transaction=True)
def test_each_cycle_keeps_its_indicator_as_one_of_its_indicators() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    region = old.get_model("programmes", "Region").objects.create(name="Region Test", code="RT")
    programme = old.get_model("programmes", "Programme").objects.create(
        name="KOL",
        slug="kol-migration",
        lead_region=region,
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2026, 12, 31),
    )
    team = old.get_model("teams", "ImprovementTeam").objects.create(
        programme=programme, region=region, name="Team"
    )
    indicator = old.get_model("indicators", "Indicator").objects.create(
        programme=programme, name="Andel", kind="process", measure="proportion", multiplier=100
    )
    cycles = old.get_model("teams", "PDSACycle").objects
    aimed = cycles.create(
        team=team, title="Sigter", indicator=indicator, started_on=dt.date(2025, 2, 1)
    )
    unaimed = cycles.create(team=team, title="Uden", started_on=dt.date(2025, 2, 1))

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    cycles = new.get_model("teams", "PDSACycle").objects

    assert list(cycles.get(pk=aimed.pk).indicators.values_list("pk", flat=True)) == [indicator.pk]
    assert not cycles.get(pk=unaimed.pk).indicators.exists()

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
