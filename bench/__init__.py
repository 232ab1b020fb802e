"""Servanda benchmarks: each measures Servanda against the raw database doing the same work.

`python -m bench` (or `make bench`) runs every benchmark on SQLite and PostgreSQL;
see docs/BENCHMARKS.md for what each measures and the targets.
"""
