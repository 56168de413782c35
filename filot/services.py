from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from filot.models import Role, User


def user_update_profile(
    *, user: User, display_name: str | None = None, phone: str | None = None
) -> User:
    fields = []
    if display_name is not None:
        user.display_name = display_name.strip()
        fields.append("display_name")
    if phone is not None:
        user.phone = phone.strip()
        fields.append("phone")
    if fields:
        user.save(update_fields=[*fields, "updated_at"])
    return user


@transaction.atomic
def user_create(
    *, email: str, password: str | None, role: Role = Role.CLIENT, display_name: str = ""
) -> User:
    """Create a user in one role. Reviewers and admins are staff (they use the console)."""
    user = User.objects.create_user(
        email=email,
        password=password,
        display_name=display_name,
        is_staff=role in (Role.REVIEWER, Role.ADMIN),
        is_superuser=role == Role.ADMIN,
    )
    group, _ = Group.objects.get_or_create(name=role.value)
    user.groups.add(group)
    return user
