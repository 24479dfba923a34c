"""The participant window: one person's record over their enrollment."""
