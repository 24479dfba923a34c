"""A demo clinic shared by the UI tests, opened fresh for each test."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitator.app import Clinic, open_clinic
from facilitator.domain.users import SignedInUser
from tests.clinic_copies import DEMO_MONDAY, clinic_copy, demo_copy
from tests.users import signed_in

DEMO_TODAY = DEMO_MONDAY
DEMO_PASSWORDS: dict[str, str] = {}  # username -> password, as the demo showed them once


@pytest.fixture(scope="session")
def demo_folder(
    demo_clinic: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The session's demo clinic, copied for the UI tests (which open it as it is)."""
    DEMO_PASSWORDS.update(demo_clinic[1])
    return demo_copy(demo_clinic, tmp_path_factory.mktemp("ui-demo") / "clinic")


@pytest.fixture(scope="session")
def demo_passwords(demo_folder: Path) -> dict[str, str]:
    """Each demo account's password, for tests that sign (the password is asked again)."""
    return DEMO_PASSWORDS


@pytest.fixture(scope="session")
def demo_users(demo_folder: Path) -> dict[str, SignedInUser]:
    """The demo clinic's four clinicians, signed in, by username."""
    opened = open_clinic(demo_folder)
    try:
        return {
            name: signed_in(opened.database, name)
            for name in ("mreyes", "sokafor", "jlee", "admin")
        }
    finally:
        opened.close()


@pytest.fixture(scope="session")
def user(demo_users: dict[str, SignedInUser]) -> SignedInUser:
    """Morgan Reyes, LPC: a facilitator who signs alone."""
    return demo_users["mreyes"]


@pytest.fixture(scope="session")
def associate(demo_users: dict[str, SignedInUser]) -> SignedInUser:
    """Sam Okafor, LAC: a facilitator whose notes Jordan Lee co-signs."""
    return demo_users["sokafor"]


@pytest.fixture(scope="session")
def supervisor(demo_users: dict[str, SignedInUser]) -> SignedInUser:
    """Jordan Lee, LCSW: the supervisor."""
    return demo_users["jlee"]


@pytest.fixture(scope="session")
def admin(demo_users: dict[str, SignedInUser]) -> SignedInUser:
    """The clinic's administrator."""
    return demo_users["admin"]


@pytest.fixture
def clinic(demo_folder: Path) -> Iterator[Clinic]:
    opened = open_clinic(demo_folder)
    yield opened
    opened.close()


@pytest.fixture
def writable_clinic(demo_folder: Path, tmp_path: Path) -> Iterator[Clinic]:
    """A private copy of the demo clinic for a test that changes records."""
    with clinic_copy(demo_folder, tmp_path / "clinic") as opened:
        yield opened
