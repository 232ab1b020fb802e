"""`python -m bench [--db sqlite|postgres|both] [--scale small|full] [--only import,lookup,schedule]`.

Each (database, group) pair runs in a child process on a freshly created and
migrated database; the report is printed and written to var/bench/results.{json,md}.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from .child import ROOT, WORKDIR

GROUPS = {
    "import": "issue 2 (a): import 100k-contract CSV vs raw inserts",
    "lookup": "issue 2 (b) covering contracts over 1M coverages, (c) feature query over 1M contracts",
    "schedule": "issue 3 (d) schedule 800k work items, (e) idle tick over 1M, (f) one contract's change",
}


def fmt_time(seconds: float | None, metric: str) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1e3:.2f} ms" if " ms" in metric else f"{seconds:.2f} s"


def verdict(r: dict[str, Any]) -> str:
    if r["passed"] is None:
        return "n/a"
    return "pass" if r["passed"] else "FAIL"


def markdown(results: list[dict[str, Any]], scale: str) -> str:
    loads = [x for r in results for x in (r.get("load") or [])]
    lines = [
        f"Scale: {scale}. Times: servanda and raw as named in the metric column. "
        f"Machine: {os.cpu_count()} cores, 1-minute load average during the runs "
        f"{min(loads, default=0):.1f}–{max(loads, default=0):.1f}.",
        "",
        "| benchmark | metric | db | servanda | raw | ratio | target | result | note |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        ratio = f"{r['ratio']:.2f}×" if r["ratio"] else "—"
        lines.append(
            f"| {r['bench']} | {r['metric']} | {r['db']} | {fmt_time(r['servanda'], r['metric'])} | "
            f"{fmt_time(r['raw'], r['metric'])} | {ratio} | {r['target']} | {verdict(r)} | {r['note']} |"
        )
    return "\n".join(lines) + "\n"


def _load(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text())
    for r in data["results"]:
        r["load"] = data.get("load")
        r["scale"] = data.get("scale")
    return data["results"]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    p.add_argument("--scale", choices=("tiny", "small", "full"), default="full")
    p.add_argument("--only", default=",".join(GROUPS), help=f"comma list of: {', '.join(GROUPS)}")
    p.add_argument("--keep", action="store_true", help="keep the last bench database for inspection")
    p.add_argument(
        "--report",
        action="store_true",
        help="run nothing: rebuild the report from the last results per db/group",
    )
    args = p.parse_args(argv)
    groups = [g.strip() for g in args.only.split(",") if g.strip()]
    unknown = [g for g in groups if g not in GROUPS]
    if unknown:
        p.error(f"unknown benchmark group(s): {', '.join(unknown)}; choose from {', '.join(GROUPS)}")
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    console = Console(width=None if sys.stdout.isatty() else 200)
    WORKDIR.mkdir(parents=True, exist_ok=True)
    # One run at a time: runs share the bench database names and would drop each other's.
    lock = (WORKDIR / "bench.lock").open("w")
    try:
        if not args.report:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        console.print("[red]another benchmark run is in progress (var/bench/bench.lock)[/]")
        return 2
    results: list[dict[str, Any]] = []
    failed_runs = []
    for db in dbs:
        for group in groups:
            out = WORKDIR / f"result-{db}-{group}.json"
            if args.report:
                if out.exists():
                    results.extend(_load(out))
                continue
            out.unlink(missing_ok=True)
            console.print(f"[bold]{db}[/] · {group}: {GROUPS[group]} …")
            t0 = time.perf_counter()
            cmd = [sys.executable, "-m", "bench.child", "--db", db, "--group", group, "--scale", args.scale]
            cmd += ["--out", str(out)] + (["--keep"] if args.keep else [])
            proc = subprocess.run(cmd, cwd=ROOT, env=dict(os.environ), check=False)
            took = time.perf_counter() - t0
            if proc.returncode != 0 or not out.exists():
                failed_runs.append(f"{db}/{group}")
                console.print(f"  [red]failed (exit {proc.returncode})[/]")
                continue
            results.extend(_load(out))
            console.print(f"  done in {took:.0f} s")
    scales = sorted({str(r.get("scale") or args.scale) for r in results}) or [args.scale]
    table = Table(title=f"Servanda benchmarks ({', '.join(scales)})")
    for col in ("benchmark", "metric", "db", "servanda", "raw", "ratio", "target", "result", "note"):
        table.add_column(col, overflow="fold")
    for r in results:
        ratio = f"{r['ratio']:.2f}×" if r["ratio"] else "—"
        style = {"pass": "green", "FAIL": "red"}.get(verdict(r), "yellow")
        table.add_row(
            r["bench"],
            r["metric"],
            r["db"],
            fmt_time(r["servanda"], r["metric"]),
            fmt_time(r["raw"], r["metric"]),
            ratio,
            r["target"],
            f"[{style}]{verdict(r)}[/]",
            r["note"],
        )
    console.print(table)
    (WORKDIR / "results.json").write_text(json.dumps(results, indent=2, default=str))
    (WORKDIR / "results.md").write_text(markdown(results, ", ".join(scales)))
    console.print(f"written: {Path(WORKDIR / 'results.md').relative_to(ROOT)}")
    if failed_runs:
        console.print(f"[red]runs that crashed: {', '.join(failed_runs)}[/]")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
