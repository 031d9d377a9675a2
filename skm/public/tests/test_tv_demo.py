"""The demo lobby screen (skm/public/demo_tv.py): a Mal Pelayanan Publik of some units whose
board shows published replies; built twice, it stays one screen and replies to nothing twice."""

from __future__ import annotations

import pytest

from skm.followup.models import SuggestionFollowUp
from skm.public import demo_tv, tv
from skm.testing import make_answer

pytestmark = pytest.mark.django_db


def test_the_demo_screen_shows_published_replies(people):
    for unit in (people.unit, people.sibling_unit, people.other_pd_unit):
        for text in ("Sudah bagus.", "Toilet kurang bersih.", "Antrian terlalu lama."):
            make_answer(unit, suggestion=text)
    make_answer(people.other_pemda_unit, suggestion="Antrian terlalu lama.")
    screen = demo_tv.build(people.pemda)
    assert screen.slug == demo_tv.SLUG
    assert set(screen.units.all()) == {people.unit, people.sibling_unit, people.other_pd_unit}
    published = SuggestionFollowUp.objects.filter(published=True)
    assert published.count() == 3 * demo_tv.PER_UNIT
    assert not published.filter(answer__pemda=people.other_pemda).exists()
    assert published.filter(reply__startswith="Sejak bulan ini nomor antrean").exists()
    board = tv.build(people.pemda, screen)
    assert len(board["suggestions"]) == 3 * demo_tv.PER_UNIT and all(s["reply"] for s in board["suggestions"])
    demo_tv.build(people.pemda)
    assert screen.pemda.lobby_screens.count() == 1
    assert SuggestionFollowUp.objects.count() == 3 * demo_tv.PER_UNIT + 3  # the third of each unit now
