"""A router maps the words people type (and their /command aliases) to handlers."""

from __future__ import annotations

from typing import Awaitable, Callable

from bot.context import Context
from bot.messages import Kind
from conversations.parsing import normalize

RouteHandler = Callable[[Context, str], Awaitable[None]]


class Router:
    def __init__(self, name: str) -> None:
        self.name = name
        self._routes: list[tuple[frozenset[str], bool, RouteHandler]] = []

    def on(self, *words: str, prefix: bool = False) -> Callable[[RouteHandler], RouteHandler]:
        """Route messages equal to one of `words` (or starting with one, with `prefix`); the rest of the
        message is passed as the argument."""
        def register(fn: RouteHandler) -> RouteHandler:
            self._routes.append((frozenset(w.lower() for w in words), prefix, fn))
            return fn
        return register

    def match(self, ctx: Context) -> tuple[RouteHandler, str] | None:
        if ctx.msg.kind not in (Kind.TEXT, Kind.COMMAND):
            return None
        text = normalize(ctx.msg.text)
        if ctx.msg.kind == Kind.COMMAND:
            head, _, rest = text.partition(" ")
            head = "/" + head.lstrip("/").split("@", 1)[0].lower()
        else:
            head, rest = text.lower(), ""
        for words, prefix, fn in self._routes:
            if head in words:
                return fn, rest.strip()
            if prefix and ctx.msg.kind == Kind.TEXT:
                for w in words:
                    if text.startswith(w) and not w.startswith("/"):
                        return fn, text[len(w):].strip()
        return None


def compose(*routers: Router) -> Callable[[Context], tuple[RouteHandler, str] | None]:
    def match(ctx: Context) -> tuple[RouteHandler, str] | None:
        for router in routers:
            found = router.match(ctx)
            if found:
                return found
        return None
    return match
