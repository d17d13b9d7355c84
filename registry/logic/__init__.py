"""Domain operations and queries. Functions take `session` and never commit."""
