"""Clinicians' passwords: argon2id hashes with explicit parameters, and the password policy.

The policy refuses the 30,000 most common passwords (zxcvbn's list, from leaked password
sets) and whatever zxcvbn estimates takes fewer than about 10^8 guesses.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

import argon2
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn
from zxcvbn.matching import RANKED_DICTIONARIES

from facilitator.domain.errors import DomainError

MIN_LENGTH = 12
MAX_LENGTH = 1024  # hashing a megabyte "password" would stall the login for nothing
MIN_SCORE = 3  # zxcvbn: "safely unguessable", about 10^8 guesses or more
ESTIMATE_LENGTH = 72  # zxcvbn's own limit; a longer password is judged by its start
ADVICE = "Three or four unrelated words make a strong password that is easy to remember."
_PADDING = "0123456789!@#$%^&*()_-+=.?,;: "
"""What people add around a common password to get past a policy."""
_NEUTRAL_WORDS = frozenset({"clinic", "center", "centre", "health", "program", "services"})
"""Words of a clinic's name too general to refuse on their own."""
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


def check_policy(password: str, username: str, related: Iterable[str] = ()) -> None:
    """Refuse a password that is too short or too long, contains the username or a `related`
    word (the person's name, the clinic's name), is one of the most common passwords or one
    with digits or symbols added, or is otherwise easy to guess (zxcvbn's estimate: a keyboard
    row, repeats, a sequence, a date). The message says why and what to choose instead."""
    if len(password) < MIN_LENGTH:
        raise PasswordPolicyError(
            f"The password must have at least {MIN_LENGTH} characters (it has "
            f"{len(password)}). {ADVICE}"
        )
    if len(password) > MAX_LENGTH:
        raise PasswordPolicyError(f"The password must have at most {MAX_LENGTH} characters.")
    if not password.strip():
        raise PasswordPolicyError("The password cannot be only spaces.")
    folded = password.casefold()
    if username and username.casefold() in folded:
        raise PasswordPolicyError("The password must not contain the username.")
    words = [w for w in _words(related) if w not in _NEUTRAL_WORDS]
    if any(word in _squeezed(folded) for word in words):
        raise PasswordPolicyError(
            f"The password must not contain your name or the clinic's name: those are the "
            f"first guesses of anyone who knows where it is used. {ADVICE}"
        )
    ranked: dict[str, int] = RANKED_DICTIONARIES["passwords"]
    if folded in ranked:
        raise PasswordPolicyError(
            "That password is one of the most commonly used passwords, the first ones an "
            f"attacker tries. {ADVICE}"
        )
    core = folded.strip(_PADDING)
    if len(core) >= 4 and core in ranked:
        raise PasswordPolicyError(
            "That password is a common password with digits or symbols added, which attackers "
            f"try right after the common ones. {ADVICE}"
        )
    estimate = zxcvbn(password[:ESTIMATE_LENGTH], user_inputs=[username, *words])
    if estimate["score"] < MIN_SCORE:
        warning = estimate["feedback"]["warning"] or "It follows a predictable pattern."
        raise PasswordPolicyError(f"That password is too easy to guess. {warning} {ADVICE}")


def _words(related: Iterable[str]) -> set[str]:
    """The words of names, casefolded, of four letters or more (shorter ones are too common
    inside unrelated passwords), and each name whole without its spaces."""
    found = set[str]()
    for text in related:
        folded = text.casefold()
        found |= {w for w in re.split(r"[^\w]+", folded) if len(w) >= 4}
        if len(_squeezed(folded)) >= 4:
            found.add(_squeezed(folded))
    return found


def _squeezed(text: str) -> str:
    return re.sub(r"[\s._-]+", "", text)


def generate_password(groups: int = 4, group_length: int = 4) -> str:
    """A random password such as "k7wq-m3xe-9tbf-hv2a" (80 bits): for first and reset logins."""
    return "-".join(
        "".join(secrets.choice(GENERATED_ALPHABET) for _ in range(group_length))
        for _ in range(groups)
    )
