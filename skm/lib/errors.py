"""User-facing error messages, one table: code → (Indonesian, English). Format with str.format."""

from __future__ import annotations

from dataclasses import dataclass

MESSAGES: dict[str, tuple[str, str]] = {
    "required": ("Kolom '{column}' wajib diisi.", "Column '{column}' is required."),
    "unknown_unit_type": (
        "Jenis unit '{value}' tidak dikenal; pilih salah satu: {choices}.",
        "Unknown unit type '{value}'; choose one of: {choices}.",
    ),
    "unknown_frequency": (
        "Frekuensi '{value}' tidak dikenal; isi tahunan, semester atau triwulan.",
        "Unknown frequency '{value}'; use tahunan, semester or triwulan.",
    ),
    "not_a_count": (
        "'{value}' pada kolom '{column}' bukan bilangan bulat positif.",
        "'{value}' in column '{column}' is not a positive whole number.",
    ),
    "not_a_boolean": (
        "'{value}' pada kolom '{column}' harus ya/tidak.",
        "'{value}' in column '{column}' must be yes/no.",
    ),
    "duplicate_in_file": (
        "UPP '{value}' sudah ada di baris {other}.",
        "Unit '{value}' already appears on row {other}.",
    ),
    "duplicate_service": ("Layanan '{value}' tertulis dua kali.", "Service '{value}' is listed twice."),
    "too_long": (
        "Isi kolom '{column}' terlalu panjang (maksimal {limit} karakter).",
        "Column '{column}' is too long (at most {limit} characters).",
    ),
    "bad_slug": (
        "Kode tautan '{value}' hanya boleh berisi huruf kecil, angka dan tanda minus.",
        "Link code '{value}' may only contain lowercase letters, digits and hyphens.",
    ),
    "slug_taken": (
        "Kode tautan '{value}' sudah dipakai UPP lain.",
        "Link code '{value}' is used by another unit.",
    ),
    "moved_pd": (
        "UPP '{value}' sudah terdaftar di bawah '{current}'; pindahkan melalui halaman admin.",
        "Unit '{value}' is registered under '{current}'; move it in the admin pages.",
    ),
}


@dataclass(frozen=True)
class RowError:
    row: int
    code: str
    params: dict[str, object]

    def message(self, language: str = "id") -> str:
        id_text, en_text = MESSAGES[self.code]
        return (en_text if language == "en" else id_text).format(**self.params)

    def __str__(self) -> str:
        return f"Baris {self.row}: {self.message()}"
