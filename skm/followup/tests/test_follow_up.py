"""One suggestion's page (/kelola/saran/<id>/): status flow, reply, publish, audit, who may change."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from skm.accounts.models import AuditEvent
from skm.followup.models import Status, SuggestionFollowUp
from skm.followup.replies import follow_up
from skm.testing import make_answer, make_people

pytestmark = pytest.mark.django_db


def _url(answer):
    return reverse("followup:suggestion", kwargs={"answer_id": answer.pk})


@pytest.fixture
def people():
    return make_people()


@pytest.fixture
def answer(people):
    return make_answer(people.unit, suggestion="Ruang tunggu panas.", contact="0813-2222")


def _post(client, user, answer, **data):
    client.force_login(user)
    body = {"status": "baru", "reply": "", **data}
    if body.pop("published", False):
        body["published"] = "on"
    return client.post(_url(answer), body)


def test_status_flows_baru_ditindaklanjuti_selesai_with_audit(client, people, answer):
    assert not SuggestionFollowUp.objects.exists()  # absence is "baru"
    client.force_login(people.unit_admin)
    response = _post(
        client, people.unit_admin, answer, status="ditindaklanjuti", reply="Kipas angin dipasang."
    )
    assert response.status_code == 302
    followup = SuggestionFollowUp.objects.get(answer=answer)
    assert (followup.status, followup.reply, followup.published) == (
        "ditindaklanjuti",
        "Kipas angin dipasang.",
        False,
    )
    assert followup.replied_by == people.unit_admin and followup.replied_at is not None
    first_reply_at = followup.replied_at
    _post(client, people.pd_admin, answer, status="selesai", reply="Kipas angin dipasang.", published=True)
    followup.refresh_from_db()
    assert (followup.status, followup.published) == ("selesai", True)
    assert followup.replied_by == people.unit_admin  # the reply's text did not change
    assert followup.replied_at == first_reply_at
    events = list(AuditEvent.objects.filter(action="suggestion.follow_up").order_by("pk"))
    assert [(e.before, e.after) for e in events] == [
        (
            {"status": "baru", "reply": "", "published": False},
            {"status": "ditindaklanjuti", "reply": "Kipas angin dipasang.", "published": False},
        ),
        (
            {"status": "ditindaklanjuti", "reply": "Kipas angin dipasang.", "published": False},
            {"status": "selesai", "reply": "Kipas angin dipasang.", "published": True},
        ),
    ]
    assert [e.user for e in events] == [people.unit_admin, people.pd_admin]
    assert {(e.pemda_id, e.perangkat_daerah_id, e.unit_id) for e in events} == {
        (people.pemda.pk, people.dinas.pk, people.unit.pk)
    }
    # Saving the same again changes nothing and writes no event
    _post(client, people.pd_admin, answer, status="selesai", reply="Kipas angin dipasang.", published=True)
    assert AuditEvent.objects.filter(action="suggestion.follow_up").count() == 2
    html = client.get(_url(answer)).content.decode()
    assert html.count("Tindak lanjut saran disimpan.") == 3  # one message per save, shown once


def test_the_form_starts_at_the_current_status(client, people, answer):
    client.force_login(people.unit_admin)
    html = client.get(_url(answer)).content.decode()
    assert re.search(r'<input type="radio" name="status" value="baru"[^>]*checked', html)
    follow_up(answer, status="ditindaklanjuti", reply="Ok", published=False, user=None)
    html = client.get(_url(answer)).content.decode()
    assert re.search(r'<input type="radio" name="status" value="ditindaklanjuti"[^>]*checked', html)


def test_publishing_needs_a_reply(client, people, answer):
    response = _post(client, people.unit_admin, answer, status="selesai", published=True)
    assert response.status_code == 200
    assert "Tulis balasan sebelum menerbitkannya." in response.content.decode()
    assert not SuggestionFollowUp.objects.exists()


def test_bad_status_is_refused_with_a_message(client, people, answer):
    response = _post(client, people.unit_admin, answer, status="hilang")
    assert response.status_code == 200
    assert 'class="errors"' in response.content.decode()
    assert not SuggestionFollowUp.objects.exists()


def test_pimpinan_reads_without_form_or_contact_and_may_not_post(client, people, answer):
    follow_up(
        answer, status="ditindaklanjuti", reply="Sedang diperbaiki.", published=False, user=people.unit_admin
    )
    client.force_login(people.pimpinan)
    response = client.get(_url(answer))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ruang tunggu panas." in html and "Sedang diperbaiki." in html
    assert "0813-2222" not in html
    assert '<form method="post" class="sg-form"' not in html
    assert _post(client, people.pimpinan, answer, status="selesai").status_code == 403
    assert SuggestionFollowUp.objects.get(answer=answer).status == Status.DITINDAKLANJUTI


def test_contact_shows_to_the_admins_who_may_answer(client, people, answer):
    for user in (people.unit_admin, people.pd_admin, people.pemda_admin, people.superuser):
        client.force_login(user)
        assert "0813-2222" in client.get(_url(answer)).content.decode(), user.username


def test_out_of_scope_admins_get_404(client, people, answer):
    sibling = make_answer(people.sibling_unit, suggestion="Saran unit saudara")
    assert _post(client, people.unit_admin, sibling, status="selesai").status_code == 404
    assert _post(client, people.outsider, answer, status="selesai").status_code == 404
    client.force_login(people.outsider)
    assert client.get(_url(answer)).status_code == 404
    assert not SuggestionFollowUp.objects.exists()


def test_an_answer_without_suggestion_is_no_suggestion(client, people):
    plain = make_answer(people.unit)
    client.force_login(people.pemda_admin)
    assert client.get(_url(plain)).status_code == 404
    with pytest.raises(ValueError):
        follow_up(plain, status="selesai", reply="", published=False, user=None)


def test_reply_is_shown_as_text(client, people, answer):
    follow_up(answer, status="selesai", reply="<img src=x onerror=alert(1)>", published=False, user=None)
    client.force_login(people.pimpinan)
    html = client.get(_url(answer)).content.decode()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_followup_is_scoped_like_its_answer(people, answer):
    follow_up(answer, status="selesai", reply="Ok", published=False, user=None)
    assert SuggestionFollowUp.objects.for_user(people.unit_admin, "change").count() == 1
    assert SuggestionFollowUp.objects.for_user(people.pimpinan, "view").count() == 1
    assert SuggestionFollowUp.objects.for_user(people.pimpinan, "change").count() == 0
    assert SuggestionFollowUp.objects.for_user(people.outsider, "view").count() == 0
