"""Electronic signature (PAdES) of a Pemda's report PDF, and checking one, with pyHanko.

A signed Laporan Pelaksanaan SKM lets anyone holding the PDF see, in their PDF reader, who issued
it and that nothing in it changed afterwards. Each Pemda signs with its own certificate (from a CA
such as BSrE), a PKCS#12 file. The file and its password come only from environment variables,
read when signing, never from the database: a database dump, a backup or an admin account gives
away no signing key. `signing_config` finds them for a Pemda's slug:

    SKM_SIGNING_<SLUG>_P12, SKM_SIGNING_<SLUG>_PASSWORD   e.g. SKM_SIGNING_KOTA_BANJARMASIN_P12
    SKM_SIGNING_P12, SKM_SIGNING_PASSWORD                 for any Pemda without its own pair

`sign_pdf` appends the signature as an incremental update, so the original bytes stay exactly as
they were; the signature is PAdES baseline B-B: no timestamp authority, so the signing time it
carries is the server's own claim. `verify_pdf` checks a PDF offline against the trust roots it is
given (no fetching of certificates or revocation lists).
"""

from __future__ import annotations

import asyncio
import os
import warnings
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from asn1crypto import x509

# pyHanko takes about 0.6 s to import: loaded when a PDF is signed or checked, not with every
# process that serves pages. Its import of DSA makes `cryptography` warn; nothing here uses DSA.
warnings.filterwarnings("ignore", message="DSA is deprecated", module="pyhanko")

FIELD_NAME = "TandaTanganElektronik"
T = TypeVar("T")


class SigningError(Exception):
    """The signing key cannot be used; the message names the variable to fix (never the password)."""


@dataclass(frozen=True)
class SigningConfig:
    variable: str  # the environment variable that named the PKCS#12 file
    path: Path
    signer: Any = field(repr=False)  # pyhanko.sign.signers.SimpleSigner


@dataclass(frozen=True)
class Verification:
    signed: bool
    intact: bool  # the signed bytes are unchanged
    valid: bool  # the signature itself is cryptographically sound
    trusted: bool  # the signer's certificate leads to one of the trust roots
    signer: str  # common name of the signer's certificate
    signed_at: datetime | None  # as the signer's clock claimed: no timestamp authority vouches for it
    bottom_line: bool  # all of the above, and no disallowed change appended after signing
    message: str


def signing_config(slug: str, environ: Mapping[str, str] = os.environ) -> SigningConfig | None:
    """The signing key for the Pemda `slug`, or None when none is configured. Raises SigningError."""
    own = "SKM_SIGNING_" + slug.upper().replace("-", "_")
    # The Pemda's own pair wins; a password is never borrowed from the other pair.
    for p12_variable, password_variable in (
        (f"{own}_P12", f"{own}_PASSWORD"),
        ("SKM_SIGNING_P12", "SKM_SIGNING_PASSWORD"),
    ):
        path = environ.get(p12_variable, "").strip()
        if path:
            password = environ.get(password_variable) or None
            return _load(p12_variable, Path(path).expanduser(), password_variable, password)
    return None


def _load(variable: str, path: Path, password_variable: str, password: str | None) -> SigningConfig:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SigningError(
            _("{variable}: berkas PKCS#12 {path} tidak ditemukan.").format(variable=variable, path=path)
        ) from None
    except OSError as error:
        raise SigningError(
            _("{variable}: berkas PKCS#12 {path} tidak dapat dibaca ({reason}).").format(
                variable=variable, path=path, reason=error.strerror or error
            )
        ) from None
    from pyhanko.sign import signers

    try:
        signer = signers.SimpleSigner.load_pkcs12_data(
            data, other_certs=(), passphrase=password.encode() if password else None
        )
    # AttributeError: a bundle without a private key (pyHanko reads the missing key as None)
    except (ValueError, AttributeError):
        raise SigningError(
            _(
                "{variable}: berkas {path} tidak dapat dibuka: kata sandi di {password_variable} salah, "
                "atau berkas itu bukan PKCS#12 (.p12/.pfx) berisi kunci privat dan sertifikat."
            ).format(variable=variable, path=path, password_variable=password_variable)
        ) from None
    return SigningConfig(variable=variable, path=path, signer=signer)


def _outside_event_loop(work: Callable[[], T]) -> T:
    """Run `work` where pyHanko may start its own event loop (it calls asyncio.run inside): here,
    or, when this thread already runs a loop (an async server, a test session driving a browser),
    in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def sign_pdf(
    pdf: bytes, config: SigningConfig, *, reason: str, location: str, name: str | None = None
) -> bytes:
    """`pdf` with a PAdES signature appended (an incremental update: `pdf` is a prefix of the result)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        reason=reason,
        location=location,
        name=name,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    signer = signers.PdfSigner(metadata, config.signer)
    signed: BytesIO = _outside_event_loop(lambda: signer.sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf))))
    return signed.getvalue()


def verify_pdf(pdf: bytes, trust_roots: Sequence[x509.Certificate]) -> Verification:
    """Check every signature in `pdf` offline; report the first that fails, else the last one."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(BytesIO(pdf)).embedded_signatures
    except PdfReadError:
        return _unsigned(_("Berkas ini bukan PDF yang dapat dibaca."))
    if not signatures:
        return _unsigned(_("PDF ini tidak bertanda tangan elektronik."))
    context = ValidationContext(trust_roots=list(trust_roots), allow_fetching=False)
    for embedded in signatures:
        status = _outside_event_loop(lambda found=embedded: validate_pdf_signature(found, context))
        if not status.bottom_line:
            break
    return _verification(status)


def _unsigned(message: str) -> Verification:
    return Verification(
        signed=False,
        intact=False,
        valid=False,
        trusted=False,
        signer="",
        signed_at=None,
        bottom_line=False,
        message=message,
    )


def _verification(status: Any) -> Verification:  # a pyhanko PdfSignatureStatus
    subject = status.signing_cert.subject
    signer = str(subject.native.get("common_name") or subject.human_friendly)
    # status.valid stays True when signed bytes were altered: intact and bottom_line tell.
    if not status.intact:
        message = _("Tanda tangan tidak berlaku: isi dokumen berubah setelah ditandatangani oleh {signer}.")
    elif not status.valid:
        message = _(
            "Tanda tangan tidak berlaku: tanda tangan {signer} rusak atau tidak cocok dengan sertifikatnya."
        )
    elif not status.trusted:
        message = _(
            "Isi dokumen utuh, tetapi sertifikat {signer} tidak tepercaya: bukan terbitan otoritas "
            "sertifikat yang dipercaya, kedaluwarsa, atau tidak untuk tanda tangan."
        )
    elif not status.bottom_line:
        message = _("Tanda tangan tidak berlaku: dokumen diubah setelah ditandatangani oleh {signer}.")
    else:
        message = _(
            "Tanda tangan elektronik sah: ditandatangani oleh {signer}, isi dokumen tidak berubah sejak itu."
        )
    return Verification(
        signed=True,
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        signer=signer,
        signed_at=status.signer_reported_dt,
        bottom_line=status.bottom_line,
        message=message.format(signer=signer),
    )
