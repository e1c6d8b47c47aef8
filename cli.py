"""The `tsunagu` command: serve, seed, token, login-link, migrate, backup, restore, export-schema,
register-operations."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import uvicorn
from tortoise import Tortoise

from database.backup import BackupError, backup, restore
from database.connection import (
    create_database_if_missing,
    create_schema,
    open_database,
    pending_model_changes,
)
from edge.mail_sender import SenderChild, lower_priority, watch_parent
from edge.observability import configure_logging
from models import Alliance, ApiToken, Role, TokenScope
from resolvers.accounts import actor_of, create_user_with_token, token_row
from resolvers.cluster.data_version import bump_shared
from resolvers.errors import Refused, Unauthenticated
from resolvers.mail.sender import queue_due, run_sender, send_all_due
from resolvers.portal_session import LOGIN_LINK_PATH, create_login_link
from seed.dataset import read_dataset
from seed.loader import SeedError, SeedReport, load_dataset
from seed.search_bodies import rebuild_stale_bodies
from settings import Settings


async def tell_running_service(settings: Settings) -> None:
    """Raise the shared data version after a write, so the service's cached answers are stale."""
    if not await bump_shared(settings.redis_url):
        print(
            "tsunagu: Redis did not answer; a running service shows this change within "
            "TSUNAGU_RESPONSE_CACHE_TTL seconds",
            file=sys.stderr,
        )


async def seed_database(settings: Settings, *, only_if_empty: bool = False) -> SeedReport | None:
    """Create the schema and load the dataset; with `only_if_empty`, skip a database in use (but
    rebuild its search bodies if an upgrade changed how they are written)."""
    await open_database(settings.database_url)
    try:
        await create_schema()
        if only_if_empty and await Alliance.exists():
            if await rebuild_stale_bodies():
                print("search bodies rebuilt in the current format", file=sys.stderr)
                await bump_shared(settings.redis_url)
            return None
        report = await load_dataset(read_dataset(settings.data_dir))
        await tell_running_service(settings)
        return report
    finally:
        await Tortoise.close_connections()


def command_seed(args: argparse.Namespace) -> int:
    try:
        report = asyncio.run(seed_database(Settings.from_env()))
    except SeedError as error:
        print(error, file=sys.stderr)
        return 1
    assert report is not None
    print("\n".join(report.lines()))
    return 0


@contextmanager
def shared_metrics(workers: int) -> Iterator[None]:
    """With several workers, let them write their metrics to one directory that /metrics reads.

    An operator's `PROMETHEUS_MULTIPROC_DIR` is used (and emptied: samples of an earlier run would
    be counted again); otherwise a temporary directory lives as long as the service.
    """
    given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if workers < 2 and not given:
        yield
        return
    directory = Path(given) if given else Path(tempfile.mkdtemp(prefix="tsunagu-metrics-"))
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)
    try:
        yield
    finally:
        if not given:
            shutil.rmtree(directory, ignore_errors=True)


def command_serve(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    try:
        report = asyncio.run(seed_database(settings, only_if_empty=True))
    except SeedError as error:
        print(error, file=sys.stderr)
        return 1
    if report is not None:
        print("first start: seed dataset loaded", file=sys.stderr)
    os.environ["TSUNAGU_LOG_LEVEL"] = args.log_level  # read by every worker's `server.app()` and the sender
    configure_logging(args.log_level)  # for what this process says of its mail sender
    # Read by every worker's `edge.slow_clients.deadlines()`.
    os.environ["TSUNAGU_HEADER_TIMEOUT"] = str(args.header_timeout or settings.header_timeout)
    os.environ["TSUNAGU_BODY_TIMEOUT"] = str(args.body_timeout or settings.body_timeout)
    if args.workers > 1 and not settings.redis_url:
        # Each worker would keep its own data version, blind to the others' writes.
        os.environ["TSUNAGU_RESPONSE_CACHE_TTL"] = "0"
        print("several workers without REDIS_URL: the response cache is off", file=sys.stderr)
    with shared_metrics(args.workers), (SenderChild() if settings.mail_sender else nullcontext()):
        uvicorn.run(
            "server:app",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_level=args.log_level,
            loop="uvloop",
            http="edge.slow_clients:DeadlineHttpToolsProtocol",
            access_log=False,  # Tsunagu logs each request itself, as JSON with its request id
            proxy_headers=False,  # the app reads them itself, from TSUNAGU_FORWARDED_ALLOW_IPS only
        )
    return 0


async def new_user_token(args: argparse.Namespace) -> tuple[ApiToken, str]:
    return await create_user_with_token(
        name=args.name or f"{args.role} user",
        role=Role(args.role),
        municipality_code=args.municipality,
        partner_slug=args.partner,
        scopes=frozenset({TokenScope.READ} if args.read_only else TokenScope),
    )


async def issue_token(settings: Settings, args: argparse.Namespace) -> str:
    await open_database(settings.database_url)
    try:
        await create_schema()
        _, token = await new_user_token(args)
        await tell_running_service(settings)
        return token
    finally:
        await Tortoise.close_connections()


async def make_login_link(settings: Settings, args: argparse.Namespace) -> str:
    """A one-time portal sign-in link for an existing token's user, or for a new user."""
    await open_database(settings.database_url)
    try:
        await create_schema()
        if args.token:
            row = await token_row(args.token.strip())
            actor_of(row)
        else:
            row, _ = await new_user_token(args)
            await tell_running_service(settings)
        code, _ = await create_login_link(row)
        return f"{args.base_url.rstrip('/')}{LOGIN_LINK_PATH}{code}"
    finally:
        await Tortoise.close_connections()


def command_token(args: argparse.Namespace) -> int:
    try:
        token = asyncio.run(issue_token(Settings.from_env(), args))
    except Refused as refusal:
        print(f"tsunagu token: {refusal.message}", file=sys.stderr)
        return 1
    print(token)
    return 0


async def register_operations(settings: Settings) -> list[tuple[str, str, str]]:
    from schema.contract.documents import trusted_operations
    from server import register_trusted_operations

    await open_database(settings.database_url)
    try:
        await create_schema()
        await register_trusted_operations(settings)
        return list(trusted_operations(settings.trusted_operations_dir))
    finally:
        await Tortoise.close_connections()


def command_register_operations(args: argparse.Namespace) -> int:
    for sha256, name, _ in asyncio.run(register_operations(Settings.from_env())):
        print(f"{sha256}  {name}")
    return 0


def command_login_link(args: argparse.Namespace) -> int:
    if not args.token and not args.role:
        print("tsunagu login-link: give --token, or --role to create a user", file=sys.stderr)
        return 2
    try:
        link = asyncio.run(make_login_link(Settings.from_env(), args))
    except (Refused, Unauthenticated) as refusal:
        print(f"tsunagu login-link: {refusal.message}", file=sys.stderr)
        return 1
    print(link)
    return 0


async def migrate(settings: Settings, check: bool) -> list[str]:
    await create_database_if_missing(settings.database_url)
    await open_database(settings.database_url)
    try:
        if check:
            return await pending_model_changes()
        await create_schema()
        return []
    finally:
        await Tortoise.close_connections()


def command_migrate(args: argparse.Namespace) -> int:
    pending = asyncio.run(migrate(Settings.from_env(), args.check))
    if pending:
        print(f"tsunagu migrate --check: the models have changes no migration records: {pending}. "
              "Run `python -m tortoise -c models.TORTOISE_ORM makemigrations` and commit the result.",
              file=sys.stderr)
        return 1
    print("migrations: models and migrations agree" if args.check else "migrations applied", file=sys.stderr)
    return 0


def command_backup(args: argparse.Namespace) -> int:
    try:
        backup(Settings.from_env().database_url, Path(args.file))
    except BackupError as error:
        print(f"tsunagu backup: {error}", file=sys.stderr)
        return 1
    print(f"backed up to {args.file}", file=sys.stderr)
    return 0


def command_restore(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    try:
        restore(settings.database_url, Path(args.file))
    except BackupError as error:
        print(f"tsunagu restore: {error}", file=sys.stderr)
        return 1
    asyncio.run(tell_running_service(settings))
    print(f"restored from {args.file}", file=sys.stderr)
    return 0


async def send_mail(settings: Settings, once: bool, parent: int | None) -> int:
    """Deliver the outbox: what is due now (`--once`), or until SIGTERM, SIGINT or, with `parent`,
    the end of the service that started this process."""
    await open_database(settings.database_url)
    try:
        if once:
            await queue_due(settings)
            return await send_all_due(settings)
        stop = asyncio.Event()
        for stopping in (signal.SIGTERM, signal.SIGINT):
            asyncio.get_running_loop().add_signal_handler(stopping, stop.set)
        watching = asyncio.create_task(watch_parent(parent, stop)) if parent is not None else None
        await run_sender(settings, stop)
        if watching is not None:
            await watching
        return 0
    finally:
        await Tortoise.close_connections()


def command_send_mail(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    configure_logging(os.environ.get("TSUNAGU_LOG_LEVEL", "info"))  # JSON lines, as the service's
    if args.parent is not None:
        logging.getLogger("tsunagu.mail").info("sending mail beside the service (pid %s), at %s", args.parent, lower_priority())
    claimed = asyncio.run(send_mail(settings, args.once, args.parent))
    where = "SMTP_URL" if settings.smtp_url else settings.mail_directory
    print(f"{claimed} message(s) handled ({where})")
    return 0


def command_export_schema(args: argparse.Namespace) -> int:
    from schema import schema

    print(schema.as_str())
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="tsunagu", description="Tsunagu: the mayors' alliance service.")
    commands = root.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the GraphQL service (seeds an empty database first)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--log-level", default="info")
    serve.add_argument(
        "--header-timeout", type=float, metavar="SECONDS",
        help="time a client has to send a request's headers, else 408 (TSUNAGU_HEADER_TIMEOUT, 10)",
    )
    serve.add_argument(
        "--body-timeout", type=float, metavar="SECONDS",
        help="time a client has to send a request's body after its headers, else 408 (TSUNAGU_BODY_TIMEOUT, 30)",
    )
    serve.set_defaults(handler=command_serve)

    seed = commands.add_parser("seed", help="load the seed dataset (idempotent, transactional)")
    seed.set_defaults(handler=command_seed)

    token = commands.add_parser("token", help="create a user and print a bearer token (shown once)")
    token.add_argument("--role", required=True, choices=[role.value for role in Role])
    token.add_argument("--municipality", metavar="CODE", help="six-digit code (MUNICIPALITY users)")
    token.add_argument("--partner", metavar="SLUG", help="partner slug (PARTNER users)")
    token.add_argument("--name", help="the user's name")
    token.add_argument("--read-only", action="store_true", help="a token with the READ scope only")
    token.set_defaults(handler=command_token)

    link = commands.add_parser(
        "login-link", help="print a portal sign-in link, valid once for 15 minutes, for a token or a new user"
    )
    link.add_argument("--token", help="an existing bearer token whose user signs in")
    link.add_argument("--role", choices=[role.value for role in Role], help="create a user of this role instead")
    link.add_argument("--municipality", metavar="CODE", help="six-digit code (MUNICIPALITY users)")
    link.add_argument("--partner", metavar="SLUG", help="partner slug (PARTNER users)")
    link.add_argument("--name", help="the new user's name")
    link.add_argument("--read-only", action="store_true", help="the new user's token has the READ scope only")
    link.add_argument("--base-url", default="http://127.0.0.1:8000", help="where the service is reached")
    link.set_defaults(handler=command_login_link)

    send = commands.add_parser(
        "send-mail", help="deliver the email outbox over SMTP_URL (or to the maildir without it)"
    )
    send.add_argument("--once", action="store_true", help="send what is due now, then stop")
    send.add_argument(
        "--parent", type=int, metavar="PID",
        help="run beside this process (as `tsunagu serve` starts it): at the lowest CPU priority, ending with it",
    )
    send.set_defaults(handler=command_send_mail)

    migrate_command = commands.add_parser(
        "migrate", help="apply the migrations in migrations/ (--check: fail if the models have unrecorded changes)"
    )
    migrate_command.add_argument("--check", action="store_true", help="only check that models and migrations agree")
    migrate_command.set_defaults(handler=command_migrate)

    backup_command = commands.add_parser(
        "backup", help="copy the whole database to FILE (SQLite: online; PostgreSQL: pg_dump custom format)"
    )
    backup_command.add_argument("file", metavar="FILE")
    backup_command.set_defaults(handler=command_backup)

    restore_command = commands.add_parser(
        "restore", help="replace the database with the backup in FILE (stop the service first)"
    )
    restore_command.add_argument("file", metavar="FILE")
    restore_command.set_defaults(handler=command_restore)

    export = commands.add_parser("export-schema", help="print the schema as SDL")
    export.set_defaults(handler=command_export_schema)

    register = commands.add_parser(
        "register-operations",
        help="register the trusted operations of clients/python/operations (the server also does at start) "
        "and print each one's hash",
    )
    register.set_defaults(handler=command_register_operations)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
