"""flask concierge api-keys … and flask concierge import …"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from .. import audit
from ..clock import now
from ..schemas import iso_z
from . import imports, keys, repository

EMBEDDED_KEYS = ("No MONGO_URI: the embedded store lives inside the running server, so a key "
                 "made here would vanish. On the embedded default set CONCIERGE_MERCHANT_KEY "
                 "for the server instead (a key with every scope).")
EMBEDDED_IMPORT = ("No MONGO_URI: the embedded store lives inside the running server. Import "
                   "through it: --url http://127.0.0.1:8000 --key $CONCIERGE_MERCHANT_KEY "
                   "(or set MONGO_URI to write to MongoDB directly).")

api_keys_cli = AppGroup("api-keys", help="Create, list and revoke merchant API keys.")
import_cli = AppGroup("import", help="Import the store's products or orders from a file.")


def _needs_mongo(message: str) -> None:
    if current_app.config["CONCIERGE"].embedded:
        raise click.UsageError(message)


@api_keys_cli.command("create")
@click.option("--name", required=True, help="Who or what uses the key, e.g. shopify-sync.")
@click.option("--scope", "scopes", multiple=True, required=True,
              type=click.Choice(keys.SCOPES), help="Repeat for several scopes.")
def create_key(name, scopes):
    """Create a key and print it once (only its SHA-256 hash is stored)."""
    _needs_mongo(EMBEDDED_KEYS)
    key, doc = keys.create(name, list(scopes))
    audit.record("api_key.created", doc["_id"], who=audit.command_line(), name=name,
                 scopes=doc["scopes"])
    click.echo(f"Created key {doc['_id']} ({name}; {' '.join(doc['scopes'])}).")
    click.echo("Copy it now, it is not shown again:")
    click.echo(key)


@api_keys_cli.command("list")
def list_keys():
    """List the keys: id, name, scopes, created, last used, revoked."""
    _needs_mongo(EMBEDDED_KEYS)
    docs = repository.list_keys()
    if not docs:
        click.echo("No API keys.")
    for doc in docs:
        click.echo("\t".join([
            doc["_id"], doc["name"], ",".join(doc["scopes"]),
            f"created {iso_z(doc['createdAt'])}",
            f"last used {iso_z(doc['lastUsedAt']) if doc.get('lastUsedAt') else 'never'}",
            f"revoked {iso_z(doc['revokedAt'])}" if doc.get("revokedAt") else "active"]))


@api_keys_cli.command("revoke")
@click.argument("key_id")
def revoke_key(key_id):
    """Revoke a key by its id; it is refused from the next request on."""
    _needs_mongo(EMBEDDED_KEYS)
    doc = repository.revoke_key(key_id, now())
    if doc is None:
        raise click.ClickException(f"No API key has the id {key_id}.")
    audit.record("api_key.revoked", key_id, who=audit.command_line(), name=doc["name"])
    click.echo(f"Revoked key {key_id} ({doc['name']}) at {iso_z(doc['revokedAt'])}.")


def _target(url: str | None, key: str | None):
    if url:
        if not key:
            raise click.UsageError("--url needs --key (a key with the import's scope).")
        return imports.through_api(url, key)
    if key:
        raise click.UsageError("--key goes with --url.")
    _needs_mongo(EMBEDDED_IMPORT)
    return imports.direct


def _import(kind: str, path: Path, write, **read) -> None:
    try:
        lines = imports.read_file(kind, path, **read)
        total = sum(1 for line in lines if line.body is not None)
        with click.progressbar(length=total, label=f"Importing {kind}",
                               file=sys.stderr, show_pos=True) as bar:
            summary = imports.run(kind, lines, write, bar.update)
    except imports.ImportRefused as error:
        raise click.ClickException(str(error)) from None
    counts = summary.counts
    click.echo(f"{kind}: {counts['created']} created, {counts['updated']} updated, "
               f"{counts['unchanged']} unchanged, {counts['rejected']} rejected"
               + (f", {counts['skipped']} skipped (draft or archived)"
                  if counts["skipped"] else ""))
    for number, why in summary.rejected:
        click.echo(f"line {number}: {why}")
    if counts["rejected"]:
        sys.exit(1)


_url = click.option("--url", help="A running server to import through (its merchant API).")
_key = click.option("--key", envvar="CONCIERGE_IMPORT_KEY",
                    help="Merchant API key for --url (or CONCIERGE_IMPORT_KEY).")


@import_cli.command("products")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["auto", "shopify", "jsonl"]),
              default="auto", show_default=True, help="auto: .csv is Shopify, else JSONL.")
@click.option("--currency", default=None, help="Currency of Shopify prices "
              "(default CONCIERGE_CURRENCY, USD).")
@click.option("--store-url", default=None,
              help="The store's address; product links become STORE_URL/products/HANDLE.")
@_url
@_key
def import_products(file, fmt, currency, store_url, url, key):
    """Import a Shopify product CSV export or JSON Lines of product bodies."""
    write = _target(url, key)
    _import("products", file, write, fmt=fmt, store_url=store_url,
            currency=currency or current_app.config["CONCIERGE_CURRENCY"])


@import_cli.command("orders")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_url
@_key
def import_orders(file, url, key):
    """Import JSON Lines of order bodies (each with its orderNumber)."""
    _import("orders", file, _target(url, key))
