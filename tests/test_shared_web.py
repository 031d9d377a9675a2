"""Project-wide web pieces: client address behind proxies, CSRF failure page, reserved link codes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory

from skm.lib.http import client_ip
from skm.organisation.models import Layanan
from skm.testing import make_pd, make_pemda, make_unit


def test_client_ip_ignores_forwarded_for_unless_proxies_are_trusted(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.SKM_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.5"
    settings.SKM_TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"  # what our proxy saw, not the forgeable leftmost
    settings.SKM_TRUSTED_PROXY_COUNT = 3
    assert client_ip(request) == "10.0.0.5"  # fewer hops than proxies: don't trust the header


@pytest.mark.django_db
def test_csrf_failure_page_is_indonesian():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Formulir tidak dapat dikirim" in page and "javascript:" not in page


@pytest.mark.django_db
def test_service_link_code_may_not_shadow_a_page():
    unit = make_unit(make_pd(make_pemda()))
    with pytest.raises(ValidationError, match="dipakai sistem"):
        Layanan(unit=unit, name="Terima Kasih", slug="terima-kasih").full_clean()
