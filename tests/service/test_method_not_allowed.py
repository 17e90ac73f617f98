"""A method a route does not take gets 405 with an Allow header naming the methods it does
take (RFC 9110 section 15.5.6): every route of the URL map, pages and API alike."""

from collections import defaultdict

import pytest

from service.api.problems import PROBLEM_TYPE

# Tried in this order: the first one a route does not take is sent.
METHODS = ("DELETE", "PATCH", "PUT", "POST", "GET")


def _sample_url(app, rule) -> str:
    # 1 fits every converter the map uses: ids and names alike.
    values = dict.fromkeys(rule.arguments, 1)
    adapter = app.url_map.bind("localhost")
    return adapter.build(rule.endpoint, values, method=next(iter(rule.methods)))


def _routes(app) -> dict[str, set[str]]:
    """Each route's URL with the methods of every rule at that URL (GET and POST of one
    path are often two rules, each with its own view)."""
    methods: dict[str, set[str]] = defaultdict(set)
    for rule in app.url_map.iter_rules():
        if rule.endpoint != "static":
            methods[_sample_url(app, rule)] |= rule.methods
    return methods


def _allowed(answer) -> set[str]:
    return {method.strip() for method in answer.headers.get("Allow", "").split(",") if method}


def test_every_route_answers_a_method_it_does_not_take_with_405_and_its_allowed_methods(
    app, client
):
    routes = _routes(app)
    assert len(routes) > 60  # the whole map, not a few
    wrong = []
    for url, methods in sorted(routes.items()):
        for method in [m for m in METHODS if m not in methods][:2]:
            answer = client.open(url, method=method)
            if answer.status_code != 405 or _allowed(answer) != methods:
                wrong.append((method, url, answer.status_code, answer.headers.get("Allow")))
                continue
            if url.startswith("/api/"):
                assert answer.mimetype == PROBLEM_TYPE, url
                assert answer.json["status"] == 405, url
    assert wrong == []


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("DELETE", "/api/v1/applications"),
        ("PATCH", "/api/v1/audit/verify"),
        ("POST", "/api/v1/filings/1.pdf"),
        ("PUT", "/review"),
        ("GET", "/logout"),
    ],
)
def test_a_405_names_its_methods_with_the_csrf_check_on(app, client, monkeypatch, method, url):
    """Production checks CSRF before routing refuses the method: a form post to a page that
    takes none still learns what the page takes, not a CSRF refusal."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    answer = client.open(url, method=method)
    assert answer.status_code == 405
    assert _allowed(answer) == _routes(app)[url]
    assert method not in _allowed(answer)
