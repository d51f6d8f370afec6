"""Typed readers for environment variables: the one way every service's ``from_env`` reads them.

Each service has one ``<Service>Config.from_env(environ=None)`` (a frozen attrs class; ``None``
reads the process environment, so handlers pass nothing); it reads its variables with the
functions here, so every setting is read in one place, with one spelling of
"true", one list syntax and one error: a :class:`~feedback_core.errors.ConfigurationError` that
names the variable and what it accepts, raised at cold start rather than on the first request.

Examples:
    >>> env = {"MAX_BODY_BYTES": "1024", "VOTE_POLICY": "Replace", "NPS_QUESTIONS": "q1, q2"}
    >>> integer(env, "MAX_BODY_BYTES", default=65536, minimum=1)
    1024
    >>> choice(env, "VOTE_POLICY", ("reject", "replace"), default="reject")
    'replace'
    >>> sorted(names(env, "NPS_QUESTIONS"))
    ['q1', 'q2']
    >>> flag(env, "IDENTITY_FROM_BODY")
    False
    >>> try:
    ...     integer({"MAX_BODY_BYTES": "lots"}, "MAX_BODY_BYTES", default=1)
    ... except ConfigurationError as error:
    ...     print(error)
    MAX_BODY_BYTES must be a whole number, not 'lots'
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, TypeVar

from feedback_core.errors import ConfigurationError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__ = ["ConfigurationError", "choice", "flag", "integer", "names", "optional", "required"]

_C = TypeVar("_C", bound=str)


def _source(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    """The mapping to read: the one given (tests), or the process environment (handlers)."""
    return os.environ if environ is None else environ


_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off", ""})


def required(environ: Mapping[str, str] | None, name: str) -> str:
    """Return the variable's value, stripped; missing or blank is an error.

    Raises:
        ConfigurationError: ``name`` is not set, or is blank.

    Examples:
        >>> required({"VOTES_TABLE": " votes "}, "VOTES_TABLE")
        'votes'
    """
    environ = _source(environ)
    value = environ.get(name, "").strip()
    if not value:
        raise ConfigurationError(f"{name} must be set")
    return value


def optional(
    environ: Mapping[str, str] | None, name: str, default: str | None = None
) -> str | None:
    """Return the variable's value, stripped, or ``default`` when it is missing or blank.

    Examples:
        >>> optional({}, "COMPREHEND_REGION") is None
        True
    """
    environ = _source(environ)
    value = environ.get(name, "").strip()
    return value or default


def flag(environ: Mapping[str, str] | None, name: str, *, default: bool = False) -> bool:
    """Return a yes/no setting: ``true``/``1``/``yes``/``on`` or ``false``/``0``/``no``/``off``.

    Missing means ``default``; anything else is an error, so a typo never silently means "no".

    Raises:
        ConfigurationError: a value that is neither.

    Examples:
        >>> flag({"IDENTITY_FROM_BODY": "TRUE"}, "IDENTITY_FROM_BODY")
        True
    """
    environ = _source(environ)
    if name not in environ:
        return default
    value = environ[name].strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigurationError(f"{name} must be true or false, not {environ[name]!r}")


def integer(
    environ: Mapping[str, str] | None,
    name: str,
    *,
    default: int,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    """Return a whole-number setting within ``[minimum, maximum]``.

    Raises:
        ConfigurationError: not a whole number, or out of range.

    Examples:
        >>> integer({}, "MAX_BODY_BYTES", default=65536)
        65536
    """
    environ = _source(environ)
    text = environ.get(name, "").strip()
    if not text:
        value = default
    else:
        try:
            value = int(text, 10)
        except ValueError:
            raise ConfigurationError(f"{name} must be a whole number, not {text!r}") from None
    if minimum is not None and value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, not {value}")
    if maximum is not None and value > maximum:
        raise ConfigurationError(f"{name} must be at most {maximum}, not {value}")
    return value


def choice(
    environ: Mapping[str, str] | None, name: str, choices: Sequence[_C], *, default: _C
) -> _C:
    """Return one of ``choices`` (compared case-insensitively), or ``default`` when unset.

    Type ``choices`` as a tuple of ``Literal`` values and the result keeps that type.

    Raises:
        ConfigurationError: a value not among ``choices``.
    """
    environ = _source(environ)
    text = environ.get(name, "").strip().lower()
    if not text:
        return default
    for option in choices:
        if option.lower() == text:
            return option
    raise ConfigurationError(f"{name} must be one of {', '.join(choices)}, not {text!r}")


def names(environ: Mapping[str, str] | None, name: str) -> frozenset[str]:
    """Return a comma-separated list of names (blanks dropped), e.g. ``"onboarding, nps"``.

    Examples:
        >>> names({"X": " a, b ,,"}, "X") == {"a", "b"}
        True
    """
    environ = _source(environ)
    return frozenset(part.strip() for part in environ.get(name, "").split(",") if part.strip())
