"""Benchmarks: ``python -m bench.<name>``; see bench/README.md. Not part of ``make test``."""
