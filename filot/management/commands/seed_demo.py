"""Create the demo accounts that `make run` prints (never in production)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from filot.models import Role, User
from filot.services import user_create

DEMO_ACCOUNTS = (
    ("admin@filot.local", "filot-admin-demo", Role.ADMIN, "Demo Admin"),
    ("reviewer@filot.local", "filot-reviewer-demo", Role.REVIEWER, "Demo Reviewer"),
    ("client@filot.local", "filot-client-demo", Role.CLIENT, "Demo Client"),
)


class Command(BaseCommand):
    help = "Create demo admin, reviewer and client accounts (development only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("seed_demo refuses to run in production mode.")
        self.stdout.write("Demo accounts (email / password):")
        for email, password, role, name in DEMO_ACCOUNTS:
            if not User.objects.filter(email=email).exists():
                user_create(email=email, password=password, role=role, display_name=name)
            self.stdout.write(f"  {role.value:<9} {email:<24} {password}")
        key = settings.SERVICE_INTERNAL_KEYS[0] if settings.SERVICE_INTERNAL_KEYS else ""
        if key == settings.DEV_SERVICE_KEY:
            self.stdout.write(f"Internal API key (X-Service-Key, public dev value): {key}")
        else:
            self.stdout.write("Internal API key: SERVICE_INTERNAL_KEY from your environment")
