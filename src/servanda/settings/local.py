"""The embedded default (`make demo`): plain HTTP on 127.0.0.1, DEBUG only if asked."""

from .base import *  # noqa: F403
