"""Two cores for one job: a map over a stream computed in a forked child process while
this one consumes it.

``forked_map(items, func)`` yields ``func(item)`` for each item, in order, like ``map``:
a child process iterates ``items`` and applies ``func`` while this process uses the
results; they come back through a pipe in batches (pickled). Where the platform cannot
fork, or away from the main thread, it is plain ``map``.

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
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Pipe
from queue import Queue

_BATCH, _END, _ERROR = "batch", "end", "error"


class ChildGone(RuntimeError):
    """The child process stopped without sending its results."""


def can_fork() -> bool:
    """Whether to fork: where the platform can, and only from the main thread (a web
    server's request threads do the work themselves: a child forked beside other
    threads could wait forever on a lock one of them held)."""
    return hasattr(os, "fork") and threading.current_thread() is threading.main_thread()


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
    receiver, sender = _pipe()
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
                kind, payload = _receive(receiver)
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


def _child(items: Iterable, func: Callable, sender, size: int, ahead: int = 64) -> int:
    """The child's side: compute, pickle, and let a second thread send the pickles
    through a queue of ``ahead`` batches, so that the work goes on while the parent is
    busy elsewhere (the pipe alone holds one batch at most)."""
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
