"""The home page counts the suggestions waiting for a reply in the user's place, in one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from skm.followup.inbox import waiting_count
from skm.followup.replies import follow_up
from skm.testing import make_answer, make_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    people = make_people()
    make_answer(people.unit, suggestion="Baru di unit")
    done = make_answer(people.unit, suggestion="Sudah dijawab")
    follow_up(done, status="selesai", reply="Terima kasih", published=False, user=None)
    reset = make_answer(people.unit, suggestion="Dibuka lagi")
    follow_up(reset, status="baru", reply="", published=False, user=people.unit_admin)  # no-op: no row change
    make_answer(people.sibling_unit, suggestion="Baru di unit saudara")
    make_answer(people.other_pd_unit, suggestion="Baru di PD lain")
    make_answer(people.other_pemda_unit, suggestion="Baru di Pemda lain")
    make_answer(people.unit)  # no suggestion
    return people


@pytest.mark.parametrize(
    ("role", "waiting"),
    [("unit_admin", 2), ("pd_admin", 3), ("pemda_admin", 4), ("pimpinan", 4), ("outsider", 1)],
)
def test_home_shows_the_suggestions_waiting_in_the_users_place(client, people, role, waiting):
    user = getattr(people, role)
    with CaptureQueriesContext(connection) as queries:
        assert waiting_count(user, user.pemda_id) == waiting
    assert len(queries) == 1
    client.force_login(user)
    html = client.get(reverse("workspace:home")).content.decode()
    assert "Saran menunggu balasan" in html
    assert f'<p class="stat">{waiting}</p>' in html
    assert reverse("followup:suggestions") + "?status=baru" in html
