"""Export normalized records (JSON lines or CSV) so sellers can take their data anywhere."""
