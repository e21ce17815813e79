"""Regenerate products.json: python seed_data/make_products.py (deterministic)."""

import json
import random
from pathlib import Path

CATALOGUE = {
    "dresses": (["Midi Wrap Dress", "Slip Dress", "Shirt Dress", "Tiered Maxi Dress",
                 "Knit Sheath Dress", "Pleated Midi Dress", "Linen Sundress",
                 "Satin Bias Dress", "Smocked Mini Dress", "Belted Trench Dress"],
                ["XS", "S", "M", "L", "XL"], (8900, 24900),
                ["viscose", "silk", "linen", "crepe", "cotton poplin"]),
    "tops": (["Poplin Shirt", "Silk Camisole", "Boxy Tee", "Ribbed Tank", "Peasant Blouse",
              "Oxford Shirt", "Wrap Top", "Organic Cotton Tee", "Crêpe Blouse",
              "Cropped Cardigan Top"],
             ["XS", "S", "M", "L", "XL"], (2900, 12900),
             ["cotton", "silk", "modal", "linen", "crêpe de chine"]),
    "knitwear": (["Merino Crew Sweater", "Cashmere V-Neck", "Cable Knit Cardigan",
                  "Mock Neck Sweater", "Mohair Jumper", "Fisherman Sweater",
                  "Ribbed Turtleneck", "Alpaca Cardigan", "Fine Knit Polo",
                  "Chunky Roll Neck"],
                 ["XS", "S", "M", "L", "XL"], (7900, 29900),
                 ["merino wool", "cashmere", "alpaca blend", "cotton", "mohair blend"]),
    "trousers": (["Wide Leg Trouser", "Straight Jean", "Tapered Chino", "Pleated Trouser",
                  "Cargo Pant", "Barrel Leg Jean", "Linen Drawstring Pant",
                  "Tailored Cigarette Pant", "Corduroy Flare", "Jogger Pant"],
                 ["24", "26", "28", "30", "32", "34"], (5900, 18900),
                 ["denim", "wool twill", "linen", "cotton twill", "corduroy"]),
    "outerwear": (["Wool Overcoat", "Trench Coat", "Quilted Liner Jacket", "Denim Jacket",
                   "Leather Biker Jacket", "Puffer Jacket", "Cropped Blazer",
                   "Double-Breasted Blazer", "Rain Parka", "Shearling Collar Coat"],
                  ["XS", "S", "M", "L", "XL"], (12900, 49900),
                  ["wool", "cotton gabardine", "recycled nylon", "leather", "denim"]),
    "shoes": (["Leather Loafer", "Chelsea Boot", "Canvas Sneaker", "Strappy Sandal",
               "Ballet Flat", "Block Heel Pump", "Knee High Boot", "Suede Mule",
               "Running Trainer", "Espadrille Wedge"],
              ["36", "37", "38", "39", "40", "41", "42"], (6900, 27900),
              ["leather", "suede", "canvas", "recycled knit", "patent leather"]),
    "bags": (["Leather Tote", "Crossbody Bag", "Bucket Bag", "Mini Shoulder Bag",
              "Canvas Shopper", "Weekender Holdall", "Belt Bag", "Top Handle Bag",
              "Woven Clutch", "Laptop Backpack"],
             ["One Size"], (4900, 32900),
             ["leather", "canvas", "raffia", "recycled nylon", "suede"]),
    "accessories": (["Silk Scarf", "Leather Belt", "Wool Beanie", "Cat-Eye Sunglasses",
                     "Hoop Earrings", "Cashmere Gloves", "Baseball Cap",
                     "Chain Necklace", "Hair Claw Clip", "Bucket Hat"],
                    ["One Size"], (1900, 14900),
                    ["silk", "leather", "cashmere", "gold-plated brass", "acetate"]),
}
COLORS = ["black", "white", "ivory", "navy", "camel", "olive", "burgundy", "grey",
          "blush", "cobalt", "sage", "rust", "cream", "chocolate", "denim blue"]
MOODS = ["weekend", "office", "evening", "travel", "occasion", "everyday", "holiday"]
# Sold per size and colour in the demo: one variant each, with its own sku and stock.
VARIANT_CATEGORIES = {"dresses"}
PREFIX = {"dresses": "DR", "tops": "TP", "knitwear": "KN", "trousers": "TR",
          "outerwear": "OW", "shoes": "SH", "bags": "BG", "accessories": "AC"}


def build():
    """Return the deterministic product list."""
    rng = random.Random(20241201)
    products = []
    for category, (names, sizes, (low, high), materials) in CATALOGUE.items():
        for i in range(28):
            base = names[i % len(names)]
            material = materials[(i // len(names) + i) % len(materials)]
            if i >= 2 * len(names):
                material = named_apart(base, materials, material)
            colours = rng.sample(COLORS, rng.randint(1, 3))
            sku = f"AUR-{PREFIX[category]}-{i + 1:04d}"
            name = f"{colours[0].title()} {base}" if i >= len(names) else base
            if i >= 2 * len(names):
                name = f"{material.title()} {base}"
            price = rng.randrange(low, high, 100)
            tags = sorted({*rng.sample(MOODS, 2), material.split()[0]})
            in_stock = rng.random() > 0.12
            products.append({
                "sku": sku,
                "name": name,
                "category": category,
                "description": (f"{base} in {material}, cut for an easy fit. "
                                f"Available in {', '.join(colours)}; made to be worn "
                                f"for {tags[0]} and beyond."),
                "price": {"amount": price, "currency": "USD"},
                "colors": colours,
                "sizes": sizes if len(sizes) == 1 else sorted(
                    rng.sample(sizes, rng.randint(3, len(sizes))), key=sizes.index),
                "tags": tags,
                "stock": rng.randint(1, 40) if in_stock else 0,
                "rank": rng.randint(1, 1000),
                "createdDaysAgo": rng.randint(1, 400),
            })
    return [with_variants(p) if p["category"] in VARIANT_CATEGORIES else p
            for p in products]


def named_apart(base: str, materials: list[str], material: str) -> str:
    """Return the material, or the next one, whose words the base name lacks
    ("Canvas Shopper" is never named "Canvas Canvas Shopper")."""
    taken = set(base.lower().split())
    start = materials.index(material)
    for step in range(len(materials)):
        candidate = materials[(start + step) % len(materials)]
        if not taken & set(candidate.lower().split()):
            return candidate
    return material


def with_variants(product: dict) -> dict:
    """Split a product's stock over one variant per colour and size (some sold out)."""
    rng = random.Random(product["sku"])  # its own stream: other products stay as they were
    combos = [(c, s) for c in product["colors"] for s in product["sizes"]]
    stock = [0] * len(combos)
    if product["stock"]:
        sold_out = set(rng.sample(range(len(combos)), len(combos) // 4))
        open_ = [i for i in range(len(combos)) if i not in sold_out]
        for _ in range(product["stock"]):
            stock[rng.choice(open_)] += 1
    variants = [{"sku": f"{product['sku']}-{c.replace(' ', '')[:3].upper()}-{s}",
                 "size": s, "color": c, "stock": n}
                for (c, s), n in zip(combos, stock, strict=True)]
    return {**product, "variants": variants}


if __name__ == "__main__":
    out = Path(__file__).with_name("products.json")
    out.write_text(json.dumps(build(), indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {out}")
