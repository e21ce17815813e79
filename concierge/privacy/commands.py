"""flask concierge privacy export|erase EMAIL: on MongoDB, a free data folder, or a server's API.

Never on a throwaway store: without MONGO_URI the data lives in a data folder that
one process holds at a time. A folder no server holds is opened here (and held
while the command runs); a folder a server holds is reached through that
server's admin API (--url and --token); the in-memory store is refused.
"""

from __future__ import annotations

import json

import click
import requests
from flask import current_app
from flask.cli import AppGroup
from marshmallow import ValidationError
from pymongo.errors import PyMongoError

from .. import audit
from ..durable import DataDirError, Folder
from . import service
from .schemas import ExportSchema, ShopperSchema

TIMEOUT = (5, 120)
privacy_cli = AppGroup("privacy", help="Export or erase one shopper's data, by email.")

_url = click.option("--url", help="A running server to go through (its admin API), e.g. "
                                  "http://127.0.0.1:8000.")
_token = click.option("--token", envvar="CONCIERGE_ADMIN_TOKEN",
                      help="The admin token for --url (or CONCIERGE_ADMIN_TOKEN).")


def _email(value: str) -> str:
    try:
        return ShopperSchema().load({"email": value})["email"]
    except ValidationError as error:
        raise click.BadParameter(" ".join(error.messages["email"]), param_hint="EMAIL") from None


def _check_store() -> None:
    """Refuse a store this command would only see a copy of; say where to go instead."""
    config = current_app.config["CONCIERGE"]
    if not config.embedded:
        return
    folder = config.data_dir
    if folder is None:
        raise click.ClickException(
            "CONCIERGE_DATA_DIR=memory: the data lives in the memory of the running server. "
            "Go through it: --url http://127.0.0.1:8000 --token $CONCIERGE_ADMIN_TOKEN.")
    holder = Folder(folder).holder()
    if holder is not None:
        raise click.ClickException(
            f"A server (pid {holder}) holds the data folder {folder}. Go through it: "
            "--url http://127.0.0.1:8000 --token $CONCIERGE_ADMIN_TOKEN (or stop it first).")


def _direct(action: str, email: str) -> dict:
    _check_store()
    try:
        return getattr(service, action)(email, audit.command_line())
    except (DataDirError, PyMongoError) as error:
        raise click.ClickException(f"The store cannot be used: {error}") from None


def _through(url: str, token: str | None, method: str, path: str, **kwargs) -> dict:
    if not token:
        raise click.UsageError("--url needs the admin token: --token or CONCIERGE_ADMIN_TOKEN.")
    try:
        answer = requests.request(method, url.rstrip("/") + "/api/concierge/admin/privacy/" + path,
                                  headers={"Authorization": f"Bearer {token}"},
                                  timeout=TIMEOUT, **kwargs)
    except requests.RequestException as error:
        raise click.ClickException(f"Cannot reach {url}: {error}") from None
    if answer.status_code != 200:
        try:
            problem = answer.json()
            why = problem.get("detail") or problem.get("title")
        except ValueError:
            why = answer.text[:200]
        raise click.ClickException(f"{url} answered {answer.status_code}: {why}")
    return answer.json()


@privacy_cli.command("export")
@click.argument("email")
@click.option("--output", "-o", type=click.File("w"), default="-",
              help="Write the JSON here (default: standard output).")
@_url
@_token
def export_command(email, output, url, token):
    """Print every stored document holding EMAIL, as JSON by collection."""
    email = _email(email)
    if url:
        found = _through(url, token, "GET", "export", params={"email": email})
    else:
        found = ExportSchema().dump(_direct("export", email))
    json.dump(found, output, indent=2, sort_keys=True, ensure_ascii=False)
    output.write("\n")
    total = sum(len(docs) for docs in found["collections"].values())
    click.echo(f"{total} document(s) hold {email}.", err=True)


@privacy_cli.command("erase")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@_url
@_token
def erase_command(email, yes, url, token):
    """Erase every stored document holding EMAIL (returns keep their accounts fields)."""
    email = _email(email)
    if not yes:
        click.confirm(f"Erase everything stored about {email}? This cannot be undone",
                      abort=True, err=True)
    if url:
        erased = _through(url, token, "POST", "erase", json={"email": email})["erased"]
    else:
        erased = _direct("erase", email)["erased"]
    click.echo(f"Erased {sum(erased.values())} document(s) holding {email}:")
    for collection, count in sorted(erased.items()):
        click.echo(f"  {collection:26} {count:6}")
