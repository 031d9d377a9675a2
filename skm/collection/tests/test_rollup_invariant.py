"""Property: after any mix of submissions, edits, exclusions and deletions, the rollups (daily and
monthly) equal a fresh aggregation of the raw answers (what `skm rollups rebuild` computes), and
the monthly rows equal the daily rows summed per month."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skm.collection import changes, rollups
from skm.collection.models import ROLLUP_SUM_COLUMNS, Answer, DailyRollup, MonthlyRollup
from skm.collection.submit import submit
from skm.collection.validation import Received, validate
from skm.instrument.spec import current_spec
from skm.scoring.elements import ELEMENTS
from skm.testing import make_pd, make_pemda, make_service, make_unit

pytestmark = pytest.mark.django_db

value = st.one_of(st.none(), st.integers(1, 4))
answer_values = st.fixed_dictionaries({e: value for e in ELEMENTS})
profile = st.fixed_dictionaries(
    {
        "gender": st.sampled_from(["", "L", "P"]),
        "age_band": st.sampled_from(["", "u18", "u35", "u56"]),
        "education": st.sampled_from(["", "sd", "s2"]),
        "occupation": st.sampled_from(["", "pns", "lainnya"]),
    }
)
operation = st.one_of(
    st.tuples(
        st.just("submit"), answer_values, profile, st.integers(0, 2), st.integers(0, 3), st.integers(0, 2)
    ),
    st.tuples(st.just("edit"), st.integers(0, 50), answer_values),
    st.tuples(st.just("exclude"), st.integers(0, 50), st.booleans()),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("retry"), st.integers(0, 50)),
)


# Days after 4 May 2026 the answers fall on: two in May, the first of June, the first of July.
DAY_OFFSETS = (0, 27, 28, 58)


def state():
    return sorted(
        (r.unit_id, r.service_key, r.day, r.is_excluded, *(getattr(r, c) for c in ROLLUP_SUM_COLUMNS))
        for r in DailyRollup.objects.all()
        if r.n
    )


def monthly_state():
    return sorted(
        (r.unit_id, r.service_key, r.month, r.is_excluded, *(getattr(r, c) for c in ROLLUP_SUM_COLUMNS))
        for r in MonthlyRollup.objects.all()
        if r.n
    )


def daily_summed_per_month():
    months: dict[tuple, list[int]] = {}
    for r in DailyRollup.objects.all():
        key = (r.unit_id, r.service_key, r.day.replace(day=1), r.is_excluded)
        sums = months.setdefault(key, [0] * len(ROLLUP_SUM_COLUMNS))
        for i, column in enumerate(ROLLUP_SUM_COLUMNS):
            sums[i] += getattr(r, column)
    return sorted((*key, *sums) for key, sums in months.items() if sums[0])


@pytest.fixture
def world():
    pemda = make_pemda()
    units = [make_unit(make_pd(pemda)) for _ in range(3)]
    services = [make_service(units[0]), make_service(units[0])]
    return units, services


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(operation, max_size=25))
def test_rollups_always_equal_a_fresh_aggregation(world, ops):
    units, services = world
    Answer.objects.all().delete()
    DailyRollup.objects.all().delete()
    MonthlyRollup.objects.all().delete()
    base = dt.datetime(2026, 5, 4, 2, 0, tzinfo=dt.UTC)
    keys: list[str] = []
    for op in ops:
        answers = list(Answer.objects.order_by("pk"))
        if op[0] == "submit":
            _, values, prof, unit_i, day_i, service_i = op
            unit = units[unit_i]
            data = {e: ("" if v is None else str(v)) for e, v in values.items()} | prof
            key = uuid.uuid4().hex
            data["idempotency_key"] = key
            if unit == units[0] and service_i < 2:
                data["service"] = str(services[service_i].pk)
            sub = validate(
                Received.from_dict(data), unit=unit, spec=current_spec(unit.pemda_id), channel="manual"
            )
            submit(sub, now=base + dt.timedelta(days=DAY_OFFSETS[day_i]))
            keys.append(key)
        elif op[0] == "retry" and keys:
            key = keys[op[1] % len(keys)]
            if Answer.objects.filter(idempotency_key=key).exists():
                answer = Answer.objects.get(idempotency_key=key)
                # The same questionnaire again (a different one under this key is a KeyConflict).
                data = {e: str(v or "") for e, v in answer.values().items()} | {"idempotency_key": key}
                data |= {p: getattr(answer, p) for p in ("gender", "age_band", "education", "occupation")}
                data["service"] = str(answer.service_id or "")
                receipt = submit(
                    validate(
                        Received.from_dict(data),
                        unit=answer.unit,
                        spec=current_spec(answer.pemda_id),
                        channel="manual",
                    )
                )
                assert not receipt.created
        elif answers and op[0] == "edit":
            changes.edit(answers[op[1] % len(answers)], op[2], user=None)
        elif answers and op[0] == "exclude":
            changes.set_excluded(answers[op[1] % len(answers)], op[2], user=None, reason="uji")
        elif answers and op[0] == "delete":
            changes.delete(answers[op[1] % len(answers)], user=None)
    incremental, incremental_months = state(), monthly_state()
    assert incremental_months == daily_summed_per_month()
    rollups.rebuild()
    assert state() == incremental
    assert monthly_state() == incremental_months
    assert not MonthlyRollup.objects.filter(n=0).exists()
    total = rollups.summarise(DailyRollup.objects.all())
    assert total.n == Answer.objects.count()
    for element in ELEMENTS:
        raw = [getattr(a, element) for a in Answer.objects.all() if getattr(a, element) is not None]
        assert total.tallies[element].count == len(raw)
        assert total.tallies[element].total == sum(raw)


def test_rebuild_command(world, capsys):
    units, _ = world
    from skm.testing import make_answer

    make_answer(units[0])
    DailyRollup.objects.update(n=7)
    MonthlyRollup.objects.update(n=7)
    call_command("rollups", "rebuild")
    assert DailyRollup.objects.get().n == 1
    assert MonthlyRollup.objects.get().n == 1
    assert "Rekap harian dihitung ulang: 1 baris." in capsys.readouterr().out


def test_changes_are_audited(world):
    from skm.accounts.models import AuditEvent
    from skm.testing import make_answer

    units, _ = world
    answer = make_answer(units[0], [3] * 9)
    changes.edit(answer, {"waktu": 1}, user=None, reason="salah ketik")
    changes.set_excluded(answer, True, user=None, reason="isian ganda")
    changes.delete(answer, user=None, reason="kuesioner rusak")
    events = list(AuditEvent.objects.order_by("id").values_list("action", "summary"))
    assert events == [
        ("answer.edit", "salah ketik"),
        ("answer.exclude", "isian ganda"),
        ("answer.delete", "kuesioner rusak"),
    ]
    edit = AuditEvent.objects.get(action="answer.edit")
    assert edit.before["waktu"] == 3 and edit.after["waktu"] == 1 and edit.unit_id == units[0].pk
