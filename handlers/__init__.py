"""Routing of incoming messages: who is asking, which command, which flow."""

from handlers.root import handle

__all__ = ["handle"]
