"""The HTTP server of `inspector-bot serve`: channel callbacks, health, readiness.
Each channel adapter contributes its own routes; this module only composes them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot import logs, metrics
from bot.app import App, add_channel_adapters, build_app
from bot.config import Settings
from storage import db

log = logging.getLogger(__name__)


def create_http_app(settings: Settings, app: App | None = None, *, maintain: bool = True) -> Starlette:
    """The ASGI app. With `app` given (tests), that App is served; otherwise one is built at startup."""
    holder: dict[str, App] = {"app": app} if app is not None else {}

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        built = app or await build_app(settings)
        if app is None:
            add_channel_adapters(built)
        holder["app"] = built
        for start in getattr(built, "on_start", []):
            await start()
        tasks = [asyncio.create_task(built.core.maintain())] if maintain else []
        if maintain:
            tasks += [asyncio.create_task(job()) for job in built.background]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await built.core.drain()
            if app is None:
                await built.close()

    async def healthz(_: Request) -> PlainTextResponse:
        return PlainTextResponse("ok")

    async def readyz(_: Request) -> JSONResponse:
        served = holder["app"]
        checks: dict[str, str] = {}
        try:
            await asyncio.wait_for(db.ping(served.engine), 3)
            checks["database"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["database"] = f"error: {type(exc).__name__}"
        try:
            await asyncio.wait_for(served.state.ping(), 3)
            checks["state"] = "ok" if served.settings.redis_url else "ok (in-process)"
        except Exception as exc:  # noqa: BLE001
            checks["state"] = f"error: {type(exc).__name__}"
        try:  # the evidence store: photos are refused while it cannot be written to
            await asyncio.wait_for(served.core.media.ping(), 5)
            checks["media"] = f"ok ({served.core.media.kind})"
        except Exception as exc:  # noqa: BLE001
            checks["media"] = f"error: {type(exc).__name__}"
        ok = all(v.startswith("ok") for v in checks.values())
        return JSONResponse(checks, status_code=200 if ok else 503)

    async def metrics_route(_: Request) -> Response:
        return Response(metrics.render(), media_type=metrics.CONTENT_TYPE_LATEST)

    routes = [Route("/healthz", healthz), Route("/readyz", readyz), Route("/metrics", metrics_route)]
    routes += channel_routes(settings, holder)
    return Starlette(routes=routes, lifespan=lifespan, middleware=[Middleware(RequestIdMiddleware)])


class RequestIdMiddleware:
    """Every request gets an id (or keeps the proxy's X-Request-Id) for the logs and the response."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")[:64]
        rid = given or logs.new_request_id("r")
        logs.request_id.set(rid)

        async def send_with_id(message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append((b"x-request-id", rid.encode("latin-1")))
            await send(message)

        await self.app(scope, receive, send_with_id)


def channel_routes(settings: Settings, holder: dict[str, App]) -> list[Route]:
    """Routes of the channels the settings switch on. `holder["app"]` is the running App."""
    routes: list[Route] = []
    if settings.wecom_enabled:
        from bot.adapters.wecom import http_routes as wecom_routes

        routes += wecom_routes(settings, holder)
    if settings.telegram_enabled:
        from bot.adapters.telegram import http_routes as telegram_routes

        routes += telegram_routes(settings, holder)
    return routes
