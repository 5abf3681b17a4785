# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""The core's tests talk to a real offline PortOne (the sandbox): its fixtures, found by name,
and a client of it."""

import pytest

from payment_galaxia.client import PortOneClient
from portone_sandbox.pytest_fixtures import (  # noqa: F401
    API_KEY,
    API_SECRET,
    control,
    control_for,
    fresh_sandbox,
    pytest_collection_modifyitems,
    sandbox,
    sandbox_server,
)


@pytest.fixture
def client(sandbox):  # noqa: F811
    return PortOneClient(API_KEY, API_SECRET, sandbox.url, timeout=2)
