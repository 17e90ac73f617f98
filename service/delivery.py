"""How responses travel (docs/performance.md, "Light pages"): compressed with brotli or gzip,
and static files addressed by their content, so a browser keeps them for a year.

`url_for("static", filename=...)` adds `v=<fingerprint>` (the first 16 hex digits of the
file's SHA-256). A static response whose `v` is the file's current fingerprint is cached
`public, max-age=31536000, immutable`: a changed file gets a new URL. Any other static
response (no `v`, or an old one) is cached for five minutes only. The stylesheets built by
scripts/build_assets.py carry the same `v` on the fonts and icons they point at.
"""

import hashlib
from pathlib import Path

from flask import Flask, Response, current_app, request
from flask_compress import Compress

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"
FINGERPRINT_LENGTH = 16
# Text worth compressing; fonts (woff2), images and PDFs are compressed already.
COMPRESSED_TYPES = [
    "text/html",
    "text/css",
    "text/plain",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/problem+json",
    "image/svg+xml",
]

compress = Compress()
# path -> (mtime_ns, size, fingerprint): a file is hashed again only when it changes.
_fingerprints: dict[str, tuple[int, int, str]] = {}


def fingerprint_of(path: Path) -> str:
    """The content fingerprint of a file, as URLs carry it."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()[:FINGERPRINT_LENGTH]


def static_fingerprint(app: Flask, filename: str) -> str | None:
    """The fingerprint of a file under the static folder, or None when there is no such file."""
    folder = Path(app.static_folder or "")
    path = (folder / filename).resolve()
    if not path.is_relative_to(folder.resolve()):
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    key = str(path)
    known = _fingerprints.get(key)
    if known and known[:2] == (stat.st_mtime_ns, stat.st_size):
        return known[2]
    value = fingerprint_of(path)
    _fingerprints[key] = (stat.st_mtime_ns, stat.st_size, value)
    return value


def _fingerprint_static_urls(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "v" not in values and "filename" in values:
        value = static_fingerprint(current_app, values["filename"])
        if value:
            values["v"] = value


def cache_static_files(response: Response) -> Response:
    if request.endpoint != "static" or response.status_code not in (200, 304):
        return response
    filename = (request.view_args or {}).get("filename", "")
    wanted = request.args.get("v")
    fresh = wanted is not None and wanted == static_fingerprint(current_app, filename)
    response.headers["Cache-Control"] = IMMUTABLE if fresh else SHORT
    # Static files are shown inline, and a fingerprinted one is never revalidated: the name
    # werkzeug puts in a Content-Disposition, and then Last-Modified, only add bytes to each
    # of a page's files.
    response.headers.pop("Content-Disposition", None)
    if fresh:
        response.headers.pop("Last-Modified", None)
    return response


def init_delivery(app: Flask) -> None:
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["br", "gzip"])
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    # Brotli 5: smaller than gzip's best for the stylesheet, as fast as brotli's default 4.
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    app.url_defaults(_fingerprint_static_urls)
    # Registered before Compress's hook, so it runs after it (Flask runs them in reverse)
    # and the 304 that Compress may turn a response into keeps the same header.
    app.after_request(cache_static_files)
    compress.init_app(app)
