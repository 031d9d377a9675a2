from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from skm.organisation.models import Period
from skm.testing import make_pemda

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "start", "end"),
    [
        ("tw1", dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
        ("tw4", dt.date(2024, 10, 1), dt.date(2024, 12, 31)),
        ("s1", dt.date(2024, 1, 1), dt.date(2024, 6, 30)),
        ("s2", dt.date(2024, 7, 1), dt.date(2024, 12, 31)),
        ("tahunan", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    ],
)
def test_standard_ranges(kind, start, end):
    assert Period.standard_range(kind, 2024) == (start, end)


def test_custom_range_and_labels():
    pemda = make_pemda()
    custom = Period.objects.create(
        pemda=pemda,
        kind="custom",
        year=2024,
        label="1 Juni – 12 November",
        start=dt.date(2024, 6, 1),
        end=dt.date(2024, 11, 12),
    )
    assert str(custom) == "1 Juni – 12 November"
    yearly = Period.objects.create(
        pemda=pemda, kind="tahunan", year=2024, start=dt.date(2024, 1, 1), end=dt.date(2024, 11, 13)
    )
    assert str(yearly) == "Tahunan 2024"
    assert yearly.contains(dt.date(2024, 11, 13)) and not yearly.contains(dt.date(2024, 11, 14))


def test_end_before_start_is_refused():
    pemda = make_pemda()
    period = Period(pemda=pemda, kind="custom", year=2024, start=dt.date(2024, 5, 1), end=dt.date(2024, 4, 1))
    with pytest.raises(ValidationError, match="tidak boleh sebelum"):
        period.full_clean()
    with pytest.raises(IntegrityError):
        period.save()


def test_one_standard_period_of_a_kind_per_year():
    pemda = make_pemda()
    Period.objects.create(
        pemda=pemda, kind="s1", year=2024, start=dt.date(2024, 1, 1), end=dt.date(2024, 6, 30)
    )
    with pytest.raises(IntegrityError):
        Period.objects.create(
            pemda=pemda, kind="s1", year=2024, start=dt.date(2024, 1, 1), end=dt.date(2024, 6, 30)
        )
