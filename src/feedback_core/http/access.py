"""Who may read what: the caller's groups from verified claims, and the administrators' group.

API Gateway's Cognito authorizer puts the user's groups in ``cognito:groups``: a REST API
(v1) as one string (``"a,b"``, or ``"[a b]"`` for an HTTP API's JWT authorizer), a list in tests.
A client cannot set these claims; a body or header naming a group counts for nothing.

Examples:
    >>> event = {"requestContext": {"authorizer": {"claims": {"cognito:groups": "admins,staff"}}}}
    >>> sorted(caller_groups(event))
    ['admins', 'staff']
    >>> AccessConfig.from_env({"ADMIN_GROUP": "admins"}).is_admin(caller_groups(event))
    True
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import ClassVar, Self

import attrs

from feedback_core import config as env

__all__ = ["GROUPS_CLAIM", "AccessConfig", "caller_groups", "cors_headers"]

GROUPS_CLAIM = "cognito:groups"


@attrs.frozen(kw_only=True)
class AccessConfig:
    """Access settings of a route that serves one user's data.

    ==================  =====================================================================
    Variable            Meaning
    ==================  =====================================================================
    ``ADMIN_GROUP``     The user pool group whose members may read any user's data. Unset:
                        nobody may read another user's data.
    ``CORS_ALLOWED_     Browser origins (comma-separated) whose cross-origin requests get
    ORIGINS``           ``Access-Control-Allow-Origin``. Unset: same-origin only.
    ==================  =====================================================================
    """

    REQUIRED_ENV: ClassVar[tuple[str, ...]] = ()
    OPTIONAL_ENV: ClassVar[tuple[str, ...]] = ("ADMIN_GROUP", "CORS_ALLOWED_ORIGINS")

    admin_group: str | None = None
    cors_allowed_origins: frozenset[str] = frozenset()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        """Read ``ADMIN_GROUP`` and ``CORS_ALLOWED_ORIGINS`` (both optional)."""
        return cls(
            admin_group=env.optional(environ, "ADMIN_GROUP"),
            cors_allowed_origins=env.names(environ, "CORS_ALLOWED_ORIGINS"),
        )

    def is_admin(self, groups: frozenset[str]) -> bool:
        """Whether ``groups`` (the caller's verified groups) include the administrators'."""
        return self.admin_group is not None and self.admin_group in groups


def caller_groups(event: Mapping[str, object]) -> frozenset[str]:
    """The groups the API's authorizer verified for the caller (empty without sign-in).

    Examples:
        >>> sorted(caller_groups({"requestContext": {"authorizer": {"jwt": {"claims": {
        ...     "cognito:groups": "[admins staff]"}}}}}))
        ['admins', 'staff']
        >>> caller_groups({"headers": {"cognito:groups": "admins"}})
        frozenset()
    """
    context = event.get("requestContext")
    authorizer = context.get("authorizer") if isinstance(context, Mapping) else None
    if not isinstance(authorizer, Mapping):
        return frozenset()
    jwt = authorizer.get("jwt")
    for claims in (
        authorizer.get("claims"),
        jwt.get("claims") if isinstance(jwt, Mapping) else None,
    ):
        value = claims.get(GROUPS_CLAIM) if isinstance(claims, Mapping) else None
        if isinstance(value, list):
            return frozenset(str(v) for v in value if str(v))
        if isinstance(value, str):
            return frozenset(g for g in re.split(r"[\s,]+", value.strip("[]")) if g)
    return frozenset()


def cors_headers(event: Mapping[str, object], allowed: frozenset[str]) -> dict[str, str]:
    """The CORS headers for the request's ``Origin``: allowed only when it is listed.

    Examples:
        >>> cors_headers({"headers": {"origin": "https://app.example"}}, frozenset({"https://app.example"}))
        {'Access-Control-Allow-Origin': 'https://app.example', 'Vary': 'Origin'}
        >>> cors_headers({"headers": {"Origin": "https://evil.example"}}, frozenset({"https://app.example"}))
        {}
    """
    headers = event.get("headers")
    if not allowed or not isinstance(headers, Mapping):
        return {}
    origin = next((v for k, v in headers.items() if str(k).lower() == "origin"), None)
    if not isinstance(origin, str) or origin not in allowed:
        return {}
    return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
