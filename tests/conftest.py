"""Shared fixtures: the shared reference cases and real data, personas live per app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings

pytest_plugins = ["tests.personas"]

CASES_DIR = Path(settings.SHARED_DATA_DIR).parent / "cases"
DATA_DIR = Path(settings.SHARED_DATA_DIR)


def load_cases(name: str, kind_prefix: str | tuple[str, ...] = "") -> list[dict]:
    """Cases from ../shared/cases/<name>.json whose kind starts with the prefix."""
    path = CASES_DIR / name
    if not path.exists():
        return []
    cases = json.loads(path.read_text())["cases"]
    prefixes = (kind_prefix,) if isinstance(kind_prefix, str) else kind_prefix
    return [c for c in cases if c["kind"].startswith(prefixes)]


def case_params(name: str, kind_prefix: str | tuple[str, ...] = "") -> list:
    cases = load_cases(name, kind_prefix)
    if not cases:
        return [pytest.param(None, marks=pytest.mark.skipif(True, reason=f"{name} not found"))]
    return [pytest.param(c, id=c["id"]) for c in cases]


requires_shared_data = pytest.mark.skipif(
    not DATA_DIR.exists(), reason=f"real data folder {DATA_DIR} is absent"
)


@pytest.fixture
def shared_data() -> Path:
    if not DATA_DIR.exists():
        pytest.skip(f"real data folder {DATA_DIR} is absent")
    return DATA_DIR
