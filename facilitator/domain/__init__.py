"""Entities, value objects and the clinical rules that do not depend on storage or UI."""
