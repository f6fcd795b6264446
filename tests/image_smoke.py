"""Run by tests/test_image.py inside a venv that holds only requirements-runtime.lock, in a copy of
the image's files (no tests/, no .venv): every module of the portal imports, and the steering
group's overview renders as a PDF. Prints one JSON line for the test to read.

Expects a migrated database (DATABASE_URL) and DJANGO_SETTINGS_MODULE=lkt_portal.settings.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import json
import pkgutil
import sys
import tomllib
from pathlib import Path

import django

django.setup()

from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import User  # noqa: E402
from programmes.models import Programme, Region  # noqa: E402
from programmes.services import programme_create  # noqa: E402

pyproject = tomllib.loads(Path("pyproject.toml").read_text())
packages = pyproject["tool"]["importlinter"]["root_packages"]
dev_modules = sys.argv[1:]

modules = 0
for name in packages:
    package = importlib.import_module(name)
    for found in pkgutil.walk_packages(package.__path__, f"{name}."):
        importlib.import_module(found.name)
        modules += 1

region = Region.objects.create(name="Region Midtjylland", code="RM")
steering = User.objects.create_user("styregruppe@example.dk", is_steering_group_member=True)
programme_create(
    by=None,
    name="Sikker medicinering",
    slug="sikker-medicinering",
    lead_region=region,
    status=Programme.Status.ACTIVE,
    start_date=dt.date(2025, 1, 1),
)
client = Client()
client.force_login(steering)
response = client.get(reverse("status:overview_pdf"))
print(
    json.dumps(
        {
            "modules": modules,
            "dev_importable": [m for m in dev_modules if importlib.util.find_spec(m) is not None],
            "status": response.status_code,
            "content_type": response["Content-Type"],
            "start": response.content[:5].decode("latin-1"),
            "bytes": len(response.content),
        }
    )
)
