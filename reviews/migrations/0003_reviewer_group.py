"""The ``reviewer`` group with exactly the console permissions, set up by ``migrate``.

Permissions are normally created after all migrations (post_migrate); they are created here
first so the group can be given them. Re-running keeps the group's permissions exact.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

REVIEWER_PERMISSIONS = (
    ("documents", "view_document"),
    ("documents", "view_documenttransition"),
    ("verification", "view_verificationresult"),
    ("reviews", "view_manualreview"),
    ("reviews", "work_manualreview"),
    ("reviews", "view_fieldcorrection"),
    ("reviews", "add_fieldcorrection"),
)


def create_reviewer_group(apps: Any, schema_editor: Any) -> None:
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in REVIEWER_PERMISSIONS
    ]
    group, _ = Group.objects.get_or_create(name="reviewer")
    group.permissions.set(permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("documents", "0004_document_attempt_seq"),
        ("verification", "0002_identityfingerprint"),
        ("reviews", "0002_console"),
    ]

    operations = [migrations.RunPython(create_reviewer_group, migrations.RunPython.noop)]
