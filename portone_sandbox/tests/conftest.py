# Part of payment_galaxia. See LICENSE file for full copyright and licensing details.

"""The sandbox's tests run against a real sandbox: the shared fixtures, found by name."""

from portone_sandbox.pytest_fixtures import (  # noqa: F401
    control,
    control_for,
    fresh_sandbox,
    pytest_collection_modifyitems,
    receiver,
    rest,
    rest_for,
    sandbox,
    sandbox_server,
)
