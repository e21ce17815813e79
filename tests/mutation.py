"""`make mutate` helper: which modules mutmut mutates, and their scores.

    python -m tests.mutation modules   # module names, from setup.cfg [mutmut] only_mutate
    python -m tests.mutation patterns  # the same as mutmut name patterns ("module.*")
    python -m tests.mutation score     # score per module; exit 1 below the floor
    python -m tests.mutation score --only concierge.flags

A mutant counts as equivalent only when docs/testing.md lists it (its name in
backticks as the first cell of a table row) with the reason.
"""

from __future__ import annotations

import configparser
import json
import re
import sys
from collections import Counter
from pathlib import Path

FLOOR = 95.0
DOC = Path("docs/testing.md")
KILLED = {1, 3}  # mutmut: tests failed (3 = pytest internal error, also a kill)
TIMEOUT = {-24, 24, 36, 152, 255}
EQUIVALENT_ROW = re.compile(r"^\|\s*`([\w.]+__mutmut_\d+)`\s*\|")


def modules() -> list[str]:
    """Return the dotted names of the modules mutmut mutates."""
    parser = configparser.ConfigParser()
    parser.read("setup.cfg")
    paths = [p for p in parser.get("mutmut", "only_mutate").split() if p]
    return [p.removesuffix(".py").replace("/", ".") for p in paths]


def equivalents(doc: Path = DOC) -> set[str]:
    """Return the mutants documented as equivalent."""
    lines = doc.read_text().splitlines() if doc.exists() else []
    return {m.group(1) for line in lines if (m := EQUIVALENT_ROW.match(line))}


def results(module: str) -> dict[str, int | None]:
    """Return mutant name → mutmut exit code for one module's last run."""
    meta = Path("mutants") / (module.replace(".", "/") + ".py.meta")
    if not meta.exists():
        return {}
    return json.loads(meta.read_text())["exit_code_by_key"]


def score(module: str, equivalent: set[str]) -> dict:
    """Return the module's counts, score and the mutants that escaped."""
    codes = results(module)
    counted = {name: code for name, code in codes.items() if name not in equivalent}
    killed = [n for n, c in counted.items() if c in KILLED]
    escaped = sorted(n for n, c in counted.items() if c not in KILLED and c is not None)
    stale = sorted(n for n, c in codes.items() if n in equivalent and c in KILLED)
    total = len(counted)
    return {"module": module, "mutants": len(codes), "equivalent": len(codes) - total,
            "killed": len(killed), "score": 100.0 * len(killed) / total if total else 0.0,
            "escaped": escaped, "stale": stale,
            "outcomes": Counter("timeout" if c in TIMEOUT else "not run" if c is None
                                else "no tests" if c in (5, 33) else "survived"
                                for n, c in counted.items() if c not in KILLED)}


def main(argv: list[str]) -> int:
    """Print the modules or the score table."""
    if argv[:1] == ["modules"]:
        print(" ".join(modules()))
        return 0
    if argv[:1] == ["patterns"]:
        print(" ".join(f"{module}.*" for module in modules()))
        return 0
    equivalent, rows, low = equivalents(), [], False
    chosen = argv[argv.index("--only") + 1:] if "--only" in argv else modules()
    print(f"{'module':34} {'mutants':>7} {'equiv.':>6} {'killed':>6} {'score':>7}")
    for module in chosen:
        row = score(module, equivalent)
        rows.append(row)
        low |= row["score"] < FLOOR
        print(f"{module:34} {row['mutants']:7} {row['equivalent']:6} {row['killed']:6} "
              f"{row['score']:6.1f}%  {dict(row['outcomes']) or ''}")
    for row in rows:
        for name in row["escaped"]:
            print(f"  escaped: {name}   (mutmut show {name})")
        for name in row["stale"]:
            print(f"  listed as equivalent but killed: {name} (remove it from {DOC})")
    print(f"floor {FLOOR:.0f} % per module: {'NOT MET' if low else 'met'}")
    return 1 if low else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
