"""Secure by default: production settings pass `check --deploy`; no secret is hard-coded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(settings: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": settings, **(env or {})}
    # Browser tests in the same run allow async-unsafe DB access; a deployment never does.
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        check=False,
    )


def test_production_settings_pass_check_deploy_without_warnings(tmp_path: Path) -> None:
    result = _run(
        "servanda.settings.prod",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={"SERVANDA_VAR": str(tmp_path), "SECRET_KEY": os.urandom(48).hex()},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr


def test_debug_is_off_unless_dev_settings(tmp_path: Path) -> None:
    code = "from django.conf import settings; print(settings.DEBUG)"
    env = {**os.environ, "SERVANDA_VAR": str(tmp_path)}
    env.pop("DEBUG", None)
    for module, expected in [("servanda.settings.local", "False"), ("servanda.settings.dev", "True")]:
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='{module}'; django.setup(); {code}",
            ],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        ).stdout.strip()
        assert out == expected, module


def test_embedded_default_generates_and_keeps_its_secret_key(tmp_path: Path) -> None:
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
    env = {**os.environ, "SERVANDA_VAR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "servanda.settings.local"}
    env.pop("SECRET_KEY", None)
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    key = first.stdout.strip()
    assert len(key) >= 50
    assert key == second.stdout.strip()
    assert (tmp_path / "secret_key").read_text().strip() == key
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"
