"""Who may change things: CSRF tokens on every write, the API key off loopback.

* **CSRF**: a random token lives in a ``SameSite=Strict`` cookie and is
  repeated in a hidden field of every form (double submit); a write whose
  field does not match the cookie is refused, so another site cannot make the
  browser post to the workbench.
* **API key**: on a loopback address only the person at this machine can
  reach the server; bound to any other address, writes also need the
  server's API key (from the ``X-API-Key`` header, a form field, or the
  cookie set by the key page).  Without a configured key, writes are off.
"""

from __future__ import annotations

import hmac
import secrets

from mlcorpus.server.settings import is_loopback

__all__ = ["is_loopback", "new_token", "tokens_match", "write_refusal"]

CSRF_COOKIE = "mlc_csrf"
CSRF_FIELD = "csrf_token"
KEY_COOKIE = "mlc_key"
KEY_FIELD = "api_key"


def new_token() -> str:
    return secrets.token_urlsafe(24)


def tokens_match(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison; an absent token never matches."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def write_refusal(
    *,
    cookie_token: str | None,
    form_token: str | None,
    needs_key: bool,
    api_keys: tuple[str, ...],
    given_keys: list[str | None],
) -> str | None:
    """Why a write must be refused, or None when it may go ahead."""
    if not tokens_match(cookie_token, form_token):
        return "the form's security token is missing or expired; reload the page and try again"
    if needs_key:
        if not api_keys:
            return (
                "this server is reachable from other machines and has no API key, "
                "so changes are disabled; restart it with an API key"
            )
        if not any(tokens_match(k, given) for k in api_keys for given in given_keys):
            return "changes need the server's API key; enter it on the key page"
    return None
