"""Search cost as the catalogue grows, index memory, and SQLite FTS5 beside tantivy.

    .venv/bin/python -m tests.bench.search [--rounds 20]     (part of `make bench`)

1. GET /products p50/p95 (in-process, the whole request: parse, search, facets, dump,
   analytics event) over the shopper query table, on the seed catalogue and on one
   grown to 10x by direct writes to `products` (what the merchant API does), the two
   apps' requests alternating in the same run; the growth reaches the index through its
   refresh, and the time until it is searchable is printed too.
2. The index's memory for 10,000 products, without variants and with 6 each (resident
   memory before and after building, each in a process of its own).
3. The same plans on tantivy and on an SQLite FTS5 index (stdlib), at 1x, 10x, 100x.
4. GET /products/suggest p50/p95 on the 10x catalogue, for every beginning of the tables'
   queries (each answer is kept until the index changes: repeated rounds measure that).
5. Precision and recall of the language tables (tests/products/languages/: en, fr, de, es).
Prints a report; exits 1 when the 10x p95 exceeds twice the 1x p95 or suggest's p95 is
10 ms or more.
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import os
import random
import sqlite3
import statistics
import sys
import time
import tomllib
from datetime import UTC, datetime
from pathlib import Path

from concierge import create_app
from concierge.products.engine import Engine, Plan
from concierge.products.query_parser import parse
from concierge.seeding import SEED_DIR, product_document
from tests.products.language_tables import LOCALES, means, score, table

TABLE = Path(__file__).resolve().parent.parent / "products" / "shopper_queries.toml"
QUERIES = [row["q"] for row in tomllib.loads(TABLE.read_text("utf-8"))["query"]]
BROWSE = [{}, {"category": "shoes"}, {"sort": "price_asc"}, {"q": "dress", "page": 2}]
TARGET_RATIO = 2.0
SUGGEST_P95_MS = 10.0
QUALITY_TARGET = 0.9  # each language table's precision and recall
# In memory: the bench grows its catalogue tenfold, which must not outlive the run.
APP = {"RATELIMIT_ENABLED": False, "LOG_LEVEL": "WARNING", "CONCIERGE_DATA_DIR": "memory"}


def grown(seed: list[dict], factor: int, at: datetime) -> list[dict]:
    """Return factor-1 copies of every seed product: new skus, colours, prices, ranks
    (without the seed's variants: a copy's colours are its own)."""
    rng, colours = random.Random(7), sorted({c for p in seed for c in p["colors"]})
    out = []
    for k in range(1, factor):
        for p in seed:
            picked = rng.sample(colours, rng.randint(1, 3))
            name = f"{picked[0].title()} {p['name']}" if k % 2 else p["name"]
            plain = {key: v for key, v in p.items() if key not in ("variants", "skus")}
            out.append({**plain, "_id": f"{p['sku']}-G{k}", "sku": f"{p['sku']}-G{k}",
                        "name": name, "colors": picked, "rank": rng.randint(1, 20000),
                        "price": {"amount": rng.randrange(1900, 49900, 100),
                                  "currency": "USD"}, "updatedAt": at,
                        "description": p["description"].split(" Available")[0]
                        + f" Available in {', '.join(picked)}."})
    return out


def seed_products(factor: int) -> list[dict]:
    raw = json.loads((SEED_DIR / "products.json").read_text("utf-8"))
    now = datetime.now(UTC)
    seed = [product_document(p, now) for p in raw]
    return seed + grown(seed, factor, now)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed(client, params: dict) -> float:
    start = time.perf_counter()
    response = client.get("/api/concierge/products", query_string=params)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.get_json()
    return elapsed


def http_cost(rounds: int) -> tuple[dict, dict, float, object]:
    """Time the same requests on a seed app and a 10x app, alternating, so load on a
    shared machine weighs on both alike."""
    apps = [create_app(APP) for _ in "ab"]
    small, large = (a.test_client() for a in apps)
    db = apps[1].extensions["concierge_store"].database()
    size = db.products.count_documents({})
    large.get("/api/concierge/products")  # the index is built before the catalogue grows
    extra = grown(list(db.products.find({}, {"_id": 0})), 10, datetime.now(UTC))
    db.products.insert_many(extra)  # as the merchant API writes: updatedAt set
    start = time.perf_counter()
    while large.get("/api/concierge/products").get_json()["total"] < size + len(extra):
        time.sleep(0.05)
    visible = time.perf_counter() - start
    calls = [{"q": q} for q in QUERIES] + BROWSE
    times: dict[str, list[float]] = {"small": [], "large": []}
    for round_ in range(rounds + 2):
        for params in calls:
            for name, client in (("small", small), ("large", large)):
                elapsed = timed(client, params)
                if round_ >= 2:  # two warm-up rounds
                    times[name].append(elapsed)
    return ({"products": size, "times": times["small"]},
            {"products": size + len(extra), "times": times["large"]}, visible, large)


def typed(queries: list[str]) -> list[tuple[str, str]]:
    """Return what a shopper has typed on her way to each query, in each locale's table:
    (locale, text) for every beginning of 2 to 50 characters."""
    texts = [("en", q) for q in queries] + [(loc, row["q"]) for loc in LOCALES
                                            for row in table(loc)]
    return [(locale, text[:n]) for locale, text in texts
            for n in range(2, min(len(text), 50) + 1) if text[:n].strip()]


def suggest_cost(client, rounds: int) -> tuple[list[float], int]:
    """Time GET /products/suggest for every beginning of the tables' queries (server time:
    in-process, the whole request); return the times and how many answers were empty."""
    calls, times, empty = typed(QUERIES), [], 0
    for round_ in range(max(2, rounds // 5) + 1):
        for locale, text in calls:
            start = time.perf_counter()
            response = client.get("/api/concierge/products/suggest",
                                  query_string={"q": text, "locale": locale})
            elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, response.get_json()
            if round_:  # the first round warms up (and fills the kept answers)
                times.append(elapsed)
            else:
                empty += not response.get_json()["suggestions"]
    return times, empty


def resident_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def with_six_variants(product: dict) -> dict:
    """Return the product sold in 6 variants (2 colours x 3 sizes), its stock split."""
    colors = (product["colors"] * 2)[:2]
    sizes = (list(product["sizes"]) * 3)[:3]
    variants = [{"sku": f"{product['sku']}-V{n}", "size": size, "color": color,
                 "stock": (n * 7 + len(product["sku"])) % 5, "price": product["price"]}
                for n, (color, size) in enumerate((c, s) for c in colors for s in sizes)]
    stock = sum(v["stock"] for v in variants)
    return {**product, "variants": variants, "stock": stock, "inStock": stock > 0,
            "colors": list(dict.fromkeys(colors)), "sizes": list(dict.fromkeys(sizes))}


def index_memory(count: int = 10_000, variants: bool = False) -> tuple[float, float]:
    """Build an index of `count` products (each in 6 variants when asked); return the
    resident memory it added (MiB) and how long it took (s)."""
    products = seed_products(-(-count // 224))[:count]
    products = [with_six_variants(p) if variants else
                {k: v for k, v in p.items() if k != "variants"} for p in products]
    gc.collect()
    before, start = resident_kib(), time.perf_counter()
    engine = Engine(products)
    built = time.perf_counter() - start
    gc.collect()
    grew = resident_kib() - before
    assert len(engine) == count
    return grew / 1024, built


def index_memory_apart(variants: bool) -> tuple[float, float]:
    """Measure index_memory in a fresh process, so one build's memory never hides another's."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(index_memory, (10_000, variants))


class Fts5:
    """The same catalogue in SQLite FTS5 (porter stems, bm25 with column weights)."""

    def __init__(self, products: list[dict]):
        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        self.db.executescript("""
            CREATE VIRTUAL TABLE text USING fts5(name, category, colors, tags, description,
                tokenize = 'porter unicode61 remove_diacritics 2');
            CREATE TABLE product(id INTEGER PRIMARY KEY, sku, category, price, rank,
                                 in_stock, colors, sizes, source);""")
        for i, p in enumerate(products, 1):
            self.db.execute("INSERT INTO text(rowid, name, category, colors, tags, description)"
                            " VALUES (?, ?, ?, ?, ?, ?)",
                            (i, p["name"], p["category"], " ".join(p["colors"]),
                             " ".join(p["tags"]), p["description"]))
            self.db.execute("INSERT INTO product VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            (i, p["sku"], p["category"], p["price"]["amount"], p["rank"],
                             p["stock"] > 0, json.dumps(p["colors"]), json.dumps(p["sizes"]),
                             json.dumps({k: p[k] for k in ("sku", "name", "price")})))

    def search(self, plan: Plan) -> dict:
        """Answer a plan like Engine.search (only fixed column names are formatted into
        the SQL; every value is bound)."""
        where, args = [], []
        if plan.terms:
            match = " AND ".join("(" + " OR ".join(
                '"' + a.replace('"', "") + '"' + ("*" if t.prefix else "")
                for a in t.alternatives) + ")" for t in plan.terms)
            where.append("p.id IN (SELECT rowid FROM text WHERE text MATCH ?)")
            args.append(match)
        if plan.category:
            where += ["p.category = ?"]
            args += [plan.category]
        for name, values in (("colors", plan.colors), ("sizes", plan.sizes)):
            if values:
                where.append(f"EXISTS (SELECT 1 FROM json_each(p.{name}) WHERE value IN "  # noqa: S608
                             f"({','.join('?' * len(values))}))")
                args += values
        for sql, value in (("p.price >= ?", plan.min_price), ("p.price <= ?", plan.max_price),
                           ("p.in_stock = ?", plan.in_stock)):
            if value is not None:
                where.append(sql)
                args.append(value)
        clause = " AND ".join(where) or "1"
        if plan.terms:
            order = ("ORDER BY (SELECT round(bm25(text, 4.0, 1.5, 1.0, 0.8, 0.4), 3) FROM text "
                     "WHERE text MATCH ? AND rowid = p.id), p.rank")
            page_args = [*args, args[0]]
        else:
            order, page_args = "ORDER BY p.rank", args
        items = self.db.execute(f"SELECT source FROM product p WHERE {clause} {order} "  # noqa: S608
                                f"LIMIT ? OFFSET ?", [*page_args, plan.limit, plan.offset])
        items = [json.loads(s) for (s,) in items]
        total = self.db.execute(f"SELECT count(*) FROM product p WHERE {clause}", args)  # noqa: S608
        facets = {"category": dict(self.db.execute(
            f"SELECT category, count(*) FROM product p WHERE {clause} GROUP BY 1",  # noqa: S608
            args))}
        for name in ("colors", "sizes"):
            facets[name] = dict(self.db.execute(
                f"SELECT j.value, count(*) FROM product p, json_each(p.{name}) j "  # noqa: S608
                f"WHERE {clause} GROUP BY 1", args))
        return {"items": items, "total": total.fetchone()[0], "facets": facets}


def engine_times(engine, plans: list[Plan], rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        for plan in plans:
            start = time.perf_counter()
            engine.search(plan)
            times.append((time.perf_counter() - start) * 1000)
    return times


def compare_engines(rounds: int) -> list[str]:
    lines = ["| products | engine | build | p50 ms | p95 ms | typo queries answered |",
             "| ---: | --- | ---: | ---: | ---: | ---: |"]
    typos = ["cardign", "sneekers", "dreses", "jumpr", "sandels"]
    for factor in (1, 10, 100):
        products = seed_products(factor)
        start = time.perf_counter()
        tantivy = Engine(products)
        built = {"tantivy": time.perf_counter() - start}
        start = time.perf_counter()
        fts = Fts5(products)
        built["FTS5"] = time.perf_counter() - start
        catalogue = tantivy.catalogue()
        plans = [_plan(parse(q, catalogue)) for q in QUERIES]
        for name, engine in (("tantivy", tantivy), ("FTS5", fts)):
            times = engine_times(engine, plans, rounds)
            # FTS5 gets the parser's corrected word; only tantivy also matches the typo itself.
            found = sum(engine.search(Plan(terms=[_raw(t)]))["total"] > 0 for t in typos)
            lines.append(f"| {len(products)} | {name} | {built[name]:.2f} s | "
                         f"{statistics.median(times):.2f} | {percentile(times, .95):.2f} | "
                         f"{found}/{len(typos)} |")
    return lines


def _raw(word: str):
    from concierge.products.query_parser import Term
    return Term(word, word, (word,), fuzzy=True)


def _plan(reading) -> Plan:
    return Plan(terms=reading.terms, category=reading.category,
                colors=reading.colors or None, sizes=reading.sizes or None,
                min_price=reading.min_price, max_price=reading.max_price,
                in_stock=reading.in_stock)


def language_tables() -> tuple[list[str], float]:
    """Return each language table's precision and recall on the seed catalogue, and the least."""
    app = create_app(APP)
    client = app.test_client()
    products = app.extensions["concierge_store"].database().products
    catalogue = {p["sku"]: p for p in products.find({}, {"_id": 0})}
    lines = ["| language | queries | precision | recall |", "| --- | ---: | ---: | ---: |"]
    least = 1.0
    for locale in LOCALES:
        scores = [score(client, locale, row, catalogue) for row in table(locale)]
        precision, recall = means(scores)
        lines.append(f"| {locale} | {len(scores)} | {precision:.3f} | {recall:.3f} |")
        least = min(least, precision, recall)
    return lines, least


def main() -> int:
    """Print the search's costs and quality; exit 1 when a target (short: half of one) is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    short = os.environ.get("BENCH") == "short"  # CI: fewer rounds, a regression floor
    parser.add_argument("--rounds", type=int, default=5 if short else 20)
    rounds = parser.parse_args().rounds
    slack = 2 if short else 1  # short: only twice the target fails (a shared CI machine)
    small, large, visible, large_client = http_cost(rounds)
    p95 = {k: percentile(v["times"], .95) for k, v in (("1x", small), ("10x", large))}
    ratio = p95["10x"] / p95["1x"]
    print("GET /products, in-process, the query table + browsing, same run:")
    for label, run in (("1x", small), ("10x", large)):
        print(f"  {run['products']:6d} products: p50 {statistics.median(run['times']):.2f} ms"
              f"  p95 {p95[label]:.2f} ms  ({len(run['times'])} requests)")
    print(f"  p95 ratio 10x/1x = {ratio:.2f} (target <= {TARGET_RATIO}); the grown catalogue "
          f"was searchable {visible:.1f} s after its write")
    times, empty = suggest_cost(large_client, rounds)
    suggest_p95 = percentile(times, .95)
    print(f"GET /products/suggest on {large['products']} products: p50 "
          f"{statistics.median(times):.2f} ms  p95 {suggest_p95:.2f} ms "
          f"(target < {SUGGEST_P95_MS} ms; {len(times)} requests, every beginning of the "
          f"tables' queries; {empty} of them suggested nothing)")
    if not short:  # figures for docs/search.md, not regression gates
        for variants in (False, True):
            memory, built = index_memory_apart(variants=variants)
            print(f"index memory: {memory:.1f} MiB per 10,000 products "
                  f"{'with 6 variants each' if variants else 'without variants'} "
                  f"(built in {built:.2f} s)")
        print("tantivy vs SQLite FTS5, engine only (plans of the query table, facets included):")
        print("\n".join(compare_engines(max(3, rounds // 5))))
    print("language tables, every page of each query's result (seed catalogue):")
    lines, least = language_tables()
    print("\n".join(lines))
    missed = [name for name, ok in (
        ("p95 ratio", ratio <= TARGET_RATIO * slack),
        ("suggest p95", suggest_p95 < SUGGEST_P95_MS * slack),
        ("language tables", least >= QUALITY_TARGET)) if not ok]
    if missed:
        print("FAILED" + (" (beyond twice a target)" if short else "") + ": " + ", ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
