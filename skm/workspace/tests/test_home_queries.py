"""The home page's query count does not grow with the number of units (issue 23, Speed).

Each role's home is fetched with 3 units in its place and again with 30 (each unit with an answer
and a service), and the number of queries must be the same: every figure comes from a fixed
number of grouped rollup queries, never one query per unit.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from skm.organisation.models import Frequency
from skm.organisation.tests.builders import every_unit_has_a_target
from skm.periods.tests.builders import make_period
from skm.testing import make_answer, make_people, make_service, make_unit

pytestmark = pytest.mark.django_db

# The pinned count per role (with a warm session); a change here is a deliberate choice. One of
# them counts the suggestions waiting for a reply (skm.followup.inbox.waiting_count), one reads
# the Pemda's periods (Pemda.period_list: the running period and the "Pengingat" panel share it);
# one lists the overdue RTL items (skm.followup.rtl.overdue_summary).
# +1 each for the year's IKM targets (the place's and the ranked units', one query).
# + 1 for the Pemda/PD figure: the stored recaps of its units (skm.recaps.stored). The units
# without answers are read with their PD and type (one query, only when some have none).
QUERIES = {"superuser": 14, "pemda_admin": 14, "pimpinan": 14, "pd_admin": 15, "unit_admin": 17}
# With periods past their deadline, the "Pengingat" panel reads the units, their report rows and
# stored recaps once for all of them (skm.periods.compliance.late_counts).
LATE_PANEL = 3


def add_units(people, count: int) -> None:
    """Units with a service and an answer each, in the Dinas (so PD and Pemda homes see them)."""
    for i in range(count):
        unit = make_unit(people.dinas, f"Puskesmas Tambahan {i}")
        make_answer(unit, service=make_service(unit))
    make_answer(people.unit, service=make_service(people.unit))
    every_unit_has_a_target(people.pemda)


def queries_of_home(client, user) -> int:
    client.force_login(user)
    url = reverse("workspace:home")
    assert client.get(url).status_code == 200  # warm: sessions, the instrument cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("role", sorted(QUERIES))
def test_the_home_page_makes_as_many_queries_for_30_units_as_for_3(client, role):
    people = make_people()
    # make_people's Pemda has 3 units; 27 more make 30.
    add_units(people, 0)
    few = queries_of_home(client, getattr(people, role))
    add_units(people, 27)
    client.logout()
    many = queries_of_home(client, getattr(people, role))
    assert few == many, f"{role}: {few} queries with 3 units, {many} with 30"
    assert many == QUERIES[role]


def test_the_pinned_count_holds_with_django_assert_num_queries(client, django_assert_num_queries):
    people = make_people()
    add_units(people, 27)
    client.force_login(people.pemda_admin)
    client.get(reverse("workspace:home"))
    with django_assert_num_queries(QUERIES["pemda_admin"]):
        assert client.get(reverse("workspace:home")).status_code == 200


@pytest.mark.parametrize("role", ["pemda_admin", "pd_admin"])
def test_late_periods_cost_the_same_queries_for_one_as_for_four(client, role):
    people = make_people()
    add_units(people, 3)
    past = timezone.localdate() - dt.timedelta(days=5)
    make_period(people.pemda, "tahunan", year=past.year - 1, report_deadline=past)
    one = queries_of_home(client, getattr(people, role))
    for kind in ("tw1", "tw2", "s1"):
        make_period(people.pemda, kind, year=past.year, report_deadline=past)
    make_unit(people.dinas, "Puskesmas Triwulan", frequency=Frequency.TRIWULAN)  # owes the quarters
    client.logout()
    response_queries = queries_of_home(client, getattr(people, role))
    assert one == response_queries == QUERIES[role] + LATE_PANEL
    page = client.get(reverse("workspace:home")).content.decode()
    assert page.count("unit terlambat melapor") == 4  # last year's Tahunan, two quarters, a semester
