"""Who may work the console, and the log of who looked at which document.

The ``reviewer`` role's permissions, creating reviewers, and ``staff_access_record``: every
staff view of a document's personal data, written by the console's views.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from filot.models import Role, User
from filot.services import user_create
from reviews.models import StaffAccessLog

# What a reviewer may do in the console: read documents, results and their history, work
# reviews and record corrections. Nothing is deletable and users are not visible.
REVIEWER_PERMISSIONS: tuple[tuple[str, str], ...] = (
    ("documents", "view_document"),
    ("documents", "view_documenttransition"),
    ("verification", "view_verificationresult"),
    ("reviews", "view_manualreview"),
    ("reviews", "work_manualreview"),
    ("reviews", "view_fieldcorrection"),
    ("reviews", "add_fieldcorrection"),
)


def reviewer_group_ensure() -> Any:
    """The ``reviewer`` group with exactly ``REVIEWER_PERMISSIONS`` (created if missing).

    Permissions are created by ``migrate``; this must run after it.
    """
    query = Q(pk__in=[])
    for app_label, codename in REVIEWER_PERMISSIONS:
        query |= Q(content_type__app_label=app_label, codename=codename)
    permissions = list(Permission.objects.filter(query))
    if len(permissions) != len(REVIEWER_PERMISSIONS):
        found = {(p.content_type.app_label, p.codename) for p in permissions}
        missing = sorted(set(REVIEWER_PERMISSIONS) - found)
        raise RuntimeError(f"permissions missing (run migrate first): {missing}")
    with transaction.atomic():
        group, _ = Group.objects.get_or_create(name=Role.REVIEWER.value)
        group.permissions.set(permissions)
    return group


def reviewer_create(*, email: str, password: str | None, display_name: str = "") -> User:
    """A staff user in the ``reviewer`` group (which gets its permissions here)."""
    with transaction.atomic():
        reviewer_group_ensure()
        return user_create(
            email=email, password=password, role=Role.REVIEWER, display_name=display_name
        )


def can_work_reviews(user: Any) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and (user.is_superuser or user.has_perm("reviews.work_manualreview"))
    )


def staff_access_record(
    *, user: User, document_id: uuid.UUID, action: str, review_id: uuid.UUID | None = None
) -> None:
    """Write who looked at which document's personal data, and how."""
    StaffAccessLog.objects.create(
        user=user,
        user_email=user.email,
        document_id=document_id,
        review_id=review_id,
        action=action,
    )
