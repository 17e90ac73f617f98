"""Configuration defaults. Overridden by `instance/config.py`, then by the environment."""

import os
from datetime import timedelta

# Settings that may be given as environment variables (DATABASE_URL maps to the URI).
ENVIRONMENT_KEYS = (
    "SECRET_KEY",
    "REGIME_PROFILE",
    "MAX_UPLOAD_BYTES",
    "SMTP_HOST",
    "SMTP_PORT",
    "MAIL_FROM",
    "REDIS_URL",
    "JOBS_QUEUE",
    "STORAGE_BACKEND",
    "STORAGE_PATH",
    "SESSION_COOKIE_SECURE",
    "PROXY_FIX_X_FOR",
    "PROXY_FIX_X_PROTO",
    "LOG_ORIGIN",
    "LOG_SIGNING_KEY",
    "SEAL_KEY_PATH",
    "SEAL_CERT_PATH",
    "SEAL_CHAIN_PATH",
    "SEAL_KEY_PASSPHRASE",
    "SEAL_TSA_URL",
    "SEAL_DEMO_PATH",
    "CONTACT_EMAIL",
    "CONTACT_PHONE",
)
# Of those, the ones that are whole numbers.
NUMBER_KEYS = ("MAX_UPLOAD_BYTES", "PROXY_FIX_X_FOR", "PROXY_FIX_X_PROTO")


class Defaults:
    # The embedded default: SQLite in the instance folder (see create_app).
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SECRET_KEY: str | None = None
    REGIME_PROFILE = "kr-2026"
    # Korean by default (issuers and case officers); English on request.
    BABEL_DEFAULT_LOCALE = "ko"
    BABEL_DEFAULT_TIMEZONE = "Asia/Seoul"
    LANGUAGES = ("ko", "en")
    MAX_UPLOAD_BYTES = 20 * 1024 * 1024
    # MAX_CONTENT_LENGTH, unless set, is MAX_UPLOAD_BYTES plus this room for an upload
    # form's other fields (create_app): Flask answers a larger body 413 before reading it.
    UPLOAD_FORM_MARGIN = 1024 * 1024
    ARGON2_PARAMETERS: dict = {}  # argon2-cffi's RFC 9106 defaults
    API_TOKEN_LIFETIME = timedelta(hours=12)
    # Sessions end after 30 minutes without a request (refreshed on each request), and
    # 12 hours after sign-in however busy (service/auth/sessions.py).
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=30)
    SESSION_ABSOLUTE_LIFETIME = timedelta(hours=12)
    # Sign-in throttling (service/auth/throttle.py). An account from one address, and an
    # address over all accounts, are locked for LOGIN_LOCKOUT at their limit; an account
    # over all addresses is slowed instead: past LOGIN_DELAY_AFTER failures each attempt
    # waits a delay doubling from LOGIN_DELAY_FIRST to LOGIN_DELAY_MAX. A count starts
    # again after LOGIN_FAILURE_WINDOW without a failure.
    LOGIN_MAX_FAILURES = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 50
    LOGIN_DELAY_AFTER = 5
    LOGIN_DELAY_FIRST = timedelta(seconds=2)
    LOGIN_DELAY_MAX = timedelta(minutes=10)
    LOGIN_FAILURE_WINDOW = timedelta(minutes=15)
    LOGIN_LOCKOUT = timedelta(minutes=15)
    # Behind the reverse proxy of docs/scaling.md: the number of proxies in front whose
    # X-Forwarded-For (X-Forwarded-Proto) entries are trusted. 0 trusts none: the address is
    # the connection's own, which a client cannot forge (service/security.py).
    PROXY_FIX_X_FOR = 0
    PROXY_FIX_X_PROTO = 0
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    QUEUE_PAGE_SIZE = 50
    # Jobs (service.jobs): inline without REDIS_URL; with it, RQ on that Redis.
    REDIS_URL: str | None = None
    JOBS_QUEUE = "issuer-registry"
    JOBS_TIMEOUT = 300
    # True: a filing commits without its PDF, which is rendered when it is first downloaded
    # (or by `flask --app service filings render-pending`). For the test suite, whose cases
    # file many PDFs that few tests read (docs/design.md section 7); never in production.
    FILING_PDFS_ON_DEMAND = False
    # Stored files (service.storage): "file" (the instance folder, STORAGE_PATH), "database"
    # (in the database, with the rows that name them) or the dotted path of another
    # backend class, e.g. an object store (docs/scaling.md, "Stored files").
    STORAGE_BACKEND = "file"
    # The seal on the regulator's decisions (service/filings/seal.py, docs/sealing.md): its
    # key and certificate (PEM or DER), the certificates that issued it, the key's
    # passphrase, an RFC 3161 time-stamp authority (PAdES-B-T). Without a key, a demo seal
    # is made in SEAL_DEMO_PATH (default: the instance folder's seal/).
    SEAL_KEY_PATH: str | None = None
    SEAL_CERT_PATH: str | None = None
    SEAL_CHAIN_PATH: str | None = None
    SEAL_KEY_PASSPHRASE: str | None = None
    SEAL_TSA_URL: str | None = None
    SEAL_DEMO_PATH: str | None = None
    # Webhooks (service/webhooks, docs/api.md): attempts in all, the first retry's delay
    # (doubled each time, at most WEBHOOKS_RETRY_MAX), how long a rotated-out secret still
    # signs beside the new one. Only https URLs on public addresses are taken; tests that
    # deliver to a server on 127.0.0.1 set WEBHOOKS_ALLOW_LOOPBACK (docs/security.md).
    WEBHOOKS_MAX_ATTEMPTS = 8
    WEBHOOKS_RETRY_FIRST = timedelta(seconds=30)
    WEBHOOKS_RETRY_MAX = timedelta(hours=6)
    WEBHOOKS_PREVIOUS_SECRET_GRACE = timedelta(hours=24)
    WEBHOOKS_ALLOW_LOOPBACK = False
    WTF_CSRF_TIME_LIMIT = None  # the session's lifetime bounds the token
    # The transparency log (docs/transparency.md): its origin line and key name, and its
    # signing key (a C2SP signer key; unset: instance/log_signing_key, made on first use).
    LOG_ORIGIN = "issuer-registry.example/log"
    LOG_SIGNING_KEY: str | None = None
    # The contact point in every page's footer and on the privacy policy (/privacy), and
    # how long the personal data kept is held (docs/security.md, "Personal data"):
    # years, or None for as long as the register exists.
    CONTACT_EMAIL = "privacy@fsc.example"
    CONTACT_PHONE: str | None = None
    RETENTION_YEARS: dict = {"accounts": 5, "sign_ins": 2, "audit_trail": None}
    # flask-smorest: the OpenAPI document at /api/v1/openapi.json
    API_TITLE = "Issuer Registry API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.1.0"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"


def from_environment() -> dict:
    found = {key: os.environ[key] for key in ENVIRONMENT_KEYS if key in os.environ}
    if os.environ.get("DATABASE_URL"):
        found["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(os.environ["DATABASE_URL"])
    for key in NUMBER_KEYS:
        if key in found:
            found[key] = int(found[key])
    if "SESSION_COOKIE_SECURE" in found:
        found["SESSION_COOKIE_SECURE"] = found["SESSION_COOKIE_SECURE"].lower() in ("1", "true")
    return found


def normalise_database_url(url: str) -> str:
    # psycopg 3 is the PostgreSQL driver; plain postgres:// URLs name it implicitly.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
