"""Typed records decoded from JSON with every field error reported at once.

A schema is an attrs class that derives from :class:`Record`; its annotations give the types and
:func:`~feedback_core.ingest.field` gives the limits. The first decode compiles the class into a
chain of small checkers, so later decodes do no reflection.

Decoding rules, the same for every schema:

- a boolean is not a number, and a number is not a string;
- integers must be JSON integers; a JSON number with a fraction or exponent becomes an exact
  ``Decimal`` from its own text (never a binary float), and is refused where an integer is due;
- NaN, Infinity and numbers beyond DynamoDB's 38 digits are refused;
- strings are NFC-normalized and trimmed before their length is measured, and must not be empty
  unless the field says ``min_length=0``; control characters
  (tabs and line breaks too, unless the field is ``multiline``) and lone surrogates are refused;
- ``null`` for an optional field means "absent"; for a required field it is an error;
- unknown fields follow the class's ``unknown_fields`` policy: ``"reject"`` (the default, so a
  misspelt field is reported rather than silently lost) or ``"ignore"``.

(Longer than most modules: the checkers, the decoder source generator and :class:`Record` share
private state, and the generated decoder must reproduce the checkers' rules exactly; keeping
them side by side is what makes that reviewable.)
"""

from __future__ import annotations

import decimal
import re
import types
import typing
import unicodedata
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar, Final, Literal, Self, TypeAlias

import attrs
import orjson

from feedback_core.errors import FieldError, ValidationError
from feedback_core.ingest.fields import METADATA_KEY, Constraints
from feedback_core.ingest.jsonbody import parse_exact, parse_fast
from feedback_core.ingest.problems import dumps

if TYPE_CHECKING:
    from feedback_core.attributes import AttributeMap

__all__ = ["Record", "camel_case"]

# Text that must never be stored: C0/C1 controls and lone surrogates (which break UTF-8 output).
# (Compiled on first use: their surrogate range makes each cost about a millisecond at import.)
_CONTROL_ANY: Final = "[\x00-\x1f\x7f-\x9f\ud800-\udfff]"
_CONTROL_MULTILINE: Final = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]"
# DynamoDB numbers: at most 38 significant digits, magnitude within 1E-130 .. 9.99E+125.
_MAX_DIGITS: Final = 38
_MAX_INT: Final = 10**_MAX_DIGITS - 1
_MIN_EXPONENT: Final = -130
_MAX_EXPONENT: Final = 125
# normalize() rounds to its context's precision (28 digits by default); this context never rounds
# a number that DynamoDB could hold, so too many digits are reported instead of silently cut.
_EXACT: Final = decimal.Context(prec=1000, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)


class _Invalid:
    """The marker a checker returns after it has recorded an error."""


_INVALID: Final = _Invalid()


class _NeedExact(Exception):  # noqa: N818  # a control-flow signal, not an error
    """A checker met a binary float: the body must be re-read with exact numbers."""


Checker: TypeAlias = Callable[[object, str, list[FieldError]], object]


def camel_case(name: str) -> str:
    """Return the camelCase wire name of a snake_case attribute name.

    Examples:
        >>> camel_case("customer_id")
        'customerId'
    """
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _control_pattern(*, multiline: bool) -> re.Pattern[str]:
    """The characters a string field refuses (``re`` caches the compiled pattern)."""
    return re.compile(_CONTROL_MULTILINE if multiline else _CONTROL_ANY)


def _pointer_token(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


_new_error = object.__new__
_set_pointer = vars(FieldError)["pointer"].__set__  # the attrs slot descriptors
_set_code = vars(FieldError)["code"].__set__
_set_message = vars(FieldError)["message"].__set__


def _err(errors: list[FieldError], pointer: str, code: str, message: str) -> _Invalid:
    # Invalid bodies are a hot path too (bots, broken clients): set FieldError's slots directly
    # rather than through the frozen class's __init__, which costs twice as much.
    error = _new_error(FieldError)
    _set_pointer(error, pointer)
    _set_code(error, code)
    _set_message(error, message)
    errors.append(error)
    return _INVALID


def _string_checker(c: Constraints, *, max_length: int | None = None) -> Checker:
    control = _control_pattern(multiline=c.multiline)
    min_length = c.min_length if c.min_length is not None else 1
    limit = max_length if max_length is not None else c.max_length
    pattern = c.pattern
    choices = c.choices

    def check(value: object, pointer: str, errors: list[FieldError]) -> object:  # noqa: PLR0911
        if type(value) is not str:
            return _err(errors, pointer, "type", "Must be a string.")
        if not value.isascii() and not unicodedata.is_normalized("NFC", value):
            value = unicodedata.normalize("NFC", value)
        if control.search(value) is not None:
            return _err(
                errors, pointer, "control_character", "Must not contain control characters."
            )
        value = value.strip()
        length = len(value)
        if length < min_length:
            if length == 0:
                return _err(errors, pointer, "empty", "Must not be empty.")
            return _err(errors, pointer, "min_length", f"Must be at least {min_length} characters.")
        if limit is not None and length > limit:
            return _err(errors, pointer, "max_length", f"Must be at most {limit} characters.")
        if pattern is not None and pattern.fullmatch(value) is None:
            return _err(errors, pointer, "pattern", "Is not in the expected format.")
        if choices is not None and value not in choices:
            allowed = ", ".join(sorted(choices))
            return _err(errors, pointer, "enum", f"Must be one of: {allowed}.")
        return value

    return check


def _range_error(
    errors: list[FieldError], pointer: str, number: int | Decimal, c: Constraints
) -> _Invalid | None:
    if c.ge is not None and number < c.ge:
        return _err(errors, pointer, "minimum", f"Must be at least {c.ge}.")
    if c.le is not None and number > c.le:
        return _err(errors, pointer, "maximum", f"Must be at most {c.le}.")
    return None


def _int_checker(c: Constraints) -> Checker:
    def check(value: object, pointer: str, errors: list[FieldError]) -> object:
        if type(value) is int:
            if -_MAX_INT <= value <= _MAX_INT:
                return _range_error(errors, pointer, value, c) or value
            return _err(errors, pointer, "out_of_range", "Has more than 38 digits.")
        if type(value) is float:
            raise _NeedExact
        return _err(errors, pointer, "type", "Must be an integer.")

    return check


def _exact_decimal(value: Decimal, pointer: str, errors: list[FieldError]) -> Decimal | _Invalid:
    if not value.is_finite():
        return _err(errors, pointer, "not_finite", "Must be a finite number.")
    value = value.normalize(_EXACT)
    if value.is_zero():
        return Decimal(0)
    digits = len(value.as_tuple().digits)
    if digits > _MAX_DIGITS:
        return _err(errors, pointer, "precision", "Has more than 38 significant digits.")
    if not _MIN_EXPONENT <= value.adjusted() <= _MAX_EXPONENT:
        return _err(errors, pointer, "out_of_range", "Is too large or too small to store.")
    return value


def _decimal_checker(c: Constraints) -> Checker:
    def check(value: object, pointer: str, errors: list[FieldError]) -> object:
        if type(value) is int:
            number: Decimal | _Invalid = Decimal(value)
        elif type(value) is Decimal:
            number = _exact_decimal(value, pointer, errors)
        elif type(value) is float:
            raise _NeedExact
        else:
            return _err(errors, pointer, "type", "Must be a number.")
        if isinstance(number, _Invalid):
            return number
        return _range_error(errors, pointer, number, c) or number

    return check


def _bool_checker(_: Constraints) -> Checker:
    def check(value: object, pointer: str, errors: list[FieldError]) -> object:
        if type(value) is bool:
            return value
        return _err(errors, pointer, "type", "Must be true or false.")

    return check


def _list_checker(c: Constraints, item: Checker, *, max_items: int | None = None) -> Checker:
    limit = max_items if max_items is not None else c.max_length
    min_items = c.min_length or 0

    def check(value: object, pointer: str, errors: list[FieldError]) -> object:
        if type(value) is not list:
            return _err(errors, pointer, "type", "Must be a list.")
        if limit is not None and len(value) > limit:
            return _err(errors, pointer, "max_items", f"Must have at most {limit} items.")
        if len(value) < min_items:
            return _err(errors, pointer, "min_items", f"Must have at least {min_items} items.")
        before = len(errors)
        result = tuple(item(v, f"{pointer}/{i}", errors) for i, v in enumerate(value))
        return _INVALID if len(errors) > before else result

    return check


def _scalar_union_checker(c: Constraints, members: tuple[object, ...]) -> Checker:
    """A value that may be one of several JSON kinds (a survey answer, say)."""
    by_kind: dict[type, Checker] = {}
    names: list[str] = []
    for member in members:
        if member is str:
            by_kind[str] = _string_checker(c, max_length=c.item_max_length)
            names.append("a string")
        elif member is bool:
            by_kind[bool] = _bool_checker(c)
            names.append("true or false")
        elif member is int:
            by_kind[int] = _int_checker(c)
            names.append("an integer")
        elif member is Decimal:
            decimal = _decimal_checker(c)
            by_kind[Decimal] = by_kind[float] = decimal
            by_kind.setdefault(int, decimal)
            names.append("a number")
        elif typing.get_origin(member) is tuple:
            (inner,) = typing.get_args(member)[:1]
            # The map's max_length counts its entries; a listed string's limit is item_max_length.
            item_c = attrs.evolve(c, choices=None, pattern=None, max_length=c.item_max_length)
            item = _checker_for(inner, item_c)
            by_kind[list] = _list_checker(c, item, max_items=c.max_items)
            names.append("a list")
        else:
            raise TypeError(f"unsupported union member {member!r}")
    message = "Must be " + ", ".join(names[:-1]) + " or " + names[-1] + "."
    decimal_kind = Decimal in by_kind

    def check(value: object, pointer: str, errors: list[FieldError]) -> object:
        checker = by_kind.get(type(value))
        if checker is None:
            return _err(errors, pointer, "type", message)
        result = checker(value, pointer, errors)
        # An integral decimal answer is stored as an integer, so it reads back the same.
        if decimal_kind and type(result) is Decimal and result == result.to_integral_value():
            return int(result)
        return result

    return check


def _map_checker(c: Constraints, value_checker: Checker) -> Checker:
    key_pattern = c.key_pattern
    limit = c.max_length
    min_keys = c.min_length or 0

    def check(value: object, pointer: str, errors: list[FieldError]) -> object:
        if type(value) is not dict:
            return _err(errors, pointer, "type", "Must be an object.")
        if limit is not None and len(value) > limit:
            return _err(errors, pointer, "max_items", f"Must have at most {limit} entries.")
        if len(value) < min_keys:
            return _err(errors, pointer, "min_items", f"Must have at least {min_keys} entries.")
        before = len(errors)
        result: dict[str, object] = {}
        for key, item in value.items():
            item_pointer = f"{pointer}/{_pointer_token(key)}"
            if key_pattern is not None and key_pattern.fullmatch(key) is None:
                _err(errors, item_pointer, "key_pattern", "This key is not in the expected format.")
                continue
            result[key] = value_checker(item, item_pointer, errors)
        return _INVALID if len(errors) > before else result

    return check


def _checker_for(annotation: object, c: Constraints) -> Checker:  # noqa: PLR0911  # one per kind
    if annotation is str:
        return _string_checker(c)
    if annotation is bool:
        return _bool_checker(c)
    if annotation is int:
        return _int_checker(c)
    if annotation is Decimal:
        return _decimal_checker(c)
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        # max_length counts the items; each string's own limit is item_max_length.
        items = attrs.evolve(c, min_length=None, max_length=c.item_max_length)
        return _list_checker(c, _checker_for(args[0], items))
    if origin in (dict, Mapping) and args[0] is str:
        return _map_checker(c, _checker_for(args[1], c))
    if origin in (types.UnionType, typing.Union):
        return _scalar_union_checker(c, args)
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return _record_checker(annotation)
    raise TypeError(f"feedback_core.ingest cannot decode fields of type {annotation!r}")


def _record_checker(cls: type[Record]) -> Checker:
    def check(value: object, pointer: str, errors: list[FieldError]) -> object:
        return _compiled(cls).build(value, pointer, errors)

    return check


class _Field(typing.NamedTuple):
    """One schema field as the decoder compiler sees it.

    (A NamedTuple rather than an attrs class: this is private, and costs a fifth of the import.)
    """

    name: str
    wire: str
    pointer: str
    required: bool
    default: object
    annotation: object
    constraints: Constraints
    checker: Checker
    to_python: Callable[[object], object]


def _from_stored(annotation: object) -> Callable[[object], object]:
    """How a value read back from DynamoDB regains the field's Python type."""
    origin = typing.get_origin(annotation)
    if annotation is Decimal:

        def to_decimal(value: object) -> object:
            return Decimal(value) if isinstance(value, int) else value

        return to_decimal
    if origin is tuple or origin in (types.UnionType, typing.Union):

        def to_tuple(value: object) -> object:
            return tuple(value) if isinstance(value, list) else value

        return to_tuple
    if origin in (dict, Mapping):
        convert = _from_stored(typing.get_args(annotation)[1])

        def to_dict(value: object) -> object:
            if isinstance(value, dict):
                return {k: convert(v) for k, v in value.items()}
            return value

        return to_dict
    if isinstance(annotation, type) and issubclass(annotation, Record):
        record_type = annotation

        def to_record(value: object) -> object:
            return record_type.from_stored(value) if isinstance(value, dict) else value

        return to_record
    return lambda value: value


class _Compiled:
    """A schema class turned into an ordered list of field checkers."""

    def __init__(self, cls: type[Record]) -> None:
        unknown_fields = cls.unknown_fields
        self.cls: type[Record] = cls
        if not attrs.has(cls):
            raise TypeError(f"{cls.__name__} must be an attrs class: @attrs.frozen(kw_only=True)")
        hints = typing.get_type_hints(cls)
        self.fields: list[_Field] = []
        for attribute in attrs.fields(cls):
            c = attribute.metadata.get(METADATA_KEY, Constraints())
            annotation = hints[attribute.name]
            required = attribute.default is attrs.NOTHING
            args = typing.get_args(annotation)
            if type(None) in args:  # "X | None": optional, checked as X
                rest = tuple(a for a in args if a is not type(None))
                annotation = rest[0] if len(rest) == 1 else typing.Union[rest]  # noqa: UP007  # built at run time
            wire = c.wire or camel_case(attribute.name)
            self.fields.append(
                _Field(
                    name=attribute.name,
                    wire=wire,
                    pointer="/" + _pointer_token(wire),
                    required=required,
                    default=None if required else _default_of(attribute),
                    annotation=annotation,
                    constraints=c,
                    checker=_checker_for(annotation, c),
                    to_python=_from_stored(annotation),
                )
            )
        self.wire_names = frozenset(f.wire for f in self.fields)
        self.reject_unknown = unknown_fields == "reject"
        self.unknown_errors: dict[str, FieldError] = {}

        self.build: Callable[[object, str, list[FieldError]], object] = _generate_build(
            self, top=False
        )
        self.build_top: Callable[[object, list[FieldError]], object] = _generate_build(
            self, top=True
        )
        self.build_clean: Callable[[object, list[FieldError]], object] = _generate_build(
            self, top=True, clean=True
        )


def _default_of(attribute: attrs.Attribute[object]) -> object:
    default = attribute.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]  # attrs.Factory is a class at run time
        raise TypeError(f"{attribute.name}: schema fields take plain defaults, not factories")
    return default


def _plain_slots(cls: type[Record]) -> bool:
    """Whether instances can be built by setting slots (no validators, converters or hooks)."""
    if not attrs.has(cls) or hasattr(cls, "__attrs_post_init__"):
        return False
    return all(
        a.validator is None
        and a.converter is None
        and isinstance(getattr(cls, a.name, None), types.MemberDescriptorType)
        for a in attrs.fields(cls)
    )


# The decoder of each schema is generated as Python source, the way attrs generates __init__:
# one straight-line function per class, with the string and integer checks (the bulk of most
# payloads) written inline, so a decode makes no per-field calls, loops or attribute look-ups.
# Three are generated: ``build`` for a record nested at any pointer; ``build_top`` for the whole
# body, where every pointer is known in advance, so each error it can report is a FieldError
# built once at compile time and only appended (invalid bodies are a hot path too: bots, broken
# clients); and ``build_clean``, the same for a body that cannot hold a control character (see
# _clean), which skips the per-string control scan (str.isprintable looks up every character).


class _Source:
    """The lines of one generated decoder, and the names they refer to."""

    def __init__(self, namespace: dict[str, object], *, top: bool, clean: bool) -> None:
        self.namespace = namespace
        self.top = top
        self.clean = clean
        self.lines: list[str] = []
        self.pointer = "''" if top else "pointer"

    def add(self, depth: int, *lines: str) -> None:
        self.lines += ["    " * depth + line for line in lines]

    def fail(self, depth: int, pointer: str, code: str, message: str) -> None:
        """Add the line that records one error at a pointer (relative to the record's)."""
        if self.top:
            name = f"E{len(self.namespace)}"
            self.namespace[name] = FieldError(pointer=pointer, code=code, message=message)
            self.add(depth, f"errors.append({name})")
        else:
            self.add(depth, f"_err(errors, pointer + {pointer!r}, {code!r}, {message!r})")

    def at(self, pointer: str) -> str:
        """The expression for a field's pointer, for a checker called from the source."""
        return repr(pointer) if self.top else f"pointer + {pointer!r}"


def _string_source(src: _Source, i: int, f: _Field) -> None:
    c = f.constraints
    min_length = c.min_length if c.min_length is not None else 1
    src.namespace[f"control{i}"] = _control_pattern(multiline=c.multiline).search
    src.add(2, "if type(raw) is not str:")
    src.fail(3, f.pointer, "type", "Must be a string.")
    src.add(
        2,
        "else:",
        '    if not raw.isascii() and not _is_normalized("NFC", raw):',
        '        raw = _normalize("NFC", raw)',
    )
    depth = 3
    if not src.clean:
        src.add(3, f"if not raw.isprintable() and control{i}(raw) is not None:")
        src.fail(4, f.pointer, "control_character", "Must not contain control characters.")
        src.add(3, "else:")
        depth = 4
    src.add(depth, "raw = raw.strip()", "size = len(raw)")
    # (condition, code, message) in the order _string_checker tests them.
    branches: list[tuple[str, str, str]] = []
    if min_length > 1:
        branches.append(("size == 0", "empty", "Must not be empty."))
        branches.append(
            (f"size < {min_length}", "min_length", f"Must be at least {min_length} characters.")
        )
    elif min_length == 1:
        branches.append(("size == 0", "empty", "Must not be empty."))
    if c.max_length is not None:
        branches.append(
            (f"size > {c.max_length}", "max_length", f"Must be at most {c.max_length} characters.")
        )
    if c.pattern is not None:
        src.namespace[f"p{i}"] = c.pattern.fullmatch
        branches.append((f"p{i}(raw) is None", "pattern", "Is not in the expected format."))
    if c.choices is not None:
        src.namespace[f"choices{i}"] = c.choices
        allowed = ", ".join(sorted(c.choices))
        branches.append((f"raw not in choices{i}", "enum", f"Must be one of: {allowed}."))
    for n, (condition, code, message) in enumerate(branches):
        src.add(depth, f"{'elif' if n else 'if'} {condition}:")
        src.fail(depth + 1, f.pointer, code, message)
    if branches:
        src.add(depth, "else:", f"    v{i} = raw")
    else:
        src.add(depth, f"v{i} = raw")


def _int_source(src: _Source, i: int, f: _Field) -> None:
    c = f.constraints
    src.namespace[f"lo{i}"] = max(c.ge, -_MAX_INT) if c.ge is not None else -_MAX_INT
    src.namespace[f"hi{i}"] = min(c.le, _MAX_INT) if c.le is not None else _MAX_INT
    src.add(2, f"if type(raw) is int and lo{i} <= raw <= hi{i}:", f"    v{i} = raw")
    # The order of _int_checker: a number beyond 38 digits is out of range before it is below
    # the minimum or above the maximum.
    if c.ge is not None:
        src.namespace[f"ge{i}"] = c.ge
        src.add(2, f"elif type(raw) is int and -{_MAX_INT} <= raw <= {_MAX_INT} and raw < ge{i}:")
        src.fail(3, f.pointer, "minimum", f"Must be at least {c.ge}.")
    if c.le is not None:
        src.namespace[f"le{i}"] = c.le
        src.add(2, f"elif type(raw) is int and -{_MAX_INT} <= raw <= {_MAX_INT} and raw > le{i}:")
        src.fail(3, f.pointer, "maximum", f"Must be at most {c.le}.")
    src.add(2, "elif type(raw) is not int and type(raw) is not float:")
    src.fail(3, f.pointer, "type", "Must be an integer.")
    src.add(2, "else:", f"    v{i} = check{i}(raw, {src.at(f.pointer)}, errors)")


_UNKNOWN_CACHE_SIZE: Final = 256


def _unknown_error(cache: dict[str, FieldError], key: str) -> FieldError:
    """The error for an unknown top-level field, kept for the next body that sends it too."""
    error = FieldError(
        pointer="/" + _pointer_token(key),
        code="unknown_field",
        message="This field is not allowed.",
    )
    if len(cache) < _UNKNOWN_CACHE_SIZE and len(key) <= 64:  # bounded: keys come from clients
        cache[key] = error
    return error


def _unknown_source(src: _Source, compiled: _Compiled) -> None:
    src.add(1, "if seen != len(data):", "    for key in data:", "        if key not in wire_names:")
    if src.top:
        src.namespace["unknown"] = compiled.unknown_errors
        src.namespace["_unknown_error"] = _unknown_error
        src.add(
            4,
            "error = unknown.get(key)",
            "errors.append(_unknown_error(unknown, key) if error is None else error)",
        )
    else:
        src.add(
            4,
            "_err(errors, pointer + '/' + _pointer_token(key), 'unknown_field',"
            " 'This field is not allowed.')",
        )


def _generate_build(
    compiled: _Compiled, *, top: bool, clean: bool = False
) -> Callable[..., object]:
    src = _Source(
        {
            "_err": _err,
            "_INVALID": _INVALID,
            "_is_normalized": unicodedata.is_normalized,
            "_normalize": unicodedata.normalize,
            "_pointer_token": _pointer_token,
            "cls": compiled.cls,
            "wire_names": compiled.wire_names,
        },
        top=top,
        clean=clean,
    )
    name = "build_clean" if clean else "build_top" if top else "build"
    src.add(0, f"def {name}(data, errors):" if top else "def build(data, pointer, errors):")
    src.add(1, "if type(data) is not dict:")
    src.fail(2, "", "type", "Must be a JSON object.")
    src.add(2, "return _INVALID")
    if not top:  # (the whole body's errors list holds only errors of this decode)
        src.add(1, "before = len(errors)")
    src.add(1, "seen = 0")
    for i, f in enumerate(compiled.fields):
        src.namespace[f"check{i}"] = f.checker
        src.add(1, f"raw = data.get({f.wire!r})", "if raw is None:")
        src.add(2, f"if {f.wire!r} in data:", "    seen += 1")
        if f.required:  # (no value is read after an error: the decoder returns _INVALID)
            src.fail(2, f.pointer, "required", "This field is required.")
        else:
            src.namespace[f"default{i}"] = f.default
            src.add(2, f"v{i} = default{i}")
        src.add(1, "else:", "    seen += 1")
        if f.annotation is str:
            _string_source(src, i, f)
        elif f.annotation is int:
            _int_source(src, i, f)
        else:
            src.add(2, f"v{i} = check{i}(raw, {src.at(f.pointer)}, errors)")
    if compiled.reject_unknown:
        _unknown_source(src, compiled)
    src.add(1, "if errors:" if top else "if len(errors) > before:", "    return _INVALID")
    if _plain_slots(compiled.cls):
        # Set the slots directly, as attrs' own __init__ does, minus its per-call set-up.
        src.namespace["_new"] = object.__new__
        src.add(1, "obj = _new(cls)")
        for i, f in enumerate(compiled.fields):
            src.namespace[f"set{i}"] = getattr(compiled.cls, f.name).__set__
            src.add(1, f"set{i}(obj, v{i})")
        src.add(1, "return obj")
    else:
        arguments = ", ".join(f"{f.name}=v{i}" for i, f in enumerate(compiled.fields))
        src.add(1, f"return cls({arguments})")
    source = "\n".join(src.lines) + "\n"
    code = compile(
        source, f"<feedback_core.ingest decoder for {compiled.cls.__qualname__}>", "exec"
    )
    exec(code, src.namespace)  # noqa: S102  # source built above from the schema, never from input
    build = src.namespace[name]
    assert callable(build)
    return build


_COMPILED: dict[type[Record], _Compiled] = {}
_loads = orjson.loads


def _compiled(cls: type[Record]) -> _Compiled:
    compiled = _COMPILED.get(cls)
    if compiled is None:
        compiled = _COMPILED[cls] = _Compiled(cls)
    return compiled


def _merge(
    data: object, server_fields: Mapping[str, object] | None
) -> tuple[object, list[FieldError]]:
    """Lay values the server knows (path parameters) over the body; a contradiction is an error."""
    if not server_fields or type(data) is not dict:
        return data, []
    errors = [
        FieldError(
            pointer="/" + _pointer_token(key),
            code="conflict",
            message="Does not match the value in the request path.",
        )
        for key, value in server_fields.items()
        if key in data and data[key] != value
    ]
    return {**data, **server_fields}, errors


def _mask(value: object) -> str:
    """Mask personal data, keeping an e-mail's first letter and domain for support work."""
    text = str(value)
    local, at, domain = text.partition("@")
    if at and local:
        return f"{local[0]}***@{domain}"
    return "***"


class Record:
    """The base of every schema: decode from JSON, convert to and from a DynamoDB item.

    Subclasses are ``@attrs.frozen(kw_only=True)`` classes whose attributes use
    :func:`~feedback_core.ingest.field`.

    Examples:
        >>> from feedback_core.ingest import Vote
        >>> body = b'{"userId": "u-1", "choice": "tabs"}'
        >>> vote = Vote.decode(body, server_fields={"pollId": "p1"})
        >>> vote.to_item()["choice"]
        {'S': 'tabs'}
    """

    __slots__ = ()
    unknown_fields: ClassVar[Literal["reject", "ignore"]] = "reject"

    @classmethod
    def decode(
        cls, body: bytes | str, *, server_fields: Mapping[str, object] | None = None
    ) -> Self:
        """Decode a JSON body into a record, reporting every field error at once.

        Args:
            body: The raw JSON text.
            server_fields: Wire-named values the server supplies (e.g. ``{"pollId": ...}`` from
                the path); a body that states a different value gets a ``conflict`` error.

        Raises:
            ValidationError: the body is not JSON, or breaks the schema.
        """
        try:
            data = _loads(body)
        except orjson.JSONDecodeError:
            data = parse_fast(body)  # raises the ValidationError that explains the problem
        # The common path, written out: no server fields, no floats, no errors.
        compiled = _COMPILED.get(cls) or _compiled(cls)
        if not server_fields:
            errors: list[FieldError] = []
            # A control character reaches a decoded string only through an escape (JSON forbids
            # raw C0 controls and orjson raw surrogates), a raw DEL or a raw C1 control (UTF-8
            # 0xC2 0x80-0x9F); a body with none of those bytes needs no per-string control scan.
            # (Searched for as integers: ``92 in body`` is a plain memchr, several times faster
            # than ``b"\\" in body``, which goes through the substring search.) A text body can
            # hold no C1 control if it is ASCII, which CPython knows without a scan.
            if type(body) is bytes:
                clean = 92 not in body and 127 not in body and 194 not in body  # \\ DEL 0xC2
            else:
                clean = body.isascii() and "\\" not in body and "\x7f" not in body
            build = compiled.build_clean if clean else compiled.build_top
            try:
                record = build(data, errors)
            except _NeedExact:
                return cls._decode_value(parse_exact(body), server_fields)
            if errors or not isinstance(record, cls):
                raise ValidationError.of(tuple(errors))
            return record
        try:
            return cls._decode_value(data, server_fields)
        except _NeedExact:
            return cls._decode_value(parse_exact(body), server_fields)

    @classmethod
    def from_json_value(
        cls, data: object, *, server_fields: Mapping[str, object] | None = None
    ) -> Self:
        """Validate an already-parsed JSON value (binary floats are read by their shortest text).

        Raises:
            ValidationError: the value breaks the schema.
        """
        try:
            return cls._decode_value(data, server_fields)
        except _NeedExact:
            return cls._decode_value(parse_exact(orjson.dumps(data)), server_fields)

    @classmethod
    def _decode_value(cls, data: object, server_fields: Mapping[str, object] | None) -> Self:
        if server_fields:
            data, errors = _merge(data, server_fields)
        else:
            errors = []
        compiled = _COMPILED.get(cls) or _compiled(cls)
        record = compiled.build_top(data, errors)
        if errors or not isinstance(record, cls):
            raise ValidationError(tuple(errors))
        return record

    def to_json(self) -> dict[str, object]:
        """Return the record as a JSON-ready dict with wire names; absent optionals are left out."""
        result: dict[str, object] = {}
        for f in _compiled(type(self)).fields:
            value = getattr(self, f.name)
            if value is None:
                continue
            result[f.wire] = value.to_json() if isinstance(value, Record) else value
        return result

    def to_log(self) -> dict[str, object]:
        """Return :meth:`to_json` with every ``sensitive`` field masked, for structured logs.

        Examples:
            >>> from feedback_core.ingest import Feedback
            >>> Feedback(name="Ana", email="ana@example.com", rating=5, message="ok").to_log()
            {'name': '***', 'email': 'a***@example.com', 'rating': 5, 'message': 'ok'}
        """
        result = self.to_json()
        for f in _compiled(type(self)).fields:
            if f.constraints.sensitive and f.wire in result:
                result[f.wire] = _mask(result[f.wire])
        return result

    def to_json_bytes(self) -> bytes:
        """Return the record as JSON bytes (Decimals written exactly)."""
        return dumps(self.to_json())

    def to_item(self) -> AttributeMap:
        """Return the record as a low-level DynamoDB item (AttributeValues; never a float)."""
        from feedback_core.attributes import to_item  # only handlers that store pay for it

        return to_item(self.to_json())

    @classmethod
    def from_item(cls, item: AttributeMap) -> Self:
        """Rebuild a record from the item :meth:`to_item` made (other attributes are ignored)."""
        from feedback_core.attributes import from_item

        return cls.from_stored(from_item(item))

    @classmethod
    def from_stored(cls, values: Mapping[str, object]) -> Self:
        """Rebuild a record from the Python values of a stored item, without re-validating."""
        fields = _compiled(cls).fields
        return cls(**{f.name: f.to_python(values[f.wire]) for f in fields if f.wire in values})
