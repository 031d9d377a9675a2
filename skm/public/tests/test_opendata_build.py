"""The open data package (issue 26 item 2): built from skm.results, valid for `frictionless
validate`, the same figures as the staff pages for a closed period, frozen against late answers,
and nothing a respondent did not publish."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

from skm.followup.replies import follow_up
from skm.public import opendata
from skm.public.models import OpenData, OpenDataFile
from skm.reports.tests.world import YEAR, report_world
from skm.results import freeze
from skm.results.compute import element_order, unit_results
from skm.results.overview import overview
from skm.results.present import NRR_PLACES
from skm.results.ranges import period_range
from skm.scoring.aggregate import Level, Method
from skm.scoring.rounding import round_half_up
from skm.testing import make_answer

pytestmark = pytest.mark.django_db

NOW = dt.datetime(YEAR + 1, 2, 10, 3, 0, tzinfo=dt.UTC)  # the running year is YEAR + 1


def _write(pemda, folder: Path) -> dict[str, bytes]:
    files = {f.name: bytes(f.body) for f in OpenDataFile.objects.filter(pemda=pemda)}
    for name, body in files.items():
        (folder / name).write_bytes(body)
    return files


def _validate(folder: Path) -> subprocess.CompletedProcess:
    tool = Path(sys.executable).parent / "frictionless"
    return subprocess.run(
        [str(tool), "validate", "--json", str(folder / opendata.PACKAGE)],
        capture_output=True,
        text=True,
        cwd=folder,
        timeout=120,
    )


def _csv(files: dict[str, bytes], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[f"{name}.csv"].decode("utf-8-sig"))))


@pytest.fixture
def world():
    found = report_world()
    answer = found.answers[found.units["kelurahan"].pk][0][0]
    answer.suggestion = '=HYPERLINK("http://x","klik") antre lama'
    answer.contact = "0812-3456-7890"
    answer.save(update_fields=["suggestion", "contact"])
    follow_up(answer, status="selesai", reply="-1 loket ditambah; @semua", published=True, user=None)
    hidden = found.answers[found.units["services"].pk][0][0]
    hidden.suggestion = "Rahasia tidak terbit"
    hidden.contact = "rahasia@contoh.id"
    hidden.save(update_fields=["suggestion", "contact"])
    follow_up(hidden, status="baru", reply="Balasan tidak terbit", published=False, user=None)
    return found


def test_the_package_validates_and_says_what_it_holds(world, tmp_path):
    report = opendata.build(world.pemda, now=NOW)
    assert report.files == len(opendata.file_names(world.pemda)) == 15
    files = _write(world.pemda, tmp_path)
    checked = _validate(tmp_path)
    assert checked.returncode == 0, checked.stdout[-3000:] + checked.stderr[-2000:]
    assert json.loads(checked.stdout)["valid"] is True
    package = json.loads(files["datapackage.json"])
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["licenses"][0]["path"].startswith("https://creativecommons.org/")
    unit = next(r for r in package["resources"] if r["name"] == "hasil-unit")
    ikm = next(f for f in unit["schema"]["fields"] if f["name"] == "ikm")
    assert ikm["decimalChar"] == "." and " / " in ikm["description"]
    assert OpenData.objects.get(pemda=world.pemda).built_at == NOW
    # Every CSV has a JSON twin with the same rows.
    for resource in package["resources"]:
        rows = _csv(files, resource["name"])
        twin = json.loads(files[f"{resource['name']}.json"])
        assert len(rows) == len(twin)
        assert [r[resource["schema"]["primaryKey"][0]] for r in rows] == [
            str(t[resource["schema"]["primaryKey"][0]]) for t in twin
        ]


def test_the_licence_is_the_pemda_s_choice(world):
    OpenData.objects.create(pemda=world.pemda, licence="CC0-1.0")
    opendata.build(world.pemda, now=NOW)
    package = json.loads(bytes(OpenDataFile.objects.get(pemda=world.pemda, name="datapackage.json").body))
    assert package["licenses"][0]["name"] == "CC0-1.0"


def test_a_closed_period_shows_the_staff_pages_figures_and_stays_frozen(world):
    pemda = world.pemda
    places = pemda.display_precision
    opendata.build(pemda, now=NOW)
    files = {f.name: bytes(f.body) for f in OpenDataFile.objects.filter(pemda=pemda)}
    code = f"{YEAR}-tahunan"
    units = {r["unit_kode"]: r for r in _csv(files, "hasil-unit") if r["periode_kode"] == code}
    unsur = [r for r in _csv(files, "hasil-unsur") if r["periode_kode"] == code]
    span = period_range(world.period)
    # What the staff unit page computes for the same period (views_unit.unit).
    with freeze.for_range(pemda, span).reading():
        for unit in world.units.values():
            result = unit_results(unit, span.start, span.end)[0]
            row = units[unit.slug]
            assert row["status"] == "final" and row["versi_snapshot"] == "1"
            assert int(row["n"]) == result.score.n
            if result.score.ikm is None:
                assert row["ikm"] == "" and row["n"] == "0"
                continue
            assert row["ikm"] == str(round_half_up(result.score.ikm, places))
            assert row["mutu"] == result.score.band.mutu
            mine = {r["unsur_kode"]: r for r in unsur if r["unit_kode"] == unit.slug}
            assert list(mine) == list(element_order(pemda))
            for element, value in result.score.unsur.items():
                assert mine[element]["nrr"] == str(round_half_up(value.nrr, NRR_PLACES))
                assert mine[element]["nilai_konversi"] == str(round_half_up(value.converted, places))
        # And the staff Pemda page (overview) with the Pemda's own method.
        shown = overview(pemda, span.start, span.end).headline.result
    own = next(
        r for r in _csv(files, "hasil-pemda") if r["periode_kode"] == code and r["metode_pemda"] == "true"
    )
    assert own["metode"] == Method(pemda.aggregation_method).value and own["tingkat"] == Level.PEMDA.value
    assert own["ikm"] == str(round_half_up(shown.ikm, places)) and int(own["n"]) == shown.n
    # The late answer of the world (after the close) is not in the closed rows.
    kelurahan = world.units["kelurahan"]
    assert int(units[kelurahan.slug]["n"]) == len(world.raw(kelurahan))
    make_answer(kelurahan, [4] * 9, day=dt.date(YEAR, 7, 1))  # another late one
    opendata.build(pemda, now=NOW + dt.timedelta(days=1))
    again = {f.name: bytes(f.body) for f in OpenDataFile.objects.filter(pemda=pemda)}
    before = [r for r in _csv(files, "hasil-unit") if r["periode_kode"] == code]
    after = [r for r in _csv(again, "hasil-unit") if r["periode_kode"] == code]
    assert before == after


def test_the_running_year_is_provisional_and_a_unit_without_answers_has_no_ikm(world):
    running = make_answer(world.units["semester"], [3] * 9, day=dt.date(YEAR + 1, 2, 1))
    opendata.build(world.pemda, now=NOW)
    files = {f.name: bytes(f.body) for f in OpenDataFile.objects.filter(pemda=world.pemda)}
    periods = {r["periode_kode"]: r for r in _csv(files, "periode")}
    assert periods[f"{YEAR + 1}-berjalan"]["status"] == "sementara"
    assert (
        periods[f"{YEAR + 1}-berjalan"]["selesai"]
        == timezone.localtime(NOW, world.pemda.tz).date().isoformat()
    )
    assert {periods[f"{YEAR}-tahunan"]["status"], periods[f"{YEAR - 1}-tahunan"]["status"]} == {"final"}
    rows = [r for r in _csv(files, "hasil-unit") if r["periode_kode"] == f"{YEAR + 1}-berjalan"]
    by_unit = {r["unit_kode"]: r for r in rows}
    assert (
        by_unit[running.unit.slug]["n"] == "1" and by_unit[running.unit.slug]["ikm"] == "74.93"
    )  # 3 × 9 × 0.111 × 25
    silent = by_unit[world.units["silent"].slug]
    assert (silent["n"], silent["ikm"], silent["mutu"]) == ("0", "", "")
    assert all(r["ikm"] != "0" and r["ikm"] != "0.00" for r in _csv(files, "hasil-unit"))


def test_only_published_suggestions_and_no_contact_and_formulas_defused(world):
    opendata.build(world.pemda, now=NOW)
    everything = b"".join(bytes(f.body) for f in OpenDataFile.objects.filter(pemda=world.pemda))
    text = everything.decode("utf-8")
    assert "Rahasia tidak terbit" not in text and "Balasan tidak terbit" not in text
    assert "0812-3456-7890" not in text and "rahasia@contoh.id" not in text
    files = {f.name: bytes(f.body) for f in OpenDataFile.objects.filter(pemda=world.pemda)}
    (row,) = _csv(files, "saran-terbit")
    assert row["saran"].startswith("'=HYPERLINK")
    assert row["balasan"].startswith("'-1 loket") and ";' @semua" in row["balasan"]
    (twin,) = json.loads(files["saran-terbit.json"])
    assert twin["saran"] == row["saran"]
