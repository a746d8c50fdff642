"""One step library for two runners: each step is written once and registered into pytest-bdd and behave.

A step module (steps/<domain concept>.py; never one module per feature):

    from __future__ import annotations

    from support.bdd import given, then, when
    from support.world import World

    @given("the best bid for {symbol:Symbol} is {bid:Number} and the best ask is {ask:Number}")
    def _(world: World, symbol: str, bid: float, ask: float) -> None:
        world.market.quote(symbol, bid=bid, ask=ask)

    @given("the exchange reports VN30 at {value:Number}")      # one sentence, two step types:
    @when("the exchange reports VN30 at {value:Number}")       # stack the decorators
    def _(world: World, value: float) -> None: ...

    @when("the exchange reports these trades:")
    def _(world: World, table: list[dict[str, str]]) -> None:  # a data table, as row dicts
        ...

Rules, checked when a module is imported: the first parameter is the world; the others are
exactly the pattern's named placeholders, plus `table` (data table) or `docstring`. Patterns
are `parse` formats, case-sensitive in both runners, with the types of support/parse_types.py.
A pattern is defined once; one that would shadow or be shadowed by another is refused (behave
would call it ambiguous). Raise support.errors.ScenarioSkip to skip the scenario with a reason.

Binding: the root conftest.py calls `bind_pytest()` (imports steps/*.py and creates pytest-bdd
step fixtures in the conftest); the root environment.py calls `bind_behave()` before behave
executes steps/*.py itself.
"""

from __future__ import annotations

import functools
import importlib.util
import inspect
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

import parse  # type: ignore[import-untyped]

from support.errors import ScenarioSkip
from support.parse_types import TYPES

StepKind = Literal["given", "when", "then", "step"]
F = TypeVar("F", bound=Callable[..., Any])

TABLE, DOCSTRING = "table", "docstring"
UNDEFINED_HINT = (
    "Define the step once, in the steps/ module of its domain concept, with "
    "support.bdd.given/when/then (see the usage at the top of support/bdd.py), or reword it "
    "to match an existing step (`behave --dry-run -f steps.usage` lists them).")


class StepDefinitionError(Exception):
    """A step definition that cannot work: bad pattern, wrong parameters, duplicate or ambiguous."""


@dataclass(frozen=True)
class StepDefinition:
    kind: StepKind
    pattern: str
    func: Callable[..., Any]
    placeholders: tuple[str, ...]
    wants_table: bool
    wants_docstring: bool

    @property
    def location(self) -> str:
        code = inspect.unwrap(self.func).__code__
        return f"{code.co_filename}:{code.co_firstlineno}"

    def parse(self, text: str) -> parse.Result | None:
        result = compile_pattern(self.pattern).parse(text)
        return result if isinstance(result, parse.Result) else None

    def overlaps(self, other: StepDefinition) -> bool:
        """Could a step be matched by both (what behave calls ambiguous)?"""
        if "step" not in (self.kind, other.kind) and self.kind != other.kind:
            return False
        return (self.pattern == other.pattern or self.parse(other.pattern) is not None
                or other.parse(self.pattern) is not None)


_DEFINITIONS: list[StepDefinition] = []
_BINDERS: list[Callable[[StepDefinition], None]] = []


@functools.cache
def compile_pattern(pattern: str) -> parse.Parser:
    return parse.compile(pattern, extra_types=TYPES, case_sensitive=True)


def given(pattern: str) -> Callable[[F], F]:
    return _decorator("given", pattern)


def when(pattern: str) -> Callable[[F], F]:
    return _decorator("when", pattern)


def then(pattern: str) -> Callable[[F], F]:
    return _decorator("then", pattern)


def step(pattern: str) -> Callable[[F], F]:
    """A step for any keyword (use sparingly: it also matches as a Then)."""
    return _decorator("step", pattern)


def definitions() -> Sequence[StepDefinition]:
    return tuple(_DEFINITIONS)


def find(kind: str, text: str) -> list[StepDefinition]:
    """Every definition that matches a step of this keyword (given/when/then) and text."""
    return [d for d in _DEFINITIONS if d.kind in (kind, "step") and d.parse(text) is not None]


def table_rows(rows: Sequence[Sequence[str]]) -> list[dict[str, str]]:
    """A data table (first row = headings) as one dict per row."""
    if not rows:
        return []
    headings = [str(cell) for cell in rows[0]]
    return [dict(zip(headings, (str(cell) for cell in row), strict=True)) for row in rows[1:]]


def _decorator(kind: StepKind, pattern: str) -> Callable[[F], F]:
    def register(func: F) -> F:
        definition = _define(kind, pattern, func)
        for existing in _DEFINITIONS:
            if existing.pattern == pattern and existing.kind == kind and existing.location == definition.location:
                return func  # the same module executed again: nothing new
            if existing.overlaps(definition):
                raise StepDefinitionError(
                    f"step {pattern!r} ({kind}) at {definition.location} collides with "
                    f"{existing.pattern!r} ({existing.kind}) at {existing.location}: "
                    "one sentence, one definition")
        _DEFINITIONS.append(definition)
        for bind in _BINDERS:
            bind(definition)
        return func
    return register


def _define(kind: StepKind, pattern: str, func: Callable[..., Any]) -> StepDefinition:
    where = f"{func.__code__.co_filename}:{func.__code__.co_firstlineno}"
    try:
        parser = compile_pattern(pattern)
    except (ValueError, KeyError) as error:
        raise StepDefinitionError(f"{where}: bad step pattern {pattern!r}: {error}") from None
    if parser.fixed_fields:
        raise StepDefinitionError(f"{where}: name every placeholder in {pattern!r} ({{symbol}}, not {{}})")
    names = list(inspect.signature(func).parameters)
    if not names:
        raise StepDefinitionError(f"{where}: the first parameter of a step is the world")
    placeholders = tuple(parser.named_fields)
    wanted = [name for name in names[1:] if name not in (TABLE, DOCSTRING)]
    if sorted(wanted) != sorted(placeholders):
        raise StepDefinitionError(
            f"{where}: parameters {wanted} do not match the placeholders {list(placeholders)} of {pattern!r}")
    return StepDefinition(kind, pattern, func, placeholders, TABLE in names, DOCSTRING in names)


def _call(definition: StepDefinition, world: Any, placeholders: Mapping[str, Any],
          table: Sequence[Sequence[str]] | None, docstring: str | None) -> None:
    kwargs = dict(placeholders)
    if definition.wants_table:
        if table is None:
            raise StepDefinitionError(f"step {definition.pattern!r} needs a data table under it")
        kwargs[TABLE] = table_rows(table)
    if definition.wants_docstring:
        if docstring is None:
            raise StepDefinitionError(f"step {definition.pattern!r} needs a doc string under it")
        kwargs[DOCSTRING] = docstring
    definition.func(world, **kwargs)


# -- pytest-bdd -------------------------------------------------------------------------------
def bind_pytest(steps_dir: str | Path | None = None) -> None:
    """Import steps/*.py and create a pytest-bdd step fixture for each step in the CALLER's module.

    Call it at module level of the root conftest.py: pytest-bdd puts step fixtures into the
    module found `stacklevel` frames up from its decorator, which here is that conftest.
    """
    from pytest_bdd import given as pb_given
    from pytest_bdd import parsers
    from pytest_bdd import step as pb_step
    from pytest_bdd import then as pb_then
    from pytest_bdd import when as pb_when

    caller = sys._getframe(1).f_globals
    caller["pytest_bdd_step_func_lookup_error"] = _explain_undefined  # a hook of that conftest
    caller_file = caller.get("__file__", "conftest.py")
    import_step_modules(Path(steps_dir) if steps_dir else Path(caller_file).resolve().parent / "steps")
    decorators: dict[str, Callable[..., Callable[[Callable[..., None]], object]]] = {
        "given": pb_given, "when": pb_when, "then": pb_then, "step": pb_step}
    for definition in _DEFINITIONS:
        parser = parsers.parse(definition.pattern, extra_types=TYPES, case_sensitive=True)
        # frames: pytest-bdd's lookup <- its decorator <- bind_pytest <- the conftest module
        decorators[definition.kind](parser, stacklevel=2)(_pytest_step(definition))


def _explain_undefined(exception: Exception) -> None:
    """pytest-bdd fails an undefined step already; say what to do about it."""
    exception.args = (f"{exception.args[0]}\n{UNDEFINED_HINT}", *exception.args[1:])


def import_step_modules(steps_dir: Path) -> None:
    """Import every steps/*.py as `steps.<name>` (sub-folders are ignored, as behave >= 1.3.2 does)."""
    for path in sorted(steps_dir.glob("*.py")):
        name = f"steps.{path.stem}"
        if name in sys.modules or path.stem == "__init__":
            continue
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot import step module {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)


def _pytest_step(definition: StepDefinition) -> Callable[..., None]:
    import pytest

    def run(world: Any, datatable: Sequence[Sequence[str]] | None = None, docstring: str | None = None,
            **placeholders: Any) -> None:
        try:
            _call(definition, world, placeholders, datatable, docstring)
        except ScenarioSkip as skip:
            pytest.skip(str(skip))

    positional = inspect.Parameter.POSITIONAL_OR_KEYWORD
    parameters = [inspect.Parameter("world", positional)]
    parameters += [inspect.Parameter(name, positional) for name in definition.placeholders]
    if definition.wants_table:
        parameters.append(inspect.Parameter("datatable", positional, default=None))
    if definition.wants_docstring:
        parameters.append(inspect.Parameter("docstring", positional, default=None))
    run.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    run.__name__ = run.__qualname__ = getattr(definition.func, "__name__", "step")
    run.__doc__ = definition.func.__doc__
    return run


# -- behave -----------------------------------------------------------------------------------
def bind_behave() -> None:
    """Register every step (those defined so far and those to come) into behave's registry."""
    import behave  # type: ignore[import-untyped]

    behave.register_type(**TYPES)

    def bind(definition: StepDefinition) -> None:
        # behave's own decorators, as a step module would use them: behave's main swaps the module
        # attribute step_registry.registry for a fresh one, while the runner keeps the one these use
        getattr(behave, definition.kind)(definition.pattern)(_behave_step(definition))

    if bind_behave not in _BOUND:
        _BOUND.append(bind_behave)
        for definition in _DEFINITIONS:
            bind(definition)
        _BINDERS.append(bind)


_BOUND: list[Callable[[], None]] = []


def explain_undefined(scenario: Any) -> None:
    """behave (after_scenario): fails undefined steps already; say what to do about each one."""
    for undefined in (s for s in scenario.all_steps if s.status.name == "undefined"):
        print(f"UNDEFINED STEP: {undefined.keyword} {undefined.name} ({undefined.location}). {UNDEFINED_HINT}",
              file=sys.stderr)


def _behave_step(definition: StepDefinition) -> Callable[..., None]:
    @functools.wraps(definition.func)  # behave reports the location of the wrapped function
    def run(context: Any, **placeholders: Any) -> None:
        table = context.table
        rows = None if table is None else [list(table.headings)] + [list(row.cells) for row in table]
        try:
            _call(definition, context.world, placeholders, rows, context.text)
        except ScenarioSkip as skip:
            context.scenario.skip(reason=str(skip))

    return run
