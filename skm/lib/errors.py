"""Every user-facing error message, one table of stable codes: code → lazy Indonesian text.

Forms, the API, the importers and the recap check all take their messages from here, so a code
means the same sentence everywhere; English comes from skm/locale/en (Django's translations).
Placeholders are str.format fields ({column}), filled by `message()` after translation.
Grouped by where the codes arise; a new group goes above "Answers".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MESSAGES: dict[str, Promise] = {
    # Files: reading a CSV/XLSX (skm.lib.tabular)
    "file_missing": _("Berkas {path} tidak ditemukan."),
    "file_type": _("Berkas {path} bukan CSV atau XLSX. Simpan sebagai .csv atau .xlsx."),
    "file_encoding": _(
        'Berkas {path} bukan teks UTF-8. Dari Excel, simpan ulang dengan "CSV UTF-8 (Comma delimited)".'
    ),
    "file_unreadable": _("Berkas {path} tidak dapat dibaca sebagai tabel (rusak atau bukan CSV/XLSX)."),
    "file_empty": _("Berkas {path} kosong: tidak ada baris judul kolom."),
    "file_too_large": _(
        "Berkas {path} terlalu besar: paling besar {limit} MB. Pecah berkas menjadi beberapa bagian."
    ),
    "part_too_large": _(
        "Berkas {path} terlalu besar setelah dibuka: bagian {part} berisi {size} MB, paling besar "
        "{limit} MB. Salin hanya data jawabannya ke buku kerja baru, atau pecah berkasnya."
    ),
    "too_many_rows": _(
        "Berkas {path} berisi lebih dari {limit} baris data: batas terlampaui di baris {row}. "
        "Pecah berkas menjadi beberapa bagian."
    ),
    "too_many_lines": _(
        "Berkas {path} berisi lebih dari {limit} baris, termasuk baris kosong (batas lembar Excel): "
        "terlampaui di baris {row}. Hapus baris kosong di bawah data."
    ),
    "too_many_columns": _(
        "Berkas {path} berisi lebih dari {limit} kolom: baris {row} berisi data di kolom {column}. "
        "Hapus kolom yang tidak dipakai."
    ),
    "cell_too_long": _(
        "Sel pada baris {row}, kolom {column} berkas {path} berisi {length} karakter; paling banyak "
        "{limit} karakter per sel."
    ),
    "too_many_texts": _(
        "Berkas {path} berisi lebih dari {limit} teks berbeda (paling banyak {per_row} per baris data). "
        "Pecah berkas menjadi beberapa bagian."
    ),
    "line_cell_too_long": _(
        "Baris {row} berkas {path} berisi sel lebih dari {limit} karakter; paling banyak {limit} "
        "karakter per sel."
    ),
    "column_missing": _("Kolom wajib tidak ditemukan: {columns}. Kolom yang ada: {found}."),
    # Units and files of units (skm import-units)
    "required": _("Kolom '{column}' wajib diisi."),
    "unknown_unit_type": _("Jenis unit '{value}' tidak dikenal; pilih salah satu: {choices}."),
    "unknown_frequency": _("Frekuensi '{value}' tidak dikenal; isi tahunan, semester atau triwulan."),
    "not_a_count": _("'{value}' pada kolom '{column}' bukan bilangan bulat positif."),
    "not_a_boolean": _("'{value}' pada kolom '{column}' harus ya/tidak."),
    "duplicate_in_file": _("UPP '{value}' sudah ada di baris {other}."),
    "duplicate_service": _("Layanan '{value}' tertulis dua kali."),
    "too_long": _("Isi kolom '{column}' terlalu panjang (maksimal {limit} karakter)."),
    "bad_slug": _("Kode tautan '{value}' hanya boleh berisi huruf kecil, angka dan tanda minus."),
    "slug_taken": _("Kode tautan '{value}' sudah dipakai UPP lain."),
    "moved_pd": _("UPP '{value}' sudah terdaftar di bawah '{current}'; pindahkan melalui halaman admin."),
    # Answer imports (skm import-answers, /kelola/impor/)
    "columns_missing": _(
        "Kolom untuk pertanyaan berikut tidak ditemukan: {missing}. Ganti judul kolomnya dengan "
        "kode (u1 … u9) atau bunyi pertanyaan, atau pilih format yang sesuai."
    ),
    "time_column_missing": _(
        "Kolom tanggal/waktu pengisian tidak ditemukan (judul 'tanggal', 'Timestamp' atau 'Stempel waktu')."
    ),
    "no_rows": _("Berkas tidak berisi satu baris jawaban pun."),
    "time_missing": _("Tanggal/waktu pengisian (kolom '{column}') kosong."),
    "time_unreadable": _(
        "'{value}' pada kolom '{column}' bukan tanggal/waktu yang dikenali "
        "(contoh: 2024-03-05 10:12, 05/03/2024 10:12:33, 2024/03/05 10:12:33 AM GMT+8)."
    ),
    "label_unknown": _(
        "'{value}' pada kolom '{column}' ({code} {name}) bukan pilihan yang sah; pilih salah satu: {choices}."
    ),
    "profile_unknown": _(
        "'{value}' pada kolom '{column}' bukan pilihan {label} yang sah; pilih salah satu: {choices}."
    ),
    "no_answers": _("Baris ini tidak berisi satu jawaban pun untuk U1–U{n}."),
    "key_duplicate": _("Kunci '{value}' sudah dipakai di baris {other}."),
    "import_key_conflict": _(
        "Kunci '{value}' sudah dipakai untuk kuesioner lain di unit ini (jawaban #{id}). Beri kunci "
        "lain, atau hapus kolom kunci bila berkas ini berbeda."
    ),
    "save_conflict": _(
        "Sejak pratinjau dibuat, kunci '{value}' (baris {row}) dipakai untuk kuesioner lain di unit ini. "
        "Tidak ada yang disimpan; unggah ulang berkasnya."
    ),
    "save_stale": _(
        "Kuesioner atau jenis layanan unit ini berubah sejak pratinjau dibuat. Tidak ada yang disimpan; "
        "unggah ulang berkasnya."
    ),
    "upload_type": _(
        "Jenis berkas harus .csv atau .xlsx (dari Excel: Simpan sebagai → CSV UTF-8 atau Buku Kerja Excel)."
    ),
    "upload_too_large": _("Berkas terlalu besar: paling besar 10 MB. Pecah berkas menjadi beberapa bagian."),
    # Answers (every channel: survey page, kiosk, paper entry, import, API)
    "answer_required": _("Mohon jawab pertanyaan {code}: {name}."),
    "answer_invalid": _("Jawaban '{value}' untuk {code} tidak sah; pilih salah satu pilihan (1–{max})."),
    "profile_required": _("Mohon isi {label}."),
    "profile_invalid": _("Pilihan '{value}' untuk {label} tidak sah."),
    "service_required": _("Mohon pilih jenis layanan yang Anda terima."),
    "service_invalid": _("Jenis layanan '{value}' tidak ada di unit ini."),
    "text_too_long": _("{label} terlalu panjang: paling banyak {limit} karakter."),
    "text_unreadable": _(
        "{label} berisi karakter yang tidak terbaca (�); ketik ulang teksnya tanpa karakter itu."
    ),
    "form_unreadable_title": _("Formulir tidak terbaca"),
    "form_unreadable": _(
        "Ada karakter yang bukan UTF-8 di isian formulir, jadi tidak ada yang disimpan. Kembali ke "
        "formulir, periksa teks yang ditempel, lalu kirim ulang."
    ),
    "key_invalid": _("Kunci pengiriman tidak sah (8–64 huruf, angka, '-' atau '_')."),
    "time_invalid": _("Waktu pengisian '{value}' tidak sah; tulis seperti 2026-03-05 atau 2026-03-05 10:15."),
    "time_future": _("Waktu pengisian '{value}' ada di masa depan."),
    "time_too_old": _("Waktu pengisian '{value}' terlalu lama: paling awal 1 Januari {year}."),
    "key_conflict": _(
        "Kunci pengiriman '{key}' sudah dipakai untuk kuesioner lain di unit ini. Kuesioner baru perlu "
        "kunci baru; kunci yang sama hanya untuk mengirim ulang isi yang sama persis."
    ),
    "page_already_sent": _(
        "Jawaban dari halaman ini sudah terkirim sebelumnya dan itulah yang disimpan; perubahan "
        "sesudahnya tidak disimpan. Terima kasih!"
    ),
    "rate_limited": _("Terlalu banyak kiriman dari perangkat atau jaringan ini. Silakan coba lagi nanti."),
    "unit_inactive": _("Unit layanan ini tidak sedang menerima survei."),
    "no_instrument": _("Instrumen survei Pemda ini belum diterbitkan."),
    # Paper entry, kiosk and tablets (/kelola/entri/, /k/, /kelola/kios/)
    # Recap check (skm recap check)
    # API (/api/v1/)
}


def message(error: str, language: str | None = None, **params: object) -> str:
    """The message of code `error`, in `language` or else the active one, with its fields filled."""
    if language is None:
        return str(MESSAGES[error]).format(**params)
    with translation.override(language):
        return str(MESSAGES[error]).format(**params)


@dataclass(frozen=True)
class RowError:
    row: int
    code: str
    params: dict[str, object]

    def message(self, language: str | None = None) -> str:
        return message(self.code, language, **self.params)

    def __str__(self) -> str:
        return _("Baris {row}: {message}").format(row=self.row, message=self.message())
