from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

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


def user_revoke_tokens(*, user: User) -> int:
    """Blacklist every unexpired refresh token issued to ``user``; returns how many.

    Access tokens cannot be listed: they expire within ``JWT_ACCESS_MINUTES``, are refused
    while the user is inactive, and carry the password digest that a password change breaks.
    """
    outstanding = OutstandingToken.objects.filter(user=user, expires_at__gt=timezone.now())
    revoked = 0
    for token in outstanding.exclude(blacklistedtoken__isnull=False):
        BlacklistedToken.objects.get_or_create(token=token)
        revoked += 1
    return revoked


@transaction.atomic
def user_set_password(*, user: User, password: str) -> User:
    """A new password: every token issued before it stops working."""
    user.set_password(password)
    user.save(update_fields=["password", "updated_at"])
    user_revoke_tokens(user=user)
    return user


@transaction.atomic
def user_deactivate(*, user: User) -> User:
    """The user can no longer sign in, and no earlier token works, even after reactivation."""
    user.is_active = False
    user.save(update_fields=["is_active", "updated_at"])
    user_revoke_tokens(user=user)
    return user
