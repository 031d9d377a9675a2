"""Evidence files of RTL realisation: what is accepted, and where it is kept.

A file is judged by its content, not its name: the first bytes must be a PDF, JPEG or PNG
signature, or a ZIP holding a Word document or an Excel workbook (DOCX/XLSX); the name's extension
must agree with what the content is. Accepted files go to Django's default storage under a random
name (``rtl/<32 hex>.<kind>``), so nobody can guess another unit's evidence; they are served only by
the scoped view, never from MEDIA_URL.
"""

from __future__ import annotations

import secrets
import zipfile
from dataclasses import dataclass
from fractions import Fraction
from typing import IO

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage

from skm.lib.errors import message
from skm.lib.numbers import number


@dataclass(frozen=True)
class Kind:
    extension: str
    content_type: str
    label: str
    inline: bool  # shown in the browser (PDF, images) rather than downloaded


KINDS = {
    "pdf": Kind("pdf", "application/pdf", "PDF", True),
    "jpg": Kind("jpg", "image/jpeg", "JPG", True),
    "png": Kind("png", "image/png", "PNG", True),
    "docx": Kind(
        "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX", False
    ),
    "xlsx": Kind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX", False),
}
EXTENSIONS = {"pdf": "pdf", "jpg": "jpg", "jpeg": "jpg", "png": "png", "docx": "docx", "xlsx": "xlsx"}
# A ZIP whose directory is this long is no office document of a follow-up plan.
ZIP_MEMBERS_LIMIT = 5000


class EvidenceError(ValueError):
    """A file refused as evidence; ``str()`` is the message for the person who sent it."""


def max_bytes() -> int:
    return int(settings.SKM_RTL_EVIDENCE_MAX_MB) * 1024 * 1024


def sniff(stream: IO[bytes]) -> Kind | None:
    """What the content is (one of KINDS), or None; the stream is left at its start."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return KINDS["pdf"]
    if head.startswith(b"\xff\xd8\xff"):
        return KINDS["jpg"]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return KINDS["png"]
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(stream) as archive:
                infos = archive.infolist()
                names = (
                    {i.filename for i in infos[:ZIP_MEMBERS_LIMIT]}
                    if len(infos) <= ZIP_MEMBERS_LIMIT
                    else set()
                )
        except (zipfile.BadZipFile, OSError, ValueError):
            names = set()
        finally:
            stream.seek(0)
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return KINDS["docx"]
            if "xl/workbook.xml" in names:
                return KINDS["xlsx"]
    return None


def check(upload: File) -> Kind:
    """The kind of an uploaded file, or EvidenceError with the Indonesian message saying why not."""
    name = upload.name or ""
    limit = max_bytes()
    if (upload.size or 0) > limit:
        raise EvidenceError(
            message(
                "evidence_too_large",
                size=number(Fraction(upload.size, 1024 * 1024), 1),
                limit=settings.SKM_RTL_EVIDENCE_MAX_MB,
            )
        )
    kind = sniff(upload.file)
    if kind is None:
        raise EvidenceError(message("evidence_type", name=name))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if EXTENSIONS.get(extension) != kind.extension:
        raise EvidenceError(message("evidence_extension", name=name, extension=extension, kind=kind.label))
    return kind


def store(upload: File, kind: Kind) -> str:
    """Save a checked file under a random name in the default storage; returns the stored name."""
    upload.seek(0)
    return default_storage.save(f"rtl/{secrets.token_hex(16)}.{kind.extension}", upload)


def delete(name: str) -> None:
    if name:
        default_storage.delete(name)
