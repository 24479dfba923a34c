"""Errors raised when a clinical rule is broken."""


class DomainError(Exception):
    """A request that the rules of the record do not allow; the message is shown to the user."""


class InvalidTimesError(DomainError):
    """Arrival, departure or block times that contradict each other."""
