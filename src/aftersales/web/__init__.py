"""The web layer: sessions, templates, static files, catalogs and the shared request plumbing."""
