from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from skm.accounts.models import User
from skm.accounts.roles import assign_role, create_user
from skm.accounts.scoping import Role

pytestmark = pytest.mark.django_db


def test_unit_admin_gets_the_pd_and_pemda_of_their_unit(people):
    user = create_user("baru", "rahasia-panjang-1", Role.ADMIN_UPP, people.sibling_unit)
    assert (user.pemda, user.perangkat_daerah, user.unit) == (people.pemda, people.dinas, people.sibling_unit)
    assert user.is_staff


def test_pimpinan_is_not_staff(people):
    assert not people.pimpinan.is_staff


def test_role_without_its_place_is_refused(people):
    user = User(username="x")
    with pytest.raises(ValidationError) as err:
        assign_role(user, Role.ADMIN_UPP, people.pemda)
    assert "Admin UPP memerlukan UPP" in str(err.value)
    with pytest.raises(ValidationError):
        assign_role(User(username="y"), Role.ADMIN_PEMDA, people.unit)


def test_passwords_are_hashed_with_argon2(people):
    assert people.pemda_admin.password.startswith("argon2")
