"""The PermenPAN-RB 14/2017 instrument as data (SPEC §3): nine unsur, their questions and
options (1 → 4), and the respondent profile. Per-Pemda copies are made from this.

The texts are Indonesian, marked for translation without being translated here (gettext_noop):
a Pemda's copy stores them with their English from skm/locale/en (skm.instrument.setup), and
the Pemda may then reword both.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_noop as _

# Stable codes of the respondent profile; answers and rollups store these, labels are per Pemda.
GENDERS = (("L", _("Laki-laki")), ("P", _("Perempuan")))
AGE_BANDS = (
    ("u18", _("≤ 18 tahun")),
    ("u25", _("19–25 tahun")),
    ("u35", _("26–35 tahun")),
    ("u45", _("36–45 tahun")),
    ("u55", _("46–55 tahun")),
    ("u56", _("≥ 56 tahun")),
)
EDUCATIONS = (
    ("sd", _("SD ke bawah")),
    ("smp", _("SMP")),
    ("sma", _("SMA/SMK")),
    ("d3", _("D1–D3")),
    ("s1", _("D4/S1")),
    ("s2", _("S2 ke atas")),
)
OCCUPATIONS = (
    ("pns", _("PNS/ASN")),
    ("tni", _("TNI/POLRI")),
    ("swasta", _("Pegawai swasta")),
    ("wirausaha", _("Wirausaha")),
    ("pelajar", _("Pelajar/Mahasiswa")),
    ("lainnya", _("Lainnya")),
)
PROFILE_FIELDS = (
    ("gender", _("Jenis kelamin"), GENDERS),
    ("age_band", _("Usia"), AGE_BANDS),
    ("education", _("Pendidikan terakhir"), EDUCATIONS),
    ("occupation", _("Pekerjaan utama"), OCCUPATIONS),
)
PROFILE_CODES: dict[str, tuple[str, ...]] = {
    key: tuple(code for code, _label in options) for key, _name, options in PROFILE_FIELDS
}


@dataclass(frozen=True)
class DefaultQuestion:
    element: str
    name: str
    header: str
    text: str
    options: tuple[str, str, str, str]


QUESTIONS: tuple[DefaultQuestion, ...] = (
    DefaultQuestion(
        "persyaratan",
        _("Persyaratan"),
        "Persyaratan",
        _("Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?"),
        (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai")),
    ),
    DefaultQuestion(
        "prosedur",
        _("Sistem, mekanisme dan prosedur"),
        "Prosedur",
        _("Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?"),
        (_("Tidak mudah"), _("Kurang mudah"), _("Mudah"), _("Sangat mudah")),
    ),
    DefaultQuestion(
        "waktu",
        _("Waktu penyelesaian"),
        "Waktu",
        _("Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?"),
        (_("Tidak cepat"), _("Kurang cepat"), _("Cepat"), _("Sangat cepat")),
    ),
    DefaultQuestion(
        "biaya",
        _("Biaya/tarif"),
        "Biaya",
        _("Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?"),
        (_("Sangat mahal"), _("Cukup mahal"), _("Murah"), _("Gratis")),
    ),
    DefaultQuestion(
        "produk",
        _("Produk spesifikasi jenis pelayanan"),
        "Produk",
        _(
            "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam "
            "standar pelayanan dengan hasil yang diberikan?"
        ),
        (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai")),
    ),
    DefaultQuestion(
        "kompetensi",
        _("Kompetensi pelaksana"),
        "Kompetensi",
        _("Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?"),
        (_("Tidak kompeten"), _("Kurang kompeten"), _("Kompeten"), _("Sangat kompeten")),
    ),
    DefaultQuestion(
        "perilaku",
        _("Perilaku pelaksana"),
        "Perilaku",
        _(
            "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?"
        ),
        (
            _("Tidak sopan dan ramah"),
            _("Kurang sopan dan ramah"),
            _("Sopan dan ramah"),
            _("Sangat sopan dan ramah"),
        ),
    ),
    DefaultQuestion(
        "sarana",
        _("Sarana dan prasarana"),
        "Sarpras",
        _("Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?"),
        (_("Buruk"), _("Cukup"), _("Baik"), _("Sangat baik")),
    ),
    DefaultQuestion(
        "pengaduan",
        _("Penanganan pengaduan, saran dan masukan"),
        "Aduan",
        _("Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?"),
        (
            _("Tidak ada"),
            _("Ada tetapi tidak berfungsi"),
            _("Berfungsi kurang maksimal"),
            _("Dikelola dengan baik"),
        ),
    ),
)
