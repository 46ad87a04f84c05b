"""Closing your own account (erasure) and taking your data with you (export)."""
