"""Random faults for the tracker: every place one comparison, arithmetic, boolean or constant can flip.

A mutant is one small textual edit of one line, found through Python's ``ast`` and applied to the
source text (the rest of the file stays byte for byte, so lines keep their numbers):

    comparison  < to <=, <= to <, > to >=, >= to >, == to !=, != to ==, is to is not (and back),
                in to not in (and back)
    arithmetic  + to -, - to +, * to /, / to *, // to /, % to /, ** to *, the same in +=, -=, ...;
                a unary minus dropped
    boolean     and to or, or to and, `not` dropped, True to False, False to True
    constant    a number n to n + 1, a string s to "XXsXX"

Left alone, because a flip there is no fault of what the tracker does: docstrings, annotations,
f-string text, ``__slots__`` and ``__all__``, the arguments of logging calls, argparse's ``help=``,
``@dataclass(...)``'s options, base classes and their keywords, ``if __name__ == "__main__"`` and
``if TYPE_CHECKING`` blocks, string concatenation and repetition, and any line marked
``# pragma: no mutate``. A mutant that no longer compiles is never generated.
"""

from __future__ import annotations

import ast
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

KINDS = ("comparison", "arithmetic", "boolean", "constant")
PRAGMA = "# pragma: no mutate"

_COMPARISONS: dict[type[ast.cmpop], tuple[str, str]] = {
    ast.Lt: ("<", "<="), ast.LtE: ("<=", "<"), ast.Gt: (">", ">="), ast.GtE: (">=", ">"),
    ast.Eq: ("==", "!="), ast.NotEq: ("!=", "=="), ast.Is: ("is", "is not"), ast.IsNot: ("is not", "is"),
    ast.In: ("in", "not in"), ast.NotIn: ("not in", "in"),
}
_ARITHMETIC: dict[type[ast.operator], tuple[str, str]] = {
    ast.Add: ("+", "-"), ast.Sub: ("-", "+"), ast.Mult: ("*", "/"), ast.Div: ("/", "*"),
    ast.FloorDiv: ("//", "/"), ast.Mod: ("%", "/"), ast.Pow: ("**", "*"),
}
_BOOLEANS: dict[type[ast.boolop], tuple[str, str]] = {ast.And: ("and", "or"), ast.Or: ("or", "and")}
_LOGGERS = frozenset({"log", "logger", "logging"})
_SKIPPED_NAMES = frozenset({"__slots__", "__all__"})


@dataclass(frozen=True, order=True)
class Mutant:
    """Replace ``original`` by ``replacement`` at columns [col, end_col) of ``line`` (1-based) of ``path``."""

    path: str
    line: int
    col: int
    end_col: int
    original: str
    replacement: str
    kind: str

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def ident(self) -> str:
        """Names the mutant in a run: file, line, column."""
        return f"{self.path}:{self.line}:{self.col}"

    def apply(self, source: str) -> str:
        """The source with this mutant's edit; refuses a source whose text at the spot differs."""
        lines = source.split("\n")
        text = lines[self.line - 1]
        if text[self.col:self.end_col] != self.original:
            raise ValueError(f"{self.ident}: expected {self.original!r}, found {text[self.col:self.end_col]!r}")
        lines[self.line - 1] = text[:self.col] + self.replacement + text[self.end_col:]
        return "\n".join(lines)

    def before(self, source: str) -> str:
        """The original line, stripped."""
        return source.split("\n")[self.line - 1].strip()

    def after(self, source: str) -> str:
        """The mutated line, stripped."""
        return self.apply(source).split("\n")[self.line - 1].strip()


def find(path: str, source: str) -> list[Mutant]:
    """Every mutant of one module, in the order of the source; each one compiles."""
    finder = _Finder(path, source)
    finder.visit(ast.parse(source))
    found = []
    for mutant in sorted(set(finder.found)):
        try:
            compile(mutant.apply(source), path, "exec")
        except SyntaxError:
            continue
        found.append(mutant)
    return found


def find_in(root: Path, paths: Iterable[str]) -> list[Mutant]:
    """Every mutant of the modules at ``paths`` (relative to ``root``), file by file."""
    return [m for p in sorted(paths) for m in find(p, (root / p).read_text(encoding="utf-8"))]


def shuffled(mutants: Iterable[Mutant], seed: int) -> list[Mutant]:
    """A seeded random order: the sample of size n is the first n (that import) of it."""
    order = sorted(mutants)
    random.Random(seed).shuffle(order)
    return order


class _Finder(ast.NodeVisitor):
    def __init__(self, path: str, source: str) -> None:
        self.path = path
        self.lines = source.split("\n")  # as ast numbers lines (a form feed in a string is no break)
        self.found: list[Mutant] = []

    # what is left alone ---------------------------------------------------------------------------
    def visit_Module(self, node: ast.Module) -> None:
        self._visit_body(node.body)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._visit_body(node.body)
        self._visit_header(node)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._visit_body(node.body)
        self._visit_header(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def _visit_body(self, body: list[ast.stmt]) -> None:
        """The statements, less a docstring."""
        first = body[0] if body else None
        docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
            and isinstance(first.value.value, str)
        for statement in body[1:] if docstring else body:
            self.visit(statement)

    def _visit_header(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        """Decorators and default values; never the annotations."""
        for decorator in node.decorator_list:
            self.visit(decorator)
        if isinstance(node, ast.ClassDef):
            return  # base classes and their keywords (total=False, metaclass=...) shape types, not behaviour
        for default in [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]:
            self.visit(default)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)

    def visit_Assign(self, node: ast.Assign) -> None:
        if any(isinstance(t, ast.Name) and t.id in _SKIPPED_NAMES for t in node.targets):
            return
        self.generic_visit(node)

    def visit_If(self, node: ast.If) -> None:
        test = ast.unparse(node.test)
        if test in ("TYPE_CHECKING", "typing.TYPE_CHECKING") or "__name__" in test:
            return
        self.generic_visit(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                self.visit(value.value)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in _LOGGERS:
            return
        if isinstance(func, ast.Name) and func.id == "dataclass":
            return  # slots=, frozen=: the shape of a record, not what the tracker does
        self.visit(func)
        for arg in node.args:
            self.visit(arg)
        for keyword in node.keywords:
            if keyword.arg != "help":  # argparse's help text
                self.visit(keyword.value)

    # the four kinds -------------------------------------------------------------------------------
    def visit_Compare(self, node: ast.Compare) -> None:
        operands = [node.left, *node.comparators]
        for op, left, right in zip(node.ops, operands, operands[1:], strict=False):
            symbol, replacement = _COMPARISONS[type(op)]
            self._operator(left, right, symbol, replacement, "comparison")
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        flip = _ARITHMETIC.get(type(node.op))
        if flip and not (_is_text_or_sequence(node.left) or _is_text_or_sequence(node.right)):
            self._operator(node.left, node.right, *flip, "arithmetic")
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        flip = _ARITHMETIC.get(type(node.op))
        if flip and not _is_text_or_sequence(node.value):
            self._operator(node.target, node.value, flip[0] + "=", flip[1] + "=", "arithmetic")
        self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        symbol, replacement = _BOOLEANS[type(node.op)]
        for left, right in zip(node.values, node.values[1:], strict=False):
            self._operator(left, right, symbol, replacement, "boolean")
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, ast.Not):
            self._drop_prefix(node, "not", "boolean")
        elif isinstance(node.op, ast.USub) and not isinstance(node.operand, ast.Constant):
            self._drop_prefix(node, "-", "arithmetic")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, bool):
            self._replace(node, "False" if value else "True", "boolean")
        elif isinstance(value, int | float):
            self._replace(node, repr(value + 1), "constant")
        elif isinstance(value, str):
            self._wrap_string(node)

    # edits ----------------------------------------------------------------------------------------
    def _operator(self, left: ast.AST, right: ast.AST, symbol: str, replacement: str, kind: str) -> None:
        """The operator token between two operands (parentheses and a line break may surround it)."""
        start, end = self._end(left), self._start(right)
        if start[0] != end[0]:
            return  # the operator sits on a continuation line: rare, left alone
        line = self.lines[start[0] - 1]
        gap = line[start[1]:end[1]]
        words = re.findall(r"[^\s()]+", gap)
        if words != symbol.split():
            return
        first = start[1] + gap.index(words[0])
        last = start[1] + gap.rindex(words[-1]) + len(words[-1])
        self._add(start[0], first, last, replacement, kind)

    def _drop_prefix(self, node: ast.UnaryOp, prefix: str, kind: str) -> None:
        start, end = self._start(node), self._start(node.operand)
        if start[0] != end[0] or not self.lines[start[0] - 1][start[1]:end[1]].startswith(prefix):
            return
        self._add(start[0], start[1], end[1], "", kind)

    def _replace(self, node: ast.AST, replacement: str, kind: str) -> None:
        start, end = self._start(node), self._end(node)
        if start[0] == end[0]:
            self._add(start[0], start[1], end[1], replacement, kind)

    def _wrap_string(self, node: ast.Constant) -> None:
        """XX inside the literal's own quotes, so that its prefix, quoting and escapes stay as they are."""
        start, end = self._start(node), self._end(node)
        if start[0] != end[0]:
            return
        literal = self.lines[start[0] - 1][start[1]:end[1]]
        prefix = len(literal) - len(literal.lstrip("rRbBuU"))
        quote = literal[prefix:prefix + 3] if literal[prefix:prefix + 3] in ('"""', "'''") else literal[prefix]
        if not literal.endswith(quote) or len(literal) < prefix + 2 * len(quote):
            return  # implicit concatenation of differently quoted parts: left alone
        opened, closed = prefix + len(quote), len(literal) - len(quote)
        self._add(start[0], start[1], end[1], f"{literal[:opened]}XX{literal[opened:closed]}XX{literal[closed:]}",
                  "constant")

    def _add(self, line: int, col: int, end_col: int, replacement: str, kind: str) -> None:
        text = self.lines[line - 1]
        if PRAGMA not in text:
            self.found.append(Mutant(self.path, line, col, end_col, text[col:end_col], replacement, kind))

    # ast counts columns in UTF-8 bytes, the edits count characters
    def _start(self, node: ast.AST) -> tuple[int, int]:
        line, col = node.lineno, node.col_offset  # type: ignore[attr-defined]
        return line, len(self.lines[line - 1].encode("utf-8")[:col].decode("utf-8"))

    def _end(self, node: ast.AST) -> tuple[int, int]:
        line, col = node.end_lineno, node.end_col_offset  # type: ignore[attr-defined]
        return line, len(self.lines[line - 1].encode("utf-8")[:col].decode("utf-8"))


def _is_text_or_sequence(node: ast.AST) -> bool:
    return isinstance(node, ast.JoinedStr | ast.List | ast.Tuple | ast.ListComp) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str | bytes))
