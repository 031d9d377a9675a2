"""The suggestions inbox (/kelola/saran/) and one suggestion's follow-up page (SPEC §8).

Everyone with a place reads the suggestions under it; only admins whose scope covers the unit
change a follow-up and see the contact a respondent left (never the Pimpinan).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from skm.accounts.access import can, get_for_user, is_admin, scoped
from skm.accounts.scoping import Action
from skm.collection.models import Answer
from skm.followup import inbox
from skm.followup.forms import FilterForm, FollowUpForm
from skm.followup.models import Status
from skm.followup.replies import follow_up
from skm.organisation.models import Unit

PER_PAGE = 25


def reader_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in (else the login page) with a role (else 403): every role reads its suggestions."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: Any = request.user
        if not (user.is_superuser or getattr(user, "role", "")):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _may_answer(user: Any) -> bool:
    """May answer suggestions at all (admins); which ones is scoped per answer."""
    return is_admin(user)


@reader_required
@require_safe
def suggestions(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    may_answer = _may_answer(user)
    units = scoped(Unit, user, Action.VIEW).filter(active=True).order_by("name")
    form = FilterForm(request.GET or None, units=units, contact_allowed=may_answer)
    # A bad field (a date that is no date, a unit outside the scope) shows its message and
    # filters nothing; the other fields still apply.
    chosen = inbox.Filters()
    if form.is_bound:
        form.is_valid()  # fills `errors` and `cleaned_data`
        chosen = form.filters()
    rows = inbox.apply(inbox.suggestions(user), chosen)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("hal"))
    orders: dict[int, tuple[inbox.Unsur, ...]] = {}
    items = []
    for answer in page.object_list:
        if answer.pemda_id not in orders:
            orders[answer.pemda_id] = inbox.unsur_of(answer.pemda_id)
        items.append(
            {
                "answer": answer,
                "status": Status(inbox.status_of(answer)),
                "followup": getattr(answer, "followup", None),
                "values": inbox.values_of(answer, orders[answer.pemda_id]),
            }
        )
    query = request.GET.copy()
    query.pop("hal", None)
    return render(
        request,
        "followup/inbox.html",
        {
            "form": form,
            "page": page,
            "items": items,
            "query": query.urlencode(),
            "may_answer": may_answer,
            "filtered": any(v for k, v in request.GET.items() if k != "hal"),
        },
    )


@reader_required
@require_http_methods(["GET", "HEAD", "POST"])
def suggestion(request: HttpRequest, answer_id: int) -> HttpResponse:
    user: Any = request.user
    answer = get_for_user(
        Answer.objects.exclude(suggestion="").select_related(
            "unit", "unit__perangkat_daerah", "service", "followup", "followup__replied_by"
        ),
        user,
        Action.VIEW,
        pk=answer_id,
    )
    may_change = _may_answer(user) and can(user, Action.CHANGE, answer)
    followup = getattr(answer, "followup", None)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        form = FollowUpForm(request.POST)
        if form.is_valid():
            follow_up(
                answer,
                status=form.cleaned_data["status"],
                reply=form.cleaned_data["reply"],
                published=form.cleaned_data["published"],
                user=user,
            )
            messages.success(request, _("Tindak lanjut saran disimpan."))
            return redirect("followup:suggestion", answer_id=answer.pk)
    else:
        initial = {
            "status": followup.status if followup else Status.BARU,
            "reply": followup.reply if followup else "",
            "published": followup.published if followup else False,
        }
        form = FollowUpForm(initial=initial)
    author = followup.replied_by if followup else None
    return render(
        request,
        "followup/suggestion.html",
        {
            "replied_by": (author.get_full_name() or author.username) if author else "",
            "answer": answer,
            "followup": followup,
            "status": Status(inbox.status_of(answer)),
            "values": inbox.values_of(answer, inbox.unsur_of(answer.pemda_id)),
            "form": form if may_change else None,
            "may_change": may_change,
        },
    )
