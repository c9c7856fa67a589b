"""Database plumbing: declarative base, engine and unit of work, column types."""
