"""`make mutate` helper: run mutmut group by group, and score each module.

    python -m tests.mutation modules [GROUP ...]  # setup.cfg [mutmut] only_mutate
    python -m tests.mutation patterns  # the same as mutmut name patterns ("module.*")
    python -m tests.mutation run [GROUP ...] [--children N]  # mutmut per group, into mutants/
    python -m tests.mutation score     # score per module; exit 1 below the floor
    python -m tests.mutation score --only concierge.flags

Each group of modules runs in its own copy of the tree whose test selection is
only that group's tests: a mutant of a function every request calls then runs
its own module's tests, not the whole selection, before the one that kills it.
A narrower selection can only let more mutants survive, so the score is a
lower bound of a run with every test selected.

A mutant counts as equivalent only when docs/testing.md lists it (its name in
backticks as the first cell of a table row) with the reason.
"""

from __future__ import annotations

import configparser
import json
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

FLOOR = 95.0
DOC = Path("docs/testing.md")
# mutmut's exit codes: tests failed (3 = pytest internal error), or the test process was
# killed by the mutant itself (-6 SIGABRT: a library aborted, -11 SIGSEGV): all caught.
# A signal mutmut sends for the time allowance (-24 SIGXCPU) is a timeout, not a kill.
KILLED = {1, 3, -6, -11}
TIMEOUT = {-24, 24, 36, 152, 255}
EQUIVALENT_ROW = re.compile(r"^\|\s*`([\w.]+__mutmut_\d+)`\s*\|")
WORK = Path("mutants-work")
# group: (module path prefixes, the tests selected for it)
GROUPS = {
    "flags": (["concierge/flags.py"], ["tests/test_flags.py"]),
    "idempotency": (["concierge/idempotency.py"],
                    ["tests/test_idempotency.py", "tests/returns/test_idempotency.py"]),
    "orders": (["concierge/orders/"], ["tests/orders", "tests/returns/test_create.py"]),
    "capsules": (["concierge/capsules/"], ["tests/capsules"]),
    "returns": (["concierge/returns/"], ["tests/returns", "tests/orders/test_lookup.py"]),
    "merchant": (["concierge/merchant/"], ["tests/merchant", "tests/products/test_freshness.py",
                                           "tests/outbox/test_service.py"]),
    "outbox": (["concierge/outbox/"], ["tests/outbox", "tests/feedback/test_csat.py",
                                       "tests/console/test_actions.py",
                                       "tests/merchant/test_orders.py",
                                       "tests/orders/test_lookup.py"]),
    "products": (["concierge/products/"], ["tests/products"]),
}


def modules() -> list[str]:
    """Return the dotted names of the modules mutmut mutates."""
    parser = configparser.ConfigParser()
    parser.read("setup.cfg")
    paths = [p for p in parser.get("mutmut", "only_mutate").split() if p]
    return [p.removesuffix(".py").replace("/", ".") for p in paths]


def module_paths() -> list[str]:
    """Return the paths of the modules mutmut mutates."""
    return [name.replace(".", "/") + ".py" for name in modules()]


def group_of(path: str) -> str:
    """Return the one group a module path belongs to."""
    found = [name for name, (prefixes, _) in GROUPS.items()
             if any(path.startswith(prefix) for prefix in prefixes)]
    if len(found) != 1:
        raise SystemExit(f"{path}: in {len(found)} mutation groups of tests/mutation.py, not 1")
    return found[0]


def narrowed_copy(group: str, paths: list[str]) -> Path:
    """Copy the working tree, selecting only the group's modules and tests."""
    work = WORK / group
    shutil.rmtree(work, ignore_errors=True)
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"],
                            check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        if Path(name).is_file() and not name.startswith(str(WORK)):
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(name, work / name)
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(work / "setup.cfg")
    parser.set("mutmut", "only_mutate", "\n" + "\n".join(paths))
    parser.set("mutmut", "pytest_add_cli_args_test_selection", "\n" + "\n".join(GROUPS[group][1]))
    with open(work / "setup.cfg", "w") as cfg:
        parser.write(cfg)
    return work


def run(groups: list[str], children: int) -> int:
    """Run mutmut group by group and gather the results in mutants/."""
    by_group: dict[str, list[str]] = {}
    for path in module_paths():
        by_group.setdefault(group_of(path), []).append(path)
    unknown = set(groups) - set(by_group)
    if unknown:
        raise SystemExit(f"unknown mutation group(s): {', '.join(sorted(unknown))}; "
                         f"groups: {', '.join(by_group)}")
    mutmut = str(Path(sys.executable).with_name("mutmut"))
    for group in groups or list(by_group):
        paths, started = by_group[group], time.monotonic()
        print(f"{group}: {len(paths)} module(s), tests {' '.join(GROUPS[group][1])}", flush=True)
        work = narrowed_copy(group, paths)
        patterns = [p.removesuffix(".py").replace("/", ".") + ".*" for p in paths]
        with open(work / "run.log", "w") as log:
            done = subprocess.run(["nice", "-n", "10", mutmut, "run", "--max-children",
                                   str(children), *patterns], cwd=work, stdout=log,
                                  stderr=subprocess.STDOUT)
        if done.returncode:
            print((work / "run.log").read_text()[-2000:])
            return done.returncode
        for path in paths:
            target = Path("mutants") / (path + ".meta")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(work / "mutants" / (path + ".meta"), target)
        print(f"{group}: done in {time.monotonic() - started:.0f} s (log {work}/run.log)",
              flush=True)
    return 0


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
        chosen = [m for m in modules()
                  if not argv[1:] or group_of(m.replace(".", "/") + ".py") in argv[1:]]
        print(" ".join(chosen))
        return 0
    if argv[:1] == ["patterns"]:
        print(" ".join(f"{module}.*" for module in modules()))
        return 0
    if argv[:1] == ["run"]:
        children = int(argv[argv.index("--children") + 1]) if "--children" in argv else 2
        return run([a for a in argv[1:] if not a.startswith("--") and not a.isdigit()], children)
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
