"""Benchmarks of mentorrules: a seeded data generator and scripts that print figures.

Run every figure against its target with ``python -m benchmarks`` (from the
repository root); ``python -m benchmarks.generate --size school`` writes one
data set. Generated data lives in ``benchmarks/data/`` (git-ignored).
"""
