"""Developer settings: the only place DEBUG is on by default."""

from .base import *  # noqa: F403

DEBUG = True
