"""Deterministic synthetic data sets for benchmarks and load tests (`servanda generate …`).

Everything here writes set-wise: rows are built in Python and written in batches
(COPY on PostgreSQL, executemany on SQLite). The same seed gives the same rows.
"""
