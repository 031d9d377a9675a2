"""Shared by every test: each test starts with empty caches (ids are reused between tests)."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_caches():
    from django.core.cache import cache

    from skm.instrument.spec import clear_caches
    from skm.organisation import lookup

    clear_caches()
    lookup.clear_caches()
    cache.clear()
    yield
    clear_caches()
    lookup.clear_caches()
    cache.clear()
