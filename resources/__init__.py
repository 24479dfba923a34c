"""Data files shipped with Facilitator: curriculum, note templates, pick lists, notices."""
