"""Masking the secrets in URLs before they are shown: the one masker for every layer.

Store URLs carry database passwords; channel URLs carry passwords, API keys
and webhook tokens. Every URL we log, print or record goes through
:func:`mask_url`, and every message that may quote one (an exception's text)
through :func:`scrub` with that URL's :func:`secrets_of`. The module imports
nothing of ours, so the store (which must not import ``notify``) and the
channels share one set of rules.

What is a secret:

* the password of ``user:password@host``;
* the value of a query parameter named like a credential (``pass``,
  ``token``, ``apikey``, …: libpq and apprise both accept those);
* for a *service* URL whose scheme does not name a host (apprise's
  ``slack://TokenA/TokenB/TokenC/#channel``, ``discord://id/token``), every
  part of the host, user and path at least six characters long, except
  channel and user names (``#alerts``, ``@ops``). A *database* URL's host,
  user and path are names, never tokens (``database=True``).

:func:`mask_url` replaces those parts where they stand and leaves the rest of
the URL as it was written (a user recognises their own spelling; nothing is
re-encoded or reordered). :func:`scrub` replaces every occurrence of each
secret, in the URL's spelling and percent-decoded, because libraries quote
decoded values in their messages.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, parse_qsl, unquote, urlsplit

__all__ = ["MASK", "mask_url", "scrub", "secrets_of"]

MASK = "***"
_SECRET_PARAM = re.compile(
    r"^(pass|password|passwd|pwd|secret|token|key|apikey|api_key|access_token|auth|bearer|"
    r"webhook|signature|sig|client_secret|app_token|user_token|pin)$",
    re.IGNORECASE,
)
# Schemes whose host is a real host name; for every other scheme apprise puts
# tokens in the host and path (slack://TokenA/TokenB/TokenC/#channel).
_HOST_SCHEMES = frozenset(
    [
        "mailto",
        "mailtos",
        "http",
        "https",
        "json",
        "jsons",
        "xml",
        "xmls",
        "form",
        "forms",
        "ntfy",
        "ntfys",
    ]
)
_MIN_TOKEN = 6
_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")


def _split(url: str) -> SplitResult | None:
    try:
        return urlsplit(url.strip())
    except ValueError:
        return None


def _userinfo(parts: SplitResult) -> tuple[str, str | None, str]:
    """``(user, password or None, host:port)`` as written in the URL."""
    userinfo, at, hostport = parts.netloc.rpartition("@")
    user, colon, password = userinfo.partition(":")
    return user, (password if colon else None), hostport


def _host(hostport: str) -> str:
    return hostport.rsplit(":", 1)[0] if hostport.count(":") == 1 else hostport


def _is_token(part: str) -> bool:
    """A host, user or path part of a service URL long enough to be a token (not #chan, @user)."""
    return len(part) >= _MIN_TOKEN and not part.startswith(("#", "@", "%23"))


def _has_tokens(parts: SplitResult, database: bool) -> bool:
    return not database and parts.scheme.lower() not in _HOST_SCHEMES


def secrets_of(url: str, *, database: bool = False) -> list[str]:
    """The values in ``url`` that must never be shown: passwords, tokens, keys.

    Both the URL's own spelling and its percent-decoded form are returned.
    Longest first, so that replacing them in order never leaves part of a
    longer secret behind. A URL that cannot even be split is all secret.
    """
    parts = _split(url)
    if parts is None:
        return [url]
    found: set[str] = set()
    user, password, hostport = _userinfo(parts)
    if password:
        found.add(password)
    for name, value in parse_qsl(parts.query, keep_blank_values=False):
        if _SECRET_PARAM.match(name) and value:
            found.add(value)
    if _has_tokens(parts, database):
        found.update(filter(_is_token, [user, _host(hostport), *parts.path.split("/")]))
    found.update([unquote(s) for s in found])
    return sorted((s for s in found if s), key=len, reverse=True)


def scrub(text: str, secrets: list[str]) -> str:
    """``text`` with every occurrence of each secret (longest first) replaced by ``***``."""
    for secret in secrets:
        text = text.replace(secret, MASK)
    return text


def mask_url(url: str, *, database: bool = False) -> str:
    """``url`` with its password, credential parameters and tokens replaced by ``***``.

    For logs, errors and ``monitor status``. A URL that does not split back
    into exactly what was written (control characters that ``urlsplit``
    drops, say) falls back to :func:`scrub`, which hides every occurrence. One
    that does not split at all (``postgresql://[::1``) keeps only what
    cannot be a secret: a database URL all but the ``user:password@``
    password, a service URL nothing.
    """
    parts = _split(url)
    if parts is None:
        return _PASSWORD.sub(rf"\1{MASK}@", url) if database else MASK
    text = url.strip()
    if _join(parts, text) != text:
        return scrub(url, secrets_of(url, database=database))
    tokens = _has_tokens(parts, database)
    user, password, hostport = _userinfo(parts)
    if tokens and _is_token(user):
        user = MASK
    if tokens and _is_token(_host(hostport)):
        host = _host(hostport)
        hostport = MASK + hostport[len(host) :]
    netloc = hostport
    if password is not None:
        netloc = f"{user}:{MASK if password else ''}@{hostport}"
    elif "@" in parts.netloc:
        netloc = f"{user}@{hostport}"
    path = parts.path
    if tokens:
        path = "/".join(MASK if _is_token(p) else p for p in path.split("/"))
    query = "&".join(_mask_param(pair) for pair in parts.query.split("&"))
    return _join(parts._replace(netloc=netloc, path=path, query=query), text)


def _mask_param(pair: str) -> str:
    name, eq, value = pair.partition("=")
    if eq and value and _SECRET_PARAM.match(unquote(name.replace("+", " "))):
        return f"{name}={MASK}"
    return pair


def _join(parts: SplitResult, original: str) -> str:
    """Reassemble ``parts`` with the delimiters ``original`` had (``urlunsplit`` drops some)."""
    out = f"{parts.scheme}:" if parts.scheme else ""
    if original[len(out) :].startswith("//"):
        out += f"//{parts.netloc}"
    out += parts.path
    if "?" in original.split("#", 1)[0]:
        out += f"?{parts.query}"
    if "#" in original:
        out += f"#{parts.fragment}"
    return out
