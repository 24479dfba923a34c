"""Key pairs and X.509 certificates for signing exported PDFs; no storage here.

The clinic has its own certificate authority; each clinician gets an EC P-256 key pair with a
certificate issued by it. Private keys only ever leave memory as encrypted PKCS#8: a
clinician's under a key stretched from their password (Argon2id), the authority's under a key
derived (HKDF) from the database key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from facilitator.domain.errors import DomainError

AUTHORITY_YEARS = 30
CLINICIAN_YEARS = 10
# About 50 ms and 19 MiB per unlock: slow for guessing, unnoticed when signing an export.
ARGON2 = {"iterations": 2, "lanes": 1, "memory_cost": 19 * 1024}  # memory_cost in KiB
SALT_BYTES = 16
DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.4.1.311.10.3.12")  # Microsoft doc signing


class SigningKeyLockedError(DomainError):
    """The password given does not open the clinician's signing key."""

    def __init__(self) -> None:
        super().__init__(
            "The password does not unlock your signing key. Nothing was signed. Enter the "
            "password you signed in with."
        )


@dataclass(frozen=True)
class Signatory:
    """Who a certificate names: the clinician, and the clinic whose authority issues it."""

    display_name: str
    credentials: str
    username: str
    clinic_id: str


@dataclass(frozen=True)
class SigningIdentity:
    """An unlocked key with its certificate and the chain up to the clinic's authority.

    Held only while one export is signed; nothing here is written anywhere.
    """

    private_key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]

    @property
    def signer_name(self) -> str:
        return common_name(self.certificate)


@dataclass(frozen=True)
class Authority:
    """The clinic's certificate authority, unlocked to issue a certificate."""

    private_key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate


def new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def new_authority(clinic_id: str, now: datetime) -> Authority:
    """A self-signed authority for one clinic, valid for AUTHORITY_YEARS."""
    key = new_key()
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "Facilitator clinic certificate authority"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, clinic_organization(clinic_id)),
        ]
    )
    identifier = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    certificate = (
        _builder(name, name, key.public_key(), now, AUTHORITY_YEARS)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(certificate_sign=True), critical=True)
        .add_extension(identifier, critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(identifier),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    return Authority(key, certificate)


def issue_certificate(
    authority: Authority, key: ec.EllipticCurvePrivateKey, signatory: Signatory, now: datetime
) -> x509.Certificate:
    """A document-signing certificate for `signatory`'s public key, signed by `authority`."""
    subject = subject_name(signatory)
    issuer_key = authority.certificate.extensions.get_extension_for_class(
        x509.SubjectKeyIdentifier
    ).value
    return (
        _builder(subject, authority.certificate.subject, key.public_key(), now, CLINICIAN_YEARS)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(certificate_sign=False), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([DOCUMENT_SIGNING, ExtendedKeyUsageOID.EMAIL_PROTECTION]),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(issuer_key), False
        )
        .sign(authority.private_key, hashes.SHA256())
    )


def subject_name(signatory: Signatory) -> x509.Name:
    """The certificate subject naming `signatory`: name, credentials, username, clinic."""
    credentials = [x509.NameAttribute(NameOID.TITLE, signatory.credentials)]
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, signatory.display_name),
            *(credentials if signatory.credentials else []),
            x509.NameAttribute(NameOID.USER_ID, signatory.username),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, clinic_organization(signatory.clinic_id)),
        ]
    )


def clinic_organization(clinic_id: str) -> str:
    return f"Facilitator clinic {clinic_id}"


def clinic_id_of(certificate: x509.Certificate) -> str | None:
    """The clinic id a certificate of this application names, None for any other."""
    prefix = clinic_organization("")
    for attribute in certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME):
        value = str(attribute.value)
        if value.startswith(prefix):
            return value.removeprefix(prefix)
    return None


def common_name(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else certificate.subject.rfc4514_string()


def password_protection() -> dict[str, Any]:
    """Fresh parameters (a new salt) for stretching a password into a key-encryption secret."""
    return {"kdf": "argon2id", **ARGON2, "salt": os.urandom(SALT_BYTES).hex()}


def password_secret(password: str, protection: dict[str, Any]) -> bytes:
    """The secret that encrypts the PKCS#8 key: Argon2id of the password with `protection`."""
    if protection.get("kdf") != "argon2id":
        raise ValueError(f"unknown key protection {protection.get('kdf')!r}")
    kdf = Argon2id(
        salt=bytes.fromhex(protection["salt"]),
        length=32,
        iterations=int(protection["iterations"]),
        lanes=int(protection["lanes"]),
        memory_cost=int(protection["memory_cost"]),
    )
    return kdf.derive(password.encode("utf-8")).hex().encode("ascii")


def database_secret(database_key: bytes, purpose: str) -> bytes:
    """A secret for `purpose` derived (HKDF-SHA256) from the database key; never the key."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode())
    return hkdf.derive(database_key).hex().encode("ascii")


def encrypt_key(key: ec.EllipticCurvePrivateKey, secret: bytes) -> bytes:
    """The key as encrypted PKCS#8 (DER, PBES2 with AES-256) under `secret`."""
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(secret),
    )


def decrypt_key(encrypted: bytes, secret: bytes) -> ec.EllipticCurvePrivateKey:
    """The key from encrypted PKCS#8; SigningKeyLockedError when `secret` does not open it."""
    try:
        key = serialization.load_der_private_key(encrypted, password=secret)
    except ValueError as error:
        raise SigningKeyLockedError() from error
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError("a signing key is an EC key")
    return key


def certificate_der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


def load_certificate(der: bytes) -> x509.Certificate:
    return x509.load_der_x509_certificate(der)


def _builder(
    subject: x509.Name, issuer: x509.Name, public_key: Any, now: datetime, years: int
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * years))
    )


def _key_usage(*, certificate_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not certificate_sign,
        content_commitment=not certificate_sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=certificate_sign,
        crl_sign=certificate_sign,
        encipher_only=False,
        decipher_only=False,
    )
