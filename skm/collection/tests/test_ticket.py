"""Rating after a transaction (issue 26): /s/<unit>/<service>/?ref=<ticket>, one answer per ticket."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from skm.collection import tickets
from skm.collection.models import Answer
from skm.collection.validation import KEY_RE
from skm.scoring.elements import ELEMENTS
from skm.testing import make_pd, make_pemda, make_service, make_unit

pytestmark = pytest.mark.django_db

TICKET = "20261206-A023"


@pytest.fixture
def unit():
    unit = make_unit(make_pd(make_pemda()), "Kantor Kecamatan Gambut")
    make_service(unit, "Kartu Keluarga")
    make_service(unit, "Surat Pindah")
    return unit


@pytest.fixture
def service(unit):
    return unit.services.get(name="Kartu Keluarga")


def link(unit, service=None, ticket=TICKET):
    path = f"/s/{unit.slug}/" + (f"{service.slug}/" if service else "")
    return path + (f"?ref={ticket}" if ticket is not None else "")


def answers(value="3", **more):
    data = dict.fromkeys(ELEMENTS, value)
    data.update(gender="P", age_band="u35", education="s1", occupation="swasta")
    data.update(more)
    return data


def rendered(client, path):
    html = client.get(path).content.decode()
    return {"rendered": re.search(r'name="rendered" value="([^"]*)"', html).group(1)}


# --- The ticket and its key -----------------------------------------------------------------------

TICKET_CHARS = st.sampled_from("ABCXYZabcxyz0123456789._/:-")


@given(st.lists(TICKET_CHARS, min_size=1, max_size=64).map("".join))
def test_every_valid_ticket_makes_a_valid_key_of_its_own(ticket):
    assert tickets.parse(ticket) == ticket
    key = tickets.key(ticket)
    assert KEY_RE.match(key) and key.startswith("ref-") and len(key) == 36
    assert key == tickets.key(ticket)  # the same ticket: the same key, in every process
    assert tickets.key(ticket + "0") != key


@pytest.mark.parametrize(
    "raw", ["", "A" * 65, "20261206 A023", "A023\n", "{TIKET}", "ä023", "A<b>", "a?b", "a&b", "a#b", None]
)
def test_tickets_outside_the_rule_are_refused(raw):
    assert tickets.parse(raw) is None


def test_case_and_punctuation_are_part_of_the_ticket():
    assert tickets.parse("A" * 64) == "A" * 64
    assert len({tickets.key(t) for t in ("A023", "a023", "A023.", "20261206/A023", "20261206:A023")}) == 5


# --- GET -------------------------------------------------------------------------------------------


def test_the_ticket_link_shows_the_form_posting_back_to_itself_without_a_key_field(client, unit, service):
    response = client.get(link(unit, service))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<form method="post" action="?ref={TICKET}" novalidate>' in html
    assert 'name="idempotency_key"' not in html  # the server derives it from the ticket
    assert f"<strong>{TICKET}</strong>" in html and "<strong>Kartu Keluarga</strong>" in html


@pytest.mark.parametrize("ref", ["", "A%20B", "x" * 65, "%7BTIKET%7D", "%3Cscript%3E"])
def test_an_invalid_ticket_gets_a_clear_page_with_the_survey_without_ticket(client, unit, service, ref):
    response = client.get(f"/s/{unit.slug}/{service.slug}/?ref={ref}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nomor tiket tidak sah" in html and "1 sampai 64 huruf" in html
    assert f'href="/s/{unit.slug}/{service.slug}/"' in html
    assert '<form method="post" novalidate' not in html and "<script" not in html
    posted = client.post(f"/s/{unit.slug}/{service.slug}/?ref={ref}", answers())
    assert posted.status_code == 400 and Answer.objects.count() == 0


def test_an_invalid_ticket_on_the_unit_link_leads_to_the_units_survey(client, unit):
    html = client.get(f"/s/{unit.slug}/?ref=a%20b").content.decode()
    assert f'href="/s/{unit.slug}/"' in html


def test_a_ticket_link_costs_one_query_more_than_the_plain_link(
    client, unit, service, django_assert_num_queries
):
    client.get(link(unit, service, ticket=None))  # warms the unit and instrument caches
    with django_assert_num_queries(0):
        client.get(link(unit, service, ticket=None))
    with django_assert_num_queries(1):  # is this ticket rated already?
        assert client.get(link(unit, service)).status_code == 200


def test_after_rating_the_ticket_link_says_already_rated_instead_of_the_form(client, unit, service):
    assert (
        client.post(link(unit, service), answers(**rendered(client, link(unit, service)))).status_code == 303
    )
    response = client.get(link(unit, service))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sudah dinilai, terima kasih" in html and TICKET in html
    assert '<form method="post"' not in html
    assert f'href="/s/{unit.slug}/terima-kasih/"' in html
    # The unit's other services and other tickets are not rated by it.
    assert "Kirim jawaban" in client.get(link(unit, service, ticket="20261206-A024")).content.decode()


def test_the_ticket_scope_is_the_unit(client, unit, service):
    other = make_unit(unit.perangkat_daerah, "Kantor Kecamatan Kertak Hanyar")
    client.post(link(unit, service), answers(**rendered(client, link(unit, service))))
    assert "Sudah dinilai" not in client.get(link(other)).content.decode()
    assert client.post(link(other), answers()).status_code == 303
    assert Answer.objects.count() == 2


# --- POST ------------------------------------------------------------------------------------------


def test_the_key_comes_from_the_ticket_never_from_the_hidden_field(client, unit, service):
    data = answers(idempotency_key="chosen-by-the-page-0001")
    assert client.post(link(unit, service), data).status_code == 303
    answer = Answer.objects.get()
    assert answer.idempotency_key == tickets.key(TICKET)
    assert answer.service == service
    assert TICKET not in str(Answer.objects.values().get())  # only its hash is kept


def test_the_same_ticket_twice_with_the_same_answers_is_stored_once(client, unit, service):
    data = answers(suggestion="Antrean cepat")
    first = client.post(link(unit, service), data)
    second = Client().post(link(unit, service), {**data, "idempotency_key": "another-key-000001"})
    assert first.status_code == second.status_code == 303
    assert second["Location"] == f"/s/{unit.slug}/terima-kasih/"
    assert Answer.objects.count() == 1


def test_the_same_ticket_with_other_answers_is_refused_saying_the_ticket_was_rated(client, unit, service):
    assert client.post(link(unit, service), answers("4")).status_code == 303
    response = Client().post(link(unit, service), answers("1"))
    assert response.status_code == 409
    html = response.content.decode()
    assert f"Tiket {TICKET} sudah dinilai sebelumnya" in html and "Sudah terkirim" in html
    assert Answer.objects.count() == 1 and Answer.objects.get().persyaratan == 4


def test_a_form_error_keeps_the_ticket_and_its_address(client, unit, service):
    response = client.post(link(unit, service), answers(waktu=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert f'action="?ref={TICKET}"' in html and 'name="idempotency_key"' not in html
    assert client.post(link(unit, service), answers()).status_code == 303


def test_a_post_without_ref_is_unchanged_and_costs_what_a_ticket_post_costs(client, unit, service):
    plain = answers(idempotency_key="plain-form-key-0001")
    client.get(link(unit, service, ticket=None))  # warm caches
    with CaptureQueriesContext(connection) as without_ref:
        assert client.post(link(unit, service, ticket=None), plain).status_code == 303
    with CaptureQueriesContext(connection) as with_ref:
        assert client.post(link(unit, service, ticket="20261206-B001"), answers()).status_code == 303
    assert len(without_ref.captured_queries) == len(with_ref.captured_queries)
    assert not any(
        "idempotency_key" in q["sql"] and "SELECT" in q["sql"] for q in without_ref.captured_queries
    )
    keys = set(Answer.objects.values_list("idempotency_key", flat=True))
    assert keys == {"plain-form-key-0001", tickets.key("20261206-B001")}
    # Without ref the hidden field is still the key: a different one is another answer.
    assert client.post(link(unit, service, ticket=None), {**plain, "idempotency_key": "plain-form-key-0002"})
    assert Answer.objects.count() == 3
