"""Overview figures per store and marketplace (what `make demo` prints until the web UI exists)."""
