"""The scoring core's texts are Indonesian message ids: marked here, translated where shown.

The core imports no Django, so it cannot translate; `skm translations` (xgettext) still finds
every text passed to a function named `gettext_noop`, and whoever shows one passes it to gettext.
"""

from __future__ import annotations

from collections.abc import Callable

Translate = Callable[[str], str]
"""A message id → its text in some language: Django's gettext where a text is shown."""


def gettext_noop(text: str) -> str:
    """Mark `text` for the translation catalogue; it is returned unchanged."""
    return text


def untranslated(text: str) -> str:
    """The Translate that keeps the Indonesian message id."""
    return text
