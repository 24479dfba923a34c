"""Clinicians' signing keys in a real clinic: made on first use, never in plain text, re-encrypted
on a change of password, retired on a reset with old signatures still verifying."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from reportlab.pdfgen import canvas
from sqlalchemy import select

from facilitator.app import Clinic, open_clinic
from facilitator.security.audit import AuditAction
from facilitator.security.certificates import (
    SigningKeyLockedError,
    certificate_der,
    common_name,
    database_secret,
    decrypt_key,
)
from facilitator.security.signing_keys import NEW_NAME, PASSWORD_RESET, unlock_signing_key
from facilitator.services.accounts import LoginRefusedError
from facilitator.storage.database import connector
from facilitator.storage.models import AuditEvent, SigningAuthority, SigningKey
from facilitator.storage.unit_of_work import unit_of_work
from reports.pdf_signature import SignatureState, check_pdf_signature, sign_pdf
from tests.users import signed_in

NEW_PASSWORD = "a long new passphrase for signing"


@pytest.fixture(scope="module")
def clinic_and_passwords(
    demo_clinic: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Clinic, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("signing-keys") / "clinic"
    shutil.copytree(demo_clinic[0], folder)
    clinic = open_clinic(folder)
    yield clinic, dict(demo_clinic[1])
    clinic.close()


@pytest.fixture(scope="module")
def clinic(clinic_and_passwords: tuple[Clinic, dict[str, str]]) -> Clinic:
    return clinic_and_passwords[0]


@pytest.fixture(scope="module")
def passwords(clinic_and_passwords: tuple[Clinic, dict[str, str]]) -> dict[str, str]:
    return clinic_and_passwords[1]


def small_pdf() -> bytes:
    buffer = BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Synthetic test document")
    page.save()
    return buffer.getvalue()


def key_rows(clinic: Clinic, username: str) -> list[SigningKey]:
    user = signed_in(clinic.database, username)
    with unit_of_work(clinic.database) as session:
        query = select(SigningKey).where(SigningKey.clinician_id == user.id)
        return list(session.scalars(query.order_by(SigningKey.created_at)))


def test_first_signed_export_makes_the_authority_and_the_key(
    clinic: Clinic, passwords: dict[str, str]
) -> None:
    user = signed_in(clinic.database, "mreyes")
    first = clinic.signing_identity(user, passwords["mreyes"])
    again = clinic.signing_identity(user, passwords["mreyes"])

    assert common_name(first.certificate) == user.display_name
    assert certificate_der(again.certificate) == certificate_der(first.certificate)
    assert again.private_key.private_numbers() == first.private_key.private_numbers()
    certificates = clinic.certificates()
    assert [certificate_der(c) for c in certificates.authorities] == [
        certificate_der(first.chain[0])
    ]
    assert certificate_der(first.certificate) in map(certificate_der, certificates.clinicians)
    with unit_of_work(clinic.database) as session:
        issued = session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == AuditAction.ACCOUNT_CHANGE.value,
                AuditEvent.clinician_id == user.id,
            )
        ).all()
    mine = [event.detail for event in issued if not event.detail.get("demo")]  # not the demo's
    assert mine == [{"change": "signing_key_issued"}]


def test_a_wrong_password_makes_and_unlocks_nothing(
    clinic: Clinic, passwords: dict[str, str]
) -> None:
    user = signed_in(clinic.database, "jlee")
    with pytest.raises(LoginRefusedError):
        clinic.signing_identity(user, passwords["jlee"] + "x")
    assert key_rows(clinic, "jlee") == []

    clinic.signing_identity(user, passwords["jlee"])
    with unit_of_work(clinic.database) as session, pytest.raises(SigningKeyLockedError):
        unlock_signing_key(session, clinic.database.key, user, "not the password", clinic.audit)


def test_private_keys_are_never_in_plain_text(clinic: Clinic, passwords: dict[str, str]) -> None:
    identity = clinic.signing_identity(signed_in(clinic.database, "mreyes"), passwords["mreyes"])
    with unit_of_work(clinic.database) as session:
        authority_row = session.scalars(select(SigningAuthority)).one()
        secret = database_secret(
            clinic.database.key, f"facilitator signing authority {authority_row.id}"
        )
        authority_key = decrypt_key(authority_row.encrypted_key, secret)
    raw_keys = [raw(identity.private_key), raw(authority_key)]

    files = [path for path in clinic.data_dir.rglob("*") if path.is_file()]
    contents = [path.read_bytes() for path in files] + [database_contents(clinic)]
    assert b"signing_key" in contents[-1]  # the decrypted tables are really in the scan
    for content in contents:
        assert b"PRIVATE KEY" not in content
        for key in raw_keys:
            assert key not in content
            assert key.hex().encode() not in content


def raw(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_numbers().private_value.to_bytes(32, "big")


def database_contents(clinic: Clinic) -> bytes:
    """Every value of every table of the decrypted database, bytes as they are stored."""
    connection = connector(clinic.database.path, clinic.database.key)()
    try:
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        parts = [name.encode() for name in tables]
        for table in tables:
            if not table.startswith("sqlite_"):
                for row in connection.execute(f'SELECT * FROM "{table}"'):
                    parts += [v if isinstance(v, bytes) else str(v).encode() for v in row]
    finally:
        connection.close()
    return b"\n".join(parts)


def test_changing_ones_password_rewraps_the_key(clinic: Clinic, passwords: dict[str, str]) -> None:
    user = signed_in(clinic.database, "mreyes")
    before = clinic.signing_identity(user, passwords["mreyes"])

    clinic.accounts.change_password(user, passwords["mreyes"], NEW_PASSWORD)
    passwords["mreyes"] = NEW_PASSWORD

    after = clinic.signing_identity(user, NEW_PASSWORD)
    assert certificate_der(after.certificate) == certificate_der(before.certificate)
    assert after.private_key.private_numbers() == before.private_key.private_numbers()
    assert len(key_rows(clinic, "mreyes")) == 1
    with unit_of_work(clinic.database) as session, pytest.raises(SigningKeyLockedError):
        unlock_signing_key(session, clinic.database.key, user, "the old one", clinic.audit)


def test_a_password_reset_retires_the_key_and_old_signatures_still_verify(
    clinic: Clinic, passwords: dict[str, str]
) -> None:
    user = signed_in(clinic.database, "sokafor")
    old = clinic.signing_identity(user, passwords["sokafor"])
    signed_before = sign_pdf(small_pdf(), old)

    admin = signed_in(clinic.database, "admin")
    temporary = clinic.accounts.reset_password(admin, user.id)

    retired = key_rows(clinic, "sokafor")
    assert [(r.retired_reason, r.encrypted_key) for r in retired] == [(PASSWORD_RESET, None)]
    new = clinic.signing_identity(user, temporary)
    assert certificate_der(new.certificate) != certificate_der(old.certificate)
    certificates = clinic.certificates()
    for pdf in (signed_before, sign_pdf(small_pdf(), new)):
        check = check_pdf_signature(pdf, certificates.authorities, certificates.clinicians)
        assert check.state is SignatureState.VALID
        assert check.signer_name == user.display_name


def test_a_new_name_gets_a_new_certificate_for_the_same_key(
    clinic: Clinic, passwords: dict[str, str]
) -> None:
    user = signed_in(clinic.database, "jlee")
    before = clinic.signing_identity(user, passwords["jlee"])
    renamed = replace(user, display_name="Jordan Lee-Park", credentials="PhD, LCADC")
    with unit_of_work(clinic.database) as session:
        after = unlock_signing_key(
            session, clinic.database.key, renamed, passwords["jlee"], clinic.audit
        )
    assert common_name(after.certificate) == "Jordan Lee-Park"
    assert after.private_key.private_numbers() == before.private_key.private_numbers()
    assert [r.retired_reason for r in key_rows(clinic, "jlee")] == [NEW_NAME, None]
