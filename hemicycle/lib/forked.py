"""Two cores for one job: a map over a stream computed in a forked child process while
this one consumes it.

``forked_map(items, func)`` yields ``func(item)`` for each item, in order, like ``map``:
a child process iterates ``items`` and applies ``func`` while this process uses the
results; they come back through a pipe in batches (pickled). Where the platform cannot
fork, on one core, or away from the main thread, it is plain ``map``.
``forked_call(func)`` is the same for one call: ``func()`` runs in a child while this
process does the other half of a job.

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

import gc
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Pipe
from queue import Queue
from typing import TypeVar

_BATCH, _END, _ERROR = "batch", "end", "error"
T = TypeVar("T")


class ChildGone(RuntimeError):
    """The child process stopped without sending its results."""


def can_fork() -> bool:
    """Whether to fork: where the platform can, with a second core to run the child, and
    only from the main thread (a web server's request threads do the work themselves: a
    child forked beside other threads could wait forever on a lock one of them held)."""
    return (hasattr(os, "fork") and (os.cpu_count() or 1) > 1
            and threading.current_thread() is threading.main_thread())


def _pipe():
    """A one-way pipe, as large as the system allows (1 MiB by default on Linux, against
    64 KiB): a batch then goes through in one write."""
    receiver, sender = Pipe(duplex=False)
    try:
        import fcntl

        with open("/proc/sys/fs/pipe-max-size") as limit:
            fcntl.fcntl(sender.fileno(), fcntl.F_SETPIPE_SZ, int(limit.read()))
    except (ImportError, AttributeError, OSError, ValueError):
        pass  # not Linux: the default size
    return receiver, sender


def forked_map(items: Iterable, func: Callable, *, batch: int = 1000) -> Iterator:
    if not can_fork():
        yield from map(func, items)
        return
    child = _Child(items, func, batch)
    try:
        yield from child.results()
    finally:
        child.reap()


@contextmanager
def forked_call(func: Callable[[], T]) -> Iterator[Callable[[], T]]:
    """``func()`` computed in a forked child from now on, while this process does other
    work; the ``with`` block gets a function that waits for the result and returns it::

        with forked_call(lambda: slow(second_half)) as rest:
            results = slow(first_half) + rest()

    Where ``can_fork()`` says no, ``func`` runs in this process when its result is asked
    for. Leaving the block without asking (an error) kills the child."""
    if not can_fork():
        yield func
        return
    child = _Child((None,), lambda _: func(), 1)
    try:
        yield lambda: list(child.results())[0]
    finally:
        child.reap()


class _Child:
    """A forked child computing ``func`` over ``items``, and its results as they come."""

    def __init__(self, items: Iterable, func: Callable, batch: int):
        self.receiver, sender = _pipe()
        self.finished = False
        self.pid = os.fork()
        if self.pid == 0:  # pragma: no cover - the child's side (its results are tested)
            status = 1
            try:
                self.receiver.close()
                status = _child(items, func, sender, batch)
            finally:
                os._exit(status)  # whatever happened: never back into the parent's code
        sender.close()

    def results(self) -> Iterator:
        while True:
            try:
                kind, payload = _receive(self.receiver)
            except EOFError:
                self.finished = True  # the pipe closed: the child is gone
                raise ChildGone("the child process stopped before the end") from None
            if kind == _BATCH:
                yield from payload
                continue
            self.finished = True
            if kind == _END:
                return
            raise payload

    def reap(self) -> None:
        """Close the pipe and wait for the child, killed first if it is still at work."""
        self.receiver.close()
        if not self.finished:
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)


def _child(items: Iterable, func: Callable, sender, size: int, ahead: int = 64) -> int:
    """The child's side: compute, pickle, and let a second thread send the pickles
    through a queue of ``ahead`` batches, so that the work goes on while the parent is
    busy elsewhere (the pipe alone holds one batch at most)."""
    # The inherited objects stay out of the collector's reach: a collection would touch
    # each of them, copying every page of the parent's memory into this process.
    gc.freeze()
    queue: Queue = Queue(maxsize=ahead)

    def send() -> None:
        while True:
            message = queue.get()
            if message is None:
                return
            try:
                sender.send_bytes(message)
            except BaseException:  # noqa: BLE001 - the parent is gone
                os._exit(1)

    # The sending thread waits for the GIL after each write to the pipe: let it have it
    # back soon (the default 5 ms a write would stall the parent's reads).
    sys.setswitchinterval(0.0005)
    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    status = 0
    try:
        out = []
        for item in items:
            out.append(func(item))
            if len(out) >= size:
                queue.put(_dumps((_BATCH, out)))
                out = []
        if out:
            queue.put(_dumps((_BATCH, out)))
        queue.put(_dumps((_END, None)))
    except BaseException as error:  # noqa: BLE001 - every error goes to the parent
        try:
            message = _dumps((_ERROR, error))
        except Exception:  # noqa: BLE001 - an error (or a result) that does not pickle
            message = _dumps((_ERROR, RuntimeError(f"{type(error).__name__}: {error}")))
        queue.put(message)
        status = 1
    queue.put(None)
    thread.join()
    return status


def _dumps(message: tuple) -> bytes:
    return pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)


def _receive(receiver) -> tuple:
    return pickle.loads(receiver.recv_bytes())
