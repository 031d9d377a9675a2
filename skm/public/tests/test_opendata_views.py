"""Serving the open data (/data/<pemda>/…): stored files with ETag, 304, CORS; 503 and a queued
build when never built; the package rebuilt by the worker when a period closes or reopens;
`skm opendata`; the served package validates too."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from skm.organisation.models import Period
from skm.public import opendata
from skm.public.models import OpenData, OpenDataFile
from skm.public.tasks import rebuild_if_stale, schedule
from skm.reports.tests.world import YEAR, report_world
from skm.results import freeze
from skm.testing import make_pd, make_pemda, make_unit

pytestmark = pytest.mark.django_db


def test_never_built_answers_503_and_queues_one_build(client):
    pemda = make_pemda()
    assert not OpenDataFile.objects.filter(pemda=pemda).exists()
    with_captured = client.get(reverse("public:data", args=[pemda.slug]))
    assert with_captured.status_code == 503 and with_captured["Retry-After"] == "60"
    assert "sedang disiapkan" in with_captured.content.decode()
    file = client.get(reverse("public:data-file", args=[pemda.slug, "hasil-unit", "csv"]))
    assert file.status_code == 503


def test_never_built_enqueues_the_build_which_the_worker_runs(client, django_capture_on_commit_callbacks):
    pemda = make_pemda()
    make_unit(make_pd(pemda))
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("public:data", args=[pemda.slug]))
        client.get(reverse("public:data-package", args=[pemda.slug]))  # asked twice, queued once
    queued = DBTaskResult.objects.filter(task_path__endswith="build_open_data")
    assert queued.count() == 1
    args = queued.get().args_kwargs["args"]
    assert rebuild_if_stale(args[0], dt.datetime.fromisoformat(args[1])) is True
    assert rebuild_if_stale(args[0], dt.datetime.fromisoformat(args[1])) is False  # already fresh
    assert client.get(reverse("public:data", args=[pemda.slug])).status_code == 200


def test_files_are_served_as_stored_with_etag_304_and_cors(client, tmp_path):
    world = report_world()
    opendata.build(world.pemda)
    page = client.get(reverse("public:data", args=[world.pemda.slug]))
    text = page.content.decode()
    assert page.status_code == 200 and "hasil-unit.csv" in text and "CC-BY-4.0" in text
    response = client.get(reverse("public:data-file", args=[world.pemda.slug, "hasil-unit", "csv"]))
    stored = OpenDataFile.objects.get(pemda=world.pemda, name="hasil-unit.csv")
    assert response.status_code == 200 and response.content == bytes(stored.body)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["ETag"] == f'"{stored.sha256}"' and response["Last-Modified"]
    again = client.get(
        reverse("public:data-file", args=[world.pemda.slug, "hasil-unit", "csv"]),
        headers={"If-None-Match": response["ETag"]},
    )
    assert again.status_code == 304 and again.content == b""
    twin = client.get(reverse("public:data-file", args=[world.pemda.slug, "hasil-unit", "json"]))
    assert twin["Content-Type"] == "application/json; charset=utf-8" and isinstance(twin.json(), list)
    assert (
        client.get(reverse("public:data-file", args=[world.pemda.slug, "rahasia", "csv"])).status_code == 404
    )
    assert client.get(reverse("public:data", args=["tidak-ada"])).status_code == 404
    client.cookies["django_language"] = "en"  # the standard language switch's choice
    english = client.get(reverse("public:data", args=[world.pemda.slug])).content.decode()
    assert 'lang="en"' in english and "One row per unit per period" in english
    # The served package validates as the stored one does.
    package = client.get(reverse("public:data-package", args=[world.pemda.slug]))
    (tmp_path / "datapackage.json").write_bytes(package.content)
    for resource in package.json()["resources"]:
        served = client.get(reverse("public:data-file", args=[world.pemda.slug, resource["name"], "csv"]))
        (tmp_path / resource["path"]).write_bytes(served.content)
    tool = Path(sys.executable).parent / "frictionless"
    checked = subprocess.run(
        [str(tool), "validate", str(tmp_path / "datapackage.json")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout[-3000:]


# The worker closes the database connection when it ends (as a process does): a test
# transaction cannot survive that on PostgreSQL, so this runs outside one.
@pytest.mark.django_db(transaction=True)
def test_closing_and_reopening_a_period_rebuild_the_package_through_the_worker():
    world = report_world()  # closes two periods: each close asks for a build
    call_command("worker", "--batch", "--max-tasks", "20")
    files = {f.name: bytes(f.body) for f in OpenDataFile.objects.filter(pemda=world.pemda)}
    assert f"{YEAR}-tahunan".encode() in files["periode.csv"]
    first = OpenData.objects.get(pemda=world.pemda).built_at
    semester = Period.objects.create(
        pemda=world.pemda, kind="s1", year=YEAR, start=f"{YEAR}-01-01", end=f"{YEAR}-06-30"
    )
    freeze.close_period(semester)
    call_command("worker", "--batch", "--max-tasks", "20")
    periods = bytes(OpenDataFile.objects.get(pemda=world.pemda, name="periode.csv").body)
    assert f"{YEAR}-s1".encode() in periods
    assert OpenData.objects.get(pemda=world.pemda).built_at > first
    freeze.reopen_period(semester, reason="salah input")
    call_command("worker", "--batch", "--max-tasks", "20")
    periods = bytes(OpenDataFile.objects.get(pemda=world.pemda, name="periode.csv").body)
    assert f"{YEAR}-s1".encode() not in periods


def test_the_command_rebuilds_now():
    world = report_world()
    out = io.StringIO()
    call_command("opendata", "--pemda", world.pemda.slug, stdout=out)
    assert "15 berkas" in out.getvalue()
    package = json.loads(bytes(OpenDataFile.objects.get(pemda=world.pemda, name="datapackage.json").body))
    assert package["name"] == f"skm-{world.pemda.slug}"


def test_one_close_queues_one_build(django_capture_on_commit_callbacks):
    pemda = make_pemda()
    make_unit(make_pd(pemda))
    semester = Period.objects.create(
        pemda=pemda, kind="s1", year=YEAR, start=f"{YEAR}-01-01", end=f"{YEAR}-06-30"
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        freeze.close_period(semester)  # saves the period and creates a snapshot: two signals
        schedule(pemda.pk)
    assert len(callbacks) == 1
    queued = DBTaskResult.objects.filter(task_path__endswith="build_open_data")
    assert queued.count() == 1 and queued.get().priority < 0  # after reports people wait for
