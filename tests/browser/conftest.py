from tests.integration.conftest import engine  # noqa: F401 - the real engine, same rules
