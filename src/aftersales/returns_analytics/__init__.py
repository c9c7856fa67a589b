"""Returns analytics: the per-SKU return profile and the reason → responsibility map."""
