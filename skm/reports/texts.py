"""The report's editable text blocks and their defaults (SPEC §6: cover, foreword, optional
Ringkasan Eksekutif, BAB I background, legal basis and aims, BAB II method and location).

The defaults follow the seeds' wording and PermenPAN-RB 14/2017. They are the document's content,
in Indonesian as the regulation's reports are, not interface text: a Pemda replaces any of them in
its report settings (skm.reports.models.ReportSettings.texts) and its template. Paragraphs are
separated by a blank line; ``{pemda}`` and ``{tahun}`` are filled in.
"""

from __future__ import annotations

from collections.abc import Mapping

DEFAULTS: dict[str, str] = {
    "judul": "Laporan Pelaksanaan Survei Kepuasan Masyarakat",
    "disusun_oleh": "Bagian Organisasi Sekretariat Daerah",
    "kata_pengantar": (
        "Puji syukur kami panjatkan kehadirat Tuhan Yang Maha Esa, karena atas rahmat-Nya Laporan "
        "Pelaksanaan Survei Kepuasan Masyarakat (SKM) {pemda} Tahun {tahun} dapat diselesaikan.\n\n"
        "Laporan ini diharapkan menjadi bahan evaluasi bagi seluruh unit penyelenggara pelayanan "
        "publik untuk terus memperbaiki kualitas pelayanan kepada masyarakat.\n\n"
        "Terima kasih kami sampaikan kepada seluruh unit penyelenggara pelayanan atas pelaksanaan "
        "survei, dan kepada masyarakat yang telah berpartisipasi sebagai responden."
    ),
    "ringkasan": "",
    "latar_belakang": (
        "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik dan Peraturan Pemerintah Nomor "
        "96 Tahun 2012 tentang Pelaksanaan Undang-Undang Nomor 25 Tahun 2009 mengamanatkan "
        "penyelenggara wajib mengikutsertakan masyarakat dalam penyelenggaraan pelayanan publik "
        "sebagai upaya membangun sistem penyelenggaraan pelayanan publik yang adil, transparan, dan "
        "akuntabel.\n\n"
        "Survei Kepuasan Masyarakat di lingkup {pemda} diselenggarakan untuk mengetahui sejauh mana "
        "kualitas pelayanan yang diberikan kepada masyarakat, sebagai bahan evaluasi dan masukan "
        "bagi penyelenggara pelayanan untuk terus melakukan perbaikan."
    ),
    "dasar_hukum": (
        "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;\n"
        "Peraturan Pemerintah Nomor 96 Tahun 2012 tentang Pelaksanaan Undang-Undang Nomor 25 Tahun "
        "2009 tentang Pelayanan Publik;\n"
        "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 14 Tahun 2017 "
        "tentang Pedoman Penyusunan Survei Kepuasan Masyarakat Unit Penyelenggara Pelayanan Publik;\n"
        "Surat Edaran Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 11 Tahun "
        "2021 tentang Pelaksanaan Survei Kepuasan Masyarakat di Lingkup Instansi Pemerintah."
    ),
    "tujuan": (
        "Mengidentifikasi kelemahan dalam penyelenggaraan pelayanan;\n"
        "Mengetahui kinerja pelayanan yang telah dilaksanakan oleh unit pelayanan publik secara "
        "periodik;\n"
        "Mengetahui indeks kepuasan masyarakat pada lingkup organisasi penyelenggara pelayanan;\n"
        "Menjadi dasar penetapan kebijakan dan perbaikan kualitas pelayanan;\n"
        "Memberikan gambaran kepada masyarakat mengenai kinerja penyelenggara pelayanan."
    ),
    "pelaksana": (
        "Survei Kepuasan Masyarakat dilaksanakan oleh tim pelaksana SKM {pemda} bersama admin SKM "
        "pada setiap unit penyelenggara pelayanan publik (sebagaimana terlampir), pada unit-unit "
        "berikut:"
    ),
    "lokasi": (
        "Pengumpulan data dilakukan di lokasi unit pelayanan pada jam layanan. Responden mengisi "
        "kuesioner sendiri secara elektronik (tautan dan kode QR, anjungan di loket) atau pada "
        "kuesioner kertas yang kemudian dimasukkan oleh petugas unit."
    ),
    "bukti_dukung": "",
    "catatan_ttd_elektronik": (
        "Sesuai dengan ketentuan peraturan perundang-undangan yang berlaku, dokumen ini telah "
        "ditandatangani secara elektronik menggunakan sertifikat elektronik sehingga tidak "
        "diperlukan tanda tangan dan stempel basah."
    ),
}

# PermenPAN-RB 14/2017: the nine unsur and what each measures (BAB II of seed 001).
DEFINITIONS: dict[str, str] = {
    "persyaratan": "syarat yang harus dipenuhi dalam pengurusan suatu jenis pelayanan, baik persyaratan "
    "teknis maupun administratif.",
    "prosedur": "tata cara pelayanan yang dibakukan bagi pemberi dan penerima pelayanan, termasuk pengaduan.",
    "waktu": "jangka waktu yang diperlukan untuk menyelesaikan seluruh proses pelayanan dari setiap jenis "
    "pelayanan.",
    "biaya": "ongkos yang dikenakan kepada penerima layanan dalam mengurus dan/atau memperoleh pelayanan "
    "dari penyelenggara, yang besarnya ditetapkan berdasarkan kesepakatan antara penyelenggara dan "
    "masyarakat.",
    "produk": "hasil pelayanan yang diberikan dan diterima sesuai dengan ketentuan yang telah ditetapkan.",
    "kompetensi": "kemampuan yang harus dimiliki oleh pelaksana, meliputi pengetahuan, keahlian, "
    "keterampilan dan pengalaman.",
    "perilaku": "sikap petugas dalam memberikan pelayanan.",
    "sarana": "segala sesuatu yang dapat dipakai sebagai alat dalam mencapai maksud dan tujuan (sarana) dan "
    "yang merupakan penunjang utama terselenggaranya suatu proses (prasarana).",
    "pengaduan": "tata cara pelaksanaan penanganan pengaduan dan tindak lanjut.",
}


def text_blocks(overrides: Mapping[str, str], *, pemda: str, year: int) -> dict[str, str]:
    """Every block: the Pemda's own text where it set one, else the default; names filled in."""
    out = {}
    for key, default in DEFAULTS.items():
        text = overrides.get(key)
        text = default if text is None else text
        out[key] = text.replace("{pemda}", pemda).replace("{tahun}", str(year))
    return out


def paragraphs(text: str) -> list[str]:
    """A block's paragraphs (a blank line between two)."""
    return [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def lines(text: str) -> list[str]:
    """A block's list items (one per line)."""
    return [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
