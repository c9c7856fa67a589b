"""Amazon orders (All Orders report): filtered, sorted, paginated lists, exports and detail."""
