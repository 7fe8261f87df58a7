"""`make bench`: load tests of the site against nginx (see docs/performance.md, Benchmarks)."""
