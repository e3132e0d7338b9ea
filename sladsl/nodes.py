"""Frozen node classes for the syntax tree, built cheaply: attrs' spelling, no generated code.

`sladsl/ast.py` declares ~70 small frozen classes. With attrs each class costs about 1 ms to
create (attrs writes and compiles `__init__`, `__eq__`, `__hash__`, `__repr__` and a frozen
`__setattr__` per class), which made importing the syntax tree the largest part of a short
`sladsl check`. Here every node class shares one set of methods, defined once on `Node`, that read
the class's field table; making a class is a dictionary walk and one `type()` call.

The declarations keep attrs' spelling, so `ast.py` reads as before (and new nodes are written the
same way): `@frozen` (or `@frozen(order=True)`) on a class of annotated fields, and
`field(default=..., eq=False, repr=False, kw_only=True)` for a field left out of equality and
repr, such as a span. The classes behave as the attrs ones did: positional and keyword
construction with defaults, keyword-only fields, immutability (`FrozenInstanceError`),
equality and hashing by the compared fields of the same class, attrs' `Name(text='x')` repr,
`__slots__`, `__match_args__`, copy and pickle. `fields`, `has`, `evolve` and `asdict` stand in
for attrs' functions on them, and attrs' own functions work on them too (`__attrs_attrs__`).
tests/test_nodes.py checks each of these against attrs.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any, Callable, TypeVar, dataclass_transform, overload

__all__ = ["Field", "FrozenInstanceError", "Node", "asdict", "evolve", "field", "fields", "frozen", "has"]

_MISSING: Any = object()


class FrozenInstanceError(AttributeError):
    """A node is immutable (the message and the base class are attrs')."""

    msg = "can't set attribute"
    args: tuple[Any, ...] = ("can't set attribute",)


class Field:
    """One declared field: its name, default (or factory), and whether it counts in `==` and repr."""

    __slots__ = ("alias", "default", "eq", "factory", "kw_only", "name", "repr")
    # What attrs' own `fields`, `evolve` and `asdict` read of an attribute, so they work on node
    # classes too (each class also has `__attrs_attrs__`): code written for attrs keeps working.
    init = True
    inherited = False
    metadata: dict = {}
    type = None
    converter = None
    validator = None

    def __init__(self, default: Any = _MISSING, *, factory: Callable[[], Any] | None = None,
                 eq: bool = True, repr: bool = True, kw_only: bool = False) -> None:
        self.name = self.alias = ""
        self.default = default
        self.factory = factory
        self.eq = eq
        self.repr = repr
        self.kw_only = kw_only

    @property
    def required(self) -> bool:
        return self.default is _MISSING and self.factory is None


def field(*, default: Any = _MISSING, factory: Callable[[], Any] | None = None, eq: bool = True,
          repr: bool = True, kw_only: bool = False) -> Any:
    """A field with options (attrs' `field`): a default or factory, left out of `==` or repr."""
    return Field(default, factory=factory, eq=eq, repr=repr, kw_only=kw_only)


class Node:
    """The methods every node class shares; each reads its class's field table."""

    __slots__ = ()
    __node_fields__: tuple[Field, ...] = ()
    __node_positional__: tuple[str, ...] = ()
    # The compared fields' values as a tuple; called as `type(node).__node_key__(node)`.
    __node_key__: Callable[[Any], tuple] = staticmethod(lambda node: ())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        cls = type(self)
        positional = cls.__node_positional__
        if len(args) > len(positional):
            raise TypeError(f"{cls.__name__}() takes {len(positional)} positional arguments but "
                            f"{len(args)} were given")
        values = dict(zip(positional, args))
        for name, value in kwargs.items():
            if name in values:
                raise TypeError(f"{cls.__name__}() got multiple values for argument '{name}'")
            values[name] = value
        setter = object.__setattr__
        for spec in cls.__node_fields__:
            value = values.pop(spec.name, _MISSING)
            if value is _MISSING:
                if spec.factory is not None:
                    value = spec.factory()
                elif spec.default is _MISSING:
                    raise TypeError(f"{cls.__name__}() missing 1 required argument: '{spec.name}'")
                else:
                    value = spec.default
            setter(self, spec.name, value)
        if values:
            raise TypeError(f"{cls.__name__}() got an unexpected keyword argument '{next(iter(values))}'")

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError()

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        key = type(self).__node_key__
        return key(self) == key(other)

    def __hash__(self) -> int:
        return hash((self.__class__.__qualname__, *type(self).__node_key__(self)))

    def __repr__(self) -> str:
        shown = ", ".join(f"{spec.name}={getattr(self, spec.name)!r}"
                          for spec in self.__node_fields__ if spec.repr)
        return f"{self.__class__.__qualname__}({shown})"

    def __getstate__(self) -> tuple:
        return tuple(getattr(self, spec.name) for spec in self.__node_fields__)

    def __setstate__(self, state: tuple) -> None:
        for spec, value in zip(self.__node_fields__, state):
            object.__setattr__(self, spec.name, value)


class _Ordered(Node):
    """Comparison by the compared fields, in order (attrs' `order=True`)."""

    __slots__ = ()

    def _order_key(self, other: object) -> tuple[tuple, tuple] | None:
        if other.__class__ is not self.__class__:
            return None
        key = type(self).__node_key__
        return key(self), key(other)

    def __lt__(self, other: object) -> bool:
        keys = self._order_key(other)
        return NotImplemented if keys is None else keys[0] < keys[1]

    def __le__(self, other: object) -> bool:
        keys = self._order_key(other)
        return NotImplemented if keys is None else keys[0] <= keys[1]

    def __gt__(self, other: object) -> bool:
        keys = self._order_key(other)
        return NotImplemented if keys is None else keys[0] > keys[1]

    def __ge__(self, other: object) -> bool:
        keys = self._order_key(other)
        return NotImplemented if keys is None else keys[0] >= keys[1]


def _key_getter(names: tuple[str, ...]) -> Callable[[Any], tuple]:
    if not names:
        return lambda node: ()
    if len(names) == 1:
        get = attrgetter(names[0])
        return lambda node: (get(node),)
    return attrgetter(*names)  # a tuple already


def _build(cls: type, order: bool) -> type:
    """`cls` again as a Node class: its annotated fields become slots and the field table."""
    namespace = {k: v for k, v in cls.__dict__.items() if k not in ("__dict__", "__weakref__")}
    specs = []
    for name in namespace.get("__annotations__", {}):
        value = namespace.pop(name, _MISSING)
        spec = value if isinstance(value, Field) else Field(value)
        spec.name = spec.alias = name
        specs.append(spec)
    seen_default = False
    for spec in specs:
        if spec.kw_only:
            continue
        if not spec.required:
            seen_default = True
        elif seen_default:
            raise TypeError(f"{cls.__name__}: no mandatory field may follow one with a default "
                            f"(`{spec.name}`)")
    namespace["__slots__"] = tuple(s.name for s in specs)
    namespace["__node_fields__"] = namespace["__attrs_attrs__"] = tuple(specs)
    namespace["__node_positional__"] = tuple(s.name for s in specs if not s.kw_only)
    namespace["__match_args__"] = namespace["__node_positional__"]
    namespace["__node_key__"] = staticmethod(_key_getter(tuple(s.name for s in specs if s.eq)))
    bases = tuple(b for b in cls.__bases__ if b is not object) or (_Ordered if order else Node,)
    if order and _Ordered not in bases:
        bases = (*bases, _Ordered)
    return type(cls.__name__, bases, namespace)


_C = TypeVar("_C", bound=type)


@overload
def frozen(cls: _C, *, order: bool = False) -> _C: ...


@overload
def frozen(cls: None = None, *, order: bool = False) -> Callable[[_C], _C]: ...


@dataclass_transform(eq_default=True, order_default=False, kw_only_default=False,
                     field_specifiers=(field, Field))
def frozen(cls: type | None = None, *, order: bool = False) -> Any:
    """`@frozen` / `@frozen(order=True)`: an immutable node class (attrs' `frozen`).

    Type checkers read it as they read attrs' and dataclasses' decorators (PEP 681)."""
    if cls is None:
        return lambda inner: _build(inner, order)
    return _build(cls, order)


def has(cls: type) -> bool:
    """Whether `cls` is a node class (attrs' `has`)."""
    return isinstance(cls, type) and issubclass(cls, Node) and cls is not Node and cls is not _Ordered


def fields(cls: type) -> tuple[Field, ...]:
    """The declared fields of a node class, in order (attrs' `fields`: each has `.name`)."""
    if not has(cls):
        raise TypeError(f"{cls!r} is not a node class")
    return cls.__node_fields__  # type: ignore[attr-defined, no-any-return]


def evolve(node: Any, **changes: Any) -> Any:
    """A copy of `node` with some fields changed (attrs' `evolve`)."""
    values = {spec.name: getattr(node, spec.name) for spec in fields(type(node))}
    unknown = set(changes) - set(values)
    if unknown:
        raise TypeError(f"{type(node).__name__} has no field {sorted(unknown)[0]!r}")
    values.update(changes)
    return type(node)(**values)


def asdict(node: Any, *, recurse: bool = True) -> dict[str, Any]:
    """The fields of `node` by name (attrs' `asdict`); nested nodes too unless `recurse=False`."""
    out = {}
    for spec in fields(type(node)):
        value = getattr(node, spec.name)
        if recurse:
            value = _as_data(value)
        out[spec.name] = value
    return out


def _as_data(value: Any) -> Any:
    if has(type(value)):
        return asdict(value)
    if isinstance(value, (tuple, list)):
        return type(value)(_as_data(v) for v in value)
    return value
