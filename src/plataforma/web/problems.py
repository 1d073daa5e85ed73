"""RFC 9457 problem documents for every error, naming each bad field by JSON pointer."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from plataforma.records.errors import InvalidRecord, RecordError

PROBLEM = "application/problem+json"


def problem(
    status: int, title: str, detail: str, errors: list[dict[str, str]] | None = None, **extra: Any
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def _pointer(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        where, parts = parts[0], parts[1:]
        return ("/" + "/".join(parts)) if where == "body" else f"{where}:{'/'.join(parts)}"
    return "/" + "/".join(parts)


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(RecordError)
    async def _record_error(_: Request, error: RecordError) -> JSONResponse:
        errors = None
        if isinstance(error, InvalidRecord):
            errors = [{"pointer": e.pointer, "detail": e.detail} for e in error.errors]
        return problem(error.status, error.title, str(error), errors)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, error: RequestValidationError) -> JSONResponse:
        errors = [
            {"pointer": _pointer(tuple(e.get("loc", ()))), "detail": str(e.get("msg", "invalid"))}
            for e in error.errors()
        ]
        return problem(
            422,
            "Invalid request",
            "; ".join(f"{e['pointer']}: {e['detail']}" for e in errors),
            errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, error: StarletteHTTPException) -> JSONResponse:
        response = problem(error.status_code, str(error.detail), str(error.detail))
        for name, value in (error.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(DataError)
    async def _unstorable(_: Request, error: DataError) -> JSONResponse:
        # The database refused a value the validators let through (a NUL character, an
        # out-of-range number): the request was bad, not the server.
        return problem(
            422, "Invalid request", "a value in the request cannot be stored or searched"
        )

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, error: Exception) -> JSONResponse:
        return problem(500, "Internal error", "the server failed; the event was logged")
