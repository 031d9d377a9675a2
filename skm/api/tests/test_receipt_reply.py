"""The answer endpoint's reply, built by hand, is byte for byte what JsonResponse would write."""

from __future__ import annotations

import datetime as dt

from django.http import JsonResponse
from hypothesis import given
from hypothesis import strategies as st

from skm.api.answers import receipt_reply

times = st.datetimes(
    min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 30), timezones=st.timezones()
) | st.datetimes(timezones=st.just(dt.UTC))


@given(created=st.booleans(), answer_id=st.integers(min_value=1, max_value=2**63 - 1), at=times)
def test_receipt_reply_is_what_jsonresponse_writes(created, answer_id, at):
    ours = receipt_reply(created, answer_id, at)
    theirs = JsonResponse(
        {"status": "created" if created else "already_received", "id": answer_id, "submitted_at": at},
        status=201 if created else 200,
    )
    assert ours.content == theirs.content
    assert ours.status_code == theirs.status_code
    assert sorted(ours.items()) == sorted(theirs.items())
