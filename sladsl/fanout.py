"""Jobs run in forked worker processes, their results handed back in the order of the jobs.

`sladsl eval` reads and checks tickets in its own process (duplicate ids and skipped rows are
about the whole file, so reading stays sequential) and hands each chunk to a worker, which judges
it and formats its lines; the parent writes the lines and adds up the tallies in file order, so
the output is byte for byte the one-process output (tests/test_fanout.py). On a 2-core machine
this is what brings 1,000,000 tickets under the time of the hand-written DuckDB query
(benchmarks/bench_peer.py): DuckDB runs on both cores, and so do we.

The workers are forked before the first job is read: they share the loaded contract, its
calendars and the writer's caches without pickling any of it, and no reader thread (Arrow's CSV
reader has a pool) exists yet to be copied in the middle of holding a lock. Forking a process
that has loaded NumPy and Arrow is safe on Linux only (macOS's system libraries are not
fork-safe); elsewhere, and for small files, everything runs in one process.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:  # imported by the workers' first use: not on every `sladsl eval` start
    from multiprocessing.connection import Connection

WORKERS_VARIABLE = "SLADSL_WORKERS"
# Below this many bytes of input the fork and the pickling cost more than a second core gives.
MIN_BYTES = 8 << 20
# Reading and checking stay in the parent, about two fifths of the work of `eval`: past three
# workers the parent is the limit, and each worker holds ~140 MiB (10M tickets, 4 workers: 1.04 GiB).
MAX_WORKERS = 3
MAX_ASKED = 64  # what `SLADSL_WORKERS` may ask for


class WorkerFailed(RuntimeError):
    """A worker stopped without an answer (killed, out of memory) or hit an error that does not
    survive pickling (its traceback is the message)."""


def worker_count(size: int) -> int:
    """How many workers for an input of `size` bytes: 0 (run in this process) for a small input,
    without a safe fork, or with one usable core; else one per usable core, up to `MAX_WORKERS`.
    `SLADSL_WORKERS` overrides (0 or 1: one process; at most `MAX_ASKED`); any other value is a
    ValueError saying so."""
    wanted = os.environ.get(WORKERS_VARIABLE, "").strip()
    if wanted and not (wanted.isdigit() and int(wanted) <= MAX_ASKED):
        raise ValueError(f"{WORKERS_VARIABLE}={wanted!r}: give a number of worker processes from 0 "
                         f"to {MAX_ASKED} (0 or 1: judge in one process)")
    if not sys.platform.startswith("linux"):
        return 0
    if wanted:
        return int(wanted) if int(wanted) > 1 else 0
    if size < MIN_BYTES:
        return 0
    cores = min(len(os.sched_getaffinity(0)), MAX_WORKERS)
    return cores if cores > 1 else 0


def ordered_map(start: Callable[[int], Callable[[Any], Any]], jobs: Iterable[Any],
                workers: int) -> Iterator[Any]:
    """`map(work, jobs)` run in `workers` forked processes, one job in flight per worker, results
    in the order of the jobs. Worker `k` (0, 1, ...) calls `start(k)` once for its `work`, so a
    worker can use what the parent made for it before the fork (a `Spool`).

    An error is raised where `map` would raise it: an error of `work` (pickled back) when its
    job's turn comes, an error of `jobs` itself once every earlier job's result is out. Pending
    work is dropped and the workers stopped when the caller stops early.
    """
    sys.stdout.flush()  # a forked child must not inherit, and later flush, the parent's buffers
    sys.stderr.flush()
    pool = [_Worker(start, index) for index in range(workers)]
    try:
        idle: deque[_Worker] = deque(pool)
        busy: deque[_Worker] = deque()
        jobs = iter(jobs)
        while True:
            try:
                job = next(jobs)
            except StopIteration:
                break
            except BaseException:
                while busy:  # an earlier job's result, or its error, comes first
                    yield busy.popleft().result()
                raise
            if not idle:
                worker = busy.popleft()
                yield worker.result()
                idle.append(worker)
            worker = idle.popleft()
            worker.send(job)
            busy.append(worker)
        while busy:
            yield busy.popleft().result()
    finally:
        for worker in pool:
            worker.stop()


class _Worker:
    """A forked process answering jobs over a pipe, one at a time."""

    def __init__(self, start: Callable[[int], Callable[[Any], Any]], index: int) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, start, index), daemon=True)
        self.process.start()
        child.close()

    def send(self, job: Any) -> None:
        self.conn.send(job)

    def result(self) -> Any:
        try:
            ok, value = self.conn.recv()
        except (EOFError, OSError):
            code = self.process.exitcode
            raise WorkerFailed("a worker process stopped without an answer"
                               + (f" (exit code {code})" if code is not None else "")
                               + f"; set {WORKERS_VARIABLE}=1 to run in one process") from None
        if not ok:
            raise value
        return value

    def stop(self) -> None:
        """Ask the worker to finish, or end it when it is still working (the caller stopped)."""
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(timeout=0.5)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()
        self.conn.close()


def _serve(conn: Connection, start: Callable[[int], Callable[[Any], Any]], index: int) -> None:
    """The worker's loop: a job in, `(True, result)` or `(False, error)` out, until `None`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    work = start(index)
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        try:
            answer = (True, work(job))
        except Exception as error:  # noqa: BLE001 - handed to the parent, raised there
            answer = (False, error)
        try:
            conn.send(answer)
        except OSError:  # the parent is gone: nobody to answer
            return
        except Exception as unsent:  # noqa: BLE001 - what does not pickle: its traceback instead
            import traceback

            failure = unsent if answer[0] else answer[1]
            conn.send((False, WorkerFailed("".join(traceback.format_exception(failure)))))


class Spool:
    """A file in memory that a worker writes a result into and the parent copies to its output
    with `os.sendfile`: tens of megabytes of text per chunk never pass through a pipe, a pickle or
    a Python object. Made in the parent before the fork, so both hold it; one per worker, reused
    for each of its jobs (the parent copies a result out before the worker gets its next job)."""

    def __init__(self) -> None:
        create = getattr(os, "memfd_create", None)
        if create is not None:
            self.fd = create("sladsl-spool")
        else:  # pragma: no cover - Linux before 3.17
            import tempfile

            self.fd = os.dup(tempfile.TemporaryFile().fileno())
        self._text: TextIO | None = None

    def text(self) -> TextIO:
        """The worker's side, rewound: a UTF-8 text stream writing from the start of the file."""
        if self._text is None:
            self._text = open(self.fd, "w", encoding="utf-8", newline="", closefd=False)  # noqa: SIM115
        self._text.seek(0)
        return self._text

    def written(self) -> int:
        """The worker's side: how many bytes the result now written holds."""
        assert self._text is not None
        self._text.flush()
        return os.lseek(self.fd, 0, os.SEEK_CUR)

    def copy_to(self, handle: TextIO, length: int) -> None:
        """The parent's side: the first `length` bytes, appended to the text stream `handle`."""
        handle.flush()
        try:
            out = handle.fileno()
        except (AttributeError, OSError, ValueError):  # a stream in memory (tests, embedding)
            out = -1
        offset = 0
        if out >= 0:
            try:
                while offset < length:
                    offset += os.sendfile(out, self.fd, offset, length - offset)
                return
            except OSError as error:
                if error.errno not in (errno.EINVAL, errno.ENOSYS) or offset:
                    raise
        from sladsl.arrow_csv import write_utf8

        blocks = []
        while offset < length:
            blocks.append(os.pread(self.fd, length - offset, offset))
            offset += len(blocks[-1])
        write_utf8(handle, b"".join(blocks))

    def close(self) -> None:
        os.close(self.fd)
