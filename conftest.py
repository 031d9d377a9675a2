"""Shared by every test: each test starts with empty caches (ids are reused between tests)."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_caches():
    from django.core.cache import cache

    from skm.collection import devices
    from skm.instrument.spec import clear_caches
    from skm.organisation import lookup

    clear_caches()
    lookup.clear_caches()
    devices.clear_caches()
    cache.clear()
    yield
    clear_caches()
    lookup.clear_caches()
    devices.clear_caches()
    cache.clear()


@pytest.fixture(autouse=True)
def _no_group_commit_writer_left():
    """A test that stored answers outside a transaction on PostgreSQL started this process's
    writer thread: stop it (and close its connection) so that the test database can be dropped."""
    yield
    from skm.collection import group_commit

    group_commit.shutdown()
