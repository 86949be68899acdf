"""Benchmarks: run ``make bench`` or one ``make bench-<name>``; not part of ``make test``."""
