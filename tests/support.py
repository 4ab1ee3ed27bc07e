import os

import pytest

# In CI a missing service (Redis, Chromium) fails the run; on a laptop it skips.
REQUIRE_SERVICES = os.environ.get("TEST_REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)
