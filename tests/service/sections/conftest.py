import pytest

from tests.service.conftest import token
from tests.service.factories import Cast


@pytest.fixture
def cast(ctx):
    return Cast("krw_stablecoin")


def bearer(client, user) -> dict:
    """The API headers of `user`, asking for English answers (the messages these tests read)."""
    return {**token(client, user), "Accept-Language": "en"}
