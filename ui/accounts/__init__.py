"""Administrators manage clinicians' accounts."""
