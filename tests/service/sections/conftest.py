import pytest

from tests.service.factories import PASSWORD, Cast


@pytest.fixture
def cast(ctx):
    return Cast("krw_stablecoin")


def web_login(client, user):
    answer = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert answer.status_code == 302, answer.data
    return client


def bearer(client, user) -> dict:
    answer = client.post("/api/v1/auth/token", json={"email": user.email, "password": PASSWORD})
    assert answer.status_code == 201, answer.json
    return {"Authorization": f"Bearer {answer.json['token']}", "Accept-Language": "en"}
