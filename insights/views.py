"""The decision-quality staff pages, mounted under the admin (``insights.admin``): the threshold
what-if, accuracy from corrections with blind QA and second-review agreement, and the CSV
export. Each parses its query string, calls the selectors and shapes HTML or CSV. Only staff
with ``insights.view_decisionquality`` (superusers have it) may open them."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from documents.status import DocumentType
from insights.charts import correction_trend, data_uri, score_distribution
from insights.export import csv_lines, decision_rows
from insights.whatif import (
    OUTCOME_LABELS,
    OUTCOMES,
    InvalidThresholds,
    Thresholds,
    history,
    simulate,
)
from reviews.corrections import field_rates, reviewed_documents, weekly_rates
from reviews.qa import qa_rates, second_review_agreement

logger = logging.getLogger(__name__)
PERMISSION = "insights.view_decisionquality"
TREND_WEEKS = 12
DOC_TYPES = [("", "KTP and NPWP"), *DocumentType.choices]


def _require_viewer(request: HttpRequest) -> Any:
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perm(PERMISSION)):
        raise PermissionDenied
    return user


def _start_of(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class WhatIfForm(forms.Form):
    approve = forms.IntegerField(min_value=1, max_value=100, label="approve at or above")
    reject = forms.IntegerField(min_value=0, max_value=99, label="reject at or below")
    since = forms.DateField(required=False, label="decided since")
    doc_type = forms.ChoiceField(choices=DOC_TYPES, required=False, label="card type")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "approve" in data and "reject" in data:
            try:
                data["thresholds"] = Thresholds(
                    approve_at=data["approve"], reject_at=data["reject"]
                )
            except InvalidThresholds as exc:
                raise forms.ValidationError(str(exc.detail), code=exc.code) from exc
        return data


class ExportForm(forms.Form):
    since = forms.DateField(required=False)
    doc_type = forms.ChoiceField(choices=DOC_TYPES, required=False)


class PeriodForm(forms.Form):
    days = forms.TypedChoiceField(
        choices=[(7, "7 days"), (28, "28 days"), (90, "90 days")],
        coerce=int,
        required=False,
        label="period",
    )
    doc_type = forms.ChoiceField(choices=DOC_TYPES, required=False, label="card type")


def _pages(active: str) -> list[tuple[str, str, bool]]:
    return [
        (reverse("admin:insights_decisionquality_whatif"), "Threshold what-if", active == "whatif"),
        (reverse("admin:insights_decisionquality_quality"), "Accuracy and QA", active == "quality"),
    ]


@require_GET
def whatif(request: HttpRequest, admin_site: AdminSite) -> HttpResponse:
    _require_viewer(request)
    current = Thresholds.current()
    query = request.GET.copy()
    query.setdefault("approve", str(current.approve_at))
    query.setdefault("reject", str(current.reject_at))
    form = WhatIfForm(query)
    context: dict[str, Any] = {
        **admin_site.each_context(request),
        "title": "Threshold what-if",
        "pages": _pages("whatif"),
        "form": form,
        "current": current,
    }
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        since = _start_of(data["since"]) if data.get("since") else None
        simulation = simulate(
            history(since=since, doc_type=data.get("doc_type") or None),
            current=current,
            proposed=data["thresholds"],
        )
        totals = (simulation.totals("current"), simulation.totals("proposed"))
        context.update(
            simulation=simulation,
            outcomes=[
                (OUTCOME_LABELS[o], totals[0][o], totals[1][o], totals[1][o] - totals[0][o])
                for o in OUTCOMES
            ],
            labels=[OUTCOME_LABELS[o] for o in OUTCOMES],
            moves=[
                (OUTCOME_LABELS[c], [simulation.moves[c][p] for p in OUTCOMES]) for c in OUTCOMES
            ],
            human=[(name, simulation.human[name]) for name in ("current", "proposed")],
            chart=data_uri(score_distribution(simulation)),
            export_url=reverse("admin:insights_decisionquality_export")
            + (f"?{request.GET.urlencode()}" if request.GET else ""),
        )
    else:
        status = 400
    return TemplateResponse(request, "admin/insights/whatif.html", context, status=status)


@require_GET
def quality(request: HttpRequest, admin_site: AdminSite) -> HttpResponse:
    _require_viewer(request)
    form = PeriodForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    days = data.get("days") or 7
    doc_type = data.get("doc_type") or None
    now = timezone.now()
    since = now - timedelta(days=days)
    rows = reviewed_documents(since=now - timedelta(weeks=TREND_WEEKS), doc_type=doc_type)
    recent = [row for row in rows if row.decided_at >= since]
    fields = field_rates(recent, by_engine=False, by_quality=False)
    detail = [r for r in field_rates(recent, by_engine=True, by_quality=True) if r.rate.hits]
    weekly = weekly_rates(rows, weeks=TREND_WEEKS, today=timezone.localdate(now))
    context = {
        **admin_site.each_context(request),
        "title": "Accuracy from corrections, blind QA and agreement",
        "pages": _pages("quality"),
        "form": form,
        "days": days,
        "reviewed": len(recent),
        "fields": fields,
        "detail": detail,
        "trend": data_uri(correction_trend(weekly)),
        "qa": qa_rates(since=since, doc_type=doc_type),
        "agreement": second_review_agreement(since=since, doc_type=doc_type),
    }
    return TemplateResponse(request, "admin/insights/quality.html", context)


@require_GET
def export(request: HttpRequest) -> HttpResponseBase:
    """The decisions as CSV (``since`` and ``doc_type`` as on the what-if page)."""
    user = _require_viewer(request)
    form = ExportForm(request.GET)
    if not form.is_valid():
        return HttpResponse(
            "since must be a date (YYYY-MM-DD) and doc_type KTP or NPWP.",
            status=400,
            content_type="text/plain",
        )
    since_day = form.cleaned_data.get("since")
    since = _start_of(since_day) if since_day else None
    doc_type = form.cleaned_data.get("doc_type") or None
    response = StreamingHttpResponse(
        csv_lines(decision_rows(since=since, doc_type=doc_type)), content_type="text/csv"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="filot-decisions-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    logger.info(
        "decisions exported",
        extra={"user_id": str(user.pk), "since": str(since_day or ""), "doc_type": doc_type or ""},
    )
    return response
