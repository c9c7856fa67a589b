"""Report import: validate, type and upsert Amazon report rows, transactionally and idempotently."""
