"""Demo report settings (called from skm.demo): Banjarmasin's report in seed 001's four chapters,
Banjar's in seed 003's three with an electronic-signature block. The signatories are made up."""

from __future__ import annotations

from skm.organisation.models import Pemda
from skm.reports.models import ReportSettings, Shape

SIGNERS = {
    "kota-banjarmasin": (
        Shape.EMPAT_BAB,
        "Banjarmasin",
        "Drs. Ahmad Contoh, M.Si",
        "Pembina Utama Muda (IV/c)",
        False,
    ),
    "kabupaten-banjar": (
        Shape.TIGA_BAB,
        "Martapura",
        "H. Budi Contoh, S.STP, MH",
        "Pembina Tingkat I (IV/b)",
        True,
    ),
}


def build(pemda: Pemda) -> ReportSettings | None:
    found = SIGNERS.get(pemda.slug)
    if found is None:
        return None
    shape, place, name, rank, electronic = found
    settings, _created = ReportSettings.objects.update_or_create(
        pemda=pemda,
        defaults={
            "shape": shape,
            "place": place,
            "signer_title": "Sekretaris Daerah",
            "signer_name": name,
            "signer_rank": rank,
            "signer_nip": "19700101 199503 1 001",
            "electronic": electronic,
        },
    )
    return settings
