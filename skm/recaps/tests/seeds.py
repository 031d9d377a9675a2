"""Real rows copied from the seed reports (/work/shared/seeds), with the verdict each gets.

Seed 001: Kota Banjarmasin, Laporan SKM 2024, BAB III — converted values (25–100), weight 0.111.
Seed 003: Kabupaten Banjar, Laporan SKM 2025, Lampiran II — NRR (1–4) or converted values,
weight 1/9, semester rows under annual rows. The comment on each row says where it is and, for an
error, what is wrong in the published report itself.
"""

from __future__ import annotations

from skm.recaps.tests.builders import row

T001 = "Tahunan (1 Juni - 12 November)"

# (row, expected verdict, expected problem codes)
SEED_001 = [
    (
        row(
            "Sekretariat DPRD",
            T001,
            "96,32 86,77 92,94 87,06 92,65 89,85 92,80 89,27 91,18",
            "90,89",
            "A (Sangat Baik)",
            170,
            metode="Online",
        ),
        "0.111",
        set(),
    ),
    (
        row(
            "Badan Kepegawaian Daerah, Pendidikan dan Pelatihan",
            T001,
            "92,32 91,28 91,15 88,54 90,76 91,67 93,36 90,37 91,02",
            "91,07",
            "A (Sangat Baik)",
            192,
            metode="Online",
        ),
        "0.111",
        set(),
    ),
    (
        row(
            "Badan Kesatuan Bangsa dan Politik",
            T001,
            "87,71 88,94 89,76 86,89 88,94 89,35 90,17 86,89 88,94",
            "88,53",
            "A (Sangat Baik)",
            61,
            metode="Online",
        ),
        "0.111",
        set(),
    ),
    # Seed error: the IKM 84,56 is the U9 value; 0.111 gives 84,31.
    (
        row(
            "Badan Perencanaan Pembangunan Daerah - Penelitian dan Pengembangan",
            T001,
            "86,28 85,05 83,09 84,31 83,82 85,30 83,58 83,58 84,56",
            "84,56",
            "B (Baik)",
            102,
            metode="Online",
        ),
        "inconsistent",
        {"ikm_mismatch"},
    ),
    # 91,306 printed as 91,30 (truncated, SPEC §4), still within the rounding of the unsur values.
    (
        row(
            "Dinas Koperasi, Usaha Mikro dan Tenaga Kerja",
            T001,
            "92,31 90,64 91,67 91,54 90,39 92,44 92,95 90,51 90,13",
            "91,30",
            "A (Sangat Baik)",
            195,
            metode="Online",
        ),
        "0.111",
        set(),
    ),
    # Seed error: U5 printed 12,64.
    (
        row(
            "Dinas Pengendalian Penduduk, KB dan Pemberdayaan Masyarakat",
            T001,
            "86,55 85,36 86,00 87,91 12,64 90,09 90,82 87,27 88,09",
            "87,66",
            "B (Baik)",
            275,
            metode="Online",
        ),
        "unverifiable",
        {"unsur_out_of_scale"},
    ),
    # Seed error: U8 printed as an NRR (3,76) among converted values; as 94,00 the IKM fits 0.111.
    (
        row(
            "Kecamatan Banjarmasin Timur",
            T001,
            "93,35 93,43 94,34 92,51 92,97 94,65 94,73 3,76 93,27",
            "93,59",
            "A (Sangat Baik)",
            327,
            metode="Online",
        ),
        "unverifiable",
        {"unsur_out_of_scale"},
    ),
    # Seed error: 86,84 is B, printed "A (Sangat Baik)". Unsur values with 4 decimals.
    (
        row(
            "UPTD TPA Sampah Basirih Dinas Lingkungan Hidup",
            T001,
            "92,0725 89,025 85,975 90,8525 84,1475 86,585 83,5375 85,365 84,755",
            "86,84",
            "A (Sangat Baik)",
            41,
            metode="Online",
        ),
        "0.111",
        {"category_mismatch"},
    ),
    # Seed error: U1 81,93 among values near 99; the IKM 99,23 follows from neither weight.
    (
        row(
            "UPTD Parkir Dinas Perhubungan",
            T001,
            "81,93 99,19 99,19 99,32 94,40 99,75 99,50 99,69 99,69",
            "99,23",
            "A (Sangat Baik)",
            401,
            metode="Online",
        ),
        "inconsistent",
        {"ikm_mismatch"},
    ),
    # Seed error: 0.111 gives 94,14, 1/9 gives 94,23; printed 94,19.
    (
        row(
            "Puskesmas Mantuil",
            "Tahunan (1 Juni - 13 November)",
            "92,31 96,64 92,79 94,71 92,79 94,71 94,71 94,71 94,71",
            "94,19",
            "A (Sangat Baik)",
            52,
            metode="Online",
        ),
        "inconsistent",
        {"ikm_mismatch"},
    ),
    (
        row(
            "Dinas Sosial",
            T001,
            "95,22 94,77 94,33 94,33 94,33 95,79 96,68 92,22 94,84",
            "94,63",
            "A (Sangat Baik)",
            392,
            metode="Online",
        ),
        "0.111",
        set(),
    ),
    # IKM printed with one decimal.
    (
        row(
            "UPTD BPKPAD Kecamatan Banjarmasin Barat",
            T001,
            "96,48 92,51 93,43 89,60 92,74 93,12 94,96 93,43 93,35",
            "93,2",
            "A (Sangat Baik)",
            327,
            metode="Online",
        ),
        "0.111",
        set(),
    ),
    (
        row(
            "UPTD BPKPAD Kecamatan Banjarmasin Tengah",
            T001,
            "89,1625 88,4975 91,73 86,0275 87,1675 92,68 92,68 87,7375 88,1175",
            "89,22",
            "A (Sangat Baik)",
            263,
            metode="Online",
        ),
        "0.111",
        set(),
    ),
]

SEED_003 = [
    # Lampiran II no. 1, NRR with 3 decimals.
    (
        row(
            "SEKRETARIAT DAERAH (SETDA)",
            "Tahunan",
            "3,379 3,407 3,331 3,795 3,344 3,386 3,43 3,451 3,723",
            "86,79",
            "B (Baik)",
            477,
            metode="Manual dan Online",
        ),
        "1/9",
        set(),
    ),
    (
        row(
            "DINAS PERTANIAN (DISTAN)",
            "Tahunan",
            "3,425 3,631 3,393 3,492 3,389 3,587 3,69 3,552 3,536",
            "88,04",
            "B (Baik)",
            97,
            metode="Manual",
        ),
        "1/9",
        set(),
    ),
    (
        row(
            "KECAMATAN PARAMASAN",
            "Tahunan",
            "3,455 3,386 3,432 3,538 3,447 3,53 3,515 3,492 3,53",
            "87,02",
            "B (bAIK)",
            132,
            metode="Manual dan Online",
        ),
        "1/9",
        set(),
    ),
    # Line ~509: IKM printed "88", NRR with 1–2 decimals: both weights fit.
    (
        row(
            "KECAMATAN PENGARON",
            "Tahunan",
            "3,3 3,25 3,46 4 3,61 3,46 3,48 3,57 3,54",
            "88",
            "B (Baik)",
            152,
            metode="Manual",
        ),
        "ambiguous",
        set(),
    ),
    # A unit of the 1/9 Pemda that computes with 0.111 (90,935 printed with 3 decimals).
    (
        row(
            "BADAN PENGELOLAAN KEUANGAN, PENDAPATAN DAN ASET DAERAH (BPKPAD)",
            "Semester 1",
            "3,558 3,555 3,456 4,00 3,515 3,638 3,649 3,938 3,461",
            "90,935",
            "A (Sangat Baik)",
            373,
            metode="Online dan Manual",
        ),
        "0.111",
        set(),
    ),
    (
        row(
            "UPTD PUSKESMAS MARTAPURA 1",
            "Semester 1",
            "99,44 99,44 99,58 99,17 99,17 99,72 99,72 99,86 98,06",
            "99,25",
            "A (Sangat Baik)",
            180,
            metode="Online",
        ),
        "0.111",
        set(),
    ),
    # Seed error: 0.111 gives 89,80, 1/9 gives 89,89; printed 88,97.
    (
        row(
            "KELURAHAN MURUNG KERATON",
            "Tahunan",
            "3,54 3,49 3,88 3,79 3,42 3,68 3,39 3,59 3,58",
            "88,97",
            "A (Sangat Baik)",
            113,
            metode="Manual dan Online",
        ),
        "inconsistent",
        {"ikm_mismatch"},
    ),
    # Seed error: IKM 86,5 (unsur give 92,89) and "A (Sangat Baik)" for 86,5.
    (
        row(
            "KELURAHAN GAMBUT",
            "Tahunan",
            "3,75 3,69 3,69 3,71 3,72 3,72 3,68 3,75 3,73",
            "86,5",
            "A (Sangat Baik)",
            100,
            metode="Manual",
        ),
        "inconsistent",
        {"ikm_mismatch", "category_mismatch"},
    ),
    # Seed error: 87,08 printed "A (Sangat Baik)". With 100 respondents each NRR is k/100, so the
    # two-decimal values are exact: 1/9 gives 87,08, 0.111 gives 87,00 (rounded, both fit).
    (
        row(
            "KECAMATAN SUNGAI PINANG",
            "Tahunan",
            "3,45 3,43 3,48 3,44 3,35 3,57 3,48 3,53 3,62",
            "87,08",
            "A (Sangat Baik)",
            100,
            metode="Manual",
        ),
        "1/9",
        {"category_mismatch"},
    ),
    # Seed error: the converted values of Semester I give 80,53; printed 80,35 (digits swapped).
    (
        row(
            "UPTD PUSKESMAS MARTAPURA BARAT",
            "Semester I",
            "79,9 80,1 78,6 79,7 80,1 80,7 81,9 80,3 83,5",
            "80,35",
            "B (Baik)",
            385,
            metode="Manual",
        ),
        "inconsistent",
        {"ikm_mismatch"},
    ),
    # Line ~452: the annual row is the mean of its semesters (88,64 from 87,61 and 89,66).
    (
        row(
            "RSUD RATU ZALECHA",
            "Tahunan",
            "88,55 88,13 85,94 91,68 88,51 88,69 89,08 86,88 90,20",
            "88,64",
            "A (Sangat Baik)",
            4083,
        ),
        "1/9",
        set(),
    ),
    (
        row(
            "RSUD RATU ZALECHA",
            "Semester 1",
            "87,40 87,48 84,65 91,68 87,15 87,28 87,68 85,65 89,55",
            "87,61",
            "B (Baik)",
            1686,
        ),
        "1/9",
        set(),
    ),
    # Seed error (small): its NRR give at most 89,65 with 1/9; printed 89,66.
    (
        row(
            "RSUD RATU ZALECHA",
            "Semester II",
            "3,588 3,551 3,489 3,667 3,595 3,604 3,619 3,524 3,634",
            "89,66",
            "A (Sangat Baik)",
            2397,
            metode="Manual dan Online",
        ),
        "inconsistent",
        {"ikm_mismatch"},
    ),
    # Seed error: semester 2 repeats the nine values of semester 1 (n 373 and 365).
    (
        row(
            "UPTD PUSKESMAS SUNGAI TABUK 2",
            "Semester 1",
            "3,434 3,547 3,536 3,239 3,724 3,735 3,681 3,193 3,710",
            "88,33",
            "A (Sangat Baik)",
            373,
            metode="Manual",
        ),
        "1/9",
        {"copy"},
    ),
    (
        row(
            "UPTD PUSKESMAS SUNGAI TABUK 2",
            "Semester 2",
            "3,434 3,547 3,536 3,239 3,724 3,735 3,681 3,193 3,71",
            "88,33",
            "A (Sangat Baik)",
            365,
            metode="Manual",
        ),
        "1/9",
        {"copy"},
    ),
    # Lines ~753–762: annual = mean of the semesters; semester II is 86,11 but printed "A".
    (
        row(
            "UPTD PUSKESMAS MATARAMAN",
            "Tahunan",
            "100,00 100,00 75,00 75,00 100,00 87,50 100,00 87,50 87,50",
            "90,28",
            "A (sangat Baik)",
            400,
        ),
        # Its converted values are NRR × 25 (87,50 = 3,50 × 25), read as two-decimal NRRs
        # (± 0,125, not ± 1,25): 0.111 reaches at most 90,27. Being the mean of its semesters it
        # is not read as k/400 (annual rows with sub-period rows are judged on rounding alone).
        "1/9",
        set(),
    ),
    (
        row(
            "UPTD PUSKESMAS MATARAMAN",
            "Semester I",
            "4 4 3 3 4 4 4 4 4",
            "94,44",
            "A (Sangat Baik)",
            200,
            metode="Manual dan Online",
        ),
        # "4" is 4,00 (a two-decimal NRR with its zeros dropped), not 3,5–4: 1/9 gives 94,44,
        # 0.111 94,35.
        "1/9",
        set(),
    ),
    (
        row(
            "UPTD PUSKESMAS MATARAMAN",
            "Semester II",
            "4 4 3 3 4 3 4 3 3",
            "86,11",
            "A (Sangat Baik)",
            200,
            metode="Manual dan Online",
        ),
        # As semester I: 1/9 gives 86,11, 0.111 86,03.
        "1/9",
        {"category_mismatch"},
    ),
    # Line ~423: converted values printed under 2-decimal NRRs (81,75 = 3,27 × 25) carry the NRR's
    # rounding; read at their own ±0,005 they would wrongly call 82,11 inconsistent.
    (
        row(
            "SATUAN POLISI PAMONG PRAJA (SATPOL PP)",
            "Tahunan",
            "81,75 82,00 80,00 84,00 81,00 82,50 81,25 81,75 85,25",
            "82,11",
            "B (Baik)",
            268,
            metode="Manual dan Online",
        ),
        "ambiguous",
        set(),
    ),
]
