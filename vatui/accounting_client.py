"""The EOSC Accounting Service over HTTP (httpx), for ``vatui accounting push|pull``.

Only this module speaks HTTP; the store decides what to send and remembers what was sent.
The token is a secret: it comes from the environment (or a client-credentials grant the
environment describes), never from the command line, and no message this module makes holds
it. Plain ``http://`` is refused except to this machine, where tests run a server.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import httpx

from vatui.store.accounting import DefinitionSpec
from vatui.store.errors import StoreError

PRODUCTION = "https://api.acc.argo.grnet.gr"
URL_VARIABLE = "VATUI_ACCOUNTING_URL"
TOKEN_VARIABLE = "VATUI_ACCOUNTING_TOKEN"
CLIENT_ID_VARIABLE = "VATUI_ACCOUNTING_CLIENT_ID"
CLIENT_SECRET_VARIABLE = "VATUI_ACCOUNTING_CLIENT_SECRET"
TOKEN_URL_VARIABLE = "VATUI_ACCOUNTING_TOKEN_URL"
PREFIX = "/accounting-system"
PAGE_SIZE = 100


class AccountingError(StoreError):
    """The service refused a request or could not be reached: the message says which and
    what to do, never the token."""


def checked_url(url: str, field: str) -> str:
    """``url`` without a trailing slash, if it is https, or http to this machine only."""
    parsed = httpx.URL(url)
    host = parsed.host
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if parsed.scheme == "https" and host or parsed.scheme == "http" and loopback:
        return url.rstrip("/")
    raise AccountingError(
        f"{field}: {url!r} is not accepted; an https:// address "
        "(http:// only to this machine: 127.0.0.1, ::1 or localhost)"
    )


def service_url(given: str | None, environ: Mapping[str, str] = os.environ) -> str:
    """The service's address: ``--url``, else the environment's, else production."""
    return checked_url(given or environ.get(URL_VARIABLE) or PRODUCTION, "--url")


def obtain_token(environ: Mapping[str, str] = os.environ) -> str:
    """The bearer token: the environment's, else one from a client-credentials grant."""
    token = environ.get(TOKEN_VARIABLE, "").strip()
    if token:
        return token
    client_id = environ.get(CLIENT_ID_VARIABLE, "")
    secret = environ.get(CLIENT_SECRET_VARIABLE, "")
    token_url = environ.get(TOKEN_URL_VARIABLE, "")
    if not (client_id and secret and token_url):
        raise AccountingError(
            f"no token for the accounting service: set {TOKEN_VARIABLE}, or "
            f"{CLIENT_ID_VARIABLE}, {CLIENT_SECRET_VARIABLE} and {TOKEN_URL_VARIABLE} for a "
            "client-credentials grant (a token is never taken from the command line)"
        )
    address = checked_url(token_url, TOKEN_URL_VARIABLE)
    what = "getting a token (client-credentials grant)"
    with _guarded(what, secret):
        response = httpx.post(
            address, data={"grant_type": "client_credentials"}, auth=(client_id, secret)
        )
    if response.status_code != 200:
        raise AccountingError(f"{what}: {_why(response)}".replace(secret, "[secret]"))
    access = response.json().get("access_token")
    if not isinstance(access, str) or not access:
        raise AccountingError(f"{what}: the answer holds no access_token")
    return access


class AccountingClient:
    """The few calls vatui makes to the service, each answering with what vatui keeps."""

    def __init__(
        self, base_url: str, token: str, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        self.token = token
        self.http = httpx.Client(
            base_url=checked_url(base_url, "--url") + PREFIX,
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
            transport=transport,
        )

    def close(self) -> None:
        self.http.close()

    def create_definition(self, spec: DefinitionSpec) -> str:
        """Create a metric definition; its id on the service."""
        what = f"creating the metric definition {spec.name!r}"
        answer = self._call("POST", "/metric-definitions", what, json=spec.body())
        return str(answer["metric_definition_id"])

    def add_metric(self, installation: str, body: dict[str, object], what: str) -> str:
        """Add a figure to an installation; the metric id the service gave it."""
        answer = self._call("POST", f"/installations/{installation}/metrics", what, json=body)
        return str(answer["metric_id"])

    def update_metric(
        self, installation: str, metric_id: str, body: dict[str, object], what: str
    ) -> None:
        """Change a figure sent before."""
        self._call("PATCH", f"/installations/{installation}/metrics/{metric_id}", what, json=body)

    def metrics(self, installation: str) -> list[dict[str, Any]]:
        """Every figure the service holds for an installation, page by page."""
        found: list[dict[str, Any]] = []
        page = 1
        while True:
            answer = self._call(
                "GET",
                f"/installations/{installation}/metrics",
                f"reading the figures of installation {installation!r}",
                params={"page": page, "size": PAGE_SIZE},
            )
            found += answer.get("content") or []
            if page >= int(answer.get("total_pages") or 1):
                return found
            page += 1

    def _call(self, method: str, path: str, what: str, **options: Any) -> dict[str, Any]:
        with _guarded(what, self.token):
            response = self.http.request(method, path, **options)
        if response.status_code >= 300:
            raise AccountingError(f"{what}: {_why(response)}".replace(self.token, "[token]"))
        answer = response.json()
        return answer if isinstance(answer, dict) else {}


@contextmanager
def _guarded(what: str, secret: str) -> Iterator[None]:
    """Turn a network failure into a message saying what was being done, the secret left out."""
    try:
        yield
    except httpx.TransportError as error:
        reason = f"{type(error).__name__}: {error}".replace(secret, "[secret]")
        raise AccountingError(
            f"{what}: could not reach the service ({reason}); check the address and the "
            "network, then try again"
        ) from None


def _why(response: httpx.Response) -> str:
    """What an error status means for the person who sent the request."""
    code = response.status_code
    said = _service_message(response)
    if code == 401:
        return (
            f"the service did not accept the token (401){said}; tokens last about an hour: "
            f"set {TOKEN_VARIABLE} afresh, or use the client-credentials variables"
        )
    if code == 403:
        return (
            f"the token's account may not do this (403){said}; ask the service's admin of the "
            "project or installation for a role that may"
        )
    if code == 404:
        return (
            f"not found on the service (404){said}; check the accounting ids in the "
            "project file (docs/project-file.md)"
        )
    if code == 409:
        return f"the service holds it already (409){said}"
    if code >= 500:
        return f"the service failed ({code}){said}; try again later"
    return f"the service refused it ({code}){said}"


def _service_message(response: httpx.Response) -> str:
    try:
        message = response.json().get("message")
    except (ValueError, AttributeError):
        return ""
    return f": {str(message)[:300]}" if message else ""
