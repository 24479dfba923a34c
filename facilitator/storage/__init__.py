"""SQLAlchemy mapping, schema migrations and the unit of work."""
