"""Closing a period freezes its figures (issue 24 item 5, SPEC §5): after a close, every reader of
exactly the period's dates (CLI, API, pages, exports) shows the scoring core applied to the answers
submitted before the cut-off; answers arriving later are kept and counted as late; reopening and
closing again makes version 2 with them, while version 1 stays readable with its old figures."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skm.accounts.models import AuditEvent
from skm.accounts.roles import create_user
from skm.accounts.scoping import Role
from skm.collection import spans
from skm.collection.models import FrozenRollup, PeriodSnapshot
from skm.organisation.models import Period
from skm.results import freeze, sheets
from skm.results.compute import pemda_result, unit_result
from skm.results.ranges import period_range, range_from
from skm.results.tests.test_results_command import (
    END,
    HYPOTHESIS,
    START,
    World,
    answer,
    check_unit,
    expected_parts,
    num,
    run,
)
from skm.scoring import ELEMENTS, Level, Method, aggregate, score_answers
from skm.scoring.weights import Weight
from skm.testing import make_answer

pytestmark = pytest.mark.django_db


def closed_world(drawn: list[dict]) -> tuple[World, list, Period]:
    world = _world()
    stored = world.store(drawn)
    period = Period.objects.create(pemda=world.pemda, kind="custom", year=2026, start=START, end=END)
    return world, stored, period


def _world() -> World:
    return World(Weight.W0111, ELEMENTS)


def _store_more(world: World, drawn: list[dict]) -> list:
    """Answers for the period's dates arriving after the close (through the real path)."""
    stored = []
    for item in drawn:
        unit = world.units[item["unit"]]
        row = make_answer(unit, dict(item["values"]), day=START + dt.timedelta(days=item["day"] % 21))
        stored.append((row, item["values"]))
    return stored


def check_pemda(world: World, stored) -> None:
    for level, scoring_level in (("units", Level.PEMDA), ("services", Level.SERVICE)):
        parts, incomplete = expected_parts(world, stored, scoring_level)
        for method in Method:
            doc = run("pemda", world.pemda.slug, "--method", method.value, "--level", level)
            expected = aggregate(parts, method, scoring_level, world.weight)
            assert doc["ikm_exact"] == num(expected.ikm, 4)
            assert doc["n"] == expected.n
            assert doc["incomplete"] == incomplete


@HYPOTHESIS
@given(before=st.lists(answer, max_size=25), late=st.lists(answer, min_size=1, max_size=8))
def test_a_closed_period_shows_its_snapshot_and_counts_late_answers(before, late):
    world, stored, period = closed_world(before)
    snapshot = freeze.close_period(period)
    assert snapshot.version == 1
    period.refresh_from_db()
    assert period.closed_at == snapshot.cut_off
    late_rows = _store_more(world, late)

    # The CLI (and so the API: the same documents) shows the answers before the cut-off only.
    for unit in world.units:
        check_unit(run("unit", unit.slug), world, world.raw(stored, unit=unit), unit.population)
    check_pemda(world, stored)

    # Late answers: kept, and counted per unit.
    frozen = freeze.for_range(world.pemda, period_range(period))
    assert frozen.shown == snapshot
    expected_late: dict[int, int] = {}
    for row, _values in late_rows:
        expected_late[row.unit_id] = expected_late.get(row.unit_id, 0) + 1
    assert frozen.late == expected_late

    # The stored record equals what the pages compute from the frozen sums.
    snapshot.refresh_from_db()
    with frozen.reading():
        for unit in world.units:
            score = unit_result(unit, START, END).score
            entry = snapshot.figures["units"][str(unit.pk)]
            assert entry["n"] == score.n
            assert entry["ikm"] == (
                None if score.ikm is None else f"{score.ikm.numerator}/{score.ikm.denominator}"
            )
        for method in Method:
            agg = pemda_result(world.pemda, START, END, method=method).result
            recorded = snapshot.figures["pemda"][f"{method.value}/{Level.PEMDA.value}"]["ikm"]
            assert (None if recorded is None else Fraction(recorded)) == agg.ikm

    # Reopen (audited, with a reason) and close again: version 2 holds the late answers.
    with pytest.raises(freeze.FreezeError):
        freeze.reopen_period(period, reason="  ")
    freeze.reopen_period(period, reason="jawaban kertas terlambat")
    assert AuditEvent.objects.filter(action="period.reopen", object_id=str(period.pk)).count() == 1
    everything = stored + late_rows
    for unit in world.units:  # open again: live figures
        check_unit(run("unit", unit.slug), world, world.raw(everything, unit=unit), unit.population)
    second = freeze.close_period(period)
    assert second.version == 2
    for unit in world.units:
        check_unit(run("unit", unit.slug), world, world.raw(everything, unit=unit), unit.population)
    assert freeze.for_range(world.pemda, period_range(period)).late == {}

    # Version 1 stays readable with its old figures.
    old = freeze.for_range(world.pemda, period_range(period), {"versi": "1"})
    assert old.shown == snapshot
    assert [s.version for s in old.versions] == [1, 2]
    with old.reading():
        for unit in world.units:
            assert unit_result(unit, START, END).score == score_answers(
                world.raw(stored, unit=unit), world.weight, world.order
            )
    assert AuditEvent.objects.filter(action="period.close", object_id=str(period.pk)).count() == 2


def test_a_custom_range_or_year_equal_to_a_closed_period_reads_its_snapshot():
    world = _world()
    make_answer(world.units[0], day=START)
    period = Period.objects.create(pemda=world.pemda, kind="custom", year=2026, start=START, end=END)
    freeze.close_period(period)
    make_answer(world.units[0], [1] * 9, day=START)
    span = range_from({"dari": START.isoformat(), "sampai": END.isoformat()}, world.pemda)
    frozen = freeze.for_range(world.pemda, span)
    assert frozen.shown is not None and frozen.late == {world.units[0].pk: 1}
    with frozen.reading():
        assert unit_result(world.units[0], START, END).n == 1
        # a range around it is not the period: live
        assert unit_result(world.units[0], START, END + dt.timedelta(days=1)).n == 2
        # a trend mixing the closed period and other ranges reads each from the right place
        found = spans.summed_spans(
            [(START, END), (START - dt.timedelta(days=3), END), (START, END)],
            columns=("n",),
            unit=world.units[0],
        )
        assert [f.get((), {}).get("n") for f in found] == [1, 2, 1]
    assert unit_result(world.units[0], START, END).n == 2  # outside a reading: live


def test_closing_twice_and_reopening_an_open_period_are_refused():
    world = _world()
    period = Period.objects.create(pemda=world.pemda, kind="custom", year=2026, start=START, end=END)
    with pytest.raises(freeze.FreezeError):
        freeze.reopen_period(period, reason="x")
    freeze.close_period(period)
    with pytest.raises(freeze.FreezeError):
        freeze.close_period(period)
    assert PeriodSnapshot.objects.count() == 1


def test_frozen_rows_are_clipped_to_the_period_and_grouped_by_month():
    world = _world()
    period = Period.objects.create(
        pemda=world.pemda, kind="custom", year=2026, start=dt.date(2026, 1, 20), end=dt.date(2026, 2, 10)
    )
    for day in (
        dt.date(2026, 1, 19),
        dt.date(2026, 1, 20),
        dt.date(2026, 1, 31),
        dt.date(2026, 2, 10),
        dt.date(2026, 2, 11),
    ):
        make_answer(world.units[0], day=day)
    snapshot = freeze.close_period(period)
    rows = FrozenRollup.objects.filter(snapshot=snapshot).order_by("month")
    assert [(r.month, r.n) for r in rows] == [(dt.date(2026, 1, 1), 2), (dt.date(2026, 2, 1), 1)]


# --- Every page and export of a closed period --------------------------------------------------

PAGES_HYPOTHESIS = settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PAGES_HYPOTHESIS
@given(before=st.lists(answer, max_size=20), late=st.lists(answer, min_size=1, max_size=5))
def test_every_page_and_export_shows_the_snapshot_figure(client, before, late):
    world, stored, period = closed_world(before)
    admin = create_user(f"pemda-{world.pemda.pk}", "uji-rahasia-123", Role.ADMIN_PEMDA, world.pemda)
    client.force_login(admin)
    close_url = f"/kelola/hasil/periode/{period.pk}/tutup/"
    assert client.post(close_url, {}).status_code == 400  # no confirmation: nothing closed
    assert client.post(close_url, {"konfirmasi": "1"}).status_code == 302
    late_rows = _store_more(world, late)
    query = f"?periode={period.pk}"
    late_total = len(late_rows)

    for unit in world.units:
        expected = score_answers(world.raw(stored, unit=unit), world.weight, world.order)
        response = client.get(f"/kelola/hasil/upp/{unit.slug}/{query}")
        assert response.context["main"]["score"] == expected
        page = response.content.decode()
        assert "angka dari snapshot" in page
        unit_late = sum(1 for row, _v in late_rows if row.unit_id == unit.pk)
        assert response.context["frozen"].late_total == unit_late
        sheet = client.get(f"/kelola/hasil/upp/{unit.slug}/lembar/{query}")
        assert "versi 1" in sheet.content.decode()
        # the API, asked for exactly the period's dates
        doc = client.get(
            f"/api/v1/results/units/{unit.slug}", {"from": START.isoformat(), "to": END.isoformat()}
        ).json()
        assert doc["n"] == expected.n and doc["ikm_exact"] == num(expected.ikm, 4)

    for level, scoring_level in (("units", Level.PEMDA), ("services", Level.SERVICE)):
        parts, _incomplete = expected_parts(world, stored, scoring_level)
        for method in Method:
            response = client.get(f"/kelola/hasil/pemda/{query}&metode={method.value}&tingkat={level}")
            expected = aggregate(parts, method, scoring_level, world.weight)
            assert response.context["result"].ikm == expected.ikm
            assert response.context["result"].n == expected.n
            page = response.content.decode()
            assert f"{late_total} jawaban masuk setelah ditutup" in page
    parts, _incomplete = expected_parts(world, stored, Level.PEMDA)
    expected = aggregate(parts, Method(world.pemda.aggregation_method), Level.PEMDA, world.weight)
    with freeze.for_range(world.pemda, period_range(period)).reading():
        sheet = sheets.pemda_sheet(world.pemda, period_range(period))
    assert (sheet["ikm"], sheet["n"]) == (expected.ikm, expected.n)
    assert "versi 1" in client.get(f"/kelola/hasil/pemda/lembar/{query}").content.decode()


def test_a_closed_tahunan_is_read_from_its_snapshot_in_the_year_over_year_sheet(client):
    world = _world()
    admin = create_user(f"pemda-{world.pemda.pk}", "uji-rahasia-123", Role.ADMIN_PEMDA, world.pemda)
    client.force_login(admin)
    start, end = Period.standard_range("tahunan", 2025)
    period = Period.objects.create(pemda=world.pemda, kind="tahunan", year=2025, start=start, end=end)
    make_answer(world.units[0], [4] * 9, day=dt.date(2025, 6, 1))
    freeze.close_period(period)
    make_answer(world.units[0], [1] * 9, day=dt.date(2025, 6, 2))  # late
    response = client.get("/kelola/hasil/tahunan/?tahun=2026&banding=2025")
    row = next(r for r in response.context["data"].rows if r.unit == world.units[0] and r.service is None)
    best = score_answers([dict.fromkeys(ELEMENTS, 4)], world.weight, world.order).ikm
    assert row.before.n == 1 and row.before.ikm == best  # the late answer (all 1) is not in it
    assert client.get("/kelola/hasil/tahunan.xlsx?tahun=2026&banding=2025").status_code == 200
    # the year's own page (tahun=2025 is the closed Tahunan's dates) says so
    page = client.get(f"/kelola/hasil/upp/{world.units[0].slug}/?tahun=2025").content.decode()
    assert "angka dari snapshot" in page and "1 jawaban masuk setelah ditutup" in page


def test_reopen_on_the_page_needs_a_reason_and_is_audited(client):
    world = _world()
    admin = create_user(f"pemda-{world.pemda.pk}", "uji-rahasia-123", Role.ADMIN_PEMDA, world.pemda)
    client.force_login(admin)
    period = Period.objects.create(pemda=world.pemda, kind="custom", year=2026, start=START, end=END)
    freeze.close_period(period, admin)
    url = f"/kelola/hasil/periode/{period.pk}/buka/"
    assert client.post(url, {"reason": " "}).status_code == 400
    period.refresh_from_db()
    assert period.is_closed
    assert client.post(url, {"reason": "data kertas susulan"}).status_code == 302
    period.refresh_from_db()
    assert not period.is_closed
    event = AuditEvent.objects.get(action="period.reopen", object_id=str(period.pk))
    assert event.user == admin and event.after == {"reason": "data kertas susulan"}
    page = client.get(f"/kelola/hasil/periode/{period.pk}/tutup/").content.decode()
    assert "Versi 1, ditutup" in page and "dibuka kembali" in page
