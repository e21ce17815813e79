"""The catalogue's search engine: one worker's in-memory tantivy index.

Every use of tantivy lives in this module and languages.py (its analysers).  The
store's text fields are analysed with the English analyser (words, lowercase, accents
folded, Snowball stems), so "Dresses" and "dress" meet; a product's translations
(`translations: {"fr": {"name", "description"}}`) fill name_fr, description_fr… analysed
in their language.  Name outweighs category, colours, tags and description in BM25
scoring.

Size, colour and availability filter one variant: each product carries a term per
variant for every combination of its colour (or any), its size (or any) and whether it
is available (or either), so "black, M, available" is one term lookup and a product
whose black M is sold out has no such term, whatever its other variants.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import tantivy
from tantivy import FieldType, Occur, Order, Query

from ..i18n import DEFAULT_LOCALE, LOCALES
from ..text import fold, joined, normal_name, words
from .languages import analyzer, analyzer_name, elided, plain_analyzer
from .query_parser import Catalogue, Term
from .variants import available, explicit, public_variants, variants_of

INT64_MAX = 2**63 - 1
UNDATED = datetime(1970, 1, 1, tzinfo=UTC)  # sorts as the oldest

ANALYZER = analyzer_name(DEFAULT_LOCALE)
WORDS = "words"  # the plain analyser: words, lowercase, folded, never stemmed
TYPO_FROM = 4  # letters a typed word has before one typo is forgiven in type-ahead
TEXT_FIELDS = {"name": 4.0, "category": 1.5, "colors": 1.0, "tags": 0.8, "description": 0.4}
TRANSLATED = ("name", "description")  # the fields a product's translations carry
# Locale -> its translated fields and their weights: {"fr": {"name_fr": 4.0, ...}}.
LOCAL_FIELDS = {locale: {f"{name}_{locale}": TEXT_FIELDS[name] for name in TRANSLATED}
                for locale in LOCALES if locale != DEFAULT_LOCALE}
SYNONYM_WEIGHT = 0.9  # the shopper's own word counts a little more than its synonyms
FUZZY_WEIGHT = 0.5  # a near miss (typo or unfinished word) counts less than the word
EXACT_NAME = 1000.0  # a product named exactly as the query outranks any text score
RANK_LIMIT = 2**20 - 1  # catalogue ranks are clamped here inside the sort keys
MAX_TERMS = 1000  # facet values per facet
CACHED_ANSWERS = 1024  # per index state (until the next apply)
SCORE_DIGITS = 3  # scores equal to this many decimals tie, and the catalogue rank decides
SUMMARY = ("sku", "name", "category", "price", "colors", "sizes", "imageUrl", "url", "inStock",
           "variants")
NAMES = "names"  # a summary's translated names, by locale (answers pick the shopper's)
SORTS = {  # sort -> (fast field, order) when scores do not decide
    "relevance": ("rank", Order.Asc),
    "price_asc": ("price_asc", Order.Asc),
    "price_desc": ("price_desc", Order.Desc),
    "newest": ("newest", Order.Desc),
}
# Search facets count products with an available variant of the value; the catalogue's
# words (every colour and size it has) are read from all variants.
FACETS = {"category": "category_f", "colors": "colors_avail_f", "sizes": "sizes_avail_f"}
CATALOGUE = {"category": "category_f", "colors": "colors_f", "sizes": "sizes_f"}
ANY, SEP, AVAILABLE = "", "\x1f", "1"  # parts of a variant term: colour, size, availability


@dataclass
class Plan:
    """One search: text terms, filters, sort and the slice of results wanted."""

    terms: list[Term] = field(default_factory=list)
    # Words that became filters ("coat" -> outerwear) still rank: optional, scored.
    boosts: list[Term] = field(default_factory=list)
    category: str | None = None
    colors: list[str] | None = None
    sizes: list[str] | None = None
    min_price: int | None = None
    max_price: int | None = None
    in_stock: bool | None = None
    sort: str = "relevance"
    offset: int = 0
    limit: int = 12
    # The whole query, normalised: a product of exactly this name matches and comes
    # first, held only by the filters of `within` (what the shopper set explicitly).
    exact: str | None = None
    within: Plan | None = None
    # The store's rules for these words: products first in this order (where the
    # shopper's own filters allow them), and products never shown.
    pinned: tuple[str, ...] = ()
    hidden: frozenset[str] = frozenset()


def _analyzer() -> tantivy.TextAnalyzer:
    return analyzer(DEFAULT_LOCALE)


_ANALYZER = _analyzer()


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name=ANALYZER)
    for locale, names in LOCAL_FIELDS.items():
        for name in names:
            builder.add_text_field(name, tokenizer_name=analyzer_name(locale))
    builder.add_text_field("sku", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("name_exact", tokenizer_name="raw", index_option="basic")
    # Names' words unstemmed, for type-ahead: "dresse" is the beginning of "dresses".
    builder.add_text_field("suggest", tokenizer_name=WORDS, index_option="basic")
    builder.add_text_field("variant", tokenizer_name="raw", index_option="basic")
    for name in {*FACETS.values(), *CATALOGUE.values()}:
        builder.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_integer_field("price", indexed=True)  # range filters only; sorts use keys
    for name in ("rank", "price_asc", "price_desc", "newest"):
        builder.add_integer_field(name, fast=True)
    builder.add_bytes_field("source", stored=True)
    return builder.build()


def _epoch(product: dict) -> int:
    when = product.get("createdAt") or product.get("updatedAt") or UNDATED
    return int(when.timestamp())


def in_stock(product: dict) -> bool:
    """Tell whether a product can be bought now."""
    return bool(product.get("inStock", product.get("stock", 0) > 0))


def _document(product: dict) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_text("sku", product["sku"])
    for name in ("name", "description", "category"):
        if product.get(name):
            doc.add_text(name, joined(product[name]))
    if product.get("name"):
        doc.add_text("name_exact", normal_name(product["name"]))
        doc.add_text("suggest", joined(product["name"]))
    for locale, words_of in translations(product).items():
        for name in TRANSLATED:
            if words_of.get(name):
                doc.add_text(f"{name}_{locale}", elided(words_of[name], locale))
        if words_of.get("name"):
            doc.add_text("name_exact", normal_name(elided(words_of["name"], locale)))
            doc.add_text("suggest", elided(words_of["name"], locale))
    for tag in product.get("tags") or ():
        doc.add_text("tags", joined(tag))
    if product.get("category"):  # a product without one offers no empty category facet
        doc.add_text("category_f", fold(product["category"]))
    for color in product.get("colors") or ():
        doc.add_text("colors", joined(color))
        doc.add_text("colors_f", fold(color))
    for size in product.get("sizes") or ():
        doc.add_text("sizes_f", size)
    terms, colors, sizes = _variant_terms(product)
    for term in terms:
        doc.add_text("variant", term)
    for color in colors:
        doc.add_text("colors_avail_f", color)
    for size in sizes:
        doc.add_text("sizes_avail_f", size)
    price = int(product.get("price", {}).get("amount", 0))
    rank = min(max(int(product.get("rank", RANK_LIMIT)), 0), RANK_LIMIT)
    doc.add_integer("price", price)
    doc.add_integer("rank", rank)
    # Composite keys: one fast-field sort orders by price or age, then by rank.
    doc.add_integer("price_asc", price * (RANK_LIMIT + 1) + rank)
    doc.add_integer("price_desc", price * (RANK_LIMIT + 1) + RANK_LIMIT - rank)
    doc.add_integer("newest", _epoch(product) * (RANK_LIMIT + 1) + RANK_LIMIT - rank)
    summary = {k: product.get(k) for k in SUMMARY} | {
        "inStock": in_stock(product), "variants": public_variants(product)}
    given = (product.get("translations") or {}).items()
    names = {locale: words_of["name"] for locale, words_of in given if words_of.get("name")}
    if names:
        summary[NAMES] = names
    doc.add_bytes("source", json.dumps(summary, default=str).encode())
    return doc


def variant_term(color: str, size: str, availability: str) -> str:
    """Return the term of a colour, a size and an availability (ANY for either)."""
    return f"{color}{SEP}{size}{SEP}{availability}"


def _axes(product: dict, variant: dict) -> tuple[list[str], list[str]]:
    """Return the colours and sizes a variant stands for (the implicit one: all)."""
    if explicit(product):
        return ([fold(variant["color"])] if variant.get("color") else [],
                [variant["size"]] if variant.get("size") else [])
    return [fold(c) for c in product.get("colors") or ()], list(product.get("sizes") or ())


def _variant_terms(product: dict) -> tuple[set[str], dict, dict]:
    """Return the product's variant terms, and the colours and sizes it has available."""
    terms, colors, sizes = set(), {}, {}
    for variant in variants_of(product):
        their_colors, their_sizes = _axes(product, variant)
        states = (AVAILABLE, ANY) if available(variant) else (ANY,)
        for color in (*their_colors, ANY):
            for size in (*their_sizes, ANY):
                terms.update(variant_term(color, size, state) for state in states)
        if available(variant):
            colors.update(dict.fromkeys(their_colors))
            sizes.update(dict.fromkeys(their_sizes))
    return terms, colors, sizes


def translations(product: dict) -> dict[str, dict]:
    """Return a product's translations into the locales the index knows."""
    found = product.get("translations") or {}
    return {locale: found[locale] for locale in LOCAL_FIELDS if found.get(locale)}


def _words(product: dict) -> set[str]:
    text = " ".join([product.get("name") or "", product.get("description") or "",
                     product.get("category") or "", *(product.get("tags") or ()),
                     *(product.get("colors") or ())])
    local = " ".join(elided(t.get(name) or "", locale)
                     for locale, t in translations(product).items() for name in TRANSLATED)
    return set(words(f"{text} {local}"))


def index_tokens(text: str) -> list[str]:
    """Return the tokens the index keeps of a text field's value (stems included)."""
    return _ANALYZER.analyze(joined(text))


class Engine:
    """An in-memory index of the products that are not archived."""

    _catalogue: Catalogue  # what the index holds, read again by every apply()
    _answers: dict[tuple, object]  # answers by request; every apply() retires them

    def __init__(self, products: Iterable[dict] = ()):
        self.schema = _schema()
        self.index = tantivy.Index(self.schema)
        for locale in LOCALES:
            self.index.register_tokenizer(analyzer_name(locale), analyzer(locale))
        self.index.register_tokenizer(WORDS, plain_analyzer())
        self._local = {locale: analyzer(locale) for locale in LOCAL_FIELDS}
        self._writer = self.index.writer(heap_size=15_000_000, num_threads=1)
        self._analyzer = _analyzer()
        self._lock = threading.Lock()
        self._words: Counter[str] = Counter()
        self.apply(products)  # sets the catalogue and the kept answers

    def apply(self, products: Iterable[dict]) -> int:
        """Index these products afresh (archived ones leave the index); return how many."""
        count = 0
        with self._lock:
            for product in products:
                self._writer.delete_documents_by_term("sku", product["sku"])
                if not product.get("archived"):
                    self._writer.add_document(_document(product))
                    self._words.update(_words(product))
                count += 1
            self._writer.commit()
            self.index.reload()
            self._catalogue = self._read_catalogue()
            self._answers = {}
        return count

    def summaries(self, skus: list[str]) -> dict[str, dict]:
        """Return the searchable (not archived) products among these skus, by sku."""
        searcher = self.index.searcher()
        result = searcher.search(Query.term_set_query(self.schema, "sku", skus), len(skus))
        found = (json.loads(searcher.doc(a).get_first("source")) for _, a in result.hits)
        return {product["sku"]: product for product in found}

    def remembered(self, key: tuple, answer):
        """Return the answer kept for `key` since the last apply(), else call `answer()`
        and keep what it returns (searches repeat: popular queries, pages, filters)."""
        answers = self._answers  # one begun before an apply() keeps its answer in the old dict
        found = answers.get(key)
        if found is None:
            found = answer()
            if len(answers) >= CACHED_ANSWERS:
                answers.pop(next(iter(answers)))
            answers[key] = found
        return found

    def _read_catalogue(self) -> Catalogue:
        facets = self._facets(self.index.searcher(), Query.all_query(), CATALOGUE)
        words = {w: n for w, n in self._words.items() if w}
        return Catalogue(words, frozenset(facets["category"]), frozenset(facets["colors"]),
                         {s.lower(): s for s in facets["sizes"]}, tuple(sorted(words)))

    def catalogue(self) -> Catalogue:
        """Return the categories, colours, sizes and words the index holds now."""
        return self._catalogue

    def __len__(self) -> int:
        return self.index.searcher().num_docs

    # -- queries ----------------------------------------------------------------------
    def _stems(self, text: str) -> list[str]:
        return self._analyzer.analyze(text)

    def _text(self, term: Term) -> Query:
        """Match one shopper word: itself or a synonym in any text field, or a near miss;
        a word of another language also in the products' translations into it."""
        fields = [(TEXT_FIELDS, self._analyzer)]
        if term.locale in LOCAL_FIELDS:
            fields.append((LOCAL_FIELDS[term.locale], self._local[term.locale]))
        clauses = []
        for names, analysis in fields:
            clauses += self._matching(term, names, analysis)
        return Query.boolean_query(clauses)  # no clause at all: matches nothing

    def _matching(self, term: Term, names: dict[str, float], analysis) -> list:
        clauses = []
        for alternative in term.alternatives:
            stems = analysis.analyze(alternative)
            if not stems:
                continue  # no word the index keeps (none, or 40 letters and more)
            weight = 1.0 if alternative == term.word else SYNONYM_WEIGHT
            for name, boost in names.items():
                query = (Query.term_query(self.schema, name, stems[0]) if len(stems) == 1
                         else Query.phrase_query(self.schema, name, stems))
                clauses.append((Occur.Should, Query.boost_query(query, boost * weight)))
        typed = fold(term.text).replace("'", "")
        near = [(stem, 1, False) for stem in {*analysis.analyze(typed)}] if term.fuzzy else []
        if term.prefix:
            near += [(start, 1 if term.fuzzy else 0, True)
                     for start in {typed, *analysis.analyze(typed)}]
        for text, distance, prefix in near:
            for name, boost in names.items():
                query = Query.fuzzy_term_query(self.schema, name, text, distance, True, prefix)
                clauses.append((Occur.Should, Query.boost_query(query, boost * FUZZY_WEIGHT)))
        return clauses

    def _named(self, term: Term) -> Query:
        """Score a product whose name has the word: a flat score, so the rank breaks ties,
        unless the term is `scored` (a colour word of the name weighs as text does)."""
        stems = self._stems(term.word)
        if not stems:
            return Query.empty_query()
        named = (Query.term_query(self.schema, "name", stems[0]) if len(stems) == 1
                 else Query.phrase_query(self.schema, "name", stems))
        if term.scored:  # counts toward the name match as a searched word would
            return Query.boost_query(named, TEXT_FIELDS["name"])
        return Query.const_score_query(named, TEXT_FIELDS["name"])

    def _filters(self, plan: Plan) -> list[Query]:
        schema, found = self.schema, []
        if plan.category is not None:
            found.append(Query.term_query(schema, "category_f", plan.category))
        if plan.colors is not None or plan.sizes is not None or plan.in_stock is not None:
            found.append(self._variant_filter(plan))
        if plan.min_price is not None or plan.max_price is not None:
            # The index stores 64-bit integers; a larger bound (typed, or "under $10^30")
            # means the same as the largest one.
            low, high = (None if p is None else min(p, INT64_MAX)
                         for p in (plan.min_price, plan.max_price))
            found.append(Query.range_query(schema, "price", FieldType.Integer, low, high))
        return found

    def _variants(self, colors, sizes, state: str) -> Query:
        """Match a product with one variant of these colours and sizes in this state."""
        return Query.term_set_query(self.schema, "variant", [
            variant_term(c, s, state) for c in colors or (ANY,) for s in sizes or (ANY,)])

    def _variant_filter(self, plan: Plan) -> Query:
        """Match a product with one variant of the plan's colours, sizes and availability.

        inStock=false: such variants exist and none of them is available.
        """
        if plan.in_stock is False:
            return Query.boolean_query([
                (Occur.Must, self._variants(plan.colors, plan.sizes, ANY)),
                (Occur.MustNot, self._variants(plan.colors, plan.sizes, AVAILABLE))])
        state = AVAILABLE if plan.in_stock else ANY
        return self._variants(plan.colors, plan.sizes, state)

    def query(self, plan: Plan) -> Query:
        """Build the query: every term must match, every filter must hold (unscored).

        The words behind filters only add to the score: a "coat" in the name ranks
        before outerwear that only the category names.  A product named exactly as the
        query is found and comes first even where its words read as filters it does not
        meet ("Recycled Knit Chelsea Boot" is no knitwear).
        """
        clauses = [(Occur.Must, self._text(term)) for term in plan.terms]
        clauses += [(Occur.Must, Query.const_score_query(f, 0.0)) for f in self._filters(plan)]
        if clauses:  # alone, a Should clause would turn into a requirement
            clauses += [(Occur.Should, self._named(term)) for term in plan.boosts]
        found = Query.boolean_query(clauses) if clauses else Query.all_query()
        if plan.exact:
            named = [(Occur.Must, Query.const_score_query(
                Query.term_query(self.schema, "name_exact", plan.exact), EXACT_NAME))]
            named += [(Occur.Must, Query.const_score_query(f, 0.0))
                      for f in self._filters(plan.within or Plan())]
            found = Query.boolean_query([(Occur.Should, found),
                                         (Occur.Should, Query.boolean_query(named))])
        steered = [*plan.pinned, *plan.hidden]  # pinned ones are placed by search()
        if not steered:
            return found
        return Query.boolean_query([(Occur.Must, found), (Occur.MustNot, Query.term_set_query(
            self.schema, "sku", sorted(steered)))])

    # -- type-ahead ---------------------------------------------------------------------
    def named_like(self, words: list[str], limit: int) -> list[dict]:
        """Return products whose name has these words, the last as a beginning (each with
        one typo from TYPO_FROM letters): exact beginnings first, then by catalogue rank."""
        found: dict[str, dict] = {}
        searcher = self.index.searcher()
        for typos in (0, 1):
            clauses = []
            for n, word in enumerate(words):
                last = n == len(words) - 1
                distance = typos if len(word) >= TYPO_FROM else 0
                clauses.append((Occur.Must, Query.fuzzy_term_query(
                    self.schema, "suggest", word, distance, True, last)))
            result = searcher.search(Query.boolean_query(clauses), limit,
                                     order_by_field="rank", order=Order.Asc)
            for _, address in result.hits:
                product = json.loads(searcher.doc(address).get_first("source"))
                found.setdefault(product["sku"], product)
            if len(found) >= limit or not any(len(w) >= TYPO_FROM for w in words):
                break
        return list(found.values())[:limit]

    # -- search -----------------------------------------------------------------------
    def search(self, plan: Plan) -> dict:
        """Return one page of product summaries, the total and the facet counts: the
        pinned products first, in their order, then the others (facets count those)."""
        pinned = self._pinned(plan) if plan.pinned else []
        if not pinned:
            return self._search(plan)
        head = pinned[plan.offset:plan.offset + plan.limit]
        rest = self._search(replace(plan, offset=max(0, plan.offset - len(pinned)),
                                    limit=max(1, plan.limit - len(head))))
        items = head + rest["items"][:plan.limit - len(head)]
        return {**rest, "items": items, "total": rest["total"] + len(pinned)}

    def _pinned(self, plan: Plan) -> list[dict]:
        """Return the pinned products on sale that the shopper's own filters allow."""
        clauses = [(Occur.Must, Query.term_set_query(self.schema, "sku", list(plan.pinned)))]
        clauses += [(Occur.Must, f) for f in self._filters(plan.within or Plan())]
        searcher = self.index.searcher()
        result = searcher.search(Query.boolean_query(clauses), len(plan.pinned))
        found = (json.loads(searcher.doc(a).get_first("source")) for _, a in result.hits)
        by_sku = {product["sku"]: product for product in found}
        return [by_sku[sku] for sku in plan.pinned if sku in by_sku]

    def _search(self, plan: Plan) -> dict:
        searcher = self.index.searcher()
        query = self.query(plan)
        if (plan.terms or plan.boosts or plan.exact) and plan.sort == "relevance":
            addresses, total = self._by_score(searcher, query, plan.offset, plan.limit)
        else:
            name, order = SORTS[plan.sort]
            result = searcher.search(query, plan.limit, order_by_field=name,
                                     offset=plan.offset, order=order)
            addresses, total = [a for _, a in result.hits], result.count
        items = [json.loads(searcher.doc(a).get_first("source")) for a in addresses]
        facets = self._facets(searcher, query)
        if plan.colors is not None:  # a size counts with an available variant of these colours
            facets["sizes"] = self._refined(searcher, query, facets["sizes"],
                                            lambda size: ([*plan.colors], [size]))
        if plan.sizes is not None:
            facets["colors"] = self._refined(searcher, query, facets["colors"],
                                             lambda color: ([color], [*plan.sizes]))
        return {"items": items, "total": total, "facets": facets}

    def _refined(self, searcher, query: Query, counts: dict[str, int], axes) -> dict:
        """Count again, per value, the products with one available variant of the value
        and of the other filter's values (the first count had them on any variants)."""
        refined = {}
        for value, _ in counts.items():
            colors, sizes = axes(value)
            both = Query.boolean_query([(Occur.Must, query), (Occur.Must, Query.const_score_query(
                self._variants(colors, sizes, AVAILABLE), 0.0))])
            found = searcher.search(both, 1).count
            if found:
                refined[value] = found
        return refined

    @staticmethod
    def _by_score(searcher, query: Query, offset: int, limit: int) -> tuple[list, int]:
        """Order by score, then by rank among equal scores, and cut out one page.

        Hits tied with the last one wanted may lie past it, so fetch until the scores
        drop below that score; the page never depends on tantivy's order among ties.
        """
        wanted, fetch = offset + limit, offset + limit
        while True:
            result = searcher.search(query, fetch)
            hits = [(round(score, SCORE_DIGITS), a) for score, a in result.hits]
            if len(hits) < fetch or hits[-1][0] < hits[wanted - 1][0]:
                break
            fetch *= 4
        ranks = searcher.fast_field_values("rank", [a for _, a in hits])
        ordered = sorted(zip(hits, ranks, strict=True), key=lambda h: (-h[0][0], h[1]))
        return [a for (_, a), _ in ordered[offset:wanted]], result.count

    @staticmethod
    def _facets(searcher, query: Query, fields: dict = FACETS) -> dict[str, dict[str, int]]:
        spec = {name: {"terms": {"field": f, "size": MAX_TERMS}} for name, f in fields.items()}
        found = searcher.aggregate(query, spec)
        return {name: {b["key"]: b["doc_count"] for b in found[name]["buckets"]}
                for name in fields}
