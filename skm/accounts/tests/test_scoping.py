"""Every scoped model × every role: what each person sees and may change (SPEC §1)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from skm.accounts.access import can, get_for_user, scoped
from skm.accounts.scoping import Action
from skm.collection.models import Answer, DailyRollup
from skm.instrument.models import Instrument
from skm.organisation.models import Layanan, Pemda, PerangkatDaerah, Period, Unit
from skm.testing import make_answer, make_service

pytestmark = pytest.mark.django_db


def names(qs) -> set[str]:
    return {str(o) for o in qs}


def test_units_visible_per_role(people):
    p = people
    expected = {
        "superuser": {p.unit, p.sibling_unit, p.other_pd_unit, p.other_pemda_unit},
        "pemda_admin": {p.unit, p.sibling_unit, p.other_pd_unit},
        "pimpinan": {p.unit, p.sibling_unit, p.other_pd_unit},
        "pd_admin": {p.unit, p.sibling_unit},
        "unit_admin": {p.unit},
        "outsider": {p.other_pemda_unit},
        "no_role": set(),
    }
    for who, units in expected.items():
        got = set(Unit.objects.for_user(getattr(p, who), Action.VIEW))
        assert got == units, who
    assert not Unit.objects.for_user(AnonymousUser()).exists()


def test_change_scope_per_role(people):
    p = people
    expected = {
        "pemda_admin": {p.unit, p.sibling_unit, p.other_pd_unit},
        "pimpinan": set(),
        "pd_admin": {p.unit, p.sibling_unit},
        "unit_admin": {p.unit},
        "outsider": {p.other_pemda_unit},
    }
    for who, units in expected.items():
        assert set(Unit.objects.for_user(getattr(p, who), Action.CHANGE)) == units, who


def test_things_above_a_place_are_readable_not_changeable(people):
    p = people
    for who in ("pd_admin", "unit_admin", "pimpinan"):
        user = getattr(p, who)
        assert set(Pemda.objects.for_user(user)) == {p.pemda}, who
        assert not Pemda.objects.for_user(user, Action.CHANGE).exists(), who
        assert set(Period.objects.for_user(user)) == set(p.pemda.periods.all()), who
        assert set(Instrument.objects.for_user(user)) == set(p.pemda.instruments.all()), who
        assert not Instrument.objects.for_user(user, Action.CHANGE).exists(), who
    assert set(PerangkatDaerah.objects.for_user(p.unit_admin)) == {p.dinas}
    assert not PerangkatDaerah.objects.for_user(p.unit_admin, Action.CHANGE).exists()
    assert set(PerangkatDaerah.objects.for_user(p.pd_admin, Action.CHANGE)) == {p.dinas}
    assert set(Pemda.objects.for_user(p.pemda_admin, Action.CHANGE)) == {p.pemda}


def test_answers_rollups_and_services_follow_their_unit(people):
    p = people
    mine, sibling, other = make_answer(p.unit), make_answer(p.sibling_unit), make_answer(p.other_pemda_unit)
    s_mine, s_other = make_service(p.unit), make_service(p.other_pd_unit)
    assert set(Answer.objects.for_user(p.unit_admin)) == {mine}
    assert set(Answer.objects.for_user(p.pd_admin)) == {mine, sibling}
    assert set(Answer.objects.for_user(p.outsider)) == {other}
    assert set(Answer.objects.for_user(p.superuser)) == {mine, sibling, other}
    assert DailyRollup.objects.for_user(p.unit_admin).count() == 1
    assert set(Layanan.objects.for_user(p.unit_admin)) == {s_mine}
    assert set(Layanan.objects.for_user(p.pemda_admin)) == {s_mine, s_other}


def test_users_are_scoped_too(people):
    from skm.accounts.models import User

    p = people
    assert set(User.objects.for_user(p.pemda_admin)) == {p.pemda_admin, p.pd_admin, p.unit_admin, p.pimpinan}
    assert set(User.objects.for_user(p.pd_admin)) == {p.pd_admin, p.unit_admin}
    assert set(User.objects.for_user(p.unit_admin)) == {p.unit_admin}


def test_single_object_access(people):
    p = people
    assert get_for_user(Unit, p.pd_admin, pk=p.unit.pk) == p.unit
    with pytest.raises(Http404):
        get_for_user(Unit, p.pd_admin, pk=p.other_pd_unit.pk)
    with pytest.raises(Http404):
        get_for_user(Unit, p.outsider, Action.VIEW, pk=p.unit.pk)
    assert can(p.unit_admin, Action.CHANGE, p.unit)
    assert not can(p.unit_admin, Action.CHANGE, p.sibling_unit)
    assert not can(p.pimpinan, Action.CHANGE, p.unit)
    assert can(p.pimpinan, Action.VIEW, p.unit)
    assert scoped(Unit.objects.filter(name__startswith="Puskesmas"), p.pd_admin).count() == 2


def test_an_inactive_user_sees_nothing(people):
    p = people
    p.pemda_admin.is_active = False
    assert not Unit.objects.for_user(p.pemda_admin).exists()


def test_every_model_with_a_manager_for_user_declares_scope():
    from django.apps import apps

    from skm.accounts.scoping import ScopedQuerySet

    for model in apps.get_models():
        if model._meta.app_label in {"accounts", "organisation", "instrument", "collection"}:
            manager_qs = model._default_manager.all()
            if isinstance(manager_qs, ScopedQuerySet):
                assert getattr(model, "scope", None) is not None, model
