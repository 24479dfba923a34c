"""Changes to one day of the schedule: closures, cancelled, moved, substitute and extra blocks."""
