"""Every Indonesian message of the recap checker, by code (STYLE: one table of codes → messages).

The codes are part of the JSON interface (``problems[].code``, ``notes[].code``); the wording may
change, the codes may not.
"""

from __future__ import annotations

# Errors reading the file itself come from skm.lib.tabular.FILE_MESSAGES.
FILE_ERRORS: dict[str, str] = {
    "column_missing": (
        "Kolom wajib tidak ditemukan: {columns}. Kolom yang ada: {found}. Rekap harus memuat "
        "kolom upp, periode, u1 … u9, ikm, kategori, jumlah_responden (boleh ditambah layanan, "
        "metode, populasi)."
    ),
    "column_duplicate": "Kolom '{column}' muncul lebih dari sekali di baris judul.",
}

PROBLEMS: dict[str, str] = {
    "ikm_mismatch": (
        "IKM {ikm} tidak sesuai dengan nilai unsur: dengan bobot 0,111 seharusnya {w0111}, "
        "dengan bobot 1/9 seharusnya {w19}.{hint}"
    ),
    "ikm_missing": (
        "IKM tidak dicantumkan. Dari nilai unsur: dengan bobot 0,111 {w0111}, dengan bobot 1/9 {w19}."
    ),
    "ikm_out_of_scale": "IKM {ikm} di luar skala 25–100.{hint}",
    "unsur_out_of_scale": "Nilai {unsur} {value} di luar skala {scale}.{hint}",
    "figures_missing": "IKM dan nilai unsur kosong, padahal jumlah responden {n}.",
    "unsur_incomplete": "Nilai unsur tidak lengkap: {missing} kosong, IKM tidak dapat diperiksa.",
    "value_unreadable": "Nilai {column} '{value}' bukan angka.",
    "unit_missing": "Nama unit (upp) kosong.",
    "period_missing": "Periode kosong.",
    "category_mismatch": ("Kategori '{published}' tidak sesuai dengan IKM {ikm} (seharusnya {expected})."),
    "category_unreadable": (
        "Kategori '{published}' tidak dapat dibaca: tulis huruf mutu A–D dan/atau kinerja (mis. 'B (Baik)')."
    ),
    "category_conflict": (
        "Kategori '{published}' bertentangan sendiri: mutu {mutu} berarti '{kinerja_of_mutu}', "
        "bukan '{kinerja}'."
    ),
    "respondents_missing": "Jumlah responden kosong, padahal IKM atau nilai unsur dicantumkan.",
    "respondents_zero_with_data": (
        "Jumlah responden {n}, tetapi {what} dicantumkan: baris dianggap tanpa data."
    ),
    "copy": "Nilai unsur sama persis dengan {others}: kemungkinan disalin.",
    "period_duplicate": "{unit} punya lebih dari satu baris {period} (baris {rows}).",
    "annual_unsur": "Nilai unsur tahunan bukan rata-rata {kind}: {details}.",
    "annual_ikm": "IKM tahunan {ikm} bukan rata-rata {kind} (({terms}) / {count} = {mean}).{hint}",
    "annual_n": "Jumlah responden tahunan {n} bukan jumlah {kind} ({terms} = {total}).",
    "sample_short": "Sampel kurang: {n} responden, perlu {required} untuk populasi {population}.",
    "population_invalid": "Populasi {population} tidak mungkin: sampel tidak dapat dinilai.",
    "sample_exceeds_population": "Jumlah responden {n} melebihi populasi {population}.",
}

NOTES: dict[str, str] = {
    "no_data": "Tanpa responden (no data): tidak diperiksa dan tidak masuk agregat.",
    "unverifiable": "IKM tanpa nilai unsur yang dapat dipakai: kebenarannya tidak dapat diperiksa.",
    "ambiguous": (
        "Angka terlalu kasar untuk menentukan bobot: IKM {ikm} cocok dengan bobot 0,111 ({w0111}) "
        "maupun 1/9 ({w19}) dalam batas pembulatan."
    ),
    "nrr_derived": (
        "Nilai konversi tampaknya NRR {places} desimal × 25 ({value} = {nrr} × 25): "
        "ketelitiannya mengikuti NRR, ±{half} per unsur."
    ),
    "method_unknown": "Metode SKM '{original}' tidak dikenali sebagai online, manual atau hybrid.",
    "annual_partial": "Pemeriksaan tahunan hanya memakai {used}; {missing} tidak ada di rekap.",
    "annual_skipped": "Sebagian pemeriksaan tahunan dilewati: {reason}.",
    "annual_other_kind": "Baris {kind} unit ini tidak dipakai untuk pemeriksaan tahunan.",
    "sample_unknown_n": "Populasi {population} dicantumkan, tetapi jumlah responden kosong.",
}

HINTS: dict[str, str] = {
    "truncated": " IKM tampaknya dipotong, bukan dibulatkan (bobot {weight}: {exact} → {ikm}).",
    "equals_unsur": " IKM sama dengan nilai {unsur}: kemungkinan salah salin kolom.",
    "nrr_in_converted": " Tampaknya nilai NRR: {value} × 25 = {converted}.{fits}",
    "converted_in_nrr": " Tampaknya nilai konversi: {value} / 25 = {nrr}.{fits}",
    "fits_weight": " Dengan nilai itu IKM cocok dengan bobot {weight}.",
    "ikm_nrr_scale": " Tampaknya IKM skala 1–4: {ikm} × 25 = {converted}.",
    "inherited": (
        " IKM tahunan memang rata-rata IKM sub-periode; selisihnya berasal dari {rows}, yang juga"
        " tidak sesuai."
    ),
    "annual_weighted": (
        " Cocok dengan rata-rata tertimbang jumlah responden ({weighted}), padahal tahunan "
        "dihitung sebagai rata-rata biasa."
    ),
}

LEFT_OUT: dict[str, str] = {
    "no_data": "tanpa responden (no data)",
    "represented_by_annual": "diwakili baris tahunan {row}",
    "annual_duplicate": "baris tahunan ganda; dipakai baris {row}",
    "respondents_missing": "jumlah responden kosong",
    "ikm_unusable": "IKM kosong atau di luar skala dan tidak dapat dihitung dari nilai unsur",
    "no_unsur_for_pooled": "tanpa nilai unsur: jawaban tidak dapat digabung",
}


def file_error(code: str, **fields: object) -> str:
    return FILE_ERRORS[code].format(**fields)


def problem_text(code: str, **fields: object) -> str:
    return PROBLEMS[code].format(**fields)


def note_text(code: str, **fields: object) -> str:
    return NOTES[code].format(**fields)


def hint_text(code: str, **fields: object) -> str:
    return HINTS[code].format(**fields)


def left_out_text(code: str, **fields: object) -> str:
    return LEFT_OUT[code].format(**fields)
