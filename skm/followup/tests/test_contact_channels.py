"""The contact a respondent may leave arrives through the survey form, the kiosk's API call and
the API alike, and is never required."""

from __future__ import annotations

import json
import uuid

import pytest
from django.urls import reverse

from skm.collection.models import Answer
from skm.collection.views.kiosk import INTERFACE
from skm.scoring.elements import ELEMENTS
from skm.testing import make_pd, make_pemda, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(settings):
    settings.SKM_RATE_DEVICE = settings.SKM_RATE_IP = "0/h"
    return make_unit(make_pd(make_pemda()))


def _post(client, unit, **extra):
    body = {
        "unit": unit.slug,
        "answers": dict.fromkeys(ELEMENTS, 3),
        "idempotency_key": uuid.uuid4().hex,
        "channel": "kiosk",
        "suggestion": "Kursi kurang",
        **extra,
    }
    return client.post(reverse("api:post_answer"), json.dumps(body), content_type="application/json")


def test_kiosk_body_with_contact_is_stored(client, unit):
    assert _post(client, unit, contact="0812-7777").status_code == 201
    assert Answer.objects.get().contact == "0812-7777"


def test_contact_is_never_required(client, unit):
    assert _post(client, unit).status_code == 201
    assert _post(client, unit, contact="").status_code == 201
    assert list(Answer.objects.values_list("contact", flat=True)) == ["", ""]


def test_kiosk_page_has_the_optional_contact_field(client, unit):
    html = client.get(reverse("kiosk:unit", kwargs={"unit_slug": unit.slug})).content.decode()
    assert '<input type="text" id="k-contact" maxlength="120"' in html
    assert 'id="k-contact" maxlength="120" aria-describedby="k-contact-hint"' in html
    assert " required" not in html.split('id="k-contact"')[1].split(">")[0]
    assert "contact" in INTERFACE and "contact_hint" in INTERFACE


def test_survey_form_has_the_optional_contact_field(client, unit):
    html = client.get(reverse("survey", kwargs={"unit_slug": unit.slug})).content.decode()
    assert 'name="contact"' in html
