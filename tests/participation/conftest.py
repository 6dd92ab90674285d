import pytest

from .helpers import make_councillor, make_faction


@pytest.fixture
def councillor_user(make_user):
    """make_councillor_user(faction=None, **user fields) → a Stadtrat user with a current seat."""

    def make(faction=None, **fields):
        user = make_user("stadtrat", **fields)
        make_councillor(user, faction or make_faction())
        return user

    return make
