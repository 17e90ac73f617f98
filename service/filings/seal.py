"""The regulator's electronic seal on its decisions: a PAdES signature made with pyHanko.

Only the kinds in SEALED_KINDS are sealed (docs/sealing.md says why those). The seal is a
certification signature (DocMDP, no changes allowed) appended to the rendered PDF/A-3a as
an incremental update: the rendered bytes stay as they were, the XMP metadata keeps its
PDF/A identification, and the signature field is invisible (a zero-sized widget with the
print flag, as PDF/A wants). Any PDF reader then shows who sealed the document and
whether it changed since.

Key material: SEAL_KEY_PATH and SEAL_CERT_PATH (PEM or DER; SEAL_CHAIN_PATH the issuing
certificates, SEAL_KEY_PASSPHRASE an encrypted key's passphrase) name a real seal. With
none configured, the embedded default makes a demo root and a demo seal certificate on
first use, in SEAL_DEMO_PATH (the instance folder's `seal/` unless set): every name in
them says DEMO. With SEAL_TSA_URL, an RFC 3161 time-stamp authority stamps each seal
(PAdES-B-T); without it the seal is PAdES-B-B.
"""

import asyncio
import datetime as dt
import fcntl
import io
import os
import shutil
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.x509.oid import NameOID
from flask import current_app
from pyhanko.keys import load_cert_from_pemder, load_certs_from_pemder
from pyhanko.keys.internal import translate_pyca_cryptography_key_to_asn1
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_cms import SimpleSigner
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

# The regulator's decisions, which bind the issuer: the decision on an application
# (approval or refusal), the certificate of registration, and the decisions that change a
# registration's standing (suspension, its lifting, revocation), the answer to an
# objection against one, the decision on a change applied for in advance and on a
# surrender. Letters
# that ask for something or warn (requests, notices of incompleteness, warning letters)
# and what issuers file are not sealed.
SEALED_KINDS = frozenset(
    {
        "decision",
        "certificate",
        "suspension_notice",
        "reinstatement_notice",
        "revocation_decision",
        "objection_decision",
        "objection_dismissal",
        "change_decision",
        "surrender_acceptance",
        "surrender_refusal",
    }
)

FIELD_NAME = "RegulatorSeal"
REASON = "금융위원회 전자 직인 (Electronic seal of the Financial Services Commission)"
LOCATION = "Seoul, Republic of Korea"
# How long a time-stamp authority may take to answer, in seconds.
TSA_TIMEOUT = 10

DEMO_ORGANIZATION = "Financial Services Commission (DEMO)"
DEMO_SEAL_NAME = "DEMO seal of the Financial Services Commission - not valid"
DEMO_ROOT_NAME = "Issuer Registry DEMO root - not a real authority"
DEMO_FILES = ("seal-key.pem", "seal.pem", "root.pem")


def is_sealed(kind: str) -> bool:
    return kind in SEALED_KINDS


class SealingFailed(RuntimeError):
    """The seal could not be applied: the decision that needed it must not be filed."""


def seal(pdf: bytes) -> bytes:
    """`pdf` with the regulator's seal appended as an incremental update."""
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        reason=REASON,
        location=LOCATION,
    )
    try:
        signer = seal_signer()
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        _producer_as_in_xmp(writer)
        sealed = _run_to_the_end(
            signers.async_sign_pdf(
                writer,
                metadata,
                signer=signer,
                timestamper=timestamper(),
                # No box: an invisible widget, [0 0 0 0] with the print flag (PDF/A).
                new_field_spec=fields.SigFieldSpec(FIELD_NAME),
            )
        )
    except SealingFailed:
        raise
    except Exception as error:  # pyHanko's, the time-stamp authority's, a seal file's
        raise SealingFailed(f"the PDF could not be sealed: {error}") from error
    return sealed.getvalue()


def _run_to_the_end(coroutine):
    """pyHanko signs in a coroutine. A thread whose event loop is already running (an
    asynchronous server, a test driving a browser) cannot start another, so there the
    signing runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


def _producer_as_in_xmp(writer: IncrementalPdfFileWriter) -> None:
    # pyHanko writes its own name as the XMP producer but appends it to the Info
    # dictionary's; PDF/A wants the two the same, so the Info dictionary gets the XMP's.
    try:
        info = writer.trailer.raw_get("/Info")
    except KeyError:
        return
    info.get_object()["/Producer"] = generic.TextStringObject(VENDOR)
    writer.mark_update(info)


def timestamper() -> TimeStamper | None:
    # A new client for each seal: it asks the authority twice (one answer sizes the space
    # the token needs), but never sizes a token by an answer from before the authority
    # changed its certificate.
    url = current_app.config.get("SEAL_TSA_URL")
    return HTTPTimeStamper(url, timeout=TSA_TIMEOUT) if url else None


@dataclass(frozen=True)
class SealFiles:
    key: Path
    certificate: Path
    chain: Path | None
    passphrase: str | None


def seal_files() -> SealFiles:
    """The configured seal, or the embedded default's demo seal (made on first use)."""
    config = current_app.config
    key, certificate = config.get("SEAL_KEY_PATH"), config.get("SEAL_CERT_PATH")
    if key or certificate:
        if not (key and certificate):
            raise SealingFailed("SEAL_KEY_PATH and SEAL_CERT_PATH must be configured together")
        chain = config.get("SEAL_CHAIN_PATH")
        return SealFiles(
            Path(key), Path(certificate), Path(chain) if chain else None,
            config.get("SEAL_KEY_PASSPHRASE"),
        )
    folder = Path(config.get("SEAL_DEMO_PATH") or Path(current_app.instance_path) / "seal")
    ensure_demo_seal(folder)
    return SealFiles(folder / "seal-key.pem", folder / "seal.pem", folder / "root.pem", None)


_signers: dict[tuple, "SealSigner"] = {}
_signers_lock = threading.Lock()


def seal_signer() -> "SealSigner":
    """The signer for the seal files, loaded once per set of files: a file replaced on
    disk (a rotated seal) is read again on the next seal."""
    files = seal_files()
    try:
        stamp = tuple(
            (str(path), path.stat().st_mtime_ns)
            for path in (files.key, files.certificate, files.chain)
            if path is not None
        )
    except OSError as error:
        raise SealingFailed(f"a seal file cannot be read: {error}") from error
    cache_key = (*stamp, files.passphrase)
    with _signers_lock:
        signer = _signers.get(cache_key)
        if signer is None:
            signer = _load_signer(files)
            _signers.clear()
            _signers[cache_key] = signer
    _check_validity(signer.signing_cert)
    return signer


def _load_signer(files: SealFiles) -> "SealSigner":
    passphrase = files.passphrase.encode() if files.passphrase else None
    try:
        data = files.key.read_bytes()
        load = (
            serialization.load_pem_private_key
            if pem.detect(data)
            else serialization.load_der_private_key
        )
        key = load(data, password=passphrase)
        certificate = load_cert_from_pemder(str(files.certificate))
        chain = list(load_certs_from_pemder([str(files.chain)])) if files.chain else []
    except (OSError, ValueError, TypeError) as error:
        raise SealingFailed(f"the seal's key or certificate cannot be loaded: {error}") from error
    if not isinstance(key, rsa.RSAPrivateKey):
        # pyHanko marks an ECDSA-signed file as PDF 2.0 (ISO/TS 32002): no longer PDF/A-3.
        raise SealingFailed("the seal's key must be an RSA key (PDF/A-3 predates ECDSA seals)")
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    if public != certificate.public_key.dump():
        raise SealingFailed("the seal's private key does not belong to its certificate")
    return SealSigner(key, certificate, chain)


class SealSigner(SimpleSigner):
    """pyHanko's SimpleSigner parses its key again for every signature, and parsing checks
    an RSA key (a third of a second for 3072 bits); this one keeps the parsed key."""

    def __init__(self, key: rsa.RSAPrivateKey, certificate, chain):
        super().__init__(
            signing_cert=certificate,
            signing_key=translate_pyca_cryptography_key_to_asn1(key),
            cert_registry=SimpleCertificateStore.from_certs(chain),
        )
        self._key = key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        if mechanism != "rsassa_pkcs1v15":
            return super().sign_raw(data, digest_algorithm)
        return self._key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))


def _check_validity(certificate: asn1_x509.Certificate) -> None:
    # A seal that every validator rejects is worse than no decision filed: refuse it.
    validity = certificate["tbs_certificate"]["validity"]
    now = dt.datetime.now(dt.UTC)
    if not validity["not_before"].native <= now <= validity["not_after"].native:
        raise SealingFailed(
            f"the seal certificate is valid only from {validity['not_before'].native} "
            f"to {validity['not_after'].native}: configure a current one"
        )


# The demo seal of the embedded default.


def ensure_demo_seal(folder: Path) -> None:
    """Make the demo root and seal in `folder` unless a current one is there.

    Under a lock, so processes starting at once make one set between them; written in a
    folder of its own and moved into place with one rename, so nobody reads half a set.
    """
    if _demo_seal_current(folder):
        return
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.parent / f".{folder.name}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _demo_seal_current(folder):
            return  # another process made it while this one waited
        if folder.exists():
            # Expired or incomplete: kept beside the new one, renamed.
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
            folder.rename(folder.with_name(f"{folder.name}.retired-{stamp}"))
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
        try:
            _write_demo_seal(staging)
            staging.rename(folder)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


def _demo_seal_current(folder: Path) -> bool:
    if not all((folder / name).is_file() for name in DEMO_FILES):
        return False
    certificate = x509.load_pem_x509_certificate((folder / "seal.pem").read_bytes())
    now = dt.datetime.now(dt.UTC)
    return certificate.not_valid_before_utc <= now < certificate.not_valid_after_utc


def _write_demo_seal(folder: Path) -> None:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    root_name = _demo_name(DEMO_ROOT_NAME)
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=10 * 365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), False)
        .sign(root_key, hashes.SHA256())
    )
    seal_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    seal_certificate = (
        x509.CertificateBuilder()
        .subject_name(_demo_name(DEMO_SEAL_NAME))
        .issuer_name(root_name)
        .public_key(seal_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=3 * 365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([DOCUMENT_SIGNING]),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(seal_key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), False
        )
        .sign(root_key, hashes.SHA256())
    )
    # The root's key signs only these two certificates and is not kept.
    _write_private(
        folder / "seal-key.pem",
        seal_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    (folder / "seal.pem").write_bytes(seal_certificate.public_bytes(serialization.Encoding.PEM))
    (folder / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))


# id-kp-documentSigning (RFC 9336): the certificate is for signing documents.
DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")


def _demo_name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "KR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEMO_ORGANIZATION),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "DEMO - for testing only"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=not cert_sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _write_private(path: Path, data: bytes) -> None:
    # Created 0600: the key is never readable by others, not even for a moment.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
