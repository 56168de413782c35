"""Helpers for FiLot's own test suite (real worker processes, loopback servers)."""
