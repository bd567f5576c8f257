"""What the in-process benchmarks share (kept out of bench/*.py, which `make bench` runs one by one)."""
