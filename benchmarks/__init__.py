"""Benchmarks: run as scripts (see the README); ``charts`` draws their PNGs."""
