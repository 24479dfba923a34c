"""Security: the database key, where it is kept, and how it is recovered."""
