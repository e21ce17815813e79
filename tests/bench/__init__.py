"""`make bench`: throughput and decay benchmarks (never collected by pytest: no test_ files)."""
