import pytest

# Every test in this folder drives Chromium against the live server.
pytestmark = pytest.mark.e2e
