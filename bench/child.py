"""One benchmark group on one fresh database, in its own process so settings start clean.

python -m bench.child --db sqlite|postgres --group import|lookup|schedule --scale full --out FILE
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORKDIR = ROOT / "var" / "bench"
SQLITE_FILE = WORKDIR / f"servanda_bench-{os.getpid()}.sqlite3"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_NAME = "servanda_bench"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"


def fresh_database(db: str) -> str:
    """Drop and recreate the bench database; returns its DATABASE_URL."""
    WORKDIR.mkdir(parents=True, exist_ok=True)
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{SQLITE_FILE}"
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_NAME}")
    return PG_URL


def drop_database(db: str) -> None:
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")


def run_group(group: str, scale_name: str, workdir: Path) -> list[Any]:
    from .scales import SCALES

    scale = SCALES[scale_name]
    if group == "import":
        from . import b_import

        return b_import.run(scale, workdir)
    if group == "lookup":
        from . import b_lookup

        return b_lookup.run(scale, workdir)
    if group == "schedule":
        from . import b_schedule

        return b_schedule.run(scale, workdir)
    raise SystemExit(f"unknown group {group}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.child")
    p.add_argument("--db", choices=("sqlite", "postgres"), required=True)
    p.add_argument("--group", required=True)
    p.add_argument("--scale", default="small")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    args = p.parse_args(argv)

    os.environ["DATABASE_URL"] = fresh_database(args.db)
    os.environ["DJANGO_SETTINGS_MODULE"] = "servanda.settings.local"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    from .common import log

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    call_command("migrate", verbosity=0, interactive=False)
    log(f"{args.db}/{args.group}: migrated in {time.perf_counter() - started:.1f} s")
    results = run_group(args.group, args.scale, WORKDIR)
    for r in results:
        r.db = args.db
    args.out.write_text(
        json.dumps(
            {
                "results": [r.as_dict() for r in results],
                "wall_s": time.perf_counter() - started,
                "load": [load_before, os.getloadavg()[0]],
                "scale": args.scale,
            },
            default=str,
        )
    )
    from django.db import connections

    connections.close_all()
    if not args.keep:
        drop_database(args.db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
