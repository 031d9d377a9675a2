"""QR codes and A4 posters: valid images, a QR that decodes to the survey address and that address opens.

Decoding uses Debian's zbar-tools (`zbarimg`), PDFs are read with poppler-utils (`pdfinfo`,
`pdftotext`, `pdftoppm`): both are installed by `run.py test`.
"""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.urls import resolve
from PIL import Image

from skm.collection import posters
from skm.testing import make_pd, make_pemda, make_service, make_unit

pytestmark = pytest.mark.django_db

PUBLIC = "https://skm.banjarmasinkota.go.id"


@pytest.fixture
def unit():
    pemda = make_pemda("Kota Banjarmasin", slug="kota-banjarmasin")
    return make_unit(make_pd(pemda, "Dinas Kesehatan"), "Puskesmas Terminal", slug="puskesmas-terminal")


@pytest.fixture
def service(unit):
    return make_service(unit, "Pelayanan Poli Umum")


@pytest.fixture
def public_url(settings):
    settings.SKM_PUBLIC_URL = PUBLIC
    return PUBLIC


def zbar(png: bytes, tmp_path: Path) -> str:
    path = tmp_path / "scan.png"
    path.write_bytes(png)
    done = subprocess.run(["zbarimg", "-q", "--raw", str(path)], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def pdf_tool(tool: str, pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "poster.pdf"
    path.write_bytes(pdf)
    to_stdout = ["-"] if tool == "pdftotext" else []
    return subprocess.run(
        [tool, *args, str(path), *to_stdout], capture_output=True, text=True, check=True
    ).stdout


def page_png(pdf: bytes, tmp_path: Path, dpi: int = 150) -> bytes:
    path = tmp_path / "poster.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
        check=True,
    )
    return next(tmp_path.glob("page*.png")).read_bytes()


def opens_the_survey(client, url: str, url_name: str, expected_text: str) -> None:
    """The address a phone reads opens the survey page of that unit (or service)."""
    path = urlsplit(url).path
    assert resolve(path).url_name == url_name
    response = client.get(path)
    assert response.status_code == 200
    assert expected_text in response.content.decode()


# --- QR codes -------------------------------------------------------------------------------------


def test_svg_qr_is_an_svg_image_with_day_long_public_caching(client, unit, public_url):
    response = client.get(f"/qr/{unit.slug}.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache_control == {"public", "max-age=86400"}
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.find("{http://www.w3.org/2000/svg}path") is not None
    assert root.findtext("{http://www.w3.org/2000/svg}title") == f"{PUBLIC}/s/{unit.slug}/"


def test_png_qr_is_a_png_with_a_quiet_zone_at_the_asked_scale_within_bounds(client, unit, public_url):
    sizes = {}
    for asked in ("", "?scale=4", "?scale=20", "?scale=2", "?scale=500"):
        response = client.get(f"/qr/{unit.slug}.png{asked}")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        image = Image.open(BytesIO(response.content))
        assert image.format == "PNG"
        assert image.width == image.height
        sizes[asked] = image.width
    qr = posters.make_qr(f"{PUBLIC}/s/{unit.slug}/")
    modules = qr.symbol_size(scale=1, border=4)[0]  # the code plus 4 light modules on each side
    assert sizes[""] == modules * 10  # default scale 10
    assert sizes["?scale=4"] == sizes["?scale=2"] == modules * 4  # bounded below at 4
    assert sizes["?scale=20"] == sizes["?scale=500"] == modules * 20  # bounded above at 20
    assert qr.error in {"M", "Q", "H"}  # error correction M at least
    corner = Image.open(BytesIO(client.get(f"/qr/{unit.slug}.png").content)).convert("L")
    assert all(corner.getpixel((x, y)) == 255 for x in range(40) for y in range(40))  # quiet zone is light


def test_png_scale_must_be_a_whole_number(client, unit):
    assert client.get(f"/qr/{unit.slug}.png?scale=big").status_code == 400


def test_unit_qr_decodes_to_the_public_survey_address_which_opens(client, unit, public_url, tmp_path):
    url = zbar(client.get(f"/qr/{unit.slug}.png").content, tmp_path)
    assert url == "https://skm.banjarmasinkota.go.id/s/puskesmas-terminal/"
    opens_the_survey(client, url, "survey", "Puskesmas Terminal")


def test_without_a_public_address_the_qr_holds_the_address_the_request_came_in_on(
    client, unit, settings, tmp_path
):
    settings.SKM_PUBLIC_URL = ""
    url = zbar(client.get(f"/qr/{unit.slug}.png").content, tmp_path)
    assert url == f"http://testserver/s/{unit.slug}/"
    opens_the_survey(client, url, "survey", unit.name)
    secure = client.get(f"/qr/{unit.slug}.png", secure=True, headers={"host": "localhost"})
    assert zbar(secure.content, tmp_path) == f"https://localhost/s/{unit.slug}/"


def test_service_qr_decodes_to_the_service_survey_which_opens(client, unit, service, public_url, tmp_path):
    url = zbar(client.get(f"/qr/{unit.slug}/{service.slug}.png?scale=6").content, tmp_path)
    assert url == f"{PUBLIC}/s/puskesmas-terminal/{service.slug}/"
    opens_the_survey(client, url, "survey-service", "Pelayanan Poli Umum")
    svg = client.get(f"/qr/{unit.slug}/{service.slug}.svg")
    assert svg.status_code == 200
    assert url in svg.content.decode()


@pytest.mark.parametrize("kind", ["qr/{u}.svg", "qr/{u}.png", "poster/{u}.pdf"])
def test_unknown_or_inactive_unit_is_404(client, unit, kind):
    assert client.get("/" + kind.format(u="tidak-ada")).status_code == 404
    unit.active = False
    unit.save()
    assert client.get("/" + kind.format(u=unit.slug)).status_code == 404


@pytest.mark.parametrize("kind", ["qr/{u}/{s}.svg", "qr/{u}/{s}.png", "poster/{u}/{s}.pdf"])
def test_unknown_inactive_or_foreign_service_is_404(client, unit, service, kind):
    other_unit = make_unit(unit.perangkat_daerah, "Puskesmas Cempaka")
    foreign = make_service(other_unit, "Layanan Lain")
    assert client.get("/" + kind.format(u=unit.slug, s="tidak-ada")).status_code == 404
    assert client.get("/" + kind.format(u=unit.slug, s=foreign.slug)).status_code == 404
    service.active = False
    service.save()
    assert client.get("/" + kind.format(u=unit.slug, s=service.slug)).status_code == 404


def test_only_get_and_head(client, unit):
    assert client.post(f"/qr/{unit.slug}.svg").status_code == 405
    assert client.head(f"/qr/{unit.slug}.svg").status_code == 200


def test_short_url_drops_only_the_scheme():
    assert posters.short_url("https://skm.banjarmasinkota.go.id/s/a/") == "skm.banjarmasinkota.go.id/s/a/"
    assert posters.short_url("http://127.0.0.1:8000/s/a/b/") == "127.0.0.1:8000/s/a/b/"


# --- Posters --------------------------------------------------------------------------------------


def test_unit_poster_is_one_a4_page_with_name_address_and_a_qr_that_decodes(
    client, unit, public_url, tmp_path
):
    response = client.get(f"/poster/{unit.slug}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="poster-puskesmas-terminal.pdf"'
    assert "max-age=86400" in response["Cache-Control"]
    pdf = response.content
    assert pdf.startswith(b"%PDF")

    info = pdf_tool("pdfinfo", pdf, tmp_path)
    assert re.search(r"^Pages:\s+1$", info, re.M)
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.89 pts \(A4\)", info, re.M)

    text = " ".join(pdf_tool("pdftotext", pdf, tmp_path, "-layout").split())
    assert "Puskesmas Terminal" in text
    # The address may wrap after a slash; it is printed without its scheme.
    assert "skm.banjarmasinkota.go.id/s/puskesmas-terminal/" in text.replace(" ", "")
    assert "PEMERINTAH KOTA BANJARMASIN" in text.upper()
    assert "Pindai kode QR ini" in text
    assert "https://" not in text  # the printed address is the short one

    url = zbar(page_png(pdf, tmp_path), tmp_path)
    assert url == "https://skm.banjarmasinkota.go.id/s/puskesmas-terminal/"
    opens_the_survey(client, url, "survey", "Puskesmas Terminal")


def test_service_poster_names_the_service_and_its_qr_opens_the_service_survey(
    client, unit, service, settings, tmp_path
):
    settings.SKM_PUBLIC_URL = ""  # the address the request came in on
    response = client.get(f"/poster/{unit.slug}/{service.slug}.pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'inline; filename="poster-{unit.slug}-{service.slug}.pdf"'
    text = " ".join(pdf_tool("pdftotext", response.content, tmp_path, "-layout").split())
    assert "Pelayanan Poli Umum" in text
    assert f"testserver/s/{unit.slug}/{service.slug}/" in text.replace(" ", "")
    url = zbar(page_png(response.content, tmp_path), tmp_path)
    assert url == f"http://testserver/s/{unit.slug}/{service.slug}/"
    opens_the_survey(client, url, "survey-service", "Pelayanan Poli Umum")


def test_the_longest_names_still_fit_one_page_and_the_qr_still_reads(client, public_url, tmp_path):
    pemda = make_pemda("Kabupaten Banjar", slug="kabupaten-banjar")
    name = (
        "Dinas Sosial, Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk "
        "dan Keluarga Berencana (DinsosP3AP2KB)"
    )
    unit = make_unit(
        make_pd(pemda, name),
        name,
        slug="dinas-sosial-pemberdayaan-perempuan-perlindungan-anak-pengendalian-pen",
    )
    service = make_service(
        unit, "Rekomendasi Permohonan Bantuan Biaya Berobat/Aktivasi Jaminan Kesehatan APBD"
    )
    service.slug = "rekomendasi-permohonan-bantuan-biaya-berobataktivasi-jaminan-kesehatan"
    service.save()
    pdf = client.get(f"/poster/{unit.slug}/{service.slug}.pdf").content
    assert re.search(r"^Pages:\s+1$", pdf_tool("pdfinfo", pdf, tmp_path), re.M)
    text = "".join(pdf_tool("pdftotext", pdf, tmp_path, "-layout").split())
    assert f"skm.banjarmasinkota.go.id/s/{unit.slug}/{service.slug}/" in text
    assert zbar(page_png(pdf, tmp_path), tmp_path) == f"{PUBLIC}/s/{unit.slug}/{service.slug}/"


def test_names_are_escaped_on_the_poster(client, public_url, tmp_path):
    pemda = make_pemda("Kota <Uji>", slug="kota-uji-escape")
    unit = make_unit(make_pd(pemda), "Puskesmas <b>Tebal</b> & Co", slug="puskesmas-escape")
    pdf = client.get(f"/poster/{unit.slug}.pdf").content
    text = " ".join(pdf_tool("pdftotext", pdf, tmp_path, "-layout").split())
    assert "Puskesmas <b>Tebal</b> & Co" in text


def test_poster_builds_offline_and_refuses_any_outside_resource(unit, public_url, monkeypatch):
    from weasyprint.urls import FatalURLFetchingError

    poster = posters.Poster.of(unit, None, PUBLIC)
    assert posters.render_pdf(poster).startswith(b"%PDF")  # nothing to fetch but data: URIs

    real = posters.render_to_string

    def with_remote_font(name, context):
        return real(name, context).replace(
            "</style>", '</style><link rel="stylesheet" href="https://fonts.example.org/x.css">'
        )

    monkeypatch.setattr(posters, "render_to_string", with_remote_font)
    with pytest.raises(FatalURLFetchingError):
        posters.render_pdf(poster)


def test_a_poster_is_built_once_until_its_content_changes(unit, public_url, monkeypatch):
    builds = []
    real = posters.render_pdf
    monkeypatch.setattr(posters, "render_pdf", lambda poster: builds.append(poster) or real(poster))
    first = posters.poster_pdf(posters.Poster.of(unit, None, PUBLIC))
    assert posters.poster_pdf(posters.Poster.of(unit, None, PUBLIC)) == first
    assert len(builds) == 1
    unit.name = "Puskesmas Terminal Baru"
    unit.save()
    posters.poster_pdf(posters.Poster.of(unit, None, PUBLIC))
    assert len(builds) == 2


# --- skm posters ------------------------------------------------------------------------------------


def test_posters_command_writes_one_pdf_per_active_unit_and_service(unit, service, tmp_path, settings):
    settings.SKM_PUBLIC_URL = ""
    sibling = make_unit(unit.perangkat_daerah, "Puskesmas Cempaka", slug="puskesmas-cempaka")
    make_unit(unit.perangkat_daerah, "Puskesmas Tutup", slug="puskesmas-tutup", active=False)
    gone = make_service(sibling, "Layanan Lama")
    gone.active = False
    gone.save()
    out = tmp_path / "cetak"
    call_command("posters", "--pemda", "kota-banjarmasin", "--out", str(out), "--services", "--url", PUBLIC)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [
            "poster-puskesmas-cempaka.pdf",
            "poster-puskesmas-terminal.pdf",
            f"poster-puskesmas-terminal-{service.slug}.pdf",
        ]
    )
    pdf = (out / f"poster-puskesmas-terminal-{service.slug}.pdf").read_bytes()
    assert zbar(page_png(pdf, tmp_path), tmp_path) == f"{PUBLIC}/s/puskesmas-terminal/{service.slug}/"


def test_posters_command_needs_a_public_address_and_a_known_pemda(unit, tmp_path, settings):
    settings.SKM_PUBLIC_URL = ""
    with pytest.raises(CommandError, match="SKM_PUBLIC_URL"):
        call_command("posters", "--pemda", "kota-banjarmasin", "--out", str(tmp_path))
    settings.SKM_PUBLIC_URL = PUBLIC
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("posters", "--pemda", "tidak-ada", "--out", str(tmp_path))
    call_command("posters", "--pemda", "kota-banjarmasin", "--out", str(tmp_path), "--unit", unit.slug)
    assert [p.name for p in tmp_path.glob("*.pdf")] == ["poster-puskesmas-terminal.pdf"]
