"""/api/v1/: the ninja API, with JSON answers for addresses and methods it does not know.

Without the last pattern an unknown address under /api/v1/ would get the site's HTML 404 page,
and ninja answers a wrong method with a text body: a client of a JSON API should get JSON.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import path, re_path, reverse
from django.views.decorators.csrf import csrf_exempt

from skm.api.api import api
from skm.api.errors import request_error


def _json_405(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            body = request_error(405, "method_not_allowed", method=request.method)
            body["Allow"] = response["Allow"]
            return body
        return response

    return wrapped


@csrf_exempt
def index(request: HttpRequest) -> HttpResponse:
    links = {"openapi": reverse("api:openapi-json")}
    if api.docs_url:
        links["docs"] = reverse("api:openapi-view")
    return JsonResponse({"detail": "SKM API v1", **links})


@csrf_exempt
def not_found(request: HttpRequest) -> HttpResponse:
    return request_error(404, "not_found")


# Unpacked, not named app_name/namespace: a module-level app_name would namespace include() itself.
_ninja_urls = api.urls
for pattern in _ninja_urls[0]:
    if hasattr(pattern, "callback"):
        pattern.callback = _json_405(pattern.callback)

urlpatterns = [
    path("", index),
    path("", _ninja_urls),
    re_path(r"", not_found),
]
