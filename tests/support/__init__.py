"""Test support code: the test-model builder, Argos helpers and pytest fixtures."""

try:
    import pytest
except ImportError:  # scripts that only build models do not need pytest
    pass
else:
    # the fixture module may be imported by a test module before pytest loads
    # it as a plugin; registering it here keeps its assertions rewritten
    pytest.register_assert_rewrite("support.mt_fixtures")
