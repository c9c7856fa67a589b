"""Disposition decisions: what to do with unsellable and returned stock."""
