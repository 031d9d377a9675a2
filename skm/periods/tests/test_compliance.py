"""Who has reported a period, per unit type, and who is late (SPEC §5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skm.accounts.models import AuditEvent
from skm.organisation.models import Frequency
from skm.periods import reporting
from skm.periods.compliance import compliance, expected_units, late_counts, unit_status
from skm.periods.models import UnitReport
from skm.periods.tests.builders import make_period
from skm.recaps.models import StoredRecap
from skm.recaps.stored import recap_units
from skm.testing import make_pd, make_people, make_unit

pytestmark = pytest.mark.django_db


def _people_with_units():
    people = make_people()
    # Kota Uji: 2 Puskesmas + 1 Kelurahan from make_people, and a second Kelurahan.
    extra = make_unit(people.other_pd, "Kelurahan Pasar", unit_type="Kelurahan")
    return people, extra


def test_counts_per_unit_type_and_the_summary_line():
    people, extra = _people_with_units()
    period = make_period(people.pemda)
    reporting.submit(people.unit, period, user=people.unit_admin)
    reporting.give_reason(people.other_pd_unit, period, "kurangnya SDM", user=people.pd_admin)
    reporting.set_accompanied(extra, period, True, "unit baru", user=people.pemda_admin)
    result = compliance(people.pemda, period)
    lines = {
        t.name: (t.expected, t.reported, t.with_reason, t.accompanied, t.not_reported) for t in result.types
    }
    assert lines == {"Puskesmas": (2, 1, 0, 0, 1), "Kelurahan": (2, 0, 1, 1, 0)}
    assert result.summary() == "1 dari 4: Kelurahan 0/2, Puskesmas 1/2"  # in the Pemda's unit type order
    assert unit_status(people.unit, period) == "dilaporkan"
    assert unit_status(people.other_pd_unit, period) == "alasan"
    assert unit_status(extra, period) == "pendampingan"
    assert unit_status(people.sibling_unit, period) == "belum"


def test_filter_by_perangkat_daerah():
    people, _extra = _people_with_units()
    period = make_period(people.pemda)
    reporting.submit(people.unit, period, user=people.unit_admin)
    result = compliance(people.pemda, period, people.dinas)
    assert (result.expected, result.reported) == (2, 1)
    assert {line.unit.name for line in result.lines} == {"Puskesmas Terminal", "Puskesmas Cempaka"}


def test_late_units_are_those_past_the_deadline_without_report_reason_or_accompaniment():
    people, _extra = _people_with_units()
    today = timezone.localdate()
    past = make_period(people.pemda, report_deadline=today - dt.timedelta(days=3))
    future = make_period(people.pemda, kind="s1", report_deadline=today + dt.timedelta(days=3))
    reporting.submit(people.unit, past, user=people.unit_admin)
    reporting.give_reason(people.other_pd_unit, past, "kurangnya SDM", user=people.unit_admin)
    assert {u.name for u in compliance(people.pemda, past).late} == {"Puskesmas Cempaka", "Kelurahan Pasar"}
    assert compliance(people.pemda, future).late == []


def test_frequency_decides_who_owes_a_period():
    people = make_people()
    yearly = people.unit
    quarterly = make_unit(people.dinas, "Puskesmas Kuin", frequency=Frequency.TRIWULAN)
    by_semester = make_unit(people.dinas, "Puskesmas Alalak", frequency=Frequency.SEMESTER)

    def owed(kind):
        return set(expected_units(people.pemda, make_period(people.pemda, kind)).values_list("pk", flat=True))

    assert owed("tw2") == {quarterly.pk}
    assert owed("s1") == {quarterly.pk, by_semester.pk}
    assert {yearly.pk, quarterly.pk, by_semester.pk} <= owed("tahunan")
    inactive = make_unit(people.dinas, "Pustu Lama", active=False)
    custom = make_period(people.pemda, "custom", start=dt.date(2026, 6, 1), end=dt.date(2026, 11, 12))
    assert inactive.pk not in set(expected_units(people.pemda, custom).values_list("pk", flat=True))


def test_a_unit_marked_accompanied_on_itself_counts_as_accompanied():
    people = make_people()
    people.sibling_unit.accompanied = True
    people.sibling_unit.save()
    period = make_period(people.pemda)
    assert unit_status(people.sibling_unit, period) == "pendampingan"
    reporting.submit(people.sibling_unit, period, user=people.unit_admin)
    assert unit_status(people.sibling_unit, period) == "dilaporkan"


def _recap(unit, period=None, **where):
    return StoredRecap.objects.create(
        pemda=unit.pemda,
        unit=unit,
        period=period,
        year=where.get("year", period.year if period else 2026),
        period_kind=where.get("kind", period.kind if period else "tahunan"),
        verdict="0.111",
        source="entry" if period else "history",
        n=100,
    )


def test_a_unit_with_a_stored_recap_counts_as_reported():
    people = make_people()
    period = make_period(people.pemda)
    assert recap_units(people.pemda, period) == set()
    _recap(people.sibling_unit, period)
    # History without a Period counts for the same kind and year; another year's does not.
    _recap(people.other_pd_unit, year=2026, kind="tahunan")
    _recap(people.unit, year=2025, kind="tahunan")
    assert unit_status(people.sibling_unit, period) == "dilaporkan"
    assert unit_status(people.other_pd_unit, period) == "dilaporkan"
    assert unit_status(people.unit, period) == "belum"
    assert compliance(people.pemda, period).reported == 2


def test_withdraw_before_close_is_audited_and_a_closed_period_takes_no_change():
    people = make_people()
    period = make_period(people.pemda)
    reporting.submit(people.unit, period, user=people.unit_admin)
    reporting.withdraw(people.unit, period, user=people.unit_admin)
    assert unit_status(people.unit, period) == "belum"
    events = list(AuditEvent.objects.filter(object_type="periods.unitreport").order_by("pk"))
    assert [e.action for e in events] == ["period.report", "period.withdraw"]
    assert events[1].before["submission"] == "dilaporkan" and events[1].after["submission"] == ""
    assert events[1].unit_id == people.unit.pk and events[1].user == people.unit_admin
    reporting.submit(people.unit, period, user=people.unit_admin)
    period.closed_at = timezone.now()
    period.save()
    with pytest.raises(reporting.PeriodClosed):
        reporting.withdraw(people.unit, period, user=people.unit_admin)
    assert UnitReport.objects.get(unit=people.unit, period=period).submission == "dilaporkan"


def test_withdrawing_keeps_the_accompaniment():
    people = make_people()
    period = make_period(people.pemda)
    reporting.set_accompanied(people.unit, period, True, "unit baru 2026", user=people.pemda_admin)
    reporting.submit(people.unit, period, user=people.unit_admin)
    reporting.withdraw(people.unit, period, user=people.unit_admin)
    assert unit_status(people.unit, period) == "pendampingan"


def test_compliance_reads_in_a_fixed_number_of_queries(django_assert_num_queries):
    people = make_people()
    for i in range(12):
        make_unit(make_pd(people.pemda, f"Dinas {i}"), f"UPT {i}", unit_type="UPT/UPTD")
    period = make_period(people.pemda)
    reporting.submit(people.unit, period, user=people.unit_admin)
    with django_assert_num_queries(3):  # units with their type and PD; report rows; stored recaps
        result = compliance(people.pemda, period)
    assert result.expected == 15 and result.reported == 1


KINDS = ("tahunan", "s1", "s2", "tw1", "tw2", "tw3", "tw4")
FREQUENCIES = tuple(Frequency.values)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_late_counts_of_many_periods_equal_each_periods_compliance(data):
    """The home panel's bulk count (three queries) says what compliance says for each period."""
    with transaction.atomic():
        people = make_people()
        units = [people.unit, people.sibling_unit, people.other_pd_unit]
        for i in range(data.draw(st.integers(0, 4))):
            units.append(
                make_unit(
                    data.draw(st.sampled_from([people.dinas, people.other_pd])),
                    f"UPT {i}",
                    frequency=data.draw(st.sampled_from(FREQUENCIES)),
                    accompanied=data.draw(st.booleans()),
                    active=data.draw(st.booleans()),
                )
            )
        today = timezone.localdate()
        periods = []
        for kind in data.draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=4, unique=True)):
            days = data.draw(st.integers(-30, 5))
            periods.append(make_period(people.pemda, kind, report_deadline=today + dt.timedelta(days=days)))
        for period in periods:
            for unit in units:
                what = data.draw(
                    st.sampled_from(["none", "report", "reason", "accompanied", "recap", "history"])
                )
                if what == "report":
                    reporting.submit(unit, period, user=people.pemda_admin)
                elif what == "reason":
                    reporting.give_reason(unit, period, "kurangnya SDM", user=people.pemda_admin)
                elif what == "accompanied":
                    reporting.set_accompanied(unit, period, True, "unit baru", user=people.pemda_admin)
                elif what == "recap":
                    _recap(unit, period)
                elif what == "history":
                    _recap(unit, year=period.year, kind=period.kind)
        pd = data.draw(st.sampled_from([None, people.dinas, people.other_pd]))
        counts = late_counts(people.pemda, periods, pd)
        assert counts == {p.pk: len(compliance(people.pemda, p, pd).late) for p in periods}
        transaction.set_rollback(True)


def test_late_counts_read_in_three_queries_whatever_the_periods(django_assert_num_queries):
    people = make_people()
    past = timezone.localdate() - dt.timedelta(days=3)
    periods = [make_period(people.pemda, kind, report_deadline=past) for kind in KINDS]
    reporting.submit(people.unit, periods[0], user=people.unit_admin)
    with django_assert_num_queries(3):
        counts = late_counts(people.pemda, periods)
    assert counts[periods[0].pk] == 2 and counts[periods[1].pk] == 0  # nobody surveys by semester
    with django_assert_num_queries(0):
        assert late_counts(people.pemda, []) == {}
