"""Which URLs a webhook may name: https, on a public address (docs/security.md, "Webhooks
aimed inside the network"). The name is resolved when the URL is given and again at each
attempt, and the attempt connects to the address that was checked, so a name that later
resolves inside the network reaches nothing there."""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app

from service.errors import Invalid
from workflows.bilingual import t

MAX_URL_LENGTH = 2000
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with its query
    address: str  # the checked address the attempt connects to


def refuse(code: str, en: str, ko: str) -> Invalid:
    return Invalid(t(en, ko), code=code, errors={"url": [t(en, ko)]})


def loopback_allowed() -> bool:
    """Tests deliver to a server on 127.0.0.1: allowed only by this explicit key."""
    return bool(current_app.config.get("WEBHOOKS_ALLOW_LOOPBACK"))


def _unwrapped(address: Address) -> Address:
    if isinstance(address, ipaddress.IPv6Address):
        return address.ipv4_mapped or address.sixtofour or address
    return address


def is_public(address: Address) -> bool:
    address = _unwrapped(address)
    return address.is_global and not address.is_multicast


def check(url: str) -> Target:
    """The URL's target if a webhook may name it; otherwise `Invalid` saying why."""
    if len(url) > MAX_URL_LENGTH:
        raise refuse(
            "webhook_url_too_long",
            f"The URL is longer than {MAX_URL_LENGTH} characters.",
            f"URL이 {MAX_URL_LENGTH}자를 넘습니다.",
        )
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        parts = port = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise refuse(
            "webhook_url_invalid",
            "Give an absolute https:// URL.",
            "https://로 시작하는 전체 URL을 입력하십시오.",
        )
    if parts.username is not None or parts.password is not None or parts.fragment:
        raise refuse(
            "webhook_url_invalid",
            "The URL may carry no user name, password or #fragment.",
            "URL에는 사용자 이름, 비밀번호, #부분을 넣을 수 없습니다.",
        )
    port = port or (443 if parts.scheme == "https" else 80)
    addresses = resolve(parts.hostname, port)
    loopback = loopback_allowed() and all(_unwrapped(a).is_loopback for a in addresses)
    if parts.scheme != "https" and not loopback:
        raise refuse(
            "webhook_url_not_https",
            "The webhook URL must use https.",
            "웹훅 URL은 https를 사용해야 합니다.",
        )
    refused = [a for a in addresses if not is_public(a)]
    if refused and not loopback:
        raise refuse(
            "webhook_url_not_public",
            f"The URL's host resolves to {refused[0]}, a private, loopback or reserved "
            "address: webhooks are delivered only to public addresses.",
            f"URL의 호스트가 사설·루프백·예약 주소({refused[0]})를 가리킵니다. "
            "웹훅은 공인 주소로만 보냅니다.",
        )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port, path, str(addresses[0]))


def resolve(host: str, port: int) -> list[Address]:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        found = []
    addresses = []
    for _family, _type, _proto, _name, sockaddr in found:
        address = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise refuse(
            "webhook_url_unresolved",
            f"The host {host} could not be resolved.",
            f"호스트 {host}의 주소를 찾을 수 없습니다.",
        )
    return addresses
