"""Helpers: write a CSV/XLSX and a mapping into tmp_path and run `servanda import` through call_command."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

CONTRACT_SETUP = """
[[setup.feature_definitions]]
entity = "contract"
key = "price"
label = "Price"
data_type = "decimal"

[[setup.feature_definitions]]
entity = "contract"
key = "signed_on"
label = "Signed on"
data_type = "date"

[[setup.contract_types]]
code = "service"
name = "Service contract"
features = ["price", "signed_on"]
"""


class Importer:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp

    def file(self, name: str, content: str | bytes) -> Path:
        path = self.tmp / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    def run(self, entity: str, data: Path, mapping: str, *flags: str) -> tuple[dict, bool]:
        """The --json summary and whether the command succeeded."""
        mpath = self.file(f"{data.stem}-mapping.toml", mapping)
        out = StringIO()
        ok = True
        try:
            call_command("import", entity, str(data), "--mapping", str(mpath), "--json", *flags, stdout=out)
        except CommandError:
            ok = False
        text = out.getvalue()
        return (json.loads(text) if text.strip() else {}), ok


@pytest.fixture
def importer(tmp_path: Path) -> Importer:
    return Importer(tmp_path)
