"""Full-text search across everything a person may read."""
