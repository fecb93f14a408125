"""Two cores for one job: work computed in a forked child process beside this one.

- ``forked_map(items, func)`` yields ``func(item)`` for each item, in order, like
  ``map``: a child process iterates ``items`` and applies ``func`` while this process
  uses the results; they come back through a pipe in batches (pickled).
- ``forked_halves(items, func)`` is ``func(items)`` for a list, computed as
  ``func(first half)`` here and ``func(second half)`` in a child, concatenated.

Where the platform cannot fork, or away from the main thread, both are the plain
computation.

The child inherits this process's memory (the iterator's state, an open file, lookup
tables) and must not touch what it shares with its parent: ``func`` and the iterator
must be pure computation (no database connection, no output). The child leaves with
``os._exit``, running no clean-up of its parent's objects.

An exception in the child is raised here, at the place of the item that raised it; a
child that dies without a word raises :class:`ChildGone`. Closing the generator early
(an error in the consumer) kills the child. No Django import: this is a tool of the
import pipelines.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Pipe

_BATCH, _END, _ERROR = "batch", "end", "error"


class ChildGone(RuntimeError):
    """The child process stopped without sending its results."""


def can_fork() -> bool:
    """Whether to fork: where the platform can, and only from the main thread (a web
    server's request threads do the work themselves: a child forked beside other
    threads could wait forever on a lock one of them held)."""
    return hasattr(os, "fork") and threading.current_thread() is threading.main_thread()


def forked_map(items: Iterable, func: Callable, *, batch: int = 2000) -> Iterator:
    if not can_fork():
        yield from map(func, items)
        return
    receiver, sender = Pipe(duplex=False)
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's side (its results are tested)
        status = 1
        try:
            receiver.close()
            status = _child(items, func, sender, batch)
        finally:
            os._exit(status)  # whatever happened: never back into the parent's code
    sender.close()
    finished = False
    try:
        while True:
            try:
                kind, payload = receiver.recv()
            except EOFError:
                finished = True  # the pipe closed: the child is gone
                raise ChildGone("the child process stopped before the end") from None
            if kind == _BATCH:
                yield from payload
            elif kind == _END:
                finished = True
                return
            else:
                finished = True
                raise payload
    finally:
        receiver.close()
        if not finished:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def forked_halves(items: list, func: Callable[[list], list], *, at_least: int = 2) -> list:
    """``func(items)``, a list as long as ``items``, with the second half computed in a
    forked child (``func`` must treat each item on its own). Fewer than ``at_least``
    items, or no fork: computed here in one go."""
    if len(items) < max(2, at_least) or not can_fork():
        return func(items)
    half = len(items) // 2
    receiver, sender = Pipe(duplex=False)
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's side (its results are tested)
        status = 1
        try:
            receiver.close()
            status = _child([items[half:]], func, sender, 1)
        finally:
            os._exit(status)
    sender.close()
    finished = False
    try:
        first = func(items[:half])
        out = []
        while True:
            try:
                kind, payload = receiver.recv()
            except EOFError:
                finished = True
                raise ChildGone("the child process stopped before the end") from None
            if kind == _BATCH:
                out.extend(payload)
            elif kind == _END:
                finished = True
                break
            else:
                finished = True
                raise payload
        return [*first, *out[0]]
    finally:
        receiver.close()
        if not finished:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _child(items: Iterable, func: Callable, sender, size: int) -> int:
    try:
        out = []
        for item in items:
            out.append(func(item))
            if len(out) >= size:
                sender.send((_BATCH, out))
                out = []
        if out:
            sender.send((_BATCH, out))
        sender.send((_END, None))
        return 0
    except BaseException as error:  # noqa: BLE001 - every error goes to the parent
        try:
            sender.send((_ERROR, error))
        except Exception:  # noqa: BLE001 - an error that does not pickle
            sender.send((_ERROR, RuntimeError(f"{type(error).__name__}: {error}")))
        return 1
