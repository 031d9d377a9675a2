"""The answer endpoint's fast path: POST /api/v1/answers past the page middleware and ninja's dispatch.

At thousands of answers a second the session, message, CSRF, language, whitenoise, axes and CSP
middleware, URL resolution and ninja's parameter machinery cost as much CPU as validating,
counting and storing the answer itself — for an endpoint that uses none of them. This
middleware sits right after Django's SecurityMiddleware (TLS redirect, HSTS, nosniff, referrer
and opener policies still apply to every reply) and hands a well-formed questionnaire straight to
`skm.api.answers.accept`, the same function ninja's operation calls. There is one implementation:

* only `POST` of `application/json` to the operation's own address is taken; a body that is not
  JSON or does not fit `AnswerIn` goes on, untouched, to ninja, so every schema error reply is
  ninja's own;
* the Host header is checked against ALLOWED_HOSTS as CommonMiddleware would (400 otherwise);
* the reply gets the headers the skipped middleware would have added (Content-Language,
  X-Frame-Options, Content-Length); tests compare both routes reply for reply (skm/api/tests/test_fast_path_parity.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from pydantic import ValidationError

from skm.lib.http import client_ip
from skm.middleware import chosen_language


class AnswerFastPath:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.path = ""  # the operation's address, looked up on first use (the URLconf is loaded then)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST" or request.content_type != "application/json":
            return self.get_response(request)
        if not self.path:
            self.path = reverse("api:post_answer")
        if request.path_info != self.path:
            return self.get_response(request)
        from skm.api.answers import AnswerIn, accept

        request.get_host()  # DisallowedHost → 400, as at every other address
        try:
            payload = AnswerIn.model_validate(json.loads(request.body))
        except (ValueError, ValidationError):  # ninja parses it again and says what is wrong
            return self.get_response(request)
        response = accept(payload, client_ip(request))
        response.headers.setdefault("Content-Language", chosen_language(request))
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        response.headers.setdefault("Content-Length", str(len(response.content)))
        return response
