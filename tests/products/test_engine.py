"""The tantivy engine on its own: ties, sort keys, archived products, facets."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from concierge.products.engine import (
    CACHED_ANSWERS,
    FUZZY_WEIGHT,
    SYNONYM_WEIGHT,
    TEXT_FIELDS,
    Engine,
    Plan,
    in_stock,
)
from concierge.products.query_parser import Term

START = datetime(2026, 1, 1, tzinfo=UTC)


def item(sku: str, rank: int, price: int = 5000, name: str = "Linen Shirt", **extra) -> dict:
    return {"sku": sku, "name": name, "description": f"{name}.", "category": "tops",
            "price": {"amount": price, "currency": "USD"}, "colors": ["white"],
            "sizes": ["M"], "tags": [], "stock": 1, "rank": rank,
            "createdAt": START + timedelta(days=rank % 7), **extra}


def term(word: str) -> Term:
    return Term(word, word, (word,))


def order(engine: Engine, **plan) -> list[str]:
    return [p["sku"] for p in engine.search(Plan(limit=50, **plan))["items"]]


@pytest.fixture
def engine() -> Engine:
    # Written in an order that is neither rank nor sku order.
    return Engine([item("C", 30), item("A", 10, price=7000), item("D", 40),
                   item("B", 20, price=7000)])


def test_equal_scores_are_ordered_by_catalogue_rank(engine):
    assert order(engine, terms=[term("linen")]) == ["A", "B", "C", "D"]


@pytest.mark.parametrize(("offset", "expected"), [(0, ["A", "B"]), (1, ["B", "C"]),
                                                  (2, ["C", "D"])])
def test_pages_of_tied_results_follow_rank_too(engine, offset, expected):
    page = engine.search(Plan(terms=[term("linen")], offset=offset, limit=2))
    assert ([p["sku"] for p in page["items"]], page["total"]) == (expected, 4)


@pytest.mark.parametrize(("sort", "expected"), [
    ("relevance", ["A", "B", "C", "D"]),
    ("price_asc", ["C", "D", "A", "B"]),
    ("price_desc", ["A", "B", "C", "D"]),
])
def test_sorts_break_ties_by_rank(engine, sort, expected):
    assert order(engine, sort=sort) == expected


def test_a_better_match_outranks_a_better_rank():
    engine = Engine([item("TOP", 1, name="Cotton Shirt", description="Linen look."),
                     item("LOW", 900, name="Linen Shirt")])
    assert order(engine, terms=[term("linen")]) == ["LOW", "TOP"]


def test_archived_products_are_never_indexed_and_leave_when_archived(engine):
    engine.apply([item("E", 5, archived=True), item("A", 10, archived=True)])
    assert order(engine) == ["B", "C", "D"]
    assert engine.search(Plan())["facets"]["category"] == {"tops": 3}


def test_filters_do_not_change_scores(engine):
    with_filter = order(engine, terms=[term("linen")], min_price=6000, in_stock=True)
    assert with_filter == ["A", "B"]


def test_catalogue_lists_what_the_index_holds(engine):
    catalogue = engine.catalogue()
    assert catalogue.categories == {"tops"}
    assert catalogue.sizes == {"m": "M"}
    assert catalogue.words["linen"] == 4
    assert catalogue.has_prefix("lin")
    assert not catalogue.has_prefix("wool")


def test_summaries_hold_every_searchable_product_asked_for():
    engine = Engine([item(f"S{n:02}", n) for n in range(15)] + [item("GONE", 99, archived=True)])
    asked = [f"S{n:02}" for n in range(15)] + ["GONE", "NOPE"]
    found = engine.summaries(asked)
    assert sorted(found) == asked[:15]
    assert found["S03"].pop("variants") == [{"sku": "S03", "size": None, "color": None,
                                             "available": True, "lowStock": True}]
    assert found["S03"] == {"sku": "S03", "name": "Linen Shirt", "category": "tops",
                            "price": {"amount": 5000, "currency": "USD"}, "colors": ["white"],
                            "sizes": ["M"], "imageUrl": None, "url": None, "inStock": True}


def scores(engine: Engine, **plan) -> dict[str, float]:
    """Each match's score for this plan, by sku (what relevance orders by)."""
    searcher = engine.index.searcher()
    hits = searcher.search(engine.query(Plan(**plan)), 50).hits
    return {json.loads(searcher.doc(a).get_first("source"))["sku"]: score
            for score, a in hits}


def test_the_shoppers_own_word_outweighs_its_synonym_by_the_synonym_weight():
    engine = Engine([item("SW", 1, name="Wool Sweater"), item("JU", 2, name="Wool Jumper"),
                     item("TE", 3, name="Cotton Tee")])
    jumper = Term("jumper", "jumper", ("jumper", "sweater"))
    assert order(engine, terms=[jumper]) == ["JU", "SW"]
    found = scores(engine, terms=[jumper])
    assert found["SW"] / found["JU"] == pytest.approx(SYNONYM_WEIGHT)


NEAR = [item("DR", 2, name="Silk Dress"), item("DT", 1, name="Dresser Tray"),
        item("DC", 3, name="Drss Coat")]


@pytest.mark.parametrize(("typed", "flags", "expected"), [
    ("drss", {"fuzzy": True}, ["DC", "DR"]),  # a typo: one letter off, whole words only
    ("drss", {"fuzzy": True, "prefix": True}, ["DC", "DR", "DT"]),  # also an unfinished word
    ("dres", {"prefix": True}, ["DT", "DR"]),  # unfinished: exact beginnings only
    ("slik", {"fuzzy": True}, ["DR"]),  # two letters swapped count as one typo
])
def test_near_misses_match_by_typo_and_by_beginning(typed, flags, expected):
    assert order(Engine(NEAR), terms=[Term(typed, typed, (typed,), **flags)]) == expected


def test_a_near_miss_counts_half_the_field_weights_flat():
    found = scores(Engine(NEAR), terms=[Term("drss", "drss", ("drss",), fuzzy=True)])
    assert found["DR"] == pytest.approx(
        (TEXT_FIELDS["name"] + TEXT_FIELDS["description"]) * FUZZY_WEIGHT)


def test_a_typo_with_an_apostrophe_is_matched_without_it():
    engine = Engine([item("WO", 2, name="Womens Linen Shirt"), item("AC", 1, name="A Cotton Tee")])
    assert order(engine, terms=[Term("wemens", "Wemen's", ("wemens",), fuzzy=True)]) == ["WO"]


def test_a_boost_of_several_words_ranks_only_names_with_the_phrase():
    engine = Engine([item("SC", 1, name="Wool Scarf"), item("CO", 2, name="Wool Coat"),
                     item("CW", 3, name="Coat Of Wool")])
    coat = Term("wool coat", "wool coat", ("wool coat",))
    assert order(engine, category="tops", boosts=[coat]) == ["CO", "SC", "CW"]


def test_a_word_of_forty_letters_or_more_is_not_indexed():
    engine = Engine([item("L39", 1, name="a" * 39), item("L40", 2, name="b" * 40)])
    assert order(engine, terms=[term("a" * 39)]) == ["L39"]
    assert order(engine, terms=[term("b" * 40)]) == []


def test_ties_past_the_first_hits_fetched_are_still_ordered_by_rank():
    # tantivy hands back equal scores in index order, here the worst rank first
    engine = Engine([item(f"T{n}", 10 - n) for n in range(8)]
                    + [item("TOP", 50, name="Linen Linen Shirt")])
    assert order(engine, terms=[term("linen")])[:3] == ["TOP", "T7", "T6"]
    page = engine.search(Plan(terms=[term("linen")], limit=2))
    assert [p["sku"] for p in page["items"]] == ["TOP", "T7"]


@pytest.mark.parametrize(("offset", "expected"), [(0, ["A"]), (3, ["D"]), (4, []), (40, [])])
def test_pages_of_one_and_pages_past_the_end_of_a_scored_search(engine, offset, expected):
    page = engine.search(Plan(terms=[term("linen")], offset=offset, limit=1))
    assert ([p["sku"] for p in page["items"]], page["total"]) == (expected, 4)


def test_a_search_matching_nothing_by_score_is_an_empty_page(engine):
    page = engine.search(Plan(terms=[term("velvet")]))
    assert (page["items"], page["total"]) == ([], 0)


class TestRememberedAnswers:
    """Answers are kept until the next apply(), the oldest dropped past CACHED_ANSWERS."""

    def test_an_answer_computed_while_the_index_changes_is_not_kept(self, engine):
        def answer_during_an_apply():
            engine.apply([item("E", 5)])
            return "from the old index"
        assert engine.remembered(("k",), answer_during_an_apply) == "from the old index"
        assert engine.remembered(("k",), lambda: "from the new index") == "from the new index"

    def test_a_repeated_request_is_answered_from_memory_until_the_index_changes(self, engine):
        calls = []

        def answer():
            calls.append(1)
            return {"n": len(calls)}

        assert engine.remembered(("q",), answer) == {"n": 1}
        assert engine.remembered(("q",), answer) == {"n": 1}
        assert engine.remembered(("other",), answer) == {"n": 2}
        engine.apply([item("E", 50)])
        assert engine.remembered(("q",), answer) == {"n": 3}

    def test_past_the_limit_the_oldest_answer_is_dropped(self, engine):
        for n in range(CACHED_ANSWERS + 1):
            engine.remembered((n,), lambda n=n: n)
        assert engine.remembered((1,), lambda: "again") == 1  # still kept
        assert engine.remembered((0,), lambda: "again") == "again"


def test_filters_leave_every_score_as_the_words_give_it(engine):
    plain = scores(engine, terms=[term("linen")])
    filtered = scores(engine, terms=[term("linen")], min_price=6000, in_stock=True)
    assert filtered == {sku: plain[sku] for sku in ("A", "B")}


@pytest.mark.parametrize(("stored", "expected"), [
    ({"inStock": False, "stock": 5}, False),  # the stored flag wins over the count
    ({"inStock": True, "stock": 0}, True),
    ({"stock": 3}, True),
    ({"stock": 0}, False),
    ({}, False),
])
def test_a_product_is_in_stock_as_stored_else_by_its_count(stored, expected):
    assert in_stock(stored) is expected
    product = {k: v for k, v in item("P", 1).items() if k not in ("stock", "inStock")}
    engine = Engine([{**product, **stored}])
    assert order(engine, in_stock=expected) == ["P"]
    assert engine.search(Plan())["items"][0]["inStock"] is expected


def test_the_category_and_tags_are_searchable_words():
    engine = Engine([item("TG", 1, tags=["bridal"]), item("OT", 2, category="outerwear")])
    assert order(engine, terms=[term("bridal")]) == ["TG"]
    assert order(engine, terms=[term("outerwear")]) == ["OT"]
    assert order(engine, terms=[term("tops")]) == ["TG"]


def test_newest_goes_by_creation_then_the_last_write_and_undated_products_come_last():
    created = item("CR", 1)
    written = {**item("WR", 2), "createdAt": None, "updatedAt": START + timedelta(days=30)}
    undated = {**item("UN", 3), "createdAt": None, "description": None, "name": None}
    engine = Engine([undated, created, written])
    assert order(engine, sort="newest") == ["WR", "CR", "UN"]
    assert order(engine, terms=[term("linen")]) == ["CR", "WR"]


def test_a_word_too_long_to_index_still_finds_its_synonyms(engine):
    overlong = Term("b" * 40, "b" * 40, ("b" * 40, "linen"))
    assert order(engine, terms=[overlong]) == ["A", "B", "C", "D"]


def bare_item(sku: str, **fields) -> dict:
    """A product with only what a merchant must send, and the given fields."""
    return {"sku": sku, "name": "Wool Scarf", "stock": 1, **fields}


def test_a_product_without_price_rank_or_category_is_indexed_with_the_defaults():
    engine = Engine([bare_item("BARE"), item("PRICED", 1, price=100)])
    assert order(engine, sort="price_asc") == ["BARE", "PRICED"]  # no price: 0, the cheapest
    assert order(engine, max_price=0) == ["BARE"]
    assert order(engine, sort="relevance") == ["PRICED", "BARE"]  # no rank: the last rank
    assert engine.search(Plan())["facets"]["category"] == {"tops": 1}  # no "" category


@pytest.mark.parametrize(("ranks", "expected"), [
    ((0, 1), ["R0", "R1"]), ((-5, 1), ["RNEG", "R1"]),
    ((2**20 - 2, 2**20 + 5), ["RNEAR", "RHIGH"]),
])
def test_ranks_are_clamped_to_the_sort_keys_range_and_order_ties(ranks, expected):
    names = {0: "R0", 1: "R1", -5: "RNEG", 2**20 - 2: "RNEAR", 2**20 + 5: "RHIGH"}
    # Written in reverse, so that only the rank can put them in order.
    engine = Engine([item(names[r], r) for r in reversed(ranks)])
    for sort in ("relevance", "price_asc", "price_desc"):
        assert order(engine, sort=sort) == expected, sort


def test_price_outweighs_any_rank_in_the_price_sorts():
    engine = Engine([item("DEAR", 0, price=2), item("CHEAP", 2**20 - 1, price=1)])
    assert order(engine, sort="price_asc") == ["CHEAP", "DEAR"]
    assert order(engine, sort="price_desc") == ["DEAR", "CHEAP"]


def test_age_outweighs_any_rank_in_the_newest_sort():
    engine = Engine([item("OLD", 0, createdAt=START), item("NEW", 2**20 - 1,
                                                          createdAt=START + timedelta(seconds=1))])
    assert order(engine, sort="newest") == ["NEW", "OLD"]


def test_a_colour_named_only_in_the_colour_list_is_found_by_its_word():
    engine = Engine([item("PLAIN", 1), item("TINTED", 2, colors=["Marigold"])])
    assert order(engine, terms=[term("marigold")]) == ["TINTED"]


def test_price_desc_puts_the_dearer_product_first_whatever_the_ranks():
    engine = Engine([item("CHEAP", 0, price=1), item("DEAR", 2**20 - 1, price=2)])
    assert order(engine, sort="price_desc") == ["DEAR", "CHEAP"]


def test_products_of_the_same_age_are_newest_first_by_rank():
    engine = Engine([item("SECOND", 2, createdAt=START), item("FIRST", 1, createdAt=START)])
    assert order(engine, sort="newest") == ["FIRST", "SECOND"]


def test_apply_counts_every_product_given_archived_ones_included():
    engine = Engine()
    assert engine.apply([item("A", 1), item("B", 2), item("C", 3, archived=True)]) == 3
    assert engine.apply([item("D", 4)]) == 1


def test_every_apply_retires_the_answers_kept_before_it():
    engine = Engine([item("A", 1)])
    assert order(engine, terms=[term("linen")]) == ["A"]
    engine.apply([item("B", 2)])
    assert order(engine, terms=[term("linen")]) == ["A", "B"]
    engine.apply([item("B", 2, archived=True)])
    assert order(engine, terms=[term("linen")]) == ["A"]


def test_the_catalogue_words_come_from_every_text_a_shopper_reads():
    engine = Engine([{"sku": "W", "stock": 1, "description": "Women's wrap", "category": "Knits",
                      "tags": ["Festival"], "colors": ["Marigold"]}])
    assert set(engine.catalogue().words) == {"womens", "wrap", "knits", "festival", "marigold"}


def test_a_value_json_cannot_hold_is_summarised_as_its_text():
    written = datetime(2026, 5, 1, tzinfo=UTC)  # a product written straight to MongoDB
    engine = Engine([item("ODD", 1, url=written)])
    assert engine.summaries(["ODD"])["ODD"]["url"] == str(written)


def test_missing_texts_add_no_words_to_the_catalogue():
    engine = Engine([{"sku": "N", "stock": 1, "name": "Scarf"}])
    assert set(engine.catalogue().words) == {"scarf"}


def test_pinned_products_come_first_in_order_on_every_page_and_sort():
    engine = Engine([item(f"S-{n}", n, price=1000 * n) for n in range(1, 7)]
                    + [item("K-1", 9, name="Wool Knit")])
    steered = {"terms": [term("linen")], "pinned": ("K-1", "S-5"), "hidden": frozenset({"S-2"})}
    assert order(engine, **steered) == ["K-1", "S-5", "S-1", "S-3", "S-4", "S-6"]
    assert order(engine, **steered, sort="price_desc") == ["K-1", "S-5", "S-6", "S-4", "S-3",
                                                           "S-1"]
    pages = [engine.search(Plan(**steered, offset=offset, limit=2)) for offset in (0, 2, 4)]
    assert [[p["sku"] for p in page["items"]] for page in pages] == [
        ["K-1", "S-5"], ["S-1", "S-3"], ["S-4", "S-6"]]
    assert {page["total"] for page in pages} == {6}


def test_a_pin_gone_from_the_index_or_outside_the_shoppers_filters_is_left_out():
    engine = Engine([item("S-1", 1), item("S-2", 2, price=90000)])
    within = Plan(max_price=50000)
    assert order(engine, terms=[term("linen")], pinned=("GONE-1", "S-2", "S-1"),
                 max_price=50000, within=within) == ["S-1"]
