"""Figures said in plain words on result pages (SPEC §4: what a small sample's figure is worth)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from skm.lib.numbers import number
from skm.scoring.aggregate import Aggregate, describe
from skm.scoring.sample import KREJCIE_MORGAN_MAX, SampleAdequacy


def sample_sentence(sample: SampleAdequacy, population: int | None) -> str:
    """ "18 jawaban; minimal 80 untuk populasi 100: belum memadai" and its variants."""
    answers = ngettext("%(n)s jawaban", "%(n)s jawaban", sample.n) % {"n": number(sample.n, 0)}
    if sample.required is None or population is None:
        if sample.adequate:
            return _("%(answers)s: memadai untuk populasi berapa pun") % {"answers": answers}
        return _(
            "%(answers)s; populasi belum diisi, jadi kecukupan sampel tidak dapat dinilai "
            "(%(max)s jawaban cukup untuk populasi berapa pun)"
        ) % {"answers": answers, "max": number(KREJCIE_MORGAN_MAX, 0)}
    verdict = _("memadai") if sample.adequate else _("belum memadai")
    return _("%(answers)s; minimal %(required)s untuk populasi %(population)s: %(verdict)s") % {
        "answers": answers,
        "required": number(sample.required, 0),
        "population": number(population, 0),
        "verdict": verdict,
    }


def describe_aggregate(result: Aggregate) -> str:
    """The footnote of an aggregate in the active language: its level, method and what it counted."""
    return describe(result.method, result.level, result.parts, result.n, len(result.skipped), _)
