"""Clinic setup windows for administrators: profile, programs, curriculum, templates, groups."""
