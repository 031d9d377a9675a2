"""What a server process does once, before its first request (skm.wsgi, skm.asgi).

Django builds its URLconf lazily, on the first request that needs it, and a module imported from
inside a request can race another thread's import of the same module (issue 21: the answer
endpoint stayed dead after a restart under traffic). A served process therefore loads the whole
URLconf — every urls module, and through them every view module and the JSON API with its
routers — and resolves its reverse table here, in the main thread, before it takes requests.
"""

from __future__ import annotations

from typing import TypeVar

from django.urls import get_resolver, reverse

Handler = TypeVar("Handler")


def compose(handler: Handler) -> Handler:
    """Load the URLconf (and so every view and API module) now; return `handler` unchanged."""
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018  (imports every urls module and the views they name)
    reverse("api:post_answer")  # fills the reverse table of every namespace
    return handler
