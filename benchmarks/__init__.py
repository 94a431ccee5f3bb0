"""Benchmarks: figures and peer ratios, printed, never asserted in unit tests. See docs/benchmarks.md."""
