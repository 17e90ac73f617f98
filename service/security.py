"""HTTP hardening for every response: a strict CSP (no inline script or style), no framing,
no sniffing, a referrer policy, and HSTS when the request came over HTTPS; and the client's
address and scheme as the configured reverse proxies report them."""

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HSTS = "max-age=31536000; includeSubDomains"


# A font, stylesheet or script is never shown as a document, so the policies that govern a
# document (what it may load or frame, which devices it may use) do nothing on them; a page
# pulls in twenty such files, and the headers would weigh 6 KB on its first load
# (docs/performance.md, "Light pages"). SVG is a document when opened, so it keeps them.
SUBRESOURCE_TYPES = ("font/woff2", "text/css", "text/javascript")


def secure_headers(response: Response) -> Response:
    headers = response.headers
    if response.mimetype not in SUBRESOURCE_TYPES:
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    if request.endpoint != "static":
        # Confidential pages stay out of caches unless a view says otherwise (ETag'd files).
        headers.setdefault("Cache-Control", "no-store")
    return response


def trust_proxies(app: Flask) -> None:
    """Behind the reverse proxy every REMOTE_ADDR is the proxy's, so the per-address login
    throttle would lock every client out together. With PROXY_FIX_X_FOR = n, the address is
    the one the n-th proxy from the app wrote into X-Forwarded-For: entries a client adds
    itself come before it and are ignored. Off (0) by default, since without a proxy the
    header is the client's own word."""
    hops, proto = app.config["PROXY_FIX_X_FOR"], app.config["PROXY_FIX_X_PROTO"]
    if hops or proto:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=proto)


def init_security(app: Flask) -> None:
    app.after_request(secure_headers)
    trust_proxies(app)
