#!/usr/bin/env python3
"""Fails when the top-level modules of a crate depend on each other in a cycle.

Usage: scripts/module-cycles.py CRATE_SRC_DIR [...]

A module `a` (src/a.rs or src/a/**) depends on `b` when its code names `crate::b` (in a `use`
or a path; comments and doc links do not count). Test code (`#[cfg(test)] mod tests`, `tests.rs`) is left out: tests may reach
anywhere. Prints the module graph's strongly connected components of two or more modules and
exits 1 if there is one; `make lint` runs it on crates/api and crates/db.
"""

import pathlib
import re
import sys

CRATE_PATH = re.compile(r"\bcrate::([a-z_][a-z0-9_]*)")
USE_GROUP = re.compile(r"\buse\s+crate::\{([^;]*)\};", re.S)
TEST_MODULE = re.compile(r"#\[cfg\(test\)\]\s*mod\s+tests\s*\{.*", re.S)
COMMENT = re.compile(r"//[^\n]*")


def top_module(src: pathlib.Path, file: pathlib.Path) -> str | None:
    relative = file.relative_to(src)
    if relative.parts[0] in ("lib.rs", "main.rs"):
        return None
    return relative.parts[0].removesuffix(".rs")


def dependencies(text: str) -> set[str]:
    text = COMMENT.sub("", TEST_MODULE.sub("", text))
    names = set(CRATE_PATH.findall(text))
    for group in USE_GROUP.findall(text):
        for item in group.split(","):
            head = item.strip().split("::")[0].strip()
            if re.fullmatch(r"[a-z_][a-z0-9_]*", head):
                names.add(head)
    return names


def graph(src: pathlib.Path) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for file in sorted(src.rglob("*.rs")):
        module = top_module(src, file)
        if module is None or file.name == "tests.rs":
            continue
        edges.setdefault(module, set())
        for target in dependencies(file.read_text(encoding="utf-8")):
            if target != module:
                edges[module].add(target)
    known = set(edges)
    return {m: {t for t in ts if t in known} for m, ts in edges.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components with more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def main() -> int:
    failed = False
    for arg in sys.argv[1:]:
        src = pathlib.Path(arg)
        edges = graph(src)
        found = cycles(edges)
        for component in found:
            failed = True
            members = set(component)
            links = [
                f"{a} -> {b}" for a in component for b in sorted(edges[a]) if b in members
            ]
            print(f"{src}: modules in a cycle: {', '.join(component)} ({'; '.join(links)})")
        if not found:
            print(f"{src}: {len(edges)} modules, no cycle")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
