"""Single-object access: fetch an object the user may see, and tell whether they may change it.

Views and API endpoints use these instead of filtering by user themselves (STYLE: scoping, one way).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse

from skm.accounts.scoping import Action, Role, ScopedQuerySet

M = TypeVar("M", bound=models.Model)


def scoped(
    model_or_qs: type[M] | models.QuerySet[M], user: Any, action: Action | str = Action.VIEW
) -> ScopedQuerySet:
    qs = model_or_qs if isinstance(model_or_qs, models.QuerySet) else model_or_qs._default_manager.all()
    if not isinstance(qs, ScopedQuerySet):
        raise TypeError(f"{qs.model.__name__} is not scoped")
    return qs.for_user(user, action)


def get_for_user(
    model_or_qs: type[M] | models.QuerySet[M], user: Any, action: Action | str = Action.VIEW, **lookup: Any
) -> M:
    """The object matching `lookup` if the user may `action` it; Http404 otherwise (no leak of existence)."""
    try:
        return scoped(model_or_qs, user, action).get(**lookup)
    except models.ObjectDoesNotExist:
        raise Http404 from None


def can(user: Any, action: Action | str, obj: models.Model) -> bool:
    return scoped(type(obj), user, action).filter(pk=obj.pk).exists()


def is_admin(user: Any) -> bool:
    """May use the admin pages at all (any role except Pimpinan, who only reads dashboards)."""
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.role in ADMIN_ROLES))


ADMIN_ROLES = (Role.ADMIN_PEMDA, Role.ADMIN_PD, Role.ADMIN_UPP)


def admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For admin work pages: logged in (else the login page with next=) and an admin role.

    Pimpinan and accounts without a role get 403; what the admin may touch is then scoped with
    `get_for_user` / `for_user` inside the view.
    """

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_admin(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
