"""Prints, as JSON, the spans named on the command line the way codegloss's indexer and
analysis see them: code from the def keyword to the end of the body, absolute lines, and the
docstring's text and line range. Usage: pyspans.py ROOT FILE:QUALNAME..."""
import ast
import json
import sys


def find(tree, qualname):
    parts = qualname.split(".")
    nodes = tree.body
    found, owner = None, None
    for i, p in enumerate(parts):
        for n in nodes:
            if isinstance(n, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == p:
                if i < len(parts) - 1:
                    owner = n
                found = n
                nodes = n.body
                break
        else:
            raise SystemExit("not found: " + qualname)
    return found, owner


def main():
    root = sys.argv[1]
    out = []
    for arg in sys.argv[2:]:
        rel, qualname = arg.split(":")
        src = open(root + "/" + rel, encoding="utf-8").read()
        lines = src.split("\n")
        tree = ast.parse(src)
        node, owner = find(tree, qualname)
        first = lines[node.lineno - 1][node.col_offset:]
        body = lines[node.lineno : node.end_lineno]
        code = "\n".join([first] + body)
        doc = ast.get_docstring(node)
        expr = node.body[0] if doc is not None else None
        calls, raises = [], []
        for n in ast.walk(node):
            if isinstance(n, ast.Call):
                f = n.func
                if isinstance(f, ast.Attribute):
                    calls.append({"name": f.attr, "receiver": ast.unparse(f.value), "line": n.lineno})
                elif isinstance(f, ast.Name):
                    calls.append({"name": f.id, "receiver": None, "line": n.lineno})
            if isinstance(n, ast.Raise) and n.exc is not None:
                e = n.exc.func if isinstance(n.exc, ast.Call) else n.exc
                raises.append({"name": ast.unparse(e), "line": n.lineno})
        out.append(
            {
                "path": rel,
                "symbol": qualname,
                "name": node.name,
                "kind": "method" if owner is not None else "function",
                "start": node.lineno,
                "end": node.end_lineno,
                "code": code,
                "docstring": doc,
                "docStart": expr.lineno if expr else None,
                "docEnd": expr.end_lineno if expr else None,
                "calls": sorted(calls, key=lambda c: c["line"]),
                "raises": raises,
                "returnType": ast.unparse(node.returns) if node.returns is not None else None,
            }
        )
    print(json.dumps(out))


main()
