"""Checking seals in tests: certificates of a test authority, a time-stamp authority
answering RFC 3161 requests over HTTP on 127.0.0.1, and pyHanko's validator."""

import datetime as dt
import io
import re
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator import ValidationContext

from tests.service.pdfs import reader

DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")


@dataclass
class Issued:
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    @property
    def asn1(self) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(self.certificate.public_bytes(serialization.Encoding.DER))

    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def key_pem(self, passphrase: str | None = None) -> bytes:
        encryption = (
            serialization.BestAvailableEncryption(passphrase.encode())
            if passphrase
            else serialization.NoEncryption()
        )
        return self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "KR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test Trust Services"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def issue(
    common_name: str,
    *,
    by: Issued | None = None,
    ca: bool = False,
    key=None,
    purpose: x509.ObjectIdentifier | None = DOCUMENT_SIGNING,
    valid_from: dt.datetime | None = None,
    days: int = 365,
) -> Issued:
    """A certificate for `common_name`, issued by `by` (self-signed without it)."""
    key = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
    start = valid_from or dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    issuer = by.certificate.subject if by else _name(common_name)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=not ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    if purpose and not ca:
        critical = purpose == ExtendedKeyUsageOID.TIME_STAMPING  # RFC 3161 wants it critical
        builder = builder.add_extension(x509.ExtendedKeyUsage([purpose]), critical=critical)
    signing_key = by.key if by else key
    return Issued(key, builder.sign(signing_key, hashes.SHA256()))


def write_files(folder: Path, **contents: bytes) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, data in contents.items():
        (folder / name).write_bytes(data)
        paths[name] = str(folder / name)
    return paths


class TimeStampAuthority:
    """An RFC 3161 time-stamp authority on 127.0.0.1: HTTP POSTs of a TimeStampReq answered
    with a token that pyHanko's DummyTimeStamper signs with this authority's certificate
    (or, `answer_with` another media type, with a web page instead)."""

    def __init__(self, answer_with: str = "application/timestamp-reply"):
        self.root = issue("Test TSA root", ca=True, days=3650)
        self.unit = issue(
            "Test time-stamping unit", by=self.root, purpose=ExtendedKeyUsageOID.TIME_STAMPING
        )
        stamper = DummyTimeStamper(
            tsa_cert=self.unit.asn1,
            tsa_key=asn1_keys.PrivateKeyInfo.load(
                self.unit.key.private_bytes(
                    serialization.Encoding.DER,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            ),
        )
        self.requests = 0
        self.seconds_answering = 0.0  # the authority's own work, for the bench
        authority = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if self.headers.get("Content-Type") != "application/timestamp-query":
                    self.send_error(415)
                    return
                started = time.perf_counter()
                answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
                authority.seconds_answering += time.perf_counter() - started
                if answer_with != "application/timestamp-reply":
                    answer = b"<html><body>Service unavailable</body></html>"
                authority.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", answer_with)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/tsa"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def validated(pdf: bytes, *trusted: asn1_x509.Certificate) -> PdfSignatureStatus:
    """pyHanko's verdict on the one signature in `pdf`, trusting only `trusted`."""
    signatures = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    assert len(signatures) == 1, f"{len(signatures)} signatures"
    context = ValidationContext(trust_roots=list(trusted), allow_fetching=False)
    return validate_pdf_signature(signatures[0], context)


def demo_root(app) -> asn1_x509.Certificate:
    return load_cert_from_pemder(str(Path(app.config["SEAL_DEMO_PATH"]) / "root.pem"))


def signature_count(pdf: bytes) -> int:
    return len(PdfFileReader(io.BytesIO(pdf)).embedded_signatures)


# The document information entries that PDF/A wants repeated in the XMP metadata, with the
# XMP property each must equal (as an element or as an attribute).
_INFO_IN_XMP = {
    "/Title": r"<dc:title[^>]*>.*?<rdf:li[^>]*>(.*?)</rdf:li>",
    "/Author": r"<dc:creator[^>]*>.*?<rdf:li[^>]*>(.*?)</rdf:li>",
    "/Subject": r"<dc:description[^>]*>.*?<rdf:li[^>]*>(.*?)</rdf:li>",
    "/Producer": r"pdf:Producer(?:=\"|>)([^\"<]*)",
    "/Keywords": r"pdf:Keywords(?:=\"|>)([^\"<]*)",
    "/Creator": r"xmp:CreatorTool(?:=\"|>)([^\"<]*)",
    "/CreationDate": r"xmp:CreateDate(?:=\"|>)([^\"<]*)",
    "/ModDate": r"xmp:ModifyDate(?:=\"|>)([^\"<]*)",
}


def info_disagreeing_with_xmp(pdf: bytes) -> dict[str, tuple[str, str | None]]:
    """Entries of the Info dictionary whose XMP counterpart is missing or differs."""
    document = reader(pdf)
    xmp = document.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    info = document.metadata
    wrong = {}
    for key, pattern in _INFO_IN_XMP.items():
        if info.get(key) is None:
            continue
        found = re.search(pattern, xmp, re.S)
        value = found.group(1) if found else None
        if key.endswith("Date"):
            expected = info.creation_date if key == "/CreationDate" else info.modification_date
            same = value is not None and _xmp_date(value) == expected
        else:
            expected = str(info[key])
            same = value == expected
        if not same:
            wrong[key] = (str(expected), value)
    return wrong


def _xmp_date(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
