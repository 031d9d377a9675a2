"""The report's PDF is LibreOffice's conversion of the same DOCX: its text holds every figure of
the DOCX's tables (issue 25 item 5); with a certificate configured the PDF carries a PAdES
signature that verifies, and a tampered copy does not (item 6); `skm report` writes the files of a
closed period and refuses an open one with the list of closed ones, audited (item 7)."""

from __future__ import annotations

import io
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from skm.accounts.models import AuditEvent
from skm.reports import content, docx, pdf, produce, signing
from skm.reports.testing_pki import make_test_pki
from skm.reports.tests.world import YEAR, report_world

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

FIGURE = re.compile(r"(?<![\d,.])\d{1,3}(?:\.\d{3})*,\d{2,3}(?![\d,])")


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "laporan.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def _pages(data: bytes, tmp_path: Path) -> int:
    path = tmp_path / "halaman.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def test_the_pdf_holds_every_figure_of_the_docx_tables(tmp_path):
    world = report_world()
    report = content.build(world.period)
    document = docx.render_docx(report)
    tables = Document(io.BytesIO(document)).tables
    in_docx = Counter(
        figure
        for table in tables
        for row in table.rows
        for cell in row.cells
        for figure in FIGURE.findall(cell.text)
    )
    # A merged cell is listed once per grid column by python-docx: count each figure once per cell text.
    assert in_docx, "the tables have figures"
    made = pdf.render_pdf(document)
    assert made.startswith(b"%PDF")
    pages = _pages(made, tmp_path)
    print(f"report PDF: {pages} pages")
    assert pages >= 8
    in_pdf = Counter(FIGURE.findall(_pdf_text(made, tmp_path)))
    missing = {figure for figure in in_docx if in_pdf[figure] == 0}
    assert not missing, f"figures of the DOCX tables not in the PDF: {sorted(missing)[:10]}"
    assert f"versi {report.snapshot.version}" in _pdf_text(made, tmp_path)


def test_a_signed_report_verifies_and_a_tampered_copy_does_not(tmp_path, monkeypatch):
    world = report_world()
    pki = make_test_pki("Sekretaris Daerah Kota Laporan", tmp_path, b"rahasia-uji")
    variable = f"SKM_SIGNING_{world.pemda.slug.upper().replace('-', '_')}"
    monkeypatch.setenv(f"{variable}_P12", str(pki.p12_path))
    monkeypatch.setenv(f"{variable}_PASSWORD", "rahasia-uji")
    made = produce.produce(world.period, ["pdf"])
    assert made.signed
    signed = made.files["pdf"][1]
    checked = signing.verify_pdf(signed, [pki.ca_certificate])
    assert checked.signed and checked.intact and checked.trusted and checked.bottom_line
    assert "Sekretaris Daerah Kota Laporan" in checked.signer
    start = signed.index(b"stream", len(signed) // 4)  # a byte inside the signed content
    tampered = signed[: start + 10] + bytes([signed[start + 10] ^ 0x01]) + signed[start + 11 :]
    assert not signing.verify_pdf(tampered, [pki.ca_certificate]).bottom_line


def test_the_command_writes_every_format_that_libreoffice_opens(tmp_path):
    world = report_world()
    out = io.StringIO()
    call_command(
        "report",
        "--pemda",
        world.pemda.slug,
        "--period",
        f"Tahunan {YEAR}",
        "--format",
        "all",
        "--out",
        str(tmp_path),
        stdout=out,
    )
    call_command(
        "report",
        "--pemda",
        world.pemda.slug,
        "--period",
        str(world.period.pk),
        "--format",
        "docx",
        "--out",
        str(tmp_path / "lagi"),
        stdout=out,
    )
    stem = f"laporan-skm-{world.pemda.slug}-tahunan-{YEAR}-v1"
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [
        f"{stem}.docx",
        f"{stem}.pdf",
        f"{stem}.xlsx",
    ]
    assert "tidak ditandatangani" in out.getvalue()
    # Every produced format opens in LibreOffice: converted to PDF, its pages counted.
    pages = {}
    for kind in ("docx", "xlsx"):
        converted = pdf.convert((tmp_path / f"{stem}.{kind}").read_bytes(), suffix=f".{kind}")
        pages[kind] = _pages(converted, tmp_path)
    pages["pdf"] = _pages((tmp_path / f"{stem}.pdf").read_bytes(), tmp_path)
    print(f"pages opened by LibreOffice: {pages}")
    assert pages["docx"] == pages["pdf"] >= 8 and pages["xlsx"] >= 1
    events = AuditEvent.objects.filter(action="report.make")
    assert events.count() == 2 and events.first().pemda_id == world.pemda.pk


def test_the_command_refuses_an_open_or_unknown_period(tmp_path):
    world = report_world()
    with pytest.raises(CommandError) as raised:
        call_command(
            "report", "--pemda", world.pemda.slug, "--period", "Tahunan 2030", "--out", str(tmp_path)
        )
    assert "tidak ditemukan" in str(raised.value) and f"Tahunan {YEAR}" in str(raised.value)
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("report", "--pemda", "tidak-ada", "--period", "1", "--out", str(tmp_path))
    assert not list(tmp_path.iterdir())
