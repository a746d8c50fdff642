"""The mutant generator: each kind of flip is found where it should be, applied as intended, and nowhere else."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from mutants import KINDS, Mutant, find, find_in, shuffled

ROOT = Path(__file__).resolve().parents[2]


def _mutated(source: str) -> set[tuple[str, str]]:
    """(kind, mutated line) of every mutant of ``source``."""
    source = textwrap.dedent(source)
    return {(m.kind, m.after(source)) for m in find("m.py", source)}


@pytest.mark.parametrize(("line", "mutated"), [
    ("x = a < b", "x = a <= b"), ("x = a <= b", "x = a < b"),
    ("x = a > b", "x = a >= b"), ("x = a >= b", "x = a > b"),
    ("x = a == b", "x = a != b"), ("x = a != b", "x = a == b"),
    ("x = a is None", "x = a is not None"), ("x = a is not None", "x = a is None"),
    ("x = a in b", "x = a not in b"), ("x = a not in b", "x = a in b"),
])
def test_a_comparison_flips_to_its_neighbour(line: str, mutated: str) -> None:
    assert _mutated(line) == {("comparison", mutated)}


def test_each_comparison_of_a_chain_flips_alone() -> None:
    assert _mutated("ok = 0.0 <= ts - last < limit") >= {
        ("comparison", "ok = 0.0 < ts - last < limit"), ("comparison", "ok = 0.0 <= ts - last <= limit")}


@pytest.mark.parametrize(("line", "mutated"), [
    ("x = a + b", "x = a - b"), ("x = a - b", "x = a + b"), ("x = a * b", "x = a / b"),
    ("x = a / b", "x = a * b"), ("x = a // b", "x = a / b"), ("x = a % b", "x = a / b"),
    ("x = a ** b", "x = a * b"), ("x += b", "x -= b"), ("x -= b", "x += b"), ("x *= b", "x /= b"),
    ("x = -a", "x = a"),
])
def test_an_arithmetic_operator_flips(line: str, mutated: str) -> None:
    assert _mutated(line) == {("arithmetic", mutated)}


def test_the_operator_is_found_between_parenthesised_operands() -> None:
    assert ("arithmetic", "x = (a + b) / (c - d)") in _mutated("x = (a + b) * (c - d)")


@pytest.mark.parametrize(("line", "mutated"), [
    ("x = a and b", "x = a or b"), ("x = a or b", "x = a and b"), ("x = not a", "x = a"),
    ("x = True", "x = False"), ("x = False", "x = True"),
])
def test_a_boolean_flips(line: str, mutated: str) -> None:
    assert _mutated(line) == {("boolean", mutated)}


@pytest.mark.parametrize(("line", "mutated"), [
    ("x = 0", "x = 1"), ("x = 500", "x = 501"), ("x = 0.3", "x = 1.3"), ("x = 1e9", "x = 1000000001.0"),
    ("x = 'ceiling'", "x = 'XXceilingXX'"), ('x = ""', 'x = "XXXX"'), ("x = r'\\d'", "x = r'XX\\dXX'"),
    ('x = "a" "b"', 'x = "XXa" "bXX"'),
])
def test_a_constant_flips(line: str, mutated: str) -> None:
    assert _mutated(line) == {("constant", mutated)}


def test_a_negative_number_keeps_its_sign_and_moves_by_one() -> None:
    assert _mutated("x = -1") == {("constant", "x = -2")}


def test_every_kind_is_found_in_one_function_and_applied_to_its_line_only() -> None:
    source = textwrap.dedent("""\
        def spike(volume, n, total):
            if n >= 10 and volume * n > 3.0 * total:
                return True
            return None
        """)
    found = find("m.py", source)
    assert {m.kind for m in found} == set(KINDS)
    for m in found:
        mutated = m.apply(source).splitlines()
        assert mutated[:m.line - 1] + mutated[m.line:] == source.splitlines()[:m.line - 1] + source.splitlines()[m.line:]
        assert mutated[m.line - 1] != source.splitlines()[m.line - 1]


@pytest.mark.parametrize("source", [
    '"""A module docstring."""',
    'def f():\n    """A function docstring."""\n',
    "class C:\n    'A class docstring.'\n",
    "x: int",
    "def f(a: 'Quote' = None) -> 'int | None': pass",
    "log.warning('dropped %s', 1 + 2)",
    "logger.info('a' if a else 'b')",
    "x = f'{a} of {b}'",
    "__slots__ = ('_a', '_b')",
    "__all__ = ['f']",
    "parser.add_argument(x, help='help text')",
    "@dataclass(slots=True, frozen=True)\nclass C: pass",
    "class C(TypedDict, total=False): pass",
    "if __name__ == '__main__':\n    main(1)",
    "if TYPE_CHECKING:\n    X = 1",
    "x = a < b  # pragma: no mutate",
])
def test_what_is_no_behaviour_is_left_alone(source: str) -> None:
    assert _mutated(source) == set()


@pytest.mark.parametrize("source", ["x = 'a' + y", "x = [0] * n", "x += 'tail'"])
def test_string_concatenation_and_repetition_are_no_arithmetic(source: str) -> None:
    assert "arithmetic" not in {kind for kind, _ in _mutated(source)}


def test_only_the_expression_of_a_formatted_string_is_mutated() -> None:
    assert _mutated("x = f'{a + 1} shares'") == {("arithmetic", "x = f'{a - 1} shares'"),
                                                 ("constant", "x = f'{a + 2} shares'")}


def test_columns_count_characters_on_a_line_with_accents() -> None:
    source = "x = {'mua chủ động': a}; y = a < b\n"
    (mutant,) = [m for m in find("m.py", source) if m.kind == "comparison"]
    assert mutant.after(source) == "x = {'mua chủ động': a}; y = a <= b"


def test_a_mutant_applies_only_to_the_text_it_was_found_in() -> None:
    mutant = Mutant("m.py", 1, 6, 7, "<", "<=", "comparison")
    assert mutant.apply("x = a < b\n") == "x = a <= b\n"
    with pytest.raises(ValueError, match="m.py:1:6: expected '<', found '>'"):
        mutant.apply("x = a > b\n")


def test_every_mutant_of_the_tracker_compiles_and_every_kind_occurs() -> None:
    found = find_in(ROOT, sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob("tracker/**/*.py")))
    assert {m.kind for m in found} == set(KINDS)
    for m in found:
        compile(m.apply((ROOT / m.path).read_text(encoding="utf-8")), m.path, "exec")


def test_a_string_inside_a_formatted_string_keeps_its_quotes() -> None:
    assert _mutated("""x = f'{d["key"]} shares'""") == {("constant", """x = f'{d["XXkeyXX"]} shares'""")}


def test_the_order_is_random_and_given_by_the_seed() -> None:
    found = find("m.py", "x = a < b + 1 and c or d * 2.0 - e\n")
    assert shuffled(found, 3) == shuffled(list(reversed(found)), 3)
    assert shuffled(found, 3) != shuffled(found, 4)
    assert sorted(shuffled(found, 3)) == sorted(found)
