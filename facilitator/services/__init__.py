"""Use cases. Each takes plain values and a database, and returns plain data."""
