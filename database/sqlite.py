"""SQLite shared by several processes (`tsunagu serve --workers N`): Tortoise's client, except
that a transaction takes the write lock when it begins.

SQLite lets many processes read a file but only one write it at a time. Tortoise begins
transactions DEFERRED: the lock is taken at the first write, and if another process committed
since the transaction's first read, SQLite refuses at once with "database is locked" (waiting
could not help: the transaction has read a snapshot that is no longer current). BEGIN IMMEDIATE
takes the lock first, waiting for it up to the busy timeout, so a write transaction never meets
another's commit halfway. Within one process Tortoise already runs one transaction at a time.
"""

from __future__ import annotations

from typing import Any

from tortoise.backends.base.client import TransactionalDBClient, TransactionContext
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.connection import get_connections

BUSY_TIMEOUT_MS = 5_000
"""How long a write waits for another process to finish its transaction before it fails."""


class ImmediateTransactionWrapper(SqliteTransactionWrapper):
    async def begin(self) -> None:
        await self._connection.commit()
        await self._connection.execute("BEGIN IMMEDIATE")


class ImmediateTransactionContext(SqliteTransactionContext):
    """Tortoise's context, which also lets the connection go when BEGIN fails (the lock was not
    taken in time): Tortoise's would keep the process's transaction lock for ever."""

    async def __aenter__(self) -> TransactionalDBClient:
        await self._trxlock.acquire()
        try:
            await self.ensure_connection()
            self.token = get_connections().set(self.connection_name, self.connection)
            try:
                await self.connection.begin()
            except BaseException:
                get_connections().reset(self.token)
                raise
        except BaseException:
            self._trxlock.release()
            raise
        return self.connection


class SharedSqliteClient(SqliteClient):
    def __init__(self, file_path: str, **kwargs: Any) -> None:
        kwargs.setdefault("busy_timeout", BUSY_TIMEOUT_MS)
        super().__init__(file_path, **kwargs)

    def _in_transaction(self) -> TransactionContext:
        return ImmediateTransactionContext(ImmediateTransactionWrapper(self), self._lock)


client_class = SharedSqliteClient
