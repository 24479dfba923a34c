"""Benchmarks: a clinic with years of history, and the runner's timings measured on it."""
