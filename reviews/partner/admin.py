"""The outbox as an operations console: filter by status and type, replay what failed.

Payloads carry personal data and are not shown; rows are read-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from reviews.partner.models import InboundEvent, OutboxEvent
from reviews.partner.services import outbox_replay


@admin.register(OutboxEvent)
class OutboxEventAdmin(admin.ModelAdmin):
    list_display = (
        "event_id",
        "event_type",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
        "created_at",
        "delivered_at",
    )
    list_filter = ("status", "event_type", "last_status_code")
    search_fields = ("=event_id", "=review_id", "=document_id", "=partner_reference")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    exclude = ("payload", "claim_token")
    readonly_fields = (
        "event_id",
        "event_type",
        "review_id",
        "document_id",
        "status",
        "attempts",
        "next_attempt_at",
        "give_up_at",
        "locked_until",
        "last_status_code",
        "last_error",
        "partner_reference",
        "delivered_at",
        "created_at",
        "updated_at",
    )
    actions = ("replay",)
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Replay selected failed or dead events")
    def replay(self, request: HttpRequest, queryset: QuerySet[OutboxEvent]) -> None:
        ids = list(queryset.values_list("event_id", flat=True))
        replayed = outbox_replay(event_ids=ids)
        skipped = len(ids) - replayed
        self.message_user(request, f"Replayed {replayed} event(s).", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} event(s) were not failed or dead and were left alone.",
                messages.WARNING,
            )


@admin.register(InboundEvent)
class InboundEventAdmin(admin.ModelAdmin):
    list_display = ("webhook_id", "event_type", "review_id", "outcome", "received_at")
    list_filter = ("outcome", "event_type")
    search_fields = ("=webhook_id", "=review_id")
    readonly_fields = ("webhook_id", "event_type", "review_id", "outcome", "received_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
