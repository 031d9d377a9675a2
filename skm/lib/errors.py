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
    # RTL: follow-up plans and their realisation (/kelola/rtl/)
    "rtl_period_open": _("Periode {period} belum ditutup: RTL dibuat setelah periode ditutup."),
    "rtl_exists": _("RTL unit ini untuk periode {period} sudah ada."),
    "rtl_no_priority": _("Pilih paling sedikit satu unsur prioritas."),
    "rtl_reason_required": _("Unsur yang dipilih berbeda dari usulan ({suggested}): tuliskan alasannya."),
    "rtl_element_not_chosen": _("Unsur {unsur} bukan unsur prioritas RTL ini; pilih salah satu: {choices}."),
    "rtl_target_before_period": _("Target selesai tidak boleh sebelum akhir periode ({date})."),
    "rtl_realisation_range": _("Realisasi ditulis sebagai persen bulat 0–100."),
    "evidence_too_large": _("Berkas bukti terlalu besar: {size} MB, paling besar {limit} MB."),
    "evidence_type": _(
        "Berkas bukti harus PDF, JPG, PNG, DOCX atau XLSX; isi berkas '{name}' bukan salah satunya."
    ),
    "evidence_extension": _(
        "Nama berkas '{name}' berakhiran .{extension}, tetapi isinya {kind}: ganti nama atau pilih berkas yang benar."
    ),
    "evidence_again": _("Berkas tidak disimpan karena ada isian yang salah: pilih berkasnya lagi."),
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
    "ticket_already_rated": _(
        "Tiket {ticket} sudah dinilai sebelumnya dan penilaian itulah yang disimpan; setiap tiket hanya "
        "dapat dinilai sekali. Terima kasih!"
    ),
    "rate_limited": _("Terlalu banyak kiriman dari perangkat atau jaringan ini. Silakan coba lagi nanti."),
    "unit_inactive": _("Unit layanan ini tidak sedang menerima survei."),
    "no_instrument": _("Instrumen survei Pemda ini belum diterbitkan."),
    # Paper entry, kiosk and tablets (/kelola/entri/, /k/, /kelola/kios/)
    "entry_count": _(
        "Terbaca {n} karakter; ketik {a} angka jawaban lalu {p} kode profil ({total} karakter), "
        "atau {a} angka jawaban saja."
    ),
    "entry_bad_digit": _(
        "Kolom {code} ({header}): '{value}' tidak sah; ketik {allowed}, atau 0/- bila kosong."
    ),
    "entry_key_taken": _("Kunci kiriman ini sudah dipakai; muat ulang halaman."),
    # Recap check (skm recap check)
    # "recap_": tabular's column_missing says less; the recap's error still carries "column_missing".
    "recap_column_missing": _(
        "Kolom wajib tidak ditemukan: {columns}. Kolom yang ada: {found}. Rekap harus memuat "
        "kolom upp, periode, u1 … u9, ikm, kategori, jumlah_responden (boleh ditambah layanan, "
        "metode, populasi)."
    ),
    "column_duplicate": _("Kolom '{column}' muncul lebih dari sekali di baris judul."),
    "ikm_mismatch": _(
        "IKM {ikm} tidak sesuai dengan nilai unsur: dengan bobot 0,111 seharusnya {w0111}, "
        "dengan bobot 1/9 seharusnya {w19}.{hint}"
    ),
    "ikm_missing": _(
        "IKM tidak dicantumkan. Dari nilai unsur: dengan bobot 0,111 {w0111}, dengan bobot 1/9 {w19}."
    ),
    "ikm_out_of_scale": _("IKM {ikm} di luar skala 25–100.{hint}"),
    "unsur_out_of_scale": _("Nilai {unsur} {value} di luar skala {scale}.{hint}"),
    "figures_missing": _("IKM dan nilai unsur kosong, padahal jumlah responden {n}."),
    "unsur_incomplete": _("Nilai unsur tidak lengkap: {missing} kosong, IKM tidak dapat diperiksa."),
    "value_unreadable": _("Nilai {column} '{value}' bukan angka."),
    "unit_missing": _("Nama unit (upp) kosong."),
    "period_missing": _("Periode kosong."),
    "category_mismatch": _("Kategori '{published}' tidak sesuai dengan IKM {ikm} (seharusnya {expected})."),
    "category_unreadable": _(
        "Kategori '{published}' tidak dapat dibaca: tulis huruf mutu A–D dan/atau kinerja (mis. 'B (Baik)')."
    ),
    "category_conflict": _(
        "Kategori '{published}' bertentangan sendiri: mutu {mutu} berarti '{kinerja_of_mutu}', "
        "bukan '{kinerja}'."
    ),
    "respondents_missing": _("Jumlah responden kosong, padahal IKM atau nilai unsur dicantumkan."),
    "respondents_zero_with_data": _(
        "Jumlah responden {n}, tetapi {what} dicantumkan: baris dianggap tanpa data."
    ),
    "copy": _("Nilai unsur sama persis dengan {others}: kemungkinan disalin."),
    "period_duplicate": _("{unit} punya lebih dari satu baris {period} (baris {rows})."),
    "annual_unsur": _("Nilai unsur tahunan bukan rata-rata {kind}: {details}."),
    "annual_ikm": _("IKM tahunan {ikm} bukan rata-rata {kind} (({terms}) / {count} = {mean}).{hint}"),
    "annual_n": _("Jumlah responden tahunan {n} bukan jumlah {kind} ({terms} = {total})."),
    "sample_short": _("Sampel kurang: {n} responden, perlu {required} untuk populasi {population}."),
    "population_invalid": _("Populasi {population} tidak mungkin: sampel tidak dapat dinilai."),
    "sample_exceeds_population": _("Jumlah responden {n} melebihi populasi {population}."),
    # API (/api/v1/)
    "bad_json": _("Isi permintaan bukan JSON yang sah."),
    "body_not_utf8": _("Isi permintaan bukan teks UTF-8 yang sah."),
    "body_too_deep": _("Isi permintaan bersarang terlalu dalam: paling banyak {limit} tingkat."),
    "body_too_large": _("Isi permintaan terlalu besar: paling besar {limit} bait."),
    "bad_request": _("Permintaan tidak sah."),
    "server_error": _("Terjadi kesalahan di server. Silakan coba lagi nanti."),
    "request_invalid": _("Permintaan tidak sah: periksa {fields}."),
    "not_found": _("Alamat API ini tidak ada."),
    "method_not_allowed": _("Metode {method} tidak didukung di alamat ini."),
    "unit_not_found": _("Unit layanan '{slug}' tidak ditemukan atau tidak aktif."),
    "object_not_found": _("Data yang diminta tidak ditemukan."),
    # API results for staff (/api/v1/results/…)
    "auth_required": _(
        "Masuk dulu, atau kirim token API yang masih berlaku sebagai header 'Authorization: Bearer <kunci>'."
    ),
    "results_bad_date": _("Tanggal {field} '{value}' tidak sah; tulis TTTT-BB-HH, mis. 2026-01-31."),
    "results_range_reversed": _("Tanggal from ({start}) jatuh setelah to ({end})."),
    "results_range_too_long": _("Rentang tanggal terlalu panjang: paling lama {limit} hari."),
    "results_unknown_method": _("Metode '{method}' tidak dikenal; pilih salah satu: {choices}."),
    "results_unknown_level": _("Tingkat '{level}' tidak dikenal; pilih units atau services."),
    "results_unit_not_found": _("Unit layanan '{slug}' tidak ditemukan di wilayah kewenangan Anda."),
    "results_service_not_found": _("Jenis layanan '{service}' tidak ada di unit {unit}."),
    "results_pemda_not_found": _("Pemda '{slug}' tidak ditemukan di wilayah kewenangan Anda."),
    "results_pemda_forbidden": _(
        "Hasil seluruh Pemda hanya untuk Admin Pemda dan Pimpinan; baca hasil unit Anda di "
        "/api/v1/results/units/<kode>."
    ),
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
