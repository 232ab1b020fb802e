"""Mapping files: TOML and YAML alike; mistakes are reported before any row is read."""

from __future__ import annotations

import pytest

from servanda.imports.mapping import MappingError, load_mapping
from servanda.parties.models import Party


def test_yaml_mapping_imports_like_toml(importer, db):
    data = importer.file("people.csv", "ref;name;born\nP-7;Ada;10.12.1815\n")
    yaml_text = (
        "entity: parties\nkey: reference\ndelimiter: ';'\n"
        "fields:\n  reference: ref\n  name: name\n"
        "  birth_date: {column: born, type: date, formats: ['dd.mm.yyyy']}\n"
    )
    path = importer.file("people.yaml", yaml_text)
    from io import StringIO

    from django.core.management import call_command

    call_command("import", "parties", str(data), "--mapping", str(path), stdout=StringIO())
    assert str(Party.objects.get(reference="P-7").birth_date) == "1815-12-10"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'entity = "contracts"\n[fields.commencement_date]\ncolumn = "Start"\ntype = "date"\n',
            "never guessed",
        ),
        ('entity = "contracts"\n[fields.title]\ncolumn = "T"\nfromat = "x"\n', "fromat"),
        ('entity = "machines"\n', "entity"),
        ('entity = "contracts"\nkey = "title"\n', "natural key"),
    ],
)
def test_mapping_mistakes_are_named(tmp_path, text, message):
    path = tmp_path / "m.toml"
    path.write_text(text)
    with pytest.raises(MappingError, match=message):
        load_mapping(path)


def test_a_missing_column_imports_nothing(importer, db):
    mapping = 'entity = "parties"\nkey = "name"\n[fields]\nname = "Name"\n'
    summary, ok = importer.run("parties", importer.file("p.csv", "name\nA\n"), mapping)
    assert not ok and "'Name'" in summary["error"]
    assert Party.objects.count() == 0
