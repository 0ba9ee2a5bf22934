#!/usr/bin/env python3
"""Fails when a statement both co_awaits and creates a capturing lambda.

GCC 12 destroys such a lambda temporary twice (a double free at run time, seen in this project),
so the awaitable must be built in a statement of its own:
    auto pending = db.read([id](Session& s) { ... });
    auto row = co_await std::move(pending);
"""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
lambda_with_captures = re.compile(r"\[[^\]\[]+\]\s*(\([^)]*\))?\s*(mutable\s*)?(->[^{]*)?\{")
comment = re.compile(r"//[^\n]*")
offenders = []
for folder in ("src", "tools", "bench", "tests"):
    for path in sorted((root / folder).rglob("*.[ch]pp")):
        text = comment.sub("", path.read_text())
        position = 0
        for statement in re.split(r";", text):
            line = text.count("\n", 0, position) + 1
            position += len(statement) + 1
            if "co_await" in statement and lambda_with_captures.search(statement):
                offenders.append(f"{path.relative_to(root)}:{line}")
if offenders:
    print("co_await and a capturing lambda in one statement (GCC 12 double free):")
    print("\n".join(offenders))
    sys.exit(1)
print("no co_await statement creates a capturing lambda")
