#!/usr/bin/env python3
"""Issue 15's size rules: every function in briefing/ over 60 lines, every module over 400 lines.

A function's length runs from its first decorator (or ``def``) to its last line, as ``ast`` sees it.
Usage: python bench/code_size.py [FOLDER]  (default: briefing/); exits 1 if anything is over.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_FUNCTION, MAX_MODULE = 60, 400


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "briefing"
    functions, modules = [], []
    for path in sorted(folder.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > MAX_MODULE:
            modules.append((len(text.splitlines()), path))
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno is not None:
                start = min([node.lineno] + [d.lineno for d in node.decorator_list])
                if node.end_lineno - start + 1 > MAX_FUNCTION:
                    functions.append((node.end_lineno - start + 1, f"{path}:{node.lineno} {node.name}"))
    print(f"functions over {MAX_FUNCTION} lines: {len(functions)}")
    for length, where in sorted(functions, reverse=True):
        print(f"  {length:4d}  {where}")
    print(f"modules over {MAX_MODULE} lines: {len(modules)}")
    for length, path in modules:
        print(f"  {length:4d}  {path}")
    return 1 if functions or modules else 0


if __name__ == "__main__":
    sys.exit(main())
