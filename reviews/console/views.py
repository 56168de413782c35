"""Console views mounted under the ``ManualReview`` admin: claim next, the case page, its image,
release and reassign. Each parses the request, calls one ``reviews`` service and shapes HTML;
service errors reach the reviewer as admin messages."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from filot.errors import FilotError
from reviews import services
from reviews.console.images import FULL, card_for_viewer, image_for_viewer
from reviews.forms import ACTIONS, CORRECTION_PREFIX, DecisionForm, ReassignForm
from reviews.models import ManualReview, ReviewState, StaffAccess
from reviews.selectors import card_key_for, case_result, case_view, sla_seconds
from verification.reasons import REASONS

logger = logging.getLogger(__name__)


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


@require_POST
def claim_next(request: HttpRequest) -> HttpResponse:
    user = _require_worker(request)
    doc_type = request.POST.get("doc_type") or None
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
    response = StreamingHttpResponse(content, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


@require_http_methods(["GET", "POST"])
def case(request: HttpRequest, review_id: uuid.UUID, admin_site: AdminSite) -> HttpResponse:
    user = _require_worker(request)
    review = get_object_or_404(
        ManualReview.objects.select_related(
            "document", "document__owner", "verification_result", "assignee", "decided_by"
        ),
        pk=review_id,
    )
    view = case_view(review=review)
    field_names = [f.name for f in view.fields]
    form = DecisionForm(request.POST or None, field_names=field_names)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.review_decide_with_corrections(
                    review_id=review.pk,
                    actor=user,
                    decision=form.decision,
                    reason_code=form.cleaned_data["reason_code"],
                    notes=form.cleaned_data["notes"],
                    corrections=form.corrections(),
                )
            except FilotError as exc:
                _error(request, exc)
                return HttpResponseRedirect(case_url(review.pk))
            label = dict(ACTIONS)[form.cleaned_data["action"]]
            messages.success(request, f"Decision recorded: {label}.")
            return HttpResponseRedirect(case_url(review.pk))
        messages.error(request, "The decision was not recorded: see the errors below.")
    services.staff_access_record(
        user=user, document_id=review.document_id, review_id=review.pk, action=StaffAccess.VIEW_CASE
    )
    now = timezone.now()
    image_url = reverse("admin:reviews_manualreview_image", args=[review.pk])
    is_open = review.state == ReviewState.OPEN
    holds = bool(
        is_open
        and review.assignee_id == user.pk
        and review.claim_expires_at
        and review.claim_expires_at > now
    )
    held_by_other = bool(
        is_open
        and review.assignee_id not in (None, user.pk)
        and review.claim_expires_at
        and review.claim_expires_at > now
    )
    context = {
        **admin_site.each_context(request),
        "title": f"Case {str(review.pk)[:8]}",
        "subtitle": None,
        "opts": ManualReview._meta,
        "case": view,
        "review": review,
        "document": view.document,
        "form": form,
        "is_open": is_open,
        "holds": holds,
        "held_by_other": held_by_other,
        "can_decide": is_open and (holds or user.is_superuser),
        "is_admin": user.is_superuser,
        "reassign_form": ReassignForm() if user.is_superuser and is_open else None,
        "age_seconds": int((now - review.created_at).total_seconds()),
        "sla_seconds": sla_seconds(),
        "correction_prefix": CORRECTION_PREFIX,
        "reasons": REASONS,
        "retryable_codes": [code for code, r in REASONS.items() if r.retryable],
        "image_url": image_url,
        "viewer_url": f"{image_url}?view=card" if view.shows_card else image_url,
        "queue_url": queue_url(),
        "claim_next_url": reverse("admin:reviews_manualreview_claim_next"),
    }
    return TemplateResponse(request, "admin/reviews/manualreview/case.html", context)
