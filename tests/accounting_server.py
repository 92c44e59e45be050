"""A stand-in for the EOSC Accounting Service on 127.0.0.1, for the accounting tests.

It behaves as the service does where vatui depends on it (ids it makes up, 401 for a bad
token, 404 for an unknown installation or metric, 409 for a duplicate metric definition) and
checks every request it gets, and every answer it gives, against the service's published
OpenAPI description (tests/contracts/argo-accounting.yml, Apache-2.0) with openapi-core: what
breaks the contract is kept in ``violations``, which each test expects empty.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

CONTRACT = Path(__file__).parent / "contracts" / "argo-accounting.yml"
TOKEN = "test-token-s3cr3t-0123456789"
PREFIX = "/accounting-system"
_SPEC: OpenAPI | None = None


def contract() -> OpenAPI:
    """The OpenAPI description, read once: it is large."""
    global _SPEC
    if _SPEC is None:
        # The published description itself breaks OpenAPI 3.0 in one place (its bearer
        # scheme also says `in: header`), so it is taken as it is rather than validated.
        _SPEC = OpenAPI.from_file_path(str(CONTRACT), config=Config(spec_validator_cls=None))
    return _SPEC


@dataclass
class _Request:
    """A request as openapi-core reads one."""

    host_url: str
    path: str
    method: str
    parameters: RequestParameters
    content_type: str
    body: bytes | None


@dataclass
class _Response:
    """An answer as openapi-core reads one."""

    status_code: int
    data: bytes
    content_type: str = "application/json"
    headers: Headers = field(default_factory=Headers)


@dataclass
class Service:
    """What the stand-in holds: installations, definitions, metrics, and every request."""

    installations: set[str] = field(default_factory=set)
    definitions: dict[str, dict[str, Any]] = field(default_factory=dict)
    metrics: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[tuple[str, str, Any]] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    fail_after: int | None = None  # answer 500 to requests after this many
    answered: int = 0

    def new_id(self) -> str:
        return f"{len(self.definitions) + len(self.metrics) + 1:024x}"

    def handle(self, method: str, path: str, body: Any, token: str) -> tuple[int, Any]:
        """The service's answer: its status and JSON body."""
        if token != f"Bearer {TOKEN}":
            return 401, {"code": 401, "message": "You have not been authenticated."}
        if self.fail_after is not None and self.answered >= self.fail_after:
            return 500, {"code": 500, "message": "Internal Server Error"}
        self.answered += 1
        if method == "POST" and path == f"{PREFIX}/metric-definitions":
            return self.create_definition(body)
        found = re.fullmatch(rf"{PREFIX}/installations/([^/]+)/metrics(?:/([^/]+))?", path)
        if found is None:
            return 404, {"code": 404, "message": "Not found."}
        installation, metric_id = found.groups()
        if installation not in self.installations:
            return 404, {"code": 404, "message": f"There is no Installation with id {installation}"}
        if method == "POST":
            return self.add_metric(installation, body)
        if method == "PATCH":
            return self.update_metric(installation, metric_id, body)
        return self.list_metrics(installation)

    def create_definition(self, body: dict[str, Any]) -> tuple[int, Any]:
        keys = ("metric_name", "unit_type", "metric_type")
        for existing in self.definitions.values():
            if all(existing[key] == body[key] for key in keys):
                return 409, {"code": 409, "message": "This Metric Definition already exists."}
        ident = self.new_id()
        self.definitions[ident] = {"metric_definition_id": ident, **body}
        return 201, self.definitions[ident]

    def add_metric(self, installation: str, body: dict[str, Any]) -> tuple[int, Any]:
        if body["metric_definition_id"] not in self.definitions:
            return 404, {"code": 404, "message": "There is no Metric Definition with this id."}
        ident = self.new_id()
        self.metrics[ident] = {"metric_id": ident, "installation": installation, **body}
        return 201, self.answer(ident)

    def update_metric(self, installation: str, ident: str, body: dict[str, Any]) -> tuple[int, Any]:
        held = self.metrics.get(ident)
        if held is None or held["installation"] != installation:
            return 404, {"code": 404, "message": "There is no Metric with this id."}
        held.update({key: value for key, value in body.items() if value is not None})
        return 200, self.answer(ident)

    def list_metrics(self, installation: str) -> tuple[int, Any]:
        content = [
            {"id": ident, **{k: v for k, v in self.answer(ident).items() if k != "metric_id"}}
            for ident, held in self.metrics.items()
            if held["installation"] == installation
        ]
        return 200, {
            "size_of_page": len(content),
            "number_of_page": 1,
            "total_elements": len(content),
            "total_pages": 1,
            "content": content,
        }

    def answer(self, ident: str) -> dict[str, Any]:
        held = self.metrics[ident]
        keys = (
            "metric_id",
            "metric_definition_id",
            "time_period_start",
            "time_period_end",
            "value",
        )
        return {key: held[key] for key in keys}

    def added(self) -> list[tuple[str, str, Any]]:
        return [r for r in self.requests if r[0] == "POST" and r[1].endswith("/metrics")]

    def updated(self) -> list[tuple[str, str, Any]]:
        return [r for r in self.requests if r[0] == "PATCH"]


class _Handler(BaseHTTPRequestHandler):
    service: Service
    host_url: str

    def log_message(self, *args: Any) -> None:  # keep the test output quiet
        return None

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else None
        body = json.loads(raw) if raw else None
        headers = Headers(list(self.headers.items()))
        request = _Request(
            self.host_url,
            parts.path,
            self.command.lower(),
            RequestParameters(
                query=ImmutableMultiDict(
                    [(k, v) for k, vs in parse_qs(parts.query).items() for v in vs]
                ),
                header=headers,
                cookie=ImmutableMultiDict(),
            ),
            self.headers.get("Content-Type", ""),
            raw,
        )
        self._check(lambda: contract().validate_request(request), f"request {parts.path}")
        self.service.requests.append((self.command, parts.path, body))
        status, answer = self.service.handle(
            self.command, parts.path, body, self.headers.get("Authorization", "")
        )
        data = json.dumps(answer).encode()
        response = _Response(status, data)
        self._check(lambda: contract().validate_response(request, response), f"answer {status}")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _check(self, validate: Any, what: str) -> None:
        try:
            validate()
        except Exception as error:  # openapi-core's errors have no common public base
            causes = getattr(error, "schema_errors", None) or [error.__cause__ or error]
            self.service.violations.append(f"{self.command} {what}: {error}: {causes}")


class AccountingServer:
    """The stand-in, serving on 127.0.0.1 in a thread: use as a context manager."""

    def __init__(self, installations: set[str]) -> None:
        self.service = Service(installations=set(installations))
        handler = type("Handler", (_Handler,), {"service": self.service})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        handler.host_url = self.url
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> AccountingServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
