"""Signing a report PDF (PAdES) and checking it: a real WeasyPrint PDF, a throwaway CA, pyHanko
to verify, and poppler as a second, independent reader."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
import weasyprint
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from skm.reports.signing import (
    FIELD_NAME,
    SigningConfig,
    SigningError,
    sign_pdf,
    signing_config,
    verify_pdf,
)
from skm.reports.testing_pki import TestPki, make_test_pki

SIGNER = "Budi Santoso, S.Sos."
PASSWORD = b"Rahasia-Uji-2025"
REASON = "Laporan Pelaksanaan SKM Tahunan 2025"
REPORT_HTML = """<title>Laporan SKM 2025</title>
<h1>Laporan Pelaksanaan SKM 2025</h1><p>Indeks Kepuasan Masyarakat 87,5 (Baik)</p>
<h2 style="break-before: page">Rencana Tindak Lanjut</h2><p>Waktu pelayanan dipercepat.</p>"""


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> TestPki:
    return make_test_pki(SIGNER, tmp_path_factory.mktemp("pki"), PASSWORD)


@pytest.fixture(scope="module")
def config(pki: TestPki) -> SigningConfig:
    environ = {
        "SKM_SIGNING_KOTA_CONTOH_P12": str(pki.p12_path),
        "SKM_SIGNING_KOTA_CONTOH_PASSWORD": PASSWORD.decode(),
    }
    found = signing_config("kota-contoh", environ)
    assert found is not None
    return found


@pytest.fixture(scope="module")
def report_pdf() -> bytes:
    pdf: bytes = weasyprint.HTML(string=REPORT_HTML).write_pdf()
    return pdf


@pytest.fixture(scope="module")
def signed_pdf(report_pdf: bytes, config: SigningConfig) -> bytes:
    return sign_pdf(report_pdf, config, reason=REASON, location="Banjarmasin")


def _byte_range(pdf: bytes) -> tuple[int, int, int, int]:
    found = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf)
    assert found is not None
    start, length, rest_start, rest_length = (int(n) for n in found.groups())
    return start, length, rest_start, rest_length


def _signed_and_covered(pdf: bytes, offset: int) -> bool:
    """`offset` is in the bytes the signature covers (not in the /Contents hole)."""
    start, length, rest_start, rest_length = _byte_range(pdf)
    return start <= offset < start + length or rest_start <= offset < rest_start + rest_length


def test_a_signed_report_verifies_against_its_ca(signed_pdf: bytes, pki: TestPki) -> None:
    result = verify_pdf(signed_pdf, [pki.ca_certificate])
    assert (result.signed, result.intact, result.valid, result.trusted, result.bottom_line) == (
        True,
        True,
        True,
        True,
        True,
    )
    assert result.signer == SIGNER
    assert result.signed_at is not None
    assert abs(result.signed_at - datetime.datetime.now(datetime.UTC)) < datetime.timedelta(minutes=5)
    assert "sah" in result.message and SIGNER in result.message


def test_signing_appends_to_the_original_bytes_a_pades_signature_with_reason_and_location(
    report_pdf: bytes, signed_pdf: bytes
) -> None:
    assert signed_pdf.startswith(report_pdf) and len(signed_pdf) > len(report_pdf)
    (embedded,) = PdfFileReader(BytesIO(signed_pdf)).embedded_signatures
    assert embedded.field_name == FIELD_NAME
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert embedded.sig_object["/Reason"] == REASON
    assert embedded.sig_object["/Location"] == "Banjarmasin"
    # the signature covers the whole file but its own /Contents
    start, _, rest_start, rest_length = _byte_range(signed_pdf)
    assert start == 0 and rest_start + rest_length == len(signed_pdf)


def test_changing_a_word_of_a_signed_report_breaks_the_signature(config: SigningConfig, pki: TestPki) -> None:
    # uncompressed, so that the document title is there to read and change: 2025 becomes 2026
    report = weasyprint.HTML(string=REPORT_HTML).write_pdf(uncompressed_pdf=True)
    signed = sign_pdf(report, config, reason=REASON, location="Banjarmasin")
    offset = signed.index(b"(Laporan SKM 2025)")
    assert _signed_and_covered(signed, offset)
    tampered = signed[:offset] + b"(Laporan SKM 2026)" + signed[offset + 18 :]
    assert len(tampered) == len(signed)

    result = verify_pdf(tampered, [pki.ca_certificate])
    assert result.signed
    assert not result.intact
    assert not result.bottom_line
    assert not result.trusted
    assert "berubah" in result.message


def test_one_flipped_byte_in_the_compressed_page_content_breaks_the_signature(
    signed_pdf: bytes, pki: TestPki
) -> None:
    offset = signed_pdf.index(b"stream\n") + 20
    assert _signed_and_covered(signed_pdf, offset)
    tampered = bytearray(signed_pdf)
    tampered[offset] ^= 0x01

    result = verify_pdf(bytes(tampered), [pki.ca_certificate])
    assert result.signed and not result.intact and not result.bottom_line


def test_a_change_appended_after_signing_is_caught(signed_pdf: bytes, pki: TestPki) -> None:
    # What an editor saving "incrementally" does: the signed bytes stay intact, a new revision
    # replaces the first page's content.
    writer = IncrementalPdfFileWriter(BytesIO(signed_pdf))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Contents"] = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 12 Tf (Palsu) Tj ET"))
    writer.update_container(page)
    changed = BytesIO()
    writer.write(changed)  # type: ignore[no-untyped-call]  # pyHanko leaves it unannotated

    result = verify_pdf(changed.getvalue(), [pki.ca_certificate])
    assert result.signed and result.intact and result.valid
    assert not result.bottom_line
    assert "diubah setelah ditandatangani" in result.message


def test_a_signature_from_another_ca_is_not_trusted(signed_pdf: bytes, tmp_path: Path) -> None:
    other = make_test_pki(SIGNER, tmp_path, PASSWORD)
    result = verify_pdf(signed_pdf, [other.ca_certificate])
    assert result.signed and result.intact and result.valid
    assert not result.trusted
    assert not result.bottom_line
    assert "tidak tepercaya" in result.message


def test_an_unsigned_pdf_or_no_pdf_is_not_signed(report_pdf: bytes, pki: TestPki) -> None:
    unsigned = verify_pdf(report_pdf, [pki.ca_certificate])
    assert not unsigned.signed and not unsigned.bottom_line
    assert "tidak bertanda tangan" in unsigned.message

    garbage = verify_pdf(b"bukan PDF sama sekali", [pki.ca_certificate])
    assert not garbage.signed and not garbage.bottom_line
    assert "bukan PDF" in garbage.message


def test_poppler_reads_the_signed_pdf_with_the_same_pages(
    report_pdf: bytes, signed_pdf: bytes, tmp_path: Path
) -> None:
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed")

    def pages(pdf: bytes, name: str) -> int:
        path = tmp_path / name
        path.write_bytes(pdf)
        out = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
        found = re.search(r"^Pages:\s+(\d+)$", out, re.MULTILINE)
        assert found is not None, out
        return int(found.group(1))

    assert pages(report_pdf, "asli.pdf") == pages(signed_pdf, "bertanda-tangan.pdf") == 2


def test_poppler_sees_an_intact_signature_and_a_broken_one(signed_pdf: bytes, tmp_path: Path) -> None:
    if shutil.which("pdfsig") is None:
        pytest.skip("pdfsig (poppler-utils) is not installed")

    def pdfsig(pdf: bytes) -> str:
        path = tmp_path / "laporan.pdf"
        path.write_bytes(pdf)
        return subprocess.run(["pdfsig", "-nocert", path], capture_output=True, text=True).stdout

    out = pdfsig(signed_pdf)
    assert f"Signature Field Name: {FIELD_NAME}" in out and "Signature is Valid" in out
    tampered = bytearray(signed_pdf)
    tampered[signed_pdf.index(b"stream\n") + 20] ^= 0x01
    assert "Signature is Valid" not in pdfsig(bytes(tampered))


# Configuration: from the environment only


def test_config_prefers_the_pemda_own_variables_over_the_fallback(pki: TestPki, tmp_path: Path) -> None:
    other = make_test_pki("Pejabat Lain", tmp_path, b"kata-sandi-lain")
    environ = {
        "SKM_SIGNING_KOTA_BANJARMASIN_P12": str(pki.p12_path),
        "SKM_SIGNING_KOTA_BANJARMASIN_PASSWORD": PASSWORD.decode(),
        "SKM_SIGNING_P12": str(other.p12_path),
        "SKM_SIGNING_PASSWORD": "kata-sandi-lain",
    }
    own = signing_config("kota-banjarmasin", environ)
    assert own is not None
    assert (own.variable, own.path) == ("SKM_SIGNING_KOTA_BANJARMASIN_P12", pki.p12_path)

    fallback = signing_config("kabupaten-banjar", environ)
    assert fallback is not None
    assert (fallback.variable, fallback.path) == ("SKM_SIGNING_P12", other.p12_path)


def test_config_reads_the_process_environment_by_default(
    pki: TestPki, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKM_SIGNING_P12", str(pki.p12_path))
    monkeypatch.setenv("SKM_SIGNING_PASSWORD", PASSWORD.decode())
    found = signing_config("kota-contoh")
    assert found is not None and found.variable == "SKM_SIGNING_P12"


def test_no_config_is_none() -> None:
    assert signing_config("kota-banjarmasin", {}) is None
    assert signing_config("kota-banjarmasin", {"SKM_SIGNING_KOTA_BANJARMASIN_P12": " "}) is None
    # a password alone configures nothing
    assert signing_config("kota-banjarmasin", {"SKM_SIGNING_PASSWORD": "x"}) is None


def test_a_missing_file_names_its_variable(tmp_path: Path) -> None:
    environ = {
        "SKM_SIGNING_KOTA_BANJARMASIN_P12": str(tmp_path / "tidak-ada.p12"),
        "SKM_SIGNING_KOTA_BANJARMASIN_PASSWORD": "Sandi-Rahasia-77",
    }
    with pytest.raises(SigningError) as raised:
        signing_config("kota-banjarmasin", environ)
    message = str(raised.value)
    assert "SKM_SIGNING_KOTA_BANJARMASIN_P12" in message and "tidak ditemukan" in message
    assert "Sandi-Rahasia-77" not in message


def test_a_wrong_password_names_the_variables_never_the_password(pki: TestPki) -> None:
    environ = {"SKM_SIGNING_P12": str(pki.p12_path), "SKM_SIGNING_PASSWORD": "Sandi-Salah-99"}
    with pytest.raises(SigningError) as raised:
        signing_config("kota-banjarmasin", environ)
    message = str(raised.value)
    assert "SKM_SIGNING_P12" in message and "SKM_SIGNING_PASSWORD" in message
    assert "Sandi-Salah-99" not in message
    assert "Sandi-Salah-99" not in repr(raised.value.__cause__) + repr(raised.value.__context__)


def test_the_pemda_own_file_never_borrows_the_fallback_password(pki: TestPki) -> None:
    environ = {"SKM_SIGNING_KOTA_CONTOH_P12": str(pki.p12_path), "SKM_SIGNING_PASSWORD": PASSWORD.decode()}
    with pytest.raises(SigningError, match="SKM_SIGNING_KOTA_CONTOH_PASSWORD"):
        signing_config("kota-contoh", environ)


@pytest.mark.parametrize("content", ["not-pkcs12", "no-key", "directory"])
def test_a_file_that_is_no_signing_key_is_refused(content: str, pki: TestPki, tmp_path: Path) -> None:
    path = tmp_path / "kunci.p12"
    if content == "not-pkcs12":
        path.write_bytes(b"%PDF-1.7 bukan kunci")
    elif content == "no-key":  # a PKCS#12 holding only the CA certificate
        from cryptography import x509
        from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

        ca = x509.load_pem_x509_certificate(pki.ca_path.read_bytes())
        path.write_bytes(
            pkcs12.serialize_key_and_certificates(None, None, None, [ca], BestAvailableEncryption(PASSWORD))
        )
    else:
        path.mkdir()
    environ = {"SKM_SIGNING_P12": str(path), "SKM_SIGNING_PASSWORD": PASSWORD.decode()}
    with pytest.raises(SigningError, match="SKM_SIGNING_P12") as raised:
        signing_config("kota-contoh", environ)
    assert PASSWORD.decode() not in str(raised.value)


def test_signing_and_checking_work_inside_a_running_event_loop(config, pki, report_pdf):
    """pyHanko calls asyncio.run: under an async server (or a browser-driving test session) the
    thread already runs a loop, and signing must still work."""
    import asyncio
    import threading

    async def inside() -> bool:
        signed = sign_pdf(report_pdf, config, reason="Laporan", location="Banjarmasin")
        return verify_pdf(signed, [pki.ca_certificate]).bottom_line

    # In a thread of its own: the test session's thread may already run a loop (the browser's).
    found: list[bool] = []
    worker = threading.Thread(target=lambda: found.append(asyncio.run(inside())))
    worker.start()
    worker.join()
    assert found == [True]
