"""What the paper-entry pages post, parsed: the batch, a typed line, an edit, a reason.

The fields stay text: `validate()` holds the one rule for dates, services and free text, with
the messages every channel shares, so these forms only read the line of digits themselves.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django import forms

from skm.collection.models import Answer
from skm.collection.paper.line import Column, EntryError, digits_of, parse_digits
from skm.collection.paper.save import answer_values
from skm.collection.validation import Received


def new_key() -> str:
    """The idempotency key of the next line: a retried post of the same line is stored once."""
    return f"kertas-{secrets.token_urlsafe(18)}"


class BatchForm(forms.Form):
    """What stays set while a pile of forms is typed: the date on them (today unless set), their service."""

    tanggal = forms.CharField(required=False)
    layanan = forms.CharField(required=False)

    def __init__(self, data: Any, *, today: dt.date) -> None:
        super().__init__(data)
        self.today = today

    def settings(self) -> dict[str, str]:
        values = self.cleaned_data if self.is_valid() else {}
        return {
            "tanggal": values.get("tanggal") or self.today.isoformat(),
            "layanan": values.get("layanan", ""),
        }


class _DigitsForm(forms.Form):
    """A form whose `isian` is a typed line, cleaned into {element/profile key: value}."""

    isian = forms.CharField(required=False, strip=False)

    def __init__(self, data: Any = None, *, columns: list[Column], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.columns = columns

    def clean_isian(self) -> dict[str, str]:
        try:
            return parse_digits(self.cleaned_data["isian"], self.columns)
        except EntryError as exc:
            raise forms.ValidationError(exc.problems) from None

    def _values(self) -> dict[str, Any]:
        """The typed line's values; EntryError with every problem of the post when it cannot be read."""
        if not self.is_valid():
            raise EntryError([str(problem) for errors in self.errors.values() for problem in errors])
        return dict(self.cleaned_data["isian"])


class LineForm(_DigitsForm):
    """One questionnaire typed on the entry page, with its own service and suggestion."""

    saran = forms.CharField(required=False, strip=False)
    layanan_baris = forms.CharField(required=False)
    kunci = forms.CharField(required=False)

    def __init__(self, data: Any = None, *, columns: list[Column]) -> None:
        super().__init__(data, columns=columns, initial={"kunci": new_key()})

    def received(self, batch: dict[str, str], today: dt.date) -> Received:
        """The line as every channel hands it over; today's date means "now", another the date on the form."""
        data = self._values()
        data.update(
            service=self.cleaned_data["layanan_baris"] or batch["layanan"],
            suggestion=self.cleaned_data["saran"],
        )
        day = batch["tanggal"]
        return Received(
            data, key=self.cleaned_data["kunci"], answered_at="" if day == today.isoformat() else day
        )


class EditForm(_DigitsForm):
    """A stored paper questionnaire, retyped; an edit stores no new answer, so it has no key."""

    layanan = forms.CharField(required=False)
    saran = forms.CharField(required=False, strip=False)
    alasan = forms.CharField(required=False)

    @classmethod
    def of(cls, answer: Answer, columns: list[Column], data: Any = None) -> EditForm:
        """The form for `answer`, filled in with what is stored (or with `data`, as posted)."""
        initial = {
            "isian": digits_of(answer_values(answer), columns),
            "layanan": str(answer.service_id or ""),
            "saran": answer.suggestion,
        }
        return cls(data, columns=columns, initial=initial)

    def received(self) -> Received:
        data = self._values()
        data.update(service=self.cleaned_data["layanan"], suggestion=self.cleaned_data["saran"])
        return Received(data)


class ReasonForm(forms.Form):
    """Why an answer is deleted (kept in the audit trail)."""

    alasan = forms.CharField(required=False)


class ExcludeForm(ReasonForm):
    """Leave an answer out of the results ("1") or take it back in (anything else)."""

    kecualikan = forms.CharField(required=False)

    @property
    def excluded(self) -> bool:
        return self.cleaned_data["kecualikan"] == "1"
