"""The report's PDF: LibreOffice (headless) converts the rendered DOCX, then, when the Pemda has
a signing certificate, pyHanko signs it (issue 25 items 5, 6).

Why LibreOffice from the DOCX rather than WeasyPrint from HTML: the DOCX comes from the Pemda's
own template, which staff edit in Word; a second layout in HTML would drift from it and print a
report the Pemda never saw. Converting the same file keeps one document in two formats, with the
same words, tables and figures (a test reads both and compares the tables' text).

Each conversion runs with a profile directory of its own: two conversions sharing one make the
second exit with no PDF and no message (docs: TOOLCHAIN).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

from skm.reports.signing import SigningConfig, sign_pdf  # pyHanko itself loads on the first signature

CONVERT_TIMEOUT = 300  # seconds: a 156-unit report converts in a few


class ConversionError(RuntimeError):
    """LibreOffice is missing or produced no PDF: the message says which."""


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise ConversionError(
            _(
                "LibreOffice (soffice) tidak terpasang: PDF laporan dibuat dari DOCX olehnya. "
                "Pasang paket libreoffice-writer-nogui."
            )
        )
    return found


def convert(data: bytes, *, suffix: str = ".docx", to: str = "pdf") -> bytes:
    """`data` (a DOCX or XLSX) converted by LibreOffice to `to` (pdf, csv…), as bytes."""
    program = soffice()
    with tempfile.TemporaryDirectory(prefix="skm-lo-") as work:
        folder = Path(work)
        source = folder / f"laporan{suffix}"
        source.write_bytes(data)
        command = [
            program,
            f"-env:UserInstallation=file://{folder / 'profile'}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(folder / "out"),
            str(source),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=CONVERT_TIMEOUT, check=False)  # noqa: S603
        except subprocess.TimeoutExpired as exc:
            raise ConversionError(
                _("LibreOffice tidak selesai dalam %(s)s detik.") % {"s": CONVERT_TIMEOUT}
            ) from exc
        produced = folder / "out" / f"laporan.{to.split(':', 1)[0]}"
        if not produced.exists():
            detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip()[:300]
            raise ConversionError(
                _("LibreOffice tidak menghasilkan berkas (kode %(code)s): %(detail)s")
                % {"code": done.returncode, "detail": detail or "-"}
            )
        return produced.read_bytes()


def render_pdf(
    docx: bytes, *, signing: SigningConfig | None = None, reason: str = "", location: str = ""
) -> bytes:
    """The PDF of a rendered report DOCX, signed (PAdES) when `signing` is given."""
    pdf = convert(docx)
    if signing is not None:
        pdf = sign_pdf(pdf, signing, reason=reason, location=location)
    return pdf
