"""FBA customer returns: filtered, sorted, paginated lists, exports and one return's detail."""
