"""The default instrument, per-Pemda order/labels/weight, and versions that leave the past alone."""

from __future__ import annotations

import pytest

from skm.collection import rollups
from skm.collection.models import DailyRollup
from skm.instrument import setup
from skm.instrument.models import Question
from skm.scoring.elements import ELEMENTS, ELEMENTS_PENGADUAN_BEFORE_SARANA
from skm.scoring.ikm import score_tallies
from skm.testing import make_answer, make_pd, make_pemda, make_unit

pytestmark = pytest.mark.django_db

BANJAR_ORDER = ELEMENTS_PENGADUAN_BEFORE_SARANA


def test_default_instrument_follows_the_regulation():
    pemda = make_pemda()
    version = pemda.instruments.get().current_version()
    questions = list(version.questions.prefetch_related("options"))
    assert [q.element for q in questions] == list(ELEMENTS)
    assert [q.code for q in questions] == [f"U{i}" for i in range(1, 10)]
    biaya = questions[3]
    assert [o.label for o in biaya.options.all()] == ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"]
    assert [o.value for o in biaya.options.all()] == [1, 2, 3, 4]
    fields = list(version.profile_fields.prefetch_related("options"))
    assert [f.key for f in fields] == ["gender", "age_band", "education", "occupation"]
    assert [o.code for o in fields[1].options.all()] == ["u18", "u25", "u35", "u45", "u55", "u56"]
    assert version.locked


def test_per_pemda_order_headers_profile_labels_and_weight():
    pemda = make_pemda(
        weight="1/9",
        order=BANJAR_ORDER,
        headers={"pengaduan": "Aduan", "sarana": "Sarpras"},
        profile_labels={"u56": "+56", "lainnya": "Masyarakat"},
    )
    version = pemda.instruments.get().current_version()
    questions = list(version.questions.all())
    assert (
        questions[7].element == "pengaduan" and questions[7].code == "U8" and questions[7].header == "Aduan"
    )
    assert questions[8].element == "sarana" and questions[8].header == "Sarpras"
    labels = {o.code: o.label for f in version.profile_fields.all() for o in f.options.all()}
    assert labels["u56"] == "+56" and labels["lainnya"] == "Masyarakat" and labels["u18"] == "≤ 18 tahun"
    assert str(pemda.weight_enum.fraction) == "1/9"


def test_extra_questions_never_enter_the_ikm():
    pemda = make_pemda()
    version = setup.new_version(pemda.instruments.get(), note="tambah pertanyaan")
    Question.objects.create(
        version=version,
        position=10,
        element="",
        code="T1",
        name="Zona Integritas",
        header="ZI",
        text="Apakah ada pungli?",
    )
    assert len(version.ikm_questions()) == 9
    assert not Question.objects.get(code="T1").enters_ikm


def test_new_version_changes_wording_but_no_past_result():
    pemda = make_pemda()
    unit = make_unit(make_pd(pemda))
    instrument = pemda.instruments.get()
    v1 = instrument.current_version()
    make_answer(unit, [4, 3, 3, 4, 3, 3, 4, 2, 3])
    make_answer(unit, [3, 3, 2, 4, 3, 4, 4, 3, 2])

    def ikm():
        summary = rollups.summarise(DailyRollup.objects.filter(unit=unit))
        return score_tallies(summary.tallies, summary.n, pemda.weight_enum).ikm

    before = ikm()
    v2 = setup.new_version(instrument, note="kata-kata baru")
    q = v2.questions.get(element="waktu")
    q.text = "Seberapa cepat layanan selesai?"
    q.position, q.code = 99, "U99"
    q.save()
    setup.publish(v2)
    assert instrument.current_version() == v2
    assert v1.questions.get(element="waktu").text.startswith("Bagaimana pendapat Saudara tentang kecepatan")
    assert set(unit.answers.values_list("instrument_version", flat=True)) == {v1.pk}
    make_answer(unit, [3] * 9)  # a new answer uses v2
    assert unit.answers.filter(instrument_version=v2).count() == 1
    unit.answers.filter(instrument_version=v2).delete()
    rollups.rebuild(pemda.pk)
    assert ikm() == before
    assert v2.number == 2 and v2.questions.count() == 9
