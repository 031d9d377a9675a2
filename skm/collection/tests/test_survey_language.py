"""The survey page speaks Indonesian until a respondent chooses English with the page's switch
(Django's set_language at /i18n/setlang/), and keeps to the choice (the language cookie)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from skm.testing import make_answer, make_pd, make_pemda, make_service, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    unit = make_unit(make_pd(make_pemda()), "Puskesmas Gambut")
    make_service(unit, "Poli Umum")
    return unit


def test_indonesian_by_default_english_after_the_switch_and_back(client, unit):
    page = f"/s/{unit.slug}/"
    html = client.get(page).content.decode()
    assert '<html lang="id">' in html
    assert "Survei Kepuasan Masyarakat" in html and "Kirim jawaban" in html and "(tidak wajib)" in html
    assert "Send my answers" not in html
    # The page's own switch is a form to Django's set_language view.
    assert '<form action="/i18n/setlang/" method="post" class="lang">' in html
    assert '<button type="submit" name="language" value="en" lang="en">English</button>' in html

    switched = client.post("/i18n/setlang/", {"language": "en", "next": page})
    assert switched.status_code == 302 and switched["Location"] == page
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    for _ in range(2):  # remembered: every later page is English
        html = client.get(page).content.decode()
        assert '<html lang="en">' in html
        assert "Community satisfaction survey" in html and "Send my answers" in html
        assert "(optional)" in html and "Skip to the content" in html
        assert "Kirim jawaban" not in html and "Survei Kepuasan Masyarakat" not in html
    assert '<button type="submit" name="language" value="id" lang="id">Bahasa Indonesia</button>' in html

    client.post("/i18n/setlang/", {"language": "id", "next": page})
    assert "Kirim jawaban" in client.get(page).content.decode()


def test_the_thank_you_and_closed_pages_follow_the_choice(client, unit):
    make_answer(unit, [4] * 9)
    make_answer(unit, [3] * 9)
    thanks = f"/s/{unit.slug}/terima-kasih/"
    html = client.get(thanks).content.decode()
    assert "Terima kasih!" in html and "Mutu pelayanan" in html and "(Baik)" in html
    assert "Dari 2 responden," in html
    missing = client.get("/s/tidak-ada/").content.decode()
    assert "Survei tidak ditemukan" in missing
    client.post("/i18n/setlang/", {"language": "en"})
    html = client.get(thanks).content.decode()
    assert "Thank you!" in html and "Quality" in html and "(Good)" in html
    assert "From 2 respondents," in html and "Terima kasih" not in html
    missing = client.get("/s/tidak-ada/").content.decode()
    assert "Survey not found" in missing and "Survei tidak ditemukan" not in missing


def test_a_request_in_english_leaves_the_thread_in_the_default_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/s/tidak-ada/")
    assert response["Content-Language"] == "en"
    assert translation.get_language() == settings.LANGUAGE_CODE
