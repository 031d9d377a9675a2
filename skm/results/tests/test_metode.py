"""Metode SKM from the channels (SPEC §6, §7)."""

from __future__ import annotations

from skm.collection.models import Channel
from skm.results.metode import ELECTRONIC, PAPER, Metode, metode_skm


def test_every_channel_is_paper_or_electronic():
    assert set(Channel.values) == PAPER | ELECTRONIC and not PAPER & ELECTRONIC


def test_paper_only_is_manual_electronic_only_is_online_both_is_hybrid():
    assert metode_skm({"manual": 12, "online": 0}) is Metode.MANUAL
    assert metode_skm({"online": 3, "kiosk": 2, "api": 1}) is Metode.ONLINE
    assert metode_skm({"kiosk": 1}) is Metode.ONLINE
    assert metode_skm({"manual": 1, "kiosk": 1}) is Metode.HYBRID


def test_an_import_is_an_online_form_export():
    assert metode_skm({"import": 40}) is Metode.ONLINE
    assert metode_skm({"import": 40, "manual": 2}) is Metode.HYBRID


def test_no_answers_no_method():
    assert metode_skm({}) is None
    assert metode_skm(dict.fromkeys(Channel.values, 0)) is None
