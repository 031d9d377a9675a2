"""The suggestions inbox (/kelola/saran/): scoping per role, search, filters, paging, safe text."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from skm.collection import changes
from skm.followup.replies import follow_up
from skm.scoring.elements import ELEMENTS, ELEMENTS_PENGADUAN_BEFORE_SARANA
from skm.testing import make_answer, make_pd, make_pemda, make_people, make_service, make_unit

pytestmark = pytest.mark.django_db

URL = reverse("followup:suggestions")


def _suggest(unit, text, **kwargs):
    return make_answer(unit, suggestion=text, **kwargs)


def _shown(client, user, query=""):
    client.force_login(user)
    response = client.get(URL + query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def people():
    return make_people()


@pytest.fixture
def placed(people):
    """One suggestion at each place of the Pemda and one in another Pemda (plus an answer without)."""
    _suggest(people.unit, "Saran di unit", contact="0812-1111")
    _suggest(people.sibling_unit, "Saran di unit saudara")
    _suggest(people.other_pd_unit, "Saran di PD lain")
    _suggest(people.other_pemda_unit, "Saran di Pemda lain")
    make_answer(people.unit)  # no suggestion: never listed
    return people


@pytest.mark.parametrize(
    ("role", "seen"),
    [
        ("unit_admin", {"Saran di unit"}),
        ("pd_admin", {"Saran di unit", "Saran di unit saudara"}),
        ("pemda_admin", {"Saran di unit", "Saran di unit saudara", "Saran di PD lain"}),
        ("pimpinan", {"Saran di unit", "Saran di unit saudara", "Saran di PD lain"}),
        ("outsider", {"Saran di Pemda lain"}),
    ],
)
def test_each_role_sees_the_suggestions_of_its_place(client, placed, role, seen):
    html = _shown(client, getattr(placed, role))
    texts = set(re.findall(r'<blockquote class="sg-text">([^<]*)</blockquote>', html))
    assert texts == seen
    assert f"{len(seen)} saran" in html


def test_contact_shows_to_answering_admins_never_to_pimpinan(client, placed):
    for role in ("unit_admin", "pd_admin", "pemda_admin"):
        assert "0812-1111" in _shown(client, getattr(placed, role)), role
    html = _shown(client, placed.pimpinan)
    assert "0812-1111" not in html
    assert 'name="kontak"' not in html  # nor a filter that would tell who left one
    assert "Balas dan ubah status" not in html


def test_suggestion_text_is_shown_as_text(client, people):
    _suggest(people.unit, '<script>alert("x")</script><b>tebal</b>')
    html = _shown(client, people.unit_admin)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;tebal&lt;/b&gt;" in html


def test_excluded_answers_suggestions_show_marked(client, people):
    answer = _suggest(people.unit, "Saran dari jawaban yang dikecualikan")
    changes.set_excluded(answer, True, user=None, reason="uji")
    html = _shown(client, people.unit_admin)
    assert "Saran dari jawaban yang dikecualikan" in html
    assert "jawaban dikecualikan" in html


def test_answers_show_in_the_pemdas_order_with_short_labels(client):
    pemda = make_pemda(
        order=ELEMENTS_PENGADUAN_BEFORE_SARANA, headers={"sarana": "Sarpras", "pengaduan": "Aduan"}
    )
    unit = make_unit(make_pd(pemda))
    values = dict(zip(ELEMENTS, [1, 2, 3, 4, 1, 2, 3, 4, None], strict=True))  # pengaduan blank
    make_answer(unit, values, suggestion="Urutan unsur")
    from skm.accounts.roles import create_user
    from skm.accounts.scoping import Role

    admin = create_user("banjar", "uji-rahasia-123", Role.ADMIN_PEMDA, pemda)
    html = _shown(client, admin)
    labels = re.findall(r'<span class="sg-unsur" title="[^"]*">([^<]*)</span>', html)
    assert labels[-2:] == ["Aduan", "Sarpras"]
    assert len(labels) == len(ELEMENTS)
    shown = re.findall(r"</span> <b>(?:<span[^>]*>)?([^<]*)<", html)
    assert shown == ["1", "2", "3", "4", "1", "2", "3", "–", "4"]


def test_search_and_filters(client, people):
    today = timezone.localdate()
    old = today - dt.timedelta(days=40)
    a = _suggest(people.unit, "Toilet kotor sekali", contact="warga@example.org")
    b = _suggest(people.sibling_unit, "Petugas ramah", day=old)
    c = _suggest(people.unit, "Parkir sempit")
    follow_up(b, status="ditindaklanjuti", reply="Kami tambah kebersihan toilet", published=False, user=None)
    follow_up(c, status="selesai", reply="Parkir diperluas", published=True, user=None)
    user = people.pemda_admin

    def texts(query):
        html = _shown(client, user, query)
        return set(re.findall(r'<blockquote class="sg-text">([^<]*)</blockquote>', html))

    assert texts("?q=toilet") == {a.suggestion, b.suggestion}  # in the suggestion or the reply
    assert texts("?status=baru") == {a.suggestion}
    assert texts("?status=selesai") == {c.suggestion}
    assert texts(f"?unit={people.sibling_unit.pk}") == {b.suggestion}
    assert texts(f"?dari={today.isoformat()}") == {a.suggestion, c.suggestion}
    assert texts(f"?sampai={(today - dt.timedelta(days=1)).isoformat()}") == {b.suggestion}
    assert texts("?kontak=on") == {a.suggestion}
    # Pimpinan: the contact filter does not exist, so it filters nothing
    client.force_login(people.pimpinan)
    assert "3 saran" in client.get(URL + "?kontak=on").content.decode()


def test_bad_filters_get_a_message_not_an_error(client, people):
    _suggest(people.unit, "Saran satu")
    _suggest(people.other_pemda_unit, "Saran Pemda lain")
    html = _shown(client, people.pemda_admin, "?dari=31-31-2026&unit=999999&hal=xyz")
    assert "Masukkan tanggal yang valid" in html or "tanggal" in html.lower()
    assert 'class="error"' in html
    assert "Saran satu" in html
    # Another Pemda's unit is no choice: refused with a message, never its suggestions
    html = _shown(client, people.pemda_admin, f"?unit={people.other_pemda_unit.pk}")
    assert 'class="error"' in html
    assert "Saran Pemda lain" not in html
    html = _shown(client, people.pemda_admin, "?dari=2026-05-01&sampai=2026-04-01")
    assert "Tanggal akhir tidak boleh sebelum tanggal awal." in html


def test_paged_newest_first(client, people):
    start = timezone.now() - dt.timedelta(hours=60)
    for i in range(60):
        _suggest(people.unit, f"Saran nomor {i:02d}", submitted_at=start + dt.timedelta(hours=i))
    html = _shown(client, people.unit_admin)
    texts = re.findall(r'<blockquote class="sg-text">([^<]*)</blockquote>', html)
    assert texts == [f"Saran nomor {i:02d}" for i in range(59, 34, -1)]  # 25, newest first
    assert "halaman 1 dari 3" in html
    html = _shown(client, people.unit_admin, "?q=nomor&hal=3")
    texts = re.findall(r'<blockquote class="sg-text">([^<]*)</blockquote>', html)
    assert texts == [f"Saran nomor {i:02d}" for i in range(9, -1, -1)]
    assert "q=nomor&amp;hal=2" in html  # the filters stay in the page links


@pytest.mark.parametrize("count", [5, 50])
def test_query_count_does_not_grow_with_suggestions(client, people, django_assert_num_queries, count):
    units = [people.unit, people.sibling_unit, people.other_pd_unit]
    services = [make_service(u) for u in units]
    for i in range(count):
        answer = _suggest(units[i % 3], f"Saran {i}", service=services[i % 3], contact="08")
        if i % 2:
            follow_up(answer, status="selesai", reply="Sudah", published=False, user=people.pemda_admin)
    client.force_login(people.pemda_admin)
    client.get(URL)  # warm the instrument spec cache
    # session, user, count, one page of answers joined with unit/service/follow-up, units for
    # the filter, and the session saved again (SESSION_SAVE_EVERY_REQUEST: 3 with its savepoint)
    with django_assert_num_queries(8):
        response = client.get(URL + "?status=&q=Saran")
    assert response.status_code == 200
