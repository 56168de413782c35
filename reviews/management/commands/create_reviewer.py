"""``manage.py create_reviewer EMAIL``: a staff user in the reviewer group.

The password is prompted for (twice), or read from an environment variable with
``--password-from-env NAME`` so that it never appears in a shell history or process list.
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from filot.models import User
from reviews.services import reviewer_create


class Command(BaseCommand):
    help = "Create a reviewer: a staff user who can work the review queue and nothing more."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument(
            "--password-from-env",
            metavar="VARIABLE",
            help="read the password from this environment variable instead of prompting",
        )
        parser.add_argument("--display-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        email = str(options["email"]).strip().lower()
        if User.objects.filter(email=email).exists():
            raise CommandError(f"A user with the email {email} already exists.")
        variable = options.get("password_from_env")
        if variable:
            password = os.environ.get(variable, "")
            if not password:
                raise CommandError(f"The environment variable {variable} is empty or not set.")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords do not match.")
        try:
            validate_password(password, User(email=email))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        user = reviewer_create(email=email, password=password, display_name=options["display_name"])
        self.stdout.write(self.style.SUCCESS(f"Reviewer {user.email} created."))
