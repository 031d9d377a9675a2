"""The PermenPAN-RB 14/2017 instrument as data (SPEC §3): nine unsur, their questions and
options (1 → 4), and the respondent profile. Per-Pemda copies are made from this.
"""

from __future__ import annotations

from dataclasses import dataclass

# Stable codes of the respondent profile; answers and rollups store these, labels are per Pemda.
GENDERS = (("L", "Laki-laki", "Male"), ("P", "Perempuan", "Female"))
AGE_BANDS = (
    ("u18", "≤ 18 tahun", "18 or under"),
    ("u25", "19–25 tahun", "19–25"),
    ("u35", "26–35 tahun", "26–35"),
    ("u45", "36–45 tahun", "36–45"),
    ("u55", "46–55 tahun", "46–55"),
    ("u56", "≥ 56 tahun", "56 or over"),
)
EDUCATIONS = (
    ("sd", "SD ke bawah", "Primary or less"),
    ("smp", "SMP", "Junior high"),
    ("sma", "SMA/SMK", "Senior high"),
    ("d3", "D1–D3", "Diploma (D1–D3)"),
    ("s1", "D4/S1", "Bachelor (D4/S1)"),
    ("s2", "S2 ke atas", "Master or higher"),
)
OCCUPATIONS = (
    ("pns", "PNS/ASN", "Civil servant"),
    ("tni", "TNI/POLRI", "Military/police"),
    ("swasta", "Pegawai swasta", "Private employee"),
    ("wirausaha", "Wirausaha", "Self-employed"),
    ("pelajar", "Pelajar/Mahasiswa", "Student"),
    ("lainnya", "Lainnya", "Other"),
)
PROFILE_FIELDS = (
    ("gender", "Jenis kelamin", "Gender", GENDERS),
    ("age_band", "Usia", "Age", AGE_BANDS),
    ("education", "Pendidikan terakhir", "Education", EDUCATIONS),
    ("occupation", "Pekerjaan utama", "Occupation", OCCUPATIONS),
)
PROFILE_CODES: dict[str, tuple[str, ...]] = {
    key: tuple(c for c, _, _ in opts) for key, _, _, opts in PROFILE_FIELDS
}


@dataclass(frozen=True)
class DefaultQuestion:
    element: str
    name: str
    header: str
    text: str
    text_en: str
    options: tuple[str, str, str, str]
    options_en: tuple[str, str, str, str]


QUESTIONS: tuple[DefaultQuestion, ...] = (
    DefaultQuestion(
        "persyaratan",
        "Persyaratan",
        "Persyaratan",
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
        "How well do the service requirements fit the service?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
        ("Not suitable", "Less suitable", "Suitable", "Very suitable"),
    ),
    DefaultQuestion(
        "prosedur",
        "Sistem, mekanisme dan prosedur",
        "Prosedur",
        "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        "How easy is the service procedure at this unit?",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
        ("Not easy", "Less easy", "Easy", "Very easy"),
    ),
    DefaultQuestion(
        "waktu",
        "Waktu penyelesaian",
        "Waktu",
        "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        "How fast was the service delivered?",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
        ("Not fast", "Less fast", "Fast", "Very fast"),
    ),
    DefaultQuestion(
        "biaya",
        "Biaya/tarif",
        "Biaya",
        "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        "How fair is the fee for the service?",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
        ("Very expensive", "Fairly expensive", "Cheap", "Free"),
    ),
    DefaultQuestion(
        "produk",
        "Produk spesifikasi jenis pelayanan",
        "Produk",
        "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam "
        "standar pelayanan dengan hasil yang diberikan?",
        "Does the product you received match the service standard?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
        ("Not suitable", "Less suitable", "Suitable", "Very suitable"),
    ),
    DefaultQuestion(
        "kompetensi",
        "Kompetensi pelaksana",
        "Kompetensi",
        "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        "How competent were the staff who served you?",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
        ("Not competent", "Less competent", "Competent", "Very competent"),
    ),
    DefaultQuestion(
        "perilaku",
        "Perilaku pelaksana",
        "Perilaku",
        "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
        "How polite and friendly were the staff?",
        ("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah", "Sangat sopan dan ramah"),
        (
            "Not polite and friendly",
            "Less polite and friendly",
            "Polite and friendly",
            "Very polite and friendly",
        ),
    ),
    DefaultQuestion(
        "sarana",
        "Sarana dan prasarana",
        "Sarpras",
        "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        "How good are the facilities?",
        ("Buruk", "Cukup", "Baik", "Sangat baik"),
        ("Poor", "Fair", "Good", "Very good"),
    ),
    DefaultQuestion(
        "pengaduan",
        "Penanganan pengaduan, saran dan masukan",
        "Aduan",
        "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        "How are complaints and suggestions handled?",
        ("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal", "Dikelola dengan baik"),
        ("None", "Exists but does not work", "Works, not fully", "Well managed"),
    ),
)
