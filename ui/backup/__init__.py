"""Backups and restore: the File menu actions, their dialogs, the automatic backups."""
