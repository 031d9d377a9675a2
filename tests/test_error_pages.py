"""Django's own error pages (400, 403, 404, 500) in Indonesian by default, English on request."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from skm import views
from skm.testing import make_people

pytestmark = pytest.mark.django_db


def test_not_found_in_indonesian_then_in_english():
    client = Client()
    page = client.get("/tidak-ada/")
    assert page.status_code == 404 and "Halaman tidak ditemukan" in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/tidak-ada/")
    assert page.status_code == 404 and "Page not found" in page.content.decode()


def test_forbidden_names_the_role_to_check():
    people = make_people()
    client = Client()
    client.force_login(people.pimpinan)  # reads dashboards, may not key in paper questionnaires
    page = client.get("/kelola/entri/")
    assert page.status_code == 403 and "Akses ditolak" in page.content.decode()


def test_bad_request_and_server_error_pages_follow_the_active_language():
    request = RequestFactory().get("/s/x/")
    assert "Permintaan tidak dapat diproses" in views.bad_request(request, ValueError()).content.decode()
    assert "Terjadi galat di server" in views.server_error(request).content.decode()
    with translation.override("en"):
        assert "could not be processed" in views.bad_request(request, ValueError()).content.decode()
        assert "A server error occurred" in views.server_error(request).content.decode()
