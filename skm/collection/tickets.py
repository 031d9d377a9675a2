"""Tickets of other systems (issue 26): a service rated once per transaction, from a queue machine's
last screen or a printed receipt, at /s/<unit>/<service>/?ref=<ticket>.

The ticket makes the answer's idempotency key on the server (never the form's hidden field), so the
one-answer-per-key rule of skm.collection.keys makes it one answer per ticket: the same answers
sent again are a retry, other answers a conflict. Keys are unique per unit, so a ticket is scoped
to its unit; queue machines restart their numbers every day, hence a ticket must carry the date
(20261206-A023) to stay unique for ever.
"""

from __future__ import annotations

import hashlib
import re

# 1–64 letters, digits and . _ - / : — every one of them stands unescaped in a query string.
TICKET_RE = re.compile(r"[A-Za-z0-9._/:-]{1,64}")  # whole string: fullmatch
KEY_PREFIX = "ref-"
PLACEHOLDER = "{TIKET}"  # what the embeddable snippet leaves for the other system to replace


def parse(raw: str | None) -> str | None:
    """The ticket as given, or None when it breaks the rule (case and every character kept)."""
    if raw is None or not TICKET_RE.fullmatch(raw):
        return None
    return raw


def key(ticket: str) -> str:
    """The idempotency key of a ticket: "ref-" and 32 hex digits of its SHA-256 (matches KEY_RE).

    Plain SHA-256, not keyed: a machine posting to the JSON API can derive the same key, so a
    ticket rated there and by the link is still one answer. The ticket itself is not stored.
    """
    return KEY_PREFIX + hashlib.sha256(ticket.encode("ascii")).hexdigest()[:32]


def query(ticket: str) -> str:
    """The query string that carries a ticket (its characters need no escaping)."""
    return f"?ref={ticket}"
