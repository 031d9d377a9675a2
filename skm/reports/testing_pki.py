"""A throwaway certificate authority and signer, for the signing tests and the demo.

A real Pemda signs with a certificate from a CA such as BSrE; tests and the demo have none, so
`make_test_pki` makes a CA and one signer certificate it issued, and bundles the signer's key, its
certificate and the CA certificate into a password-protected PKCS#12 file, as a CA would hand it
over. The CA certificate is returned in pyHanko's form (asn1crypto) to serve as the trust root when
verifying. Nothing here is fit for a real signature: the keys are made on the spot and thrown away.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class TestPki:
    __test__ = False  # not a pytest test class, despite its name

    p12_path: Path
    ca_path: Path  # the CA certificate, PEM
    password: bytes
    ca_certificate: asn1_x509.Certificate


def _key_usage(*, signer: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signer,
        content_commitment=signer,  # non-repudiation: pyHanko wants it on a PDF signer's certificate
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signer,
        crl_sign=not signer,
        encipher_only=False,
        decipher_only=False,
    )


def make_test_pki(
    common_name: str,
    tmpdir: Path,
    password: bytes,
    *,
    organization: str = "Pemerintah Kota Contoh",
) -> TestPki:
    """A new CA and a signer certificate for `common_name`, written to tmpdir/signer.p12 and tmpdir/ca.pem."""
    now = datetime.datetime.now(datetime.UTC)
    valid_from, valid_until = now - datetime.timedelta(days=1), now + datetime.timedelta(days=365)

    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Otoritas Sertifikat Uji SKM"),
            x509.NameAttribute(NameOID.COMMON_NAME, "CA Uji SKM (bukan untuk produksi)"),
        ]
    )
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(valid_from)
        .not_valid_after(valid_until)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(signer=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
                    x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                ]
            )
        )
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(valid_from)
        .not_valid_after(valid_until)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signer=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )

    tmpdir.mkdir(parents=True, exist_ok=True)
    p12_path, ca_path = tmpdir / "signer.p12", tmpdir / "ca.pem"
    p12_path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            common_name.encode(), key, cert, [ca_cert], serialization.BestAvailableEncryption(password)
        )
    )
    ca_path.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    return TestPki(
        p12_path=p12_path,
        ca_path=ca_path,
        password=password,
        ca_certificate=asn1_x509.Certificate.load(ca_cert.public_bytes(serialization.Encoding.DER)),
    )
