"""The Table Schemas of a Pemda's open data package (Frictionless Data Package, SPEC §6).

Each resource is one table published twice with the same rows: ``<name>.csv`` and ``<name>.json``.
Names of resources and fields are stable: they are the package's public interface, and data of
different Pemda can be compared column by column. Descriptions carry both languages in one string
("Indonesia / English") because the file is read by people of either; they are not gettext
messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Free text from the public (suggestions) and the units' replies pass through the spreadsheet rule
# of skm.lib.spreadsheet; the fields that carry it say so with this sentence.
FORMULA_SAFE_ID = (
    "Teks yang diawali = + - @ (atau yang memuat pola itu setelah koma, titik koma, tab atau baris baru) "
    "diberi tanda petik tunggal (') di depannya agar tidak dibaca sebagai rumus oleh program lembar kerja."
)
FORMULA_SAFE_EN = (
    "Text starting with = + - @ (or holding one after a comma, semicolon, tab or line break) is prefixed "
    "with an apostrophe (') so that spreadsheet programs do not read it as a formula."
)


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # string, integer, number, date, datetime, boolean
    description: str
    required: bool = False
    enum: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def descriptor(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type, "description": self.description}
        if self.type == "number":
            out["decimalChar"] = "."
            out["groupChar"] = ""
        if self.type == "boolean":
            out["trueValues"] = ["true"]
            out["falseValues"] = ["false"]
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        constraints |= self.extra
        if constraints:
            out["constraints"] = constraints
        return out


@dataclass(frozen=True)
class Resource:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "fields": [f.descriptor() for f in self.fields],
            "missingValues": [""],
            "primaryKey": list(self.primary_key),
        }
        if self.foreign_keys:
            out["foreignKeys"] = [
                {"fields": list(mine), "reference": {"resource": other, "fields": list(theirs)}}
                for mine, other, theirs in self.foreign_keys
            ]
        return out


def _periode_key() -> Field:
    return Field(
        "periode_kode",
        "string",
        "Kode periode: <tahun>-<jenis> (mis. 2025-tahunan), <tahun>-custom-<nomor> untuk rentang khusus, "
        "<tahun>-berjalan untuk tahun berjalan. / Period code: <year>-<kind> (e.g. 2025-tahunan), "
        "<year>-custom-<number> for a custom range, <year>-berjalan for the running year.",
        required=True,
    )


def _unit_key() -> Field:
    return Field(
        "unit_kode",
        "string",
        "Kode tautan UPP (tetap, dipakai di alamat survei). / The service unit's link code (stable, used "
        "in its survey address).",
        required=True,
    )


def _ikm(places: int) -> Field:
    return Field(
        "ikm",
        "number",
        f"Indeks Kepuasan Masyarakat, skala 25–100, dibulatkan setengah ke atas ke {places} desimal (presisi "
        "tampilan Pemda); kosong bila belum dapat dihitung, tidak pernah 0. / Community Satisfaction Index, "
        f"25–100 scale, rounded half up to {places} decimals (the Pemda's display precision); empty when it "
        "cannot be computed, never 0.",
        extra={"minimum": 25, "maximum": 100},
    )


MUTU = Field(
    "mutu",
    "string",
    "Mutu pelayanan A/B/C/D (PermenPAN-RB 14/2017), dari nilai yang dibulatkan 2 desimal; kosong tanpa IKM. "
    "/ Service quality grade A/B/C/D, decided on the value rounded to 2 decimals; empty without an IKM.",
    enum=("A", "B", "C", "D"),
)
KINERJA = Field(
    "kinerja",
    "string",
    "Kinerja unit pelayanan (Sangat Baik, Baik, Kurang Baik, Tidak Baik). / Service unit performance "
    "(Very good, Good, Poor, Very poor), in Indonesian.",
)


def _n(what_id: str, what_en: str) -> Field:
    return Field(
        "n",
        "integer",
        f"Jumlah responden {what_id} (jawaban yang ditandai dan dikecualikan tidak dihitung). / Number of "
        f"respondents {what_en} (answers flagged and excluded are not counted).",
        required=True,
        extra={"minimum": 0},
    )


def resources(places: int, nrr_places: int) -> tuple[Resource, ...]:
    """Every resource of the package, in the order datapackage.json lists them."""
    periode_fk = ((("periode_kode",), "periode", ("periode_kode",)),)
    unit_fk = ((("periode_kode", "unit_kode"), "hasil-unit", ("periode_kode", "unit_kode")),)
    return (
        Resource(
            "periode",
            "Periode / Periods",
            "Setiap periode yang sudah ditutup (angka beku dari snapshot-nya) dan tahun berjalan sampai "
            "tanggal pembangunan (sementara). / Every closed period (frozen figures from its snapshot) and "
            "the running year up to the build date (provisional).",
            (
                _periode_key(),
                Field("periode_label", "string", "Nama periode. / Period name.", required=True),
                Field(
                    "jenis",
                    "string",
                    "Jenis: tahunan, s1, s2, tw1–tw4, custom, berjalan. / Kind: yearly, semester, quarter, "
                    "custom, running year.",
                    required=True,
                ),
                Field("tahun", "integer", "Tahun. / Year.", required=True),
                Field("mulai", "date", "Tanggal mulai. / First day.", required=True),
                Field(
                    "selesai", "date", "Tanggal selesai (data sampai tanggal ini). / Last day.", required=True
                ),
                Field(
                    "status",
                    "string",
                    "final: periode ditutup, angka beku; sementara: tahun berjalan, angka dapat berubah. / "
                    "final: closed period, frozen figures; sementara: running year, provisional.",
                    required=True,
                    enum=("final", "sementara"),
                ),
                Field(
                    "versi_snapshot",
                    "integer",
                    "Versi snapshot yang dibaca (naik setiap kali periode ditutup lagi); kosong bila "
                    "sementara. / Snapshot version read (grows each time the period is closed again); empty "
                    "when provisional.",
                ),
                Field(
                    "batas_data",
                    "datetime",
                    "Saat periode ditutup (batas data snapshot, UTC); bagi tahun berjalan: saat berkas "
                    "dibangun. / When the period was closed (the snapshot's cut-off, UTC); for the running "
                    "year: when the files were built.",
                    required=True,
                ),
            ),
            ("periode_kode",),
        ),
        Resource(
            "hasil-pemda",
            "Hasil Pemda per periode dan metode / The Pemda's results per period and method",
            "IKM Pemda dengan ketiga metode agregasi pada dua tingkat: dari UPP dan dari jenis "
            "layanan. Kolom metode_pemda menandai metode yang dipilih Pemda (yang tampil di halamannya). / "
            "The Pemda's IKM by each of the three aggregation methods at two levels: over its units and "
            "over its services. metode_pemda marks the method the Pemda chose (the one its pages show).",
            (
                _periode_key(),
                Field(
                    "metode",
                    "string",
                    "Kode metode agregasi: mean_of_units (rerata IKM bagian, tanpa bobot), pooled (semua "
                    "jawaban sekaligus), respondent_weighted (rerata berbobot responden). / Aggregation "
                    "method: unweighted mean of the parts' IKM, pooled answers, respondent-weighted mean.",
                    required=True,
                    enum=("mean_of_units", "pooled", "respondent_weighted"),
                ),
                Field("metode_label", "string", "Nama metode. / Method name (Indonesian).", required=True),
                Field(
                    "tingkat",
                    "string",
                    "Yang dirata-ratakan: pemda (UPP-nya), service (jenis layanannya). / What is averaged: "
                    "pemda (its units), service (its service products).",
                    required=True,
                    enum=("pemda", "service"),
                ),
                Field(
                    "metode_pemda",
                    "boolean",
                    "true bila ini metode dan tingkat yang dipilih Pemda. / true for the Pemda's own "
                    "method and level.",
                    required=True,
                ),
                _ikm(places),
                MUTU,
                KINERJA,
                _n("seluruh bagian", "over all parts"),
                Field(
                    "bagian",
                    "integer",
                    "Jumlah bagian (UPP atau jenis layanan) yang ikut dihitung. / Number of parts (units or "
                    "services) used.",
                    required=True,
                ),
                Field("keterangan", "string", "Catatan metode. / Note on the method (Indonesian)."),
            ),
            ("periode_kode", "metode", "tingkat"),
            periode_fk,
        ),
        Resource(
            "hasil-unit",
            "Hasil per UPP dan periode / Results per service unit and period",
            "Satu baris per UPP per periode. UPP aktif tanpa jawaban pada periode itu tetap mendapat baris "
            "dengan n = 0 dan IKM kosong (tidak pernah 0). / One row per unit per period. An active unit "
            "without answers in the period still has a row, with n = 0 and an empty IKM (never 0).",
            (
                _periode_key(),
                Field("periode_label", "string", "Nama periode. / Period name.", required=True),
                Field("mulai", "date", "Tanggal mulai periode. / First day of the period.", required=True),
                Field("selesai", "date", "Tanggal selesai periode. / Last day of the period.", required=True),
                Field(
                    "status",
                    "string",
                    "final (beku) atau sementara (tahun berjalan). / final (frozen) or sementara "
                    "(provisional, running year).",
                    required=True,
                    enum=("final", "sementara"),
                ),
                Field(
                    "versi_snapshot",
                    "integer",
                    "Versi snapshot; kosong bila sementara. / Snapshot version; empty when provisional.",
                ),
                _unit_key(),
                Field("unit_nama", "string", "Nama UPP. / Service unit name.", required=True),
                Field(
                    "perangkat_daerah", "string", "Perangkat Daerah induk. / Parent agency.", required=True
                ),
                Field("jenis_unit", "string", "Jenis unit. / Unit type.", required=True),
                _ikm(places),
                MUTU,
                KINERJA,
                _n("UPP pada periode ini", "of the unit in the period"),
                Field(
                    "selang_bawah",
                    "number",
                    f"Batas bawah selang kepercayaan 95 % IKM ({places} desimal); kosong bila tidak "
                    f"tersedia. / Lower bound of the IKM's 95 % confidence interval ({places} decimals).",
                ),
                Field(
                    "selang_atas",
                    "number",
                    f"Batas atas selang kepercayaan 95 % IKM ({places} desimal). / Upper bound of the IKM's "
                    "95 % confidence interval.",
                ),
                Field(
                    "populasi",
                    "integer",
                    "Populasi (pengguna layanan) yang dinyatakan UPP; kosong bila tidak dinyatakan. / "
                    "Population (service users) the unit states; empty when not stated.",
                ),
                Field(
                    "sampel_minimal",
                    "integer",
                    "Sampel minimal menurut Krejcie & Morgan (1970) untuk populasi itu. / Minimum sample by "
                    "Krejcie & Morgan (1970) for that population.",
                ),
                Field(
                    "sampel_memadai",
                    "boolean",
                    "Apakah jumlah responden memadai; kosong bila tidak dapat dinilai. / Whether the sample "
                    "is adequate; empty when it cannot be judged.",
                ),
                Field(
                    "metode_skm",
                    "string",
                    "Metode SKM dari kanal jawaban: online, manual (kuesioner kertas), hybrid. / Survey "
                    "method from the answers' channels: online, manual (paper), hybrid.",
                    enum=("online", "manual", "hybrid"),
                ),
            ),
            ("periode_kode", "unit_kode"),
            periode_fk,
        ),
        Resource(
            "hasil-unsur",
            "Nilai per unsur / Results per element",
            "NRR dan nilai konversi setiap unsur untuk setiap UPP dan periode dengan jawaban; unsur dan "
            "urutannya dari instrumen Pemda. / NRR and converted value of each element for each unit and "
            "period with answers; elements and their order from the Pemda's instrument.",
            (
                _periode_key(),
                _unit_key(),
                Field(
                    "unsur_kode",
                    "string",
                    "Kode unsur yang tetap (persyaratan, prosedur, waktu, biaya, produk, kompetensi, "
                    "perilaku, sarana, pengaduan). / Stable element code.",
                    required=True,
                ),
                Field(
                    "unsur_no",
                    "string",
                    "Nomor unsur di kuesioner Pemda (U1…). / Question number.",
                    required=True,
                ),
                Field("unsur_nama", "string", "Nama unsur. / Element name (Indonesian).", required=True),
                Field(
                    "urutan",
                    "integer",
                    "Urutan di instrumen Pemda. / Position in the instrument.",
                    required=True,
                ),
                Field(
                    "jawaban",
                    "integer",
                    "Jumlah jawaban yang mengisi unsur ini. / Answers that gave this element a value.",
                    required=True,
                ),
                Field(
                    "nrr",
                    "number",
                    f"Nilai rata-rata unsur, skala 1–4, {nrr_places} desimal. / Mean element value, 1–4 "
                    f"scale, {nrr_places} decimals.",
                    extra={"minimum": 1, "maximum": 4},
                ),
                Field(
                    "nilai_konversi",
                    "number",
                    f"NRR × 25, {places} desimal. / NRR × 25, {places} decimals.",
                    extra={"minimum": 25, "maximum": 100},
                ),
                MUTU,
            ),
            ("periode_kode", "unit_kode", "unsur_kode"),
            unit_fk,
        ),
        Resource(
            "hasil-layanan",
            "Hasil per jenis layanan / Results per service",
            "IKM setiap jenis layanan yang mendapat jawaban pada periode itu (jawaban tanpa jenis layanan "
            "hanya masuk hasil UPP). / The IKM of each service with answers in the period (answers naming "
            "no service count in the unit's results only).",
            (
                _periode_key(),
                _unit_key(),
                Field("layanan_kode", "string", "Kode tautan layanan. / Service link code.", required=True),
                Field("layanan_nama", "string", "Nama jenis layanan. / Service name.", required=True),
                _ikm(places),
                MUTU,
                KINERJA,
                _n("layanan ini", "of this service"),
            ),
            ("periode_kode", "unit_kode", "layanan_kode"),
            unit_fk,
        ),
        Resource(
            "profil",
            "Profil responden / Respondent profile",
            "Jumlah responden per pilihan setiap pertanyaan profil, untuk setiap UPP dan periode dengan "
            "jawaban; yang tidak mengisi dihitung sebagai pilihan tidak_diisi. / Respondents per option "
            "of each profile question, per unit and period with answers; blanks as option tidak_diisi.",
            (
                _periode_key(),
                _unit_key(),
                Field(
                    "pertanyaan_kode",
                    "string",
                    "gender, age_band, education, occupation.",
                    required=True,
                ),
                Field(
                    "pertanyaan",
                    "string",
                    "Pertanyaan profil. / Profile question (Indonesian).",
                    required=True,
                ),
                Field(
                    "pilihan_kode", "string", "Kode pilihan (tetap). / Option code (stable).", required=True
                ),
                Field(
                    "pilihan",
                    "string",
                    "Label pilihan dari Pemda. / The Pemda's option label.",
                    required=True,
                ),
                Field(
                    "jumlah",
                    "integer",
                    "Jumlah responden. / Respondents.",
                    required=True,
                    extra={"minimum": 0},
                ),
            ),
            ("periode_kode", "unit_kode", "pertanyaan_kode", "pilihan_kode"),
            unit_fk,
        ),
        Resource(
            "saran-terbit",
            "Saran yang diterbitkan beserta balasannya / Published suggestions with their replies",
            "Hanya saran yang dipilih UPP untuk diterbitkan, dengan balasannya; tanpa kontak dan tanpa "
            "data perangkat. / Only the suggestions a unit chose to publish, with its reply; no contact, "
            "no device data.",
            (
                Field(
                    "saran_id", "integer", "Nomor saran (tetap). / Suggestion number (stable).", required=True
                ),
                _unit_key(),
                Field("unit_nama", "string", "Nama UPP. / Service unit name.", required=True),
                Field(
                    "layanan_nama", "string", "Jenis layanan yang dinilai, bila ada. / Service rated, if any."
                ),
                Field(
                    "tanggal",
                    "date",
                    "Tanggal saran diberikan. / Day the suggestion was given.",
                    required=True,
                ),
                Field(
                    "saran",
                    "string",
                    f"Saran responden, apa adanya. {FORMULA_SAFE_ID} / The respondent's suggestion, verbatim. {FORMULA_SAFE_EN}",
                    required=True,
                ),
                Field(
                    "status",
                    "string",
                    "Status tindak lanjut: baru, ditindaklanjuti, selesai. / Follow-up status.",
                    required=True,
                ),
                Field(
                    "balasan",
                    "string",
                    f"Balasan UPP. {FORMULA_SAFE_ID} / The unit's reply. {FORMULA_SAFE_EN}",
                ),
                Field("tanggal_balasan", "date", "Tanggal balasan. / Day of the reply."),
            ),
            ("saran_id",),
        ),
    )
