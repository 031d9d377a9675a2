"""Our middleware: the chosen language, form bodies that are not UTF-8, a leaner
Content-Security-Policy middleware, and whitenoise without a static folder made in advance.

Indonesian first: the language is Indonesian unless the user chose English. Django's
LocaleMiddleware follows the browser's Accept-Language, which would show most Pemda staff (whose
browsers say en-US) an English site. Here only the user's explicit choice (the
language cookie set by /i18n/setlang/) switches the language.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import csp.middleware
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import translation
from whitenoise.middleware import WhiteNoiseMiddleware

from skm.lib.errors import message
from skm.lib.http import form_is_utf8, is_api


def chosen_language(request: HttpRequest) -> str:
    """The language the user chose (the cookie /i18n/setlang/ sets), else Indonesian."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return chosen if chosen in {code for code, _ in settings.LANGUAGES} else settings.LANGUAGE_CODE


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = chosen_language(request)
        request.LANGUAGE_CODE = language
        # For this request only: the thread's next work (another request, the answer entry ahead
        # of Django, a command in a test) must not inherit this user's language.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class UnreadableFormMiddleware:
    """A form post whose body is not UTF-8 is refused with a clear page (400), never stored.

    Django would read it as ISO-8859-1 (skm.lib.http.form_is_utf8), and every channel would then
    store mojibake ("Ã(ÿ") as the respondent's text. Here, before any view or form reads
    request.POST, for every page at once (survey, paper entry, admin, …). Multipart bodies are
    decoded by Django with U+FFFD for such bytes, which validate() refuses field by field; the
    API reads its JSON itself (400 body_not_utf8).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method == "POST"
            and request.content_type == "application/x-www-form-urlencoded"
            and not is_api(request)
        ):
            try:
                readable = form_is_utf8(request.body)
            except RequestDataTooBig:  # refused where request.POST is read, as before
                readable = True
            if not readable:
                context = {"title": message("form_unreadable_title"), "message": message("form_unreadable")}
                return render(request, "400_unreadable.html", context, status=400)
        return self.get_response(request)


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, minus its work for responses under an excluded prefix.

    django-csp 4 builds the policy (and the report-only one) for every response and only then
    looks at EXCLUDE_URL_PREFIXES; on the answer endpoint that was an eighth of the request.
    """

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        excluded = (getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}).get("EXCLUDE_URL_PREFIXES")
        if excluded and request.path_info.startswith(tuple(excluded)):
            return response
        return super().process_response(request, response)


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """whitenoise, quiet about a STATIC_ROOT that collectstatic has not made yet.

    In development (WHITENOISE_USE_FINDERS) the files come from the apps' own folders and the root
    exists only once collectstatic ran (`skm serve` runs it): rather than make an empty folder each
    time the settings load, as we once did, skip it. In production a missing root still warns.
    """

    def add_files(self, root: Any, prefix: str | None = None) -> None:
        if self.use_finders and root == self.static_root and not Path(root).is_dir():
            return
        super().add_files(root, prefix)
