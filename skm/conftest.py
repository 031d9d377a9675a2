import pytest

from skm.testing import People, make_people


@pytest.fixture
def people(db) -> People:
    return make_people()
