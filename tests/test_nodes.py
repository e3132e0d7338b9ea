"""sladsl.nodes builds classes that behave as attrs' frozen classes (sladsl/ast.py relies on it).

The same declarations are built by attrs and by sladsl.nodes, and every behaviour the compiler
or its tests can meet is compared: construction, errors, equality and hashing, repr, ordering,
immutability, copy and pickle, and attrs' own functions on the node classes.
"""

from __future__ import annotations

import copy
import pickle

import attrs
import pytest

from sladsl import ast, nodes


def declare(builder):
    @builder.frozen(order=True)
    class Where:
        file: str
        line: int

    @builder.frozen
    class Thing:
        text: str
        count: int
        label: str | None = None
        tags: tuple = builder.field(factory=tuple)
        where: Where = builder.field(default=Where("<none>", 0), eq=False, repr=False, kw_only=True)

    return Where, Thing


A_WHERE, A_THING = declare(attrs)
N_WHERE, N_THING = declare(nodes)
CALLS = [
    (("a", 1), {}),
    (("a", 1, "l"), {}),
    (("a", 1), {"label": "l", "tags": ("x",)}),
    ((), {"text": "a", "count": 2, "where": "W"}),
    (("a",), {"count": 3, "where": "V"}),
]
BAD_CALLS = [
    (("a",), {}),  # missing
    (("a", 1, "l", (), "extra"), {}),  # too many (where is keyword-only)
    (("a", 1), {"colour": 1}),  # unknown
    (("a", 1), {"text": "b"}),  # twice
]


def both(args, kwargs):
    def build(where_cls, thing_cls):
        kw = dict(kwargs)
        if kw.get("where") in ("W", "V"):
            kw["where"] = where_cls(kw["where"], 1)
        return thing_cls(*args, **kw)

    return build(A_WHERE, A_THING), build(N_WHERE, N_THING)


@pytest.mark.parametrize(("args", "kwargs"), CALLS)
def test_construction_fields_and_repr(args, kwargs) -> None:
    made_by_attrs, made_by_nodes = both(args, kwargs)
    for name in ("text", "count", "label", "tags"):
        assert getattr(made_by_nodes, name) == getattr(made_by_attrs, name)
    assert repr(made_by_nodes) == repr(made_by_attrs)
    assert made_by_nodes.where.file == made_by_attrs.where.file


@pytest.mark.parametrize(("args", "kwargs"), BAD_CALLS)
def test_bad_construction_is_a_type_error_in_both(args, kwargs) -> None:
    with pytest.raises(TypeError):
        A_THING(*args, **kwargs)
    with pytest.raises(TypeError):
        N_THING(*args, **kwargs)


def test_equality_and_hash_follow_the_compared_fields() -> None:
    pairs = [both(a, k) for a, k in CALLS]
    for i, (a1, n1) in enumerate(pairs):
        for j, (a2, n2) in enumerate(pairs):
            assert (n1 == n2) == (a1 == a2), (i, j)
            assert (n1 != n2) == (a1 != a2), (i, j)
            if n1 == n2:
                assert hash(n1) == hash(n2)
    assert N_THING("a", 1) != A_THING("a", 1)  # another class is never equal
    assert N_THING("a", 1) != ("a", 1)
    assert len({N_THING("a", 1), N_THING("a", 1, where=N_WHERE("x", 9))}) == 1  # span-like left out


def test_order_and_immutability() -> None:
    assert (N_WHERE("a", 1) < N_WHERE("a", 2)) and (N_WHERE("b", 0) > N_WHERE("a", 9))
    assert sorted([N_WHERE("b", 1), N_WHERE("a", 2), N_WHERE("a", 1)]) == [
        N_WHERE("a", 1), N_WHERE("a", 2), N_WHERE("b", 1)]
    with pytest.raises(TypeError):
        N_WHERE("a", 1) < A_WHERE("a", 1)  # noqa: B015
    thing = N_THING("a", 1)
    with pytest.raises(AttributeError):
        thing.text = "b"
    with pytest.raises(AttributeError):
        del thing.text
    with pytest.raises(AttributeError):
        thing.other = 1  # slots: no stray attributes
    assert not hasattr(thing, "__dict__")


def test_copy_pickle_and_match_args() -> None:
    span = ast.Span("f.sla", 1, 2, 1, 5)
    node = ast.Plan(ast.Name("Gold", span=span), (), (ast.Prose("note", "text", span=span),), span=span)
    for twin in (copy.copy(node), copy.deepcopy(node), pickle.loads(pickle.dumps(node))):
        assert twin == node and twin.span == span and twin.name.span == span
    assert ast.Plan.__match_args__ == ("name", "includes", "body")


def test_attrs_functions_work_on_node_classes() -> None:
    name = ast.Name("x", span=ast.Span("f", 1, 1, 1, 2))
    assert attrs.has(ast.Name) and nodes.has(ast.Name) and not nodes.has(int)
    assert [f.name for f in attrs.fields(ast.Name)] == [f.name for f in nodes.fields(ast.Name)] == ["text", "span"]
    for evolve in (attrs.evolve, nodes.evolve):
        changed = evolve(name, text="y")
        assert changed.text == "y" and changed.span == name.span and type(changed) is ast.Name
    assert nodes.asdict(name, recurse=False) == {"text": "x", "span": name.span}
    with pytest.raises(TypeError):
        nodes.evolve(name, colour=1)


def test_every_syntax_tree_class_is_a_node_class() -> None:
    classes = [v for v in vars(ast).values() if isinstance(v, type) and v.__module__ == ast.__name__]
    assert len(classes) > 50
    assert all(nodes.has(cls) for cls in classes)


def test_a_mandatory_field_after_a_default_is_refused_as_attrs_does() -> None:
    with pytest.raises(ValueError):
        @attrs.frozen
        class Bad:
            a: int = 1
            b: int

    with pytest.raises(TypeError):
        @nodes.frozen
        class AlsoBad:
            a: int = 1
            b: int
