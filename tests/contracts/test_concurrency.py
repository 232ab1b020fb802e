"""lock-2: with SQLite in WAL mode and a busy timeout, a second writer waits; it never fails at once.

Runs against a file-based SQLite database (WAL needs a file) configured exactly as the
embedded default (`database_config`), through Django's own connections, two threads.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError, connection, connections, transaction

from servanda.settings.base import database_config

ALIAS = "lock2"


@pytest.fixture
def lock_db(tmp_path, django_db_blocker):
    config = database_config(f"sqlite:///{tmp_path / 'lock.sqlite3'}")
    both = {"default": dict(connections.settings["default"]), ALIAS: config}
    connections.settings[ALIAS] = connections.configure_settings(both)[ALIAS]
    with django_db_blocker.unblock():
        yield ALIAS
        connections[ALIAS].close()
    del connections.settings[ALIAS]


def _update(sql: str, params: list) -> int:
    with connections[ALIAS].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@pytest.mark.skipif(connection.vendor != "sqlite", reason="lock-2 is about SQLite's single writer")
def test_lock_2_second_writer_waits_then_meets_the_version_check(lock_db) -> None:
    conn = connections[ALIAS]
    with conn.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        cursor.execute("CREATE TABLE c (id INTEGER PRIMARY KEY, title TEXT, notice TEXT, version INTEGER)")
        cursor.execute("INSERT INTO c VALUES (1, 't', 'P1M', 1)")
    outcome: dict[str, object] = {}
    b_ready = threading.Event()
    a_committed = threading.Event()

    def writer_b() -> None:
        try:
            b_ready.set()
            # Read version 1 before A commits, then write: the IMMEDIATE transaction waits for A.
            with transaction.atomic(using=ALIAS):
                outcome["waited_for_a"] = a_committed.is_set()
                outcome["rows"] = _update(
                    "UPDATE c SET notice = 'P3M', version = 2 WHERE id = 1 AND version = %s", [1]
                )
        except OperationalError as exc:  # "database is locked" would land here
            outcome["error"] = str(exc)
        finally:
            connections[ALIAS].close()

    with transaction.atomic(using=ALIAS):  # writer A holds the write lock
        assert _update("UPDATE c SET title = 'A', version = 2 WHERE id = 1 AND version = %s", [1]) == 1
        thread = threading.Thread(target=writer_b)
        thread.start()
        b_ready.wait()
        time.sleep(0.3)  # give B time to reach the lock; it must be waiting, not failed
        assert "error" not in outcome and "rows" not in outcome
        a_committed.set()
    thread.join(timeout=10)
    # B waited for A, then its version check matched nothing: a 409, nothing applied.
    assert outcome == {"waited_for_a": True, "rows": 0}
    with conn.cursor() as cursor:
        assert cursor.execute("SELECT title, notice, version FROM c").fetchone() == ("A", "P1M", 2)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs two concurrent writers on the test database; SQLite's is in-memory (lock-2 above covers SQLite)",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_service_updates_one_wins_one_conflicts(personas, monkeypatch) -> None:
    """lock-1 with real concurrency: B blocks on A's row lock, then sees version 2 and changes nothing."""
    from servanda.contracts.models import Contract
    from servanda.contracts.services import contract_update
    from servanda.core.errors import VersionConflict
    from tests.contracts.helpers import contract, contract_type

    c = contract(personas.owner, contract_type(personas.admin), notice_period="P1M")
    a_inside, release = threading.Event(), threading.Event()

    def slow_hook(*, actor, contract_ids):  # A pauses inside its transaction, holding the row lock
        if threading.current_thread().name == "A":
            a_inside.set()
            release.wait(10)

    monkeypatch.setattr("servanda.contracts.services.contracts_changed", slow_hook)
    results: dict[str, str] = {}

    def run(name: str, **changes) -> None:
        try:
            loaded = Contract.objects.get(pk=c.pk)
            contract_update(actor=personas.owner, contract=loaded, version=1, **changes)
            results[name] = "ok"
        except VersionConflict as exc:
            results[name] = f"conflict at version {exc.current.version}"
        finally:
            connections.close_all()

    a = threading.Thread(name="A", target=run, args=("A",), kwargs={"title": "A's title"})
    a.start()
    assert a_inside.wait(10)
    b = threading.Thread(name="B", target=run, args=("B",), kwargs={"notice_period": "P3M"})
    b.start()
    time.sleep(0.3)
    assert "B" not in results  # waiting for A's lock
    release.set()
    a.join(10)
    b.join(10)
    assert results == {"A": "ok", "B": "conflict at version 2"}
    stored = Contract.objects.get(pk=c.pk)
    assert (stored.title, stored.notice_period, stored.version) == ("A's title", "P1M", 2)
