"""The staff page of survey links, QR codes and the ticket button snippet (/kelola/tautan/, issue 26)."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from django.test import Client

from skm.collection.models import Answer
from skm.collection.tickets import PLACEHOLDER
from skm.testing import make_service

pytestmark = pytest.mark.django_db

PUBLIC = "https://skm.ujikota.go.id"


@pytest.fixture
def public(settings):
    settings.SKM_PUBLIC_URL = PUBLIC


def snippets(html: str) -> list[str]:
    """The snippet texts as another system copies them from the read-only textareas."""
    found = re.findall(
        r'<textarea id="snippet-[^"]+" class="snippet" readonly[^>]*>(.*?)</textarea>', html, re.S
    )
    return [html_lib.unescape(text) for text in found]


def test_the_list_shows_the_units_one_may_change(client, people):
    client.force_login(people.unit_admin)
    html = client.get("/kelola/tautan/").content.decode()
    assert f'href="/kelola/tautan/{people.unit.slug}/"' in html
    assert people.sibling_unit.name not in html
    assert 'href="/kelola/tautan/" aria-current="page"' in html  # in the staff menu
    client.force_login(people.pemda_admin)
    html = client.get("/kelola/tautan/").content.decode()
    assert people.sibling_unit.name in html and people.other_pemda_unit.name not in html


@pytest.mark.parametrize("who", ["outsider", "pd_admin_other", "pimpinan", "anonymous"])
def test_others_are_refused(client, people, who):
    url = f"/kelola/tautan/{people.unit.slug}/"
    if who == "anonymous":
        assert client.get(url).status_code == 302
        return
    if who == "pd_admin_other":
        url = f"/kelola/tautan/{people.other_pd_unit.slug}/"
        client.force_login(people.pd_admin)
    else:
        client.force_login(getattr(people, who))
    assert client.get(url).status_code in (403, 404)


def test_a_unit_page_has_a_snippet_per_unit_and_per_service_with_the_ticket_link(client, people, public):
    unit = people.unit
    poli = make_service(unit, "Poli Umum")
    make_service(unit, "Poli Gigi")
    client.force_login(people.unit_admin)
    response = client.get(f"/kelola/tautan/{unit.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'style="' not in html.split("<textarea")[0]  # our page stays CSP-clean: style lives in the text
    texts = snippets(html)
    assert len(texts) == 3  # the unit and its two services
    by_service = next(text for text in texts if "untuk Poli Umum." in text)
    for text, path in ((texts[0], f"/s/{unit.slug}/"), (by_service, f"/s/{unit.slug}/{poli.slug}/")):
        assert f'<a href="{PUBLIC}{path}?ref={PLACEHOLDER}" style="' in text
        assert f'<img src="{PUBLIC}/qr/{unit.slug}' in text and f'.svg?ref={PLACEHOLDER}"' in text
        assert "Nilai layanan kami" in text
    assert f'href="{PUBLIC}/poster/{unit.slug}/{poli.slug}.pdf"' in html
    assert f'href="{PUBLIC}/struk/{unit.slug}/{poli.slug}/?ref=20261206-A023"' in html


def test_the_pasted_snippet_with_a_ticket_leads_to_a_ticket_form_that_rates_once(client, people, public):
    unit = people.unit
    service = make_service(unit, "Poli Umum")
    client.force_login(people.unit_admin)
    text = snippets(client.get(f"/kelola/tautan/{unit.slug}/").content.decode())[1]  # the service's
    pasted = text.replace(PLACEHOLDER, "20261206-A023")
    link = re.search(r'<a href="([^"]+)"', pasted).group(1).removeprefix(PUBLIC)
    assert link == f"/s/{unit.slug}/{service.slug}/?ref=20261206-A023"
    citizen = Client()
    assert "Kirim jawaban" in citizen.get(link).content.decode()
    image = re.search(r'<img src="([^"]+)"', pasted).group(1).removeprefix(PUBLIC)
    assert f"{link}</title>" in citizen.get(image).content.decode()
    data = {e: "3" for e in ("persyaratan", "prosedur", "waktu", "biaya", "produk", "kompetensi")}
    data |= {e: "3" for e in ("perilaku", "sarana", "pengaduan")}
    data |= {"gender": "L", "age_band": "u35", "education": "s1", "occupation": "swasta"}
    assert citizen.post(link, data).status_code == 303
    assert "Sudah dinilai" in citizen.get(link).content.decode()
    assert Answer.objects.filter(unit=unit).count() == 1


def test_the_unit_page_query_count_does_not_grow_with_services(client, people, django_assert_num_queries):
    client.force_login(people.unit_admin)
    url = f"/kelola/tautan/{people.unit.slug}/"
    make_service(people.unit, "Poli Umum")
    client.get(url)
    with django_assert_num_queries(7) as few:
        client.get(url)
    for n in range(4):
        make_service(people.unit, f"Layanan {n}")
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).content.decode().count('class="snippet"') == 6
