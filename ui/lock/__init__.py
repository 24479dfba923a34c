"""The idle lock: hide every record behind a password after a while without input."""
