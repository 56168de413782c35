"""Test data for accounts (factory_boy)."""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from filot.models import Role, User
from filot.services import user_create


class UserFactory(DjangoModelFactory[User]):
    """A user made as the service makes one (``user_create``: role group, staff flags)."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    password = "correct horse battery staple"
    role = Role.CLIENT
    display_name = ""

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        return user_create(**kwargs)
