"""Rollups equal a fresh aggregation of raw answers (the full hypothesis test is the collection issue's)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from skm.collection import rollups
from skm.collection.models import ROLLUP_SUM_COLUMNS, Answer, DailyRollup
from skm.scoring.ikm import score_answers, score_tallies
from skm.testing import make_answer, make_pd, make_pemda, make_service, make_unit

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        (r.unit_id, r.service_key, r.day, r.is_excluded): tuple(getattr(r, c) for c in ROLLUP_SUM_COLUMNS)
        for r in DailyRollup.objects.all()
        if r.n
    }


def test_apply_then_rebuild_agree_and_scores_match_raw_answers():
    pemda = make_pemda()
    unit = make_unit(make_pd(pemda))
    service = make_service(unit)
    answers = [
        make_answer(unit, [4, 3, 3, 4, 3, 3, 4, 2, 3], gender="L", age_band="u25", service=service),
        make_answer(unit, [3, None, 2, 4, 3, 4, 4, 3, 2], gender="P", education="s1"),
        make_answer(unit, [1, 2, 2, 4, 1, 2, 3, 1, 1], occupation="pns", excluded=True),
    ]
    applied = snapshot()
    rollups.rebuild()
    assert snapshot() == applied
    summary = rollups.summarise(DailyRollup.objects.filter(unit=unit, is_excluded=False))
    assert summary.n == 2
    assert summary.tallies["prosedur"].count == 1
    assert summary.profile["gender"] == {"L": 1, "P": 1}
    assert summary.complete == 1 and summary.total_sum == 29 and summary.total_sumsq == 29 * 29
    from_rollup = score_tallies(summary.tallies, summary.n)
    from_raw = score_answers([a.values() for a in answers[:2]])
    assert from_rollup.ikm == from_raw.ikm
    assert from_rollup.unsur["persyaratan"].nrr == Fraction(7, 2)


def test_removal_takes_the_answer_back_out():
    pemda = make_pemda()
    unit = make_unit(make_pd(pemda))
    keep = make_answer(unit, [4] * 9)
    gone = make_answer(unit, [1] * 9)
    rollups.apply([gone], sign=-1)
    Answer.objects.filter(pk=gone.pk).delete()
    after = snapshot()
    rollups.rebuild()
    assert snapshot() == after
    assert rollups.summarise(DailyRollup.objects.all()).n == 1
    assert keep.pk


def test_rebuild_of_one_pemda_leaves_others_alone():
    a, b = make_pemda(), make_pemda()
    make_answer(make_unit(make_pd(a)))
    make_answer(make_unit(make_pd(b)))
    DailyRollup.objects.filter(pemda=b).update(n=99)
    rollups.rebuild(a.pk)
    assert DailyRollup.objects.get(pemda=b).n == 99
    rollups.rebuild(b.pk)
    assert DailyRollup.objects.get(pemda=b).n == 1
