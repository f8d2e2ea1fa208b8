from tests.web.conftest import as_user, classroom  # noqa: F401  # the same fixtures as the web tests
