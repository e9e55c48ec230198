#!/usr/bin/env python3
"""Checks the layout the house keeps (docs/architecture.md): pages, the API and the command
line reach data only through the app; no source file (tests aside) over 800 lines; no
import circles between the files of a crate. Prints what breaks a rule and exits 1."""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
CRATES = os.path.join(ROOT, "crates")
MOST_LINES = 800
problems = []


def sources(crate):
    src = os.path.join(CRATES, crate, "src")
    for folder, _, files in os.walk(src):
        for f in files:
            if f.endswith(".rs"):
                yield src, os.path.join(folder, f)


# The store only through the app.
for crate in ("redress-web", "redress"):
    for _, path in sources(crate):
        for n, line in enumerate(open(path, encoding="utf-8"), 1):
            code = line.split("//")[0]
            if re.search(r"\bredress_store::Store\b|\.store\.", code):
                problems.append(f"{path}:{n}: reaches the store directly: {line.strip()}")

# File sizes.
for crate in os.listdir(CRATES):
    for _, path in sources(crate):
        lines = sum(1 for _ in open(path, encoding="utf-8"))
        if lines > MOST_LINES:
            problems.append(f"{path}: {lines} lines (at most {MOST_LINES})")


def module_of(src, path):
    parts = os.path.relpath(path, src)[:-3].split(os.sep)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return "::".join(parts)


def used_by(text, me):
    # Tests at the end of a file may use anything.
    text = re.split(r"#\[cfg\(test\)\]", text)[0]
    out = set(m.group(1) for m in re.finditer(r"\bcrate::((?:[a-z_][a-z_0-9]*)(?:::[a-z_][a-z_0-9]*)*)", text))
    for m in re.finditer(r"\b((?:super::)+)((?:[a-z_][a-z_0-9]*)(?:::[a-z_][a-z_0-9]*)*)?", text):
        base = me.split("::") if me else []
        base = base[: max(0, len(base) - m.group(1).count("super::"))]
        out.add("::".join(p for p in base + (m.group(2) or "").split("::") if p))
    return out


for crate in os.listdir(CRATES):
    modules = {module_of(src, path): path for src, path in sources(crate)}
    graph = {m: set() for m in modules}
    for m, path in modules.items():
        for used in used_by(open(path, encoding="utf-8").read(), m):
            parts = used.split("::")
            target = next(("::".join(parts[:i]) for i in range(len(parts), 0, -1) if "::".join(parts[:i]) in modules), None)
            # A folder and its own files may use each other.
            if not target or not m or target == m or target.startswith(m + "::") or m.startswith(target + "::"):
                continue
            graph[m].add(target)
    index, low, stack, on, counter = {}, {}, [], set(), [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            circle = []
            while True:
                w = stack.pop()
                on.discard(w)
                circle.append(w)
                if w == v:
                    break
            if len(circle) > 1:
                problems.append(f"{crate}: files use each other in a circle: {' -> '.join(sorted(circle))}")

    sys.setrecursionlimit(10000)
    for v in graph:
        if v not in index:
            visit(v)

for p in problems:
    print(p)
if problems:
    sys.exit(1)
print("layout: the app is the only door, no file over 800 lines, no import circles")
