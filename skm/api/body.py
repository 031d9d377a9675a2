"""What the API reads as a request body: JSON, UTF-8, at most MAX_DEPTH levels deep.

The size limit is Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB unless set): reading a longer
body raises RequestDataTooBig, which skm/api/errors.py answers with 413.

json.loads recurses once per level of nesting, and Python's recursion limit counts the frames the
request already uses (Django's handler, the middleware, ninja): a body about 900 levels deep raised
RecursionError, a 500, at a depth that depended on where json.loads was called from. Now a body
deeper than MAX_DEPTH is a 400, whatever the stack: json.loads' RecursionError is caught, and
a value it did read is measured — only when the body holds more than MAX_DEPTH brackets, which
no answer does (two C-speed counts decide for every other body). No answer is more than two
levels deep; 32 leaves room for any later operation.

The Content-Type is not checked: ninja reads any body as JSON, and a client that sends JSON as
text/plain gets the same answer as with application/json. A body that is not JSON is a 400.

Plain Python, no Django or ninja import: skm.wsgi imports the answer entry (which uses
`parse_json`) before Django's settings are configured.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 32


class BodyError(ValueError):
    """The body cannot be read as JSON; `code` is one of skm.lib.errors' API codes (body_…, bad_json)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse_json(body: bytes) -> Any:
    """The body as json.loads reads it; BodyError (a ValueError) with its code when it cannot."""
    try:
        value = json.loads(body)
    except UnicodeDecodeError:
        raise BodyError("body_not_utf8") from None
    except RecursionError:
        raise BodyError("body_too_deep") from None
    except ValueError:
        raise BodyError("bad_json") from None
    if body.count(b"[") + body.count(b"{") > MAX_DEPTH and too_deep(value):  # fewer cannot nest deeper
        raise BodyError("body_too_deep")
    return value


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether a parsed JSON value nests more than `limit` lists and objects deep.

    Level by level, never recursing, and stopping past `limit`: at most one look at each
    element json.loads made, which costs about what making it did.
    """
    level = [value] if isinstance(value, list | dict) else []
    for _ in range(limit):
        if not level:
            return False
        inner = []
        for item in level:
            for child in item.values() if isinstance(item, dict) else item:
                if isinstance(child, list | dict):
                    inner.append(child)
        level = inner
    return bool(level)
