"""Console views mounted under the ``ManualReview`` admin: claim next, the case page, its images,
the lease, the reviewer's settings, release and reassign. Each parses the request, calls one
``reviews`` service and shapes HTML (JSON for the page's own background calls); service errors
reach the reviewer as admin messages."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from documents.models import Document
from filot.errors import FilotError, error_response
from reviews import services
from reviews.console.blind import blinded, is_blind
from reviews.console.images import (
    FULL,
    card_for_viewer,
    image_for_viewer,
    masked_preview,
    preview_for_viewer,
)
from reviews.forms import (
    ACTION_DECISION,
    ACTIONS,
    CORRECTION_PREFIX,
    DecisionForm,
    PreferencesForm,
    ReassignForm,
    reason_groups,
)
from reviews.models import ManualReview, ReviewState, StaffAccess
from reviews.preferences import recent_reasons, reviewer_settings_get, reviewer_settings_update
from reviews.reasons import NOTE_TEMPLATES, decisions_for
from reviews.related import related_kind
from reviews.selectors import (
    card_key_for,
    case_result,
    case_view,
    latest_result,
    sla_seconds,
)

logger = logging.getLogger(__name__)
DOC_TYPE_KEY = "reviews.claim_doc_type"


def _require_worker(request: HttpRequest) -> Any:
    user = request.user
    if not services.can_work_reviews(user):
        raise PermissionDenied
    return user


def case_url(review_id: uuid.UUID | str) -> str:
    return reverse("admin:reviews_manualreview_case", args=[review_id])


def queue_url() -> str:
    return reverse("admin:reviews_manualreview_changelist")


def _error(request: HttpRequest, exc: FilotError) -> None:
    messages.error(request, f"{exc.detail} ({exc.code})")


def _json_error(exc: FilotError) -> JsonResponse:
    return error_response(exc.status_code, exc.code, str(exc.detail), exc.details)


@require_POST
def claim_next(request: HttpRequest) -> HttpResponse:
    user = _require_worker(request)
    doc_type = request.POST.get("doc_type") or None
    # "Decide and next" keeps to the type the reviewer chose here.
    request.session[DOC_TYPE_KEY] = doc_type or ""
    review = services.review_claim_next(reviewer=user, doc_type=doc_type)
    if review is None:
        messages.info(request, "The queue is empty: no open case is waiting.")
        return HttpResponseRedirect(queue_url())
    return HttpResponseRedirect(case_url(review.pk))


@require_POST
def claim(request: HttpRequest, review_id: uuid.UUID) -> HttpResponse:
    user = _require_worker(request)
    try:
        services.review_claim(review_id=review_id, reviewer=user)
    except FilotError as exc:
        _error(request, exc)
    return HttpResponseRedirect(case_url(review_id))


def _lease_answer(review: ManualReview) -> JsonResponse:
    expires = review.claim_expires_at
    assert expires is not None
    now = timezone.now()
    return JsonResponse(
        {
            "expires_at": expires.isoformat(),
            "expires_ms": int(expires.timestamp() * 1000),
            "now_ms": int(now.timestamp() * 1000),
            "seconds_left": max(0, int((expires - now).total_seconds())),
        }
    )


@require_POST
def lease(request: HttpRequest, review_id: uuid.UUID) -> HttpResponse:
    """The case page extends the reviewer's lease while they work (``reclaim=1``: claim the
    case again after it ran out, if nobody else took it). JSON either way."""
    user = _require_worker(request)
    try:
        if request.POST.get("reclaim") == "1":
            review = services.review_claim(review_id=review_id, reviewer=user)
        else:
            review = services.review_extend_claim(review_id=review_id, reviewer=user)
    except FilotError as exc:
        return _json_error(exc)
    return _lease_answer(review)


@require_POST
def preferences(request: HttpRequest) -> HttpResponse:
    user = _require_worker(request)
    form = PreferencesForm(request.POST)
    form.is_valid()
    saved = reviewer_settings_update(
        user=user, decide_and_next=bool(form.cleaned_data.get("decide_and_next"))
    )
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"decide_and_next": saved.decide_and_next})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = queue_url()
    return HttpResponseRedirect(back)


@require_POST
def release(request: HttpRequest, review_id: uuid.UUID) -> HttpResponse:
    user = _require_worker(request)
    get_object_or_404(ManualReview, pk=review_id)
    try:
        services.review_release(review_id=review_id, actor=user)
    except FilotError as exc:
        _error(request, exc)
        return HttpResponseRedirect(case_url(review_id))
    messages.success(request, "The case went back to the queue.")
    return HttpResponseRedirect(queue_url())


@require_POST
def reassign(request: HttpRequest, review_id: uuid.UUID) -> HttpResponse:
    user = _require_worker(request)
    if not user.is_superuser:
        raise PermissionDenied
    form = ReassignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a reviewer to reassign the case to.")
        return HttpResponseRedirect(case_url(review_id))
    try:
        review = services.review_reassign(
            review_id=review_id, actor=user, assignee=form.cleaned_data["assignee"]
        )
    except FilotError as exc:
        _error(request, exc)
    else:
        messages.success(request, f"Reassigned to {review.assignee.email}.")  # type: ignore[union-attr]
    return HttpResponseRedirect(case_url(review_id))


def _streamed(content: Any, content_type: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(content, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


@require_GET
def image(request: HttpRequest, review_id: uuid.UUID) -> HttpResponseBase:
    """The card image, only to staff who work reviews; every view is logged."""
    user = _require_worker(request)
    review = get_object_or_404(ManualReview.objects.select_related("document"), pk=review_id)
    document = review.document
    if document.erased_at is not None or not document.storage_key:
        return HttpResponse("The file was erased.", status=410, content_type="text/plain")
    if request.GET.get("view") == "card":
        # The canonical card the shown result was read from: its word boxes fit it exactly.
        key = card_key_for(document, case_result(review))
        if not key:
            return HttpResponse("No card image is stored.", status=404, content_type="text/plain")
        try:
            content, content_type = card_for_viewer(key)
        except FileNotFoundError:
            return HttpResponse("No card image is stored.", status=404, content_type="text/plain")
        action = StaffAccess.VIEW_CARD
    else:
        full = request.GET.get("full") == "1"
        content, content_type = image_for_viewer(document, max_side=None if full else FULL)
        action = StaffAccess.VIEW_IMAGE_FULL if full else StaffAccess.VIEW_IMAGE
    services.staff_access_record(
        user=user, document_id=document.pk, review_id=review.pk, action=action
    )
    return _streamed(content, content_type)


@require_GET
def related_image(
    request: HttpRequest, review_id: uuid.UUID, document_id: uuid.UUID
) -> HttpResponseBase:
    """A document shown beside the case: the same user's other card (its canonical card, or the
    upload downscaled), or another user's matching document as a coarse, unreadable preview.
    Only documents related to the case are served, and every view is logged."""
    user = _require_worker(request)
    review = get_object_or_404(ManualReview.objects.select_related("document"), pk=review_id)
    kind = related_kind(review.document, case_result(review), document_id)
    other = Document.objects.filter(pk=document_id).first()
    if kind is None or other is None:
        return HttpResponse("Not related to this case.", status=404, content_type="text/plain")
    if other.erased_at is not None or not other.storage_key:
        return HttpResponse("The file was erased.", status=410, content_type="text/plain")
    if kind == "duplicate":
        content, content_type = masked_preview(other)
    else:
        key = card_key_for(other, latest_result(other))
        try:
            content, content_type = card_for_viewer(key) if key else preview_for_viewer(other)
        except FileNotFoundError:
            content, content_type = preview_for_viewer(other)
    services.staff_access_record(
        user=user, document_id=other.pk, review_id=review.pk, action=StaffAccess.VIEW_IMAGE
    )
    return _streamed(content, content_type)


def _load(review_id: uuid.UUID) -> ManualReview:
    return get_object_or_404(
        ManualReview.objects.select_related(
            "document", "document__owner", "verification_result", "assignee", "decided_by"
        ),
        pk=review_id,
    )


def _after_decision(request: HttpRequest, user: Any, decided: ManualReview) -> HttpResponse:
    """Say what was recorded; with "decide and next" on, claim and open the next case."""
    short = str(decided.pk)[:8]
    said = (
        f"Decision recorded: {decided.get_decision_display()} ({decided.reason_code}) "
        f"on case {short}."
    )
    if reviewer_settings_get(user=user).decide_and_next:
        following = services.review_claim_next(
            reviewer=user, doc_type=request.session.get(DOC_TYPE_KEY) or None
        )
        if following is not None:
            messages.success(request, f"{said} Next case opened.")
            return HttpResponseRedirect(case_url(following.pk))
        messages.success(request, f"{said} The queue is empty.")
        return HttpResponseRedirect(queue_url())
    messages.success(request, said)
    return HttpResponseRedirect(case_url(decided.pk))


def _case_view(review: ManualReview) -> Any:
    view = case_view(review=review)
    return blinded(view) if is_blind(review) else view


@require_http_methods(["GET", "POST"])
def case(request: HttpRequest, review_id: uuid.UUID, admin_site: AdminSite) -> HttpResponse:
    user = _require_worker(request)
    review = _load(review_id)
    view = _case_view(review)
    form = DecisionForm(
        request.POST or None, originals=view.values(), failing_checks=len(view.failing)
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                decided = services.review_decide_with_corrections(
                    review_id=review.pk,
                    actor=user,
                    decision=form.decision,
                    reason_code=form.cleaned_data["reason_code"],
                    notes=form.cleaned_data["notes"],
                    corrections=form.corrections(),
                )
            except FilotError as exc:
                _error(request, exc)
                status = exc.status_code
            else:
                return _after_decision(request, user, decided)
        else:
            messages.error(request, "The decision was not recorded: see the errors below.")
            status = 400
        # The page again with everything the reviewer typed, over the case as it is now.
        review = _load(review_id)
        view = _case_view(review)
    services.staff_access_record(
        user=user, document_id=review.document_id, review_id=review.pk, action=StaffAccess.VIEW_CASE
    )
    context = {
        **admin_site.each_context(request),
        **_case_context(user, review, view, form),
    }
    return TemplateResponse(request, "admin/reviews/manualreview/case.html", context, status=status)


def _state(review: ManualReview, holds: bool, held_by_other: bool) -> str:
    """The banner's state: who may act, or how the case ended."""
    if review.state == ReviewState.DECIDED:
        return str(review.decision)
    if review.state != ReviewState.OPEN:
        return "cancelled"
    if holds:
        return "mine"
    return "held" if held_by_other else "free"


def _case_context(user: Any, review: ManualReview, view: Any, form: DecisionForm) -> dict[str, Any]:
    now = timezone.now()
    image_url = reverse("admin:reviews_manualreview_image", args=[review.pk])
    is_open = review.state == ReviewState.OPEN
    holds = is_open and review.held_by(user, now)
    held_by_other = is_open and review.held_by_other_than(user, now)
    can_decide = is_open and (holds or user.is_superuser)
    posted = form.data if form.is_bound else {}
    current = view.values()
    fields = [
        (f, str(posted.get(f"{CORRECTION_PREFIX}{f.name}", current[f.name]))) for f in view.fields
    ]
    chosen = str(posted.get("reason_code", "")) if form.is_bound else ""
    recent = recent_reasons(reviewer=user)
    settings = reviewer_settings_get(user=user)
    return {
        "title": f"Case {str(review.pk)[:8]}",
        "subtitle": None,
        "opts": ManualReview._meta,
        "case": view,
        "review": review,
        "document": view.document,
        "form": form,
        "fields": fields,
        "chosen_reason": chosen,
        "is_open": is_open,
        "holds": holds,
        "held_by_other": held_by_other,
        "state": _state(review, holds, held_by_other),
        "can_decide": can_decide,
        "is_admin": user.is_superuser,
        "reassign_form": ReassignForm() if user.is_superuser and is_open else None,
        "age_seconds": int((now - review.created_at).total_seconds()),
        "sla_seconds": sla_seconds(),
        "correction_prefix": CORRECTION_PREFIX,
        "reason_groups": [
            (group, [(code, reason, " ".join(decisions_for(code))) for code, reason in items])
            for group, items in reason_groups()
        ],
        "recent_reasons": list(enumerate(recent, start=1)),
        "console_data": {
            "notes": NOTE_TEMPLATES,
            "decisions": {code: decisions_for(code) for code in NOTE_TEMPLATES},
            "actions": {action: str(decision) for action, decision in ACTION_DECISION.items()},
            "failing": [c.get("code") for c in view.failing],
            "leaseUrl": reverse("admin:reviews_manualreview_lease", args=[review.pk]),
            "leaseSeconds": services.lease_seconds(),
            "expiresMs": int(review.claim_expires_at.timestamp() * 1000)
            if holds and review.claim_expires_at
            else None,
            "nowMs": int(now.timestamp() * 1000),
        },
        "decide_and_next": settings.decide_and_next,
        "preferences_url": reverse("admin:reviews_manualreview_preferences"),
        "actions": ACTIONS,
        "image_url": image_url,
        "viewer_url": f"{image_url}?view=card" if view.shows_card else image_url,
        "queue_url": queue_url(),
        "claim_next_url": reverse("admin:reviews_manualreview_claim_next"),
    }
