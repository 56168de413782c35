"""The FiLot user (table ``users``). Roles are Django groups: client, reviewer, admin."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone

from filot.fields import EncryptedTextField


class Role(models.TextChoices):
    CLIENT = "client", "Client"
    REVIEWER = "reviewer", "Reviewer"
    ADMIN = "admin", "Admin"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(max_length=254, unique=True)
    # A person's name and phone number: encrypted at rest (lengths checked by the serializers).
    display_name = EncryptedTextField(blank=True, default="")
    phone = EncryptedTextField(blank=True, default="")
    stack_user_id = models.CharField(max_length=128, null=True, blank=True, default=None)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        db_table = "users"
        ordering = ("email",)
        constraints = [
            models.UniqueConstraint(
                fields=["stack_user_id"],
                condition=Q(stack_user_id__isnull=False),
                name="users_stack_user_id_unique",
            ),
            models.CheckConstraint(condition=~Q(email=""), name="users_email_not_blank"),
        ]

    def __str__(self) -> str:
        return str(self.id)

    def has_role(self, role: Role) -> bool:
        if role == Role.ADMIN and self.is_superuser:
            return True
        return self.groups.filter(name=role.value).exists()
