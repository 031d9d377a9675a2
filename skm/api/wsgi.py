"""The answer endpoint's own WSGI entry: POST /api/v1/answers ahead of Django's request handler.

At thousands of answers a second, Django's request handler (request signals, URL and script
prefix bookkeeping, the middleware chain with its session, CSRF, language, whitenoise, axes and
CSP steps, ninja's dispatch) costs as much CPU as validating, counting and storing the answer —
for an endpoint that uses none of it. `skm.wsgi.application` is this entry wrapped around
Django's handler; it answers a well-formed questionnaire by calling `skm.api.answers.accept`, the
same function ninja's operation calls. There is one implementation:

* only `POST` of `application/json` to the operation's own address is taken, and only when the
  Host header passes ALLOWED_HOSTS and SecurityMiddleware would not redirect to HTTPS; a body
  that is not JSON or does not fit `AnswerIn` goes, untouched, to Django and ninja, so every
  schema error, 400 and redirect is theirs;
* the reply carries what the skipped steps would have added: SecurityMiddleware's headers
  (HSTS, nosniff, referrer and opener policies), Content-Language, X-Frame-Options,
  Content-Length; an error reply (≥ 400) is logged as Django logs it, and an exception becomes
  Django's own 500 reply (`response_for_exception`: logged, got_request_exception sent);
* a receipt (201 or 200, nearly every reply) is written without an HttpResponse: its headers
  are the ones SecurityMiddleware gave an empty JSON response once (per HTTPS or not, and per
  X_FRAME_OPTIONS), plus Content-Language and Content-Length — the same headers, built once;
* request_started and request_finished are sent around `accept` as Django's handler sends them,
  so their receivers (close_old_connections, and whatever a test or a package connects or
  disconnects) see these requests too.

skm/api/tests/test_answer_entry.py sends the same requests to this entry and to Django's handler
alone and compares status, body and headers.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import DisallowedHost, RequestDataTooBig
from django.core.handlers.exception import response_for_exception
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.core.signals import request_finished, request_started
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.log import log_response
from pydantic import ValidationError

from skm.api.body import parse_json
from skm.lib.http import client_ip
from skm.middleware import chosen_language

StartResponse = Callable[..., Any]


def _unreachable(request: Any) -> HttpResponse:  # SecurityMiddleware wants a next step; we call its hooks
    raise AssertionError("not called")


class AnswerEntry:
    def __init__(self, application: WSGIHandler) -> None:
        # Everything a request needs is imported and looked up here, at start-up (Django is set
        # up by then): an import inside a request once raced the URLconf's, failed, and left
        # every later answer failing until a restart (issue 21).
        from skm.api import answers
        from skm.collection.submit import Receipt

        self.application = application
        self.security = SecurityMiddleware(_unreachable)
        self.schema = answers.AnswerIn
        self.accept = answers.accept_answer
        self.receipt = Receipt
        self.receipt_json = answers.receipt_json
        # The operation's address below the script prefix (PATH_INFO does not carry the prefix).
        self.path = "/" + reverse("api:post_answer")[len(get_script_prefix()) :]
        self.headers: dict[tuple[bool, str], list[tuple[str, str]]] = {}  # a receipt's fixed headers

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if (
            environ.get("REQUEST_METHOD") == "POST"
            and environ.get("PATH_INFO") == self.path
            and _is_json(environ.get("CONTENT_TYPE", ""))
        ):
            reply = self.answer(environ)
            if reply is not None:
                status, headers, content = reply
                start_response(status, headers)
                return [content]
        return self.application(environ, start_response)

    def answer(self, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes] | None:
        """The reply to one questionnaire (status line, headers, body), or None when Django's
        handler is to answer instead: a foreign Host, an HTTPS redirect, a body over the size
        limit (413), one that is not JSON, too deep or not UTF-8 (400), or that does not fit
        AnswerIn (422) — Django and ninja answer those, as JSON (skm/api/errors.py)."""
        request = WSGIRequest(environ)
        try:
            request.get_host()
        except DisallowedHost:  # Django answers 400 and logs it as a security event
            return None
        if self.security.process_request(request) is not None:  # Django redirects to HTTPS
            return None
        try:
            body = request.body
        except RequestDataTooBig:  # refused on Content-Length, nothing read: Django answers 413
            return None
        try:
            payload = self.schema.model_validate(parse_json(body))
        except (ValueError, ValidationError):  # ninja parses it again and says what is wrong
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            return None
        request_started.send(sender=self.__class__, environ=environ)
        try:
            outcome = self.accept(payload, client_ip(request))
        except Exception as exc:  # as Django's handler would: logged, a 500 reply
            with translation.override(chosen_language(request)):  # as the language middleware would
                outcome = response_for_exception(request, exc)
        finally:
            request_finished.send(sender=self.__class__)
        if isinstance(outcome, self.receipt):
            content = self.receipt_json(outcome.created, outcome.answer_id, outcome.submitted_at)
            headers = [
                *self.receipt_headers(request),
                ("Content-Language", chosen_language(request)),
                ("Content-Length", str(len(content))),
            ]
            return ("201 Created" if outcome.created else "200 OK"), headers, content
        response = outcome
        self.security.process_response(request, response)
        response.headers.setdefault("Content-Language", chosen_language(request))
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        response.headers.setdefault("Content-Length", str(len(response.content)))
        if response.status_code >= 400:
            log_response("%s: %s", response.reason_phrase, request.path, response=response, request=request)
        headers = [
            *response.items(),
            *(("Set-Cookie", c.output(header="")) for c in response.cookies.values()),
        ]
        return f"{response.status_code} {response.reason_phrase}", headers, response.content

    def receipt_headers(self, request: WSGIRequest) -> list[tuple[str, str]]:
        """What Django's handler puts on a receipt before Content-Language and Content-Length."""
        key = (request.is_secure(), settings.X_FRAME_OPTIONS)
        headers = self.headers.get(key)
        if headers is None:
            probe = HttpResponse(content_type="application/json")
            self.security.process_response(request, probe)  # reads only request.is_secure()
            probe.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
            headers = self.headers[key] = list(probe.items())
        return headers


def _is_json(content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower() == "application/json"
