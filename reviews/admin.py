"""The review console in Django admin: the queue of manual reviews, and read-only logs.

The queue is the ``ManualReview`` changelist; the case page, its image, claim-next, release and
reassign are extra admin URLs (``reviews.console.views``). NIK is masked in every list, and a
page costs the same number of queries for 10 rows as for 100.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.html import format_html

from filot.errors import FilotError
from reviews import services
from reviews.console import views
from reviews.console.blind import is_blind
from reviews.console.filters import (
    BLIND_LABELS,
    AssigneeFilter,
    DocTypeFilter,
    PurposeFilter,
    ReasonFilter,
    ScoreBandFilter,
    StateFilter,
)
from reviews.models import (
    FieldCorrection,
    ManualReview,
    ReviewPurpose,
    ReviewState,
    StaffAccessLog,
)
from reviews.selectors import (
    masked_identity,
    parse_uuid,
    queue_counts,
    review_queue,
    sla_seconds,
)


@admin.register(ManualReview)
class ManualReviewAdmin(admin.ModelAdmin):
    change_list_template = "admin/reviews/manualreview/change_list.html"
    list_display = (
        "case_link",
        "doc_type",
        "age",
        "score",
        "reasons",
        "identity",
        "assignee_email",
        "outcome",
    )
    list_display_links = None
    list_filter = (
        StateFilter,
        DocTypeFilter,
        PurposeFilter,
        ReasonFilter,
        ScoreBandFilter,
        AssigneeFilter,
    )
    search_fields = ("=document__id",)
    search_help_text = "Document id, or the last 4 digits of the NIK."
    ordering = ("created_at",)
    list_per_page = 100
    show_full_result_count = False
    actions = ("release_selected",)

    # --- queue --------------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[ManualReview]:
        return review_queue()

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        term = search_term.strip().lstrip("*").strip()
        if not term:
            return queryset, False
        as_uuid = parse_uuid(term)
        if as_uuid is not None:
            return queryset.filter(Q(document_id=as_uuid) | Q(pk=as_uuid)), False
        if term.isdigit() and len(term) == 4:
            return queryset.filter(verification_result__identity_suffix=term), False
        return queryset.none(), False

    @admin.display(description="case", ordering="created_at")
    def case_link(self, obj: ManualReview) -> str:
        link = format_html('<a href="{}">{}</a>', views.case_url(obj.pk), str(obj.pk)[:8])
        label = BLIND_LABELS.get(ReviewPurpose(obj.purpose))
        return format_html('{} <span class="purpose">{}</span>', link, label) if label else link

    @admin.display(description="type", ordering="document__doc_type")
    def doc_type(self, obj: ManualReview) -> str:
        return obj.document.doc_type

    @admin.display(description="age", ordering="created_at")
    def age(self, obj: ManualReview) -> str:
        end = obj.decided_at if obj.state != ReviewState.OPEN and obj.decided_at else None
        seconds = int(((end or timezone.now()) - obj.created_at).total_seconds())
        return format_html(
            '<span class="sla sla-{}" title="SLA {} h">{}</span>',
            sla_class(seconds, open_case=obj.state == ReviewState.OPEN),
            round(sla_seconds() / 3600, 1),
            human_age(seconds),
        )

    # A blind case hides the score and reasons: they would give the checked decision away.
    @admin.display(description="score", ordering="verification_result__score")
    def score(self, obj: ManualReview) -> Any:
        return "-" if is_blind(obj) else getattr(obj, "score", None)

    @admin.display(description="reasons")
    def reasons(self, obj: ManualReview) -> str:
        if is_blind(obj):
            return "-"
        return ", ".join(getattr(obj, "reason_codes", None) or []) or "-"

    @admin.display(description="NIK / NPWP")
    def identity(self, obj: ManualReview) -> str:
        return masked_identity(obj)

    @admin.display(description="state / outcome", ordering="state")
    def outcome(self, obj: ManualReview) -> str:
        """Open, or how the case ended: approved, rejected or resubmission, with its reason."""
        if obj.state == ReviewState.DECIDED and obj.decision:
            return format_html(
                '<span class="outcome outcome-{}">{}</span> {}',
                obj.decision,
                obj.get_decision_display(),
                obj.reason_code,
            )
        if obj.state == ReviewState.CANCELLED:
            return format_html('<span class="outcome outcome-cancelled">{}</span>', "Cancelled")
        return "Open"

    @admin.display(description="assignee", ordering="assignee__email")
    def assignee_email(self, obj: ManualReview) -> str:
        if obj.assignee is None:
            return "-"
        live = obj.claim_is_live(timezone.now())
        return obj.assignee.email if live else f"{obj.assignee.email} (lease expired)"

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        extra = {
            **(extra_context or {}),
            "counts": queue_counts(),
            "can_work": services.can_work_reviews(request.user),
            "sla_hours": round(sla_seconds() / 3600, 1),
        }
        return super().changelist_view(request, extra_context=extra)

    # --- actions ------------------------------------------------------------------------

    @admin.action(description="Release selected cases to the queue (admins)")
    def release_selected(self, request: HttpRequest, queryset: QuerySet[ManualReview]) -> None:
        released = 0
        for review_id in queryset.values_list("pk", flat=True):
            try:
                services.review_release(review_id=review_id, actor=request.user)  # type: ignore[arg-type]
            except FilotError as exc:
                self.message_user(request, f"{exc.detail} ({exc.code})", messages.ERROR)
            else:
                released += 1
        self.message_user(request, f"Released {released} case(s).", messages.SUCCESS)

    def get_actions(self, request: HttpRequest) -> Any:
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("release_selected", None)
        return actions

    # --- permissions: reviews change only through the services ---------------------------

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        review_id = parse_uuid(object_id)
        if review_id is None:
            raise Http404("No such case.")
        return HttpResponseRedirect(views.case_url(review_id))

    def get_urls(self) -> list[Any]:
        wrap = self.admin_site.admin_view
        name = "reviews_manualreview"
        custom: list[URLPattern] = [
            path("claim-next/", wrap(views.claim_next), name=f"{name}_claim_next"),
            path(
                "<uuid:review_id>/case/",
                wrap(partial(views.case, admin_site=self.admin_site)),
                name=f"{name}_case",
            ),
            path("preferences/", wrap(views.preferences), name=f"{name}_preferences"),
            path("<uuid:review_id>/image/", wrap(views.image), name=f"{name}_image"),
            path(
                "<uuid:review_id>/related/<uuid:document_id>/image/",
                wrap(views.related_image),
                name=f"{name}_related_image",
            ),
            path("<uuid:review_id>/lease/", wrap(views.lease), name=f"{name}_lease"),
            path("<uuid:review_id>/claim/", wrap(views.claim), name=f"{name}_claim"),
            path("<uuid:review_id>/release/", wrap(views.release), name=f"{name}_release"),
            path("<uuid:review_id>/reassign/", wrap(views.reassign), name=f"{name}_reassign"),
        ]
        return custom + super().get_urls()


def sla_class(seconds: int, *, open_case: bool = True) -> str:
    if not open_case:
        return "done"
    sla = sla_seconds()
    if seconds >= sla:
        return "over"
    if seconds >= 0.75 * sla:
        return "warn"
    return "ok"


def human_age(seconds: int) -> str:
    seconds = max(seconds, 0)
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    return f"{seconds // 86400} d {seconds % 86400 // 3600} h"


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FieldCorrection)
class FieldCorrectionAdmin(ReadOnlyAdmin):
    """Who corrected which field when. Links lead only where a reviewer may go: the case page,
    never the user admin (the reviewer is named by email, as text)."""

    list_display = ("created_at", "case", "field", "reviewer_email")
    list_display_links = ("created_at",)
    list_select_related = ("reviewer",)
    search_fields = ("=document__id",)
    # Old and new values are personal data: shown on the case page (logged), not in lists.
    fields = ("created_at", "case", "document_id", "field", "reviewer_email")
    readonly_fields = fields

    @admin.display(description="reviewer", ordering="reviewer__email")
    def reviewer_email(self, obj: FieldCorrection) -> str:
        return obj.reviewer.email if obj.reviewer is not None else "(deleted user)"

    @admin.display(description="case")
    def case(self, obj: FieldCorrection) -> str:
        return format_html(
            '<a href="{}">{}</a>', views.case_url(obj.review_id), str(obj.review_id)[:8]
        )


@admin.register(StaffAccessLog)
class StaffAccessLogAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user_email", "action", "document_id", "review_id")
    list_filter = ("action",)
    search_fields = ("=document_id", "user_email")
    date_hierarchy = "created_at"

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)
