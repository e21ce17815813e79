"""docs/api.md describes exactly the operations of the OpenAPI document, with their statuses."""

import re
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"
BASE = "/api/concierge"
HEADING = re.compile(r"^### `(GET|POST|PUT|PATCH|DELETE) (/\S*)`$")


def documented() -> dict[tuple[str, str], set[str]]:
    """Return {(METHOD, path): statuses} read from docs/api.md."""
    found, current = {}, None
    for line in DOC.read_text().splitlines():
        if match := HEADING.match(line):
            current = (match[1], BASE + match[2])
            assert current not in found, f"{current} described twice"
            found[current] = set()
        elif current and line.startswith("Answers:"):
            found[current] = set(re.findall(r"\b\d{3}\b", line))
            current = None
    return found


def test_every_operation_is_described_with_its_statuses_and_nothing_else(spec):
    operations = {(method.upper(), path): set(operation["responses"])
                  for path, ops in spec["paths"].items() for method, operation in ops.items()}
    described = documented()
    assert sorted(set(operations) - set(described)) == [], "in the spec, not in docs/api.md"
    assert sorted(set(described) - set(operations)) == [], "in docs/api.md, not in the spec"
    wrong = {op: {"spec": sorted(statuses), "doc": sorted(described[op])}
             for op, statuses in operations.items() if described[op] != statuses}
    assert wrong == {}
