"""The queue's filters: state (open by default), document type, kind of case, reason code,
score band and assignee. Reason and score filters find decision cases only: a blind case must
not be found by the machine's findings it is blind to."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from documents.status import DocumentType
from filot.models import User
from reviews.models import ReviewPurpose, ReviewState, live_claim
from reviews.selectors import parse_uuid, score_bands, sla_seconds
from verification.reasons import REASONS

BLIND_LABELS = {ReviewPurpose.QA: "QA", ReviewPurpose.SECOND: "2nd review"}


class PurposeFilter(admin.SimpleListFilter):
    title = "kind"
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            (ReviewPurpose.DECISION.value, "Decision cases"),
            (ReviewPurpose.QA.value, "Blind QA cases"),
            (ReviewPurpose.SECOND.value, "Blind second reviews"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        return queryset.filter(purpose=value) if value in ReviewPurpose.values else queryset


class StateFilter(admin.SimpleListFilter):
    """Open cases by default; ``claimed`` and ``overdue`` are open cases too."""

    title = "state"
    parameter_name = "state"
    default = "open"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("open", "Open"),
            ("unclaimed", "Open, unclaimed"),
            ("claimed", "Open, claimed"),
            ("overdue", "Open, overdue"),
            ("decided", "Decided"),
            ("cancelled", "Cancelled"),
            ("all", "All"),
        ]

    def choices(self, changelist: Any) -> Any:
        current = self.value() or self.default
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        now = timezone.now()
        value = self.value() or self.default
        is_open = Q(state=ReviewState.OPEN)
        filters = {
            "open": is_open,
            "unclaimed": is_open & ~live_claim(now),
            "claimed": is_open & live_claim(now),
            "overdue": is_open & Q(created_at__lt=now - timedelta(seconds=sla_seconds())),
            "decided": Q(state=ReviewState.DECIDED),
            "cancelled": Q(state=ReviewState.CANCELLED),
        }
        return queryset.filter(filters[value]) if value in filters else queryset


class DocTypeFilter(admin.SimpleListFilter):
    title = "document type"
    parameter_name = "doc_type"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(DocumentType.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        return queryset.filter(document__doc_type=value) if value else queryset


class ReasonFilter(admin.SimpleListFilter):
    title = "reason code"
    parameter_name = "reason"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(code, code) for code in REASONS]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value in REASONS:
            # Decision cases only: a blind case must not be found by its machine findings.
            return queryset.filter(
                purpose=ReviewPurpose.DECISION, verification_result__reason_codes__contains=[value]
            )
        return queryset


class ScoreBandFilter(admin.SimpleListFilter):
    title = "score band"
    parameter_name = "score"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(key, label) for key, (label, _, _) in score_bands().items()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        band = score_bands().get(self.value() or "")
        if band is None:
            return queryset
        return queryset.filter(
            purpose=ReviewPurpose.DECISION, verification_result__score__range=(band[1], band[2])
        )


class AssigneeFilter(admin.SimpleListFilter):
    title = "assignee"
    parameter_name = "assignee"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        staff = User.objects.filter(is_staff=True, is_active=True).order_by("email")
        return [("me", "Me"), ("none", "Nobody"), *((str(u.pk), u.email) for u in staff[:50])]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value == "me":
            return queryset.filter(assignee=request.user)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        user_id = parse_uuid(value or "")
        return queryset.filter(assignee_id=user_id) if user_id else queryset
