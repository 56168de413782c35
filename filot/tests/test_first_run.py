"""What a new user needs from ``make run``: the demo accounts and the development service key,
which opens the internal API as the README's example does."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from filot.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_prints_the_development_service_key_that_opens_the_internal_api(api_client):
    out = StringIO()
    call_command("seed_demo", stdout=out)

    printed = out.getvalue()
    line = next(line for line in printed.splitlines() if "X-Service-Key" in line)
    key = line.rsplit(" ", 1)[-1]
    assert key == settings.DEV_SERVICE_KEY
    client = User.objects.get(email="client@filot.local")
    response = api_client.get(f"/api/v1/internal/users/{client.pk}/kyc/", HTTP_X_SERVICE_KEY=key)
    assert response.status_code == 200
    assert response.json()["kyc_status"] == "unverified"


def test_seed_demo_never_prints_a_key_set_in_the_environment(settings):
    settings.SERVICE_INTERNAL_KEYS = ["operator-chosen-key-" + "z" * 20]
    out = StringIO()

    call_command("seed_demo", stdout=out)

    assert "operator-chosen-key" not in out.getvalue()
    assert "SERVICE_INTERNAL_KEY from your environment" in out.getvalue()


def test_the_security_scan_reports_without_nosec_noise():
    """``make security`` on the files whose findings carry a justified ``# nosec``."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    files = ["filot/crypto.py", "filot/migration_ops.py", "reviews/partner/fake_server.py"]

    scan = subprocess.run(
        [sys.executable, "scripts/run-bandit.py", "-q", "-ll", *files],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert scan.returncode == 0, scan.stdout + scan.stderr
    assert "nosec encountered" not in scan.stderr
    assert scan.stdout.strip() == ""


def test_the_card_the_readme_uploads_is_the_one_its_generate_command_writes(tmp_path):
    """A newcomer copies the README's lines: the file its curl uploads must exist."""
    import re
    import shlex
    from pathlib import Path

    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    command = re.search(r"manage\.py (generate_cards [^\n#]+)", readme)
    upload = re.search(r"file=@cards/(\S+)", readme)
    assert command and upload
    args = shlex.split(command.group(1))
    assert args[:2] == ["generate_cards", "cards"]

    call_command("generate_cards", str(tmp_path), *args[2:], stdout=StringIO())

    assert (tmp_path / upload.group(1)).is_file(), sorted(p.name for p in tmp_path.iterdir())
