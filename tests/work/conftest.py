"""Work tests share the obligations world (a maintenance contract type, a role, people)."""

from tests.obligations.conftest import world  # noqa: F401
