"""Amazon's vocabulary: marketplaces, report types and their columns, decoding of report files."""
