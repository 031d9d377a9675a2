"""The receipt QR that carries a ticket (issue 26): /qr/…?ref=, decoded with zbarimg, and /struk/…."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.urls import resolve

from skm.collection.tests.test_qr_posters import zbar
from skm.testing import make_pd, make_pemda, make_service, make_unit

pytestmark = pytest.mark.django_db

PUBLIC = "https://skm.banjarkab.go.id"
TICKET = "20261206-A023"


@pytest.fixture
def unit(settings):
    settings.SKM_PUBLIC_URL = PUBLIC
    pemda = make_pemda("Kabupaten Banjar", slug="kabupaten-banjar")
    return make_unit(make_pd(pemda, "Disdukcapil"), "Kantor Disdukcapil Martapura", slug="disdukcapil")


@pytest.fixture
def service(unit):
    service = make_service(unit, "Kartu Tanda Penduduk")
    service.slug = "ktp"
    service.save()
    return service


@pytest.mark.parametrize("ticket", [TICKET, "MPP/2026-12-06/loket:3/B.117"])
def test_the_receipt_qr_decodes_to_the_ticket_link_which_opens_the_form(
    client, unit, service, tmp_path, ticket
):
    response = client.get(f"/qr/disdukcapil/ktp.png?ref={ticket}")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    decoded = zbar(response.content, tmp_path)
    assert decoded == f"{PUBLIC}/s/disdukcapil/ktp/?ref={ticket}"
    parts = urlsplit(decoded)
    assert resolve(parts.path).url_name == "survey-service"
    page = client.get(f"{parts.path}?{parts.query}")
    assert page.status_code == 200
    assert f"<strong>{ticket}</strong>" in page.content.decode()


def test_the_unit_qr_carries_the_ticket_too_and_the_plain_qr_none(client, unit, service, tmp_path):
    assert zbar(client.get(f"/qr/disdukcapil.png?ref={TICKET}").content, tmp_path) == (
        f"{PUBLIC}/s/disdukcapil/?ref={TICKET}"
    )
    assert zbar(client.get("/qr/disdukcapil.png").content, tmp_path) == f"{PUBLIC}/s/disdukcapil/"
    svg = ET.fromstring(client.get(f"/qr/disdukcapil/ktp.svg?ref={TICKET}").content)
    assert svg.findtext("{http://www.w3.org/2000/svg}title") == f"{PUBLIC}/s/disdukcapil/ktp/?ref={TICKET}"


@pytest.mark.parametrize("ref", ["", "a%20b", "%7BTIKET%7D", "x" * 65])
def test_a_qr_for_an_invalid_ticket_is_refused(client, unit, service, ref):
    for path in (f"/qr/disdukcapil/ktp.svg?ref={ref}", f"/qr/disdukcapil.png?ref={ref}"):
        response = client.get(path)
        assert response.status_code == 400
        assert "1–64" in response.content.decode()


def test_the_receipt_shows_unit_service_ticket_date_and_the_tickets_qr(client, unit, service):
    response = client.get(f"/struk/disdukcapil/ktp/?ref={TICKET}")
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Kabupaten Banjar", "Kantor Disdukcapil Martapura", "Kartu Tanda Penduduk", TICKET):
        assert text in html
    assert re.search(
        r"<dd>\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|"
        r"Oktober|November|Desember) 20\d\d</dd>",
        html,
    )
    assert f"skm.banjarkab.go.id/s/disdukcapil/ktp/?ref={TICKET}" in html
    src = re.search(r'<img class="qr" src="([^"]+)"', html).group(1)
    assert src == f"/qr/disdukcapil/ktp.svg?ref={TICKET}"
    assert f"?ref={TICKET}</title>" in client.get(src).content.decode()
    assert "<script" not in html and "style=" not in html  # CSP: the look is receipt.css
    css = Path(finders.find("skm/receipt.css")).read_text()
    assert "@page{size:80mm" in css


def test_the_unit_receipt_and_an_invalid_ticket(client, unit, service):
    html = client.get(f"/struk/disdukcapil/?ref={TICKET}").content.decode()
    assert "Kartu Tanda Penduduk" not in html and 'src="/qr/disdukcapil.svg?ref=20261206-A023"' in html
    bad = client.get("/struk/disdukcapil/ktp/?ref=no%20spaces")
    assert bad.status_code == 400 and "Nomor tiket tidak sah" in bad.content.decode()
    assert client.get("/struk/disdukcapil/ktp/").status_code == 400
    assert client.get(f"/struk/disdukcapil/tidak-ada/?ref={TICKET}").status_code == 404
