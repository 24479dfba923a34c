"""Clinicians' passwords: argon2id hashes with explicit parameters, and the password policy."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import argon2
from argon2.exceptions import InvalidHashError, VerificationError

from facilitator.domain.errors import DomainError

MIN_LENGTH = 12
MAX_LENGTH = 1024  # hashing a megabyte "password" would stall the login for nothing
GENERATED_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: read aloud or copied


@dataclass(frozen=True, slots=True)
class HashParameters:
    """argon2id cost settings; a stored hash made with others is replaced at the next login."""

    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 4
    hash_len: int = 32
    salt_len: int = 16


DEFAULT_PARAMETERS = HashParameters()  # RFC 9106's second recommendation (64 MiB, 3 passes)


class PasswordPolicyError(DomainError):
    """A new password that the policy refuses; the message says what to choose instead."""


class PasswordHasher:
    """Hashes and checks passwords with argon2id under fixed `parameters`."""

    def __init__(self, parameters: HashParameters = DEFAULT_PARAMETERS) -> None:
        self.parameters = parameters
        self._hasher = argon2.PasswordHasher(
            time_cost=parameters.time_cost,
            memory_cost=parameters.memory_kib,
            parallelism=parameters.parallelism,
            hash_len=parameters.hash_len,
            salt_len=parameters.salt_len,
            type=argon2.Type.ID,
        )
        self._decoy = self._hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored: str | None, password: str) -> bool:
        """Whether `password` matches `stored`. With no stored hash, a decoy is checked so a
        missing account takes as long to refuse as a wrong password."""
        try:
            return self._hasher.verify(stored or self._decoy, password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored: str) -> bool:
        """Whether `stored` was made with other parameters (or another argon2 variant)."""
        try:
            return self._hasher.check_needs_rehash(stored)
        except InvalidHashError:
            return True


def check_policy(password: str, username: str) -> None:
    """Refuse a password that is too short, too long, or contains the username."""
    if len(password) < MIN_LENGTH:
        raise PasswordPolicyError(
            f"The password must have at least {MIN_LENGTH} characters (it has "
            f"{len(password)}). A few unrelated words make a long password easy to remember."
        )
    if len(password) > MAX_LENGTH:
        raise PasswordPolicyError(f"The password must have at most {MAX_LENGTH} characters.")
    if not password.strip():
        raise PasswordPolicyError("The password cannot be only spaces.")
    if username and username.casefold() in password.casefold():
        raise PasswordPolicyError("The password must not contain the username.")


def generate_password(groups: int = 4, group_length: int = 4) -> str:
    """A random password such as "k7wq-m3xe-9tbf-hv2a" (80 bits): for first and reset logins."""
    return "-".join(
        "".join(secrets.choice(GENERATED_ALPHABET) for _ in range(group_length))
        for _ in range(groups)
    )
