"""The audit log view for administrators."""
