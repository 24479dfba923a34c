"""The session runner: the window a facilitator lives in while a group runs."""
