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
    # Answers (every channel: survey page, kiosk, paper entry, import, API)
    "answer_required": ("Mohon jawab pertanyaan {code}: {name}.", "Please answer question {code}: {name}."),
    "answer_invalid": (
        "Jawaban '{value}' untuk {code} tidak sah; pilih salah satu pilihan (1–{max}).",
        "Answer '{value}' for {code} is not valid; choose one of the options (1–{max}).",
    ),
    "profile_required": ("Mohon isi {label}.", "Please fill in {label}."),
    "profile_invalid": (
        "Pilihan '{value}' untuk {label} tidak sah.",
        "Choice '{value}' for {label} is not valid.",
    ),
    "service_required": (
        "Mohon pilih jenis layanan yang Anda terima.",
        "Please choose the service you received.",
    ),
    "service_invalid": (
        "Jenis layanan '{value}' tidak ada di unit ini.",
        "Service '{value}' does not belong to this unit.",
    ),
    "text_too_long": (
        "{label} terlalu panjang: paling banyak {limit} karakter.",
        "{label} is too long: at most {limit} characters.",
    ),
    "text_unreadable": (
        "{label} berisi karakter yang tidak terbaca (�); ketik ulang teksnya tanpa karakter itu.",
        "{label} contains characters that could not be read (�); type the text again without them.",
    ),
    "form_unreadable_title": ("Formulir tidak terbaca", "The form could not be read"),
    "form_unreadable": (
        "Ada karakter yang bukan UTF-8 di isian formulir, jadi tidak ada yang disimpan. Kembali ke "
        "formulir, periksa teks yang ditempel, lalu kirim ulang.",
        "The form holds characters that are not UTF-8, so nothing was saved. Go back to the form, "
        "check any pasted text, and send it again.",
    ),
    "key_invalid": (
        "Kunci pengiriman tidak sah (8–64 huruf, angka, '-' atau '_').",
        "The submission key is not valid (8–64 letters, digits, '-' or '_').",
    ),
    "time_invalid": (
        "Waktu pengisian '{value}' tidak sah; tulis seperti 2026-03-05 atau 2026-03-05 10:15.",
        "Answer time '{value}' is not valid; write it like 2026-03-05 or 2026-03-05 10:15.",
    ),
    "time_future": (
        "Waktu pengisian '{value}' ada di masa depan.",
        "Answer time '{value}' lies in the future.",
    ),
    "time_too_old": (
        "Waktu pengisian '{value}' terlalu lama: paling awal 1 Januari {year}.",
        "Answer time '{value}' is too old: 1 January {year} at the earliest.",
    ),
    "key_conflict": (
        "Kunci pengiriman '{key}' sudah dipakai untuk kuesioner lain di unit ini. Kuesioner baru perlu "
        "kunci baru; kunci yang sama hanya untuk mengirim ulang isi yang sama persis.",
        "Submission key '{key}' is already used for another questionnaire of this unit. A new "
        "questionnaire needs a new key; the same key only resends exactly the same content.",
    ),
    "page_already_sent": (
        "Jawaban dari halaman ini sudah terkirim sebelumnya dan itulah yang disimpan; perubahan "
        "sesudahnya tidak disimpan. Terima kasih!",
        "The answers from this page were sent before and those are kept; later changes are not "
        "saved. Thank you!",
    ),
    "rate_limited": (
        "Terlalu banyak kiriman dari perangkat atau jaringan ini. Silakan coba lagi nanti.",
        "Too many submissions from this device or network. Please try again later.",
    ),
    "unit_inactive": (
        "Unit layanan ini tidak sedang menerima survei.",
        "This unit is not taking surveys now.",
    ),
    "no_instrument": (
        "Instrumen survei Pemda ini belum diterbitkan.",
        "This Pemda has not published its survey.",
    ),
}


def message(error: str, language: str = "id", **params: object) -> str:
    id_text, en_text = MESSAGES[error]
    return (en_text if language == "en" else id_text).format(**params)


@dataclass(frozen=True)
class RowError:
    row: int
    code: str
    params: dict[str, object]

    def message(self, language: str = "id") -> str:
        return message(self.code, language, **self.params)

    def __str__(self) -> str:
        return f"Baris {self.row}: {self.message()}"
