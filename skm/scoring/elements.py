"""The nine unsur of PermenPAN-RB 14/2017 (SPEC §3).

Results are keyed by these element keys, never by position: the order of the questionnaire, its
labels and its wording are per-Pemda settings, and every function of the core takes any ``str`` key.
"""

from __future__ import annotations

ELEMENTS: tuple[str, ...] = (
    "persyaratan",
    "prosedur",
    "waktu",
    "biaya",
    "produk",
    "kompetensi",
    "perilaku",
    "sarana",
    "pengaduan",
)
"""Element keys in the order of the regulation's sample questionnaire (U1…U9 of SPEC §3), which is
also the order of the Banjarmasin and Kalimantan Barat reports."""

ELEMENTS_PENGADUAN_BEFORE_SARANA: tuple[str, ...] = (*ELEMENTS[:7], "pengaduan", "sarana")
"""The order of the regulation's own list, used by Kabupaten Banjar (seed 003) and Kota Pontianak:
pengaduan before sarana (SPEC §3)."""

ELEMENT_NAMES: dict[str, str] = {
    "persyaratan": "Persyaratan",
    "prosedur": "Sistem, mekanisme dan prosedur",
    "waktu": "Waktu penyelesaian",
    "biaya": "Biaya/tarif",
    "produk": "Produk spesifikasi jenis pelayanan",
    "kompetensi": "Kompetensi pelaksana",
    "perilaku": "Perilaku pelaksana",
    "sarana": "Sarana dan prasarana",
    "pengaduan": "Penanganan pengaduan, saran dan masukan",
}
"""Indonesian unsur names as the regulation writes them (SPEC §3)."""

ELEMENT_NAMES_EN: dict[str, str] = {
    "persyaratan": "Requirements",
    "prosedur": "Systems, mechanisms and procedures",
    "waktu": "Completion time",
    "biaya": "Cost/tariff",
    "produk": "Product specification of the type of service",
    "kompetensi": "Competence of staff",
    "perilaku": "Conduct of staff",
    "sarana": "Facilities and infrastructure",
    "pengaduan": "Handling of complaints, suggestions and feedback",
}
"""English unsur names (SPEC §9: Indonesian first, English available)."""
