"""Project-wide pages: the CSRF failure page in Indonesian (with English), and the 400 and 500
replies, which are JSON under the API (its promise: every error is JSON) and Django's elsewhere."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import defaults

from skm.api.errors import django_bad_request, django_server_error
from skm.lib.http import is_api


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: what Django refuses itself (a foreign Host, a body over the limit, …)."""
    if is_api(request):
        return django_bad_request(request, exception)
    return defaults.bad_request(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: an exception nobody handled (Django has logged it)."""
    if is_api(request):
        return django_server_error(request)
    return defaults.server_error(request)
