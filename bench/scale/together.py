"""Placement steps completed by several caseworkers at the same time, through the service path
(``task_complete`` + ``placement_record``, as ``Bench.complete``): how many per second the
database and the audit chain's lock let through, not how long one takes alone.

Each caseworker is a process of its own (forked, with its own connection: Python threads would
share one interpreter lock), completing its share of the steps; the steps are all different
processes of one grid. PostgreSQL only: SQLite lets one writer in at a time.
"""

import json
import os
import statistics
import time
import traceback
from typing import Any

from django.db import connection, connections

from workflows.services import task_complete
from workflows.subjects import subject_context


def completions_together(bench: Any, workers: int, count: int) -> dict[str, Any]:
    """``workers`` processes completing ``count`` steps each at once, after one each not
    counted (a warm-up, as ``Bench.complete``): completions per second over the wall-clock
    time from the start signal to the last one done, and each completion's milliseconds."""
    if connection.vendor != "postgresql":
        return {"done": 0, "seconds": None, "service": []}
    actor, tasks = bench._completion_steps(workers * (count + 1))
    work = [(task, subject_context(task.process)["case"]) for task in tasks]
    shares = [work[n::workers] for n in range(workers)]
    connections.close_all()  # each child opens its own
    children = [_start(actor, share) for share in shares]
    for child in children:
        os.read(child["ready"], 1)  # warmed up
    began = time.perf_counter()
    for child in children:
        os.write(child["go"], b"x")
    answers = [_answer(child) for child in children]
    seconds = time.perf_counter() - began
    failed = [a["error"] for a in answers if "error" in a]
    if failed:
        raise RuntimeError("a completing process failed:\n" + failed[0])
    service = [ms for a in answers for ms in a["service"]]
    return {"done": len(service), "seconds": seconds, "service": service,
            "median": statistics.median(service)}  # fmt: skip


def _start(actor: Any, share: list[tuple[Any, Any]]) -> dict[str, Any]:
    ready_r, ready_w = os.pipe()
    go_r, go_w = os.pipe()
    out_r, out_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: complete the share, answer on its pipe, and leave at once
        try:
            _child(actor, share, ready_w, go_r, out_w)
        finally:
            os._exit(0)  # never back into the tier's worker (nor its database's teardown)
    for fd in (ready_w, go_r, out_w):
        os.close(fd)
    return {"pid": pid, "ready": ready_r, "go": go_w, "out": out_r}


def _child(actor: Any, share: list[tuple[Any, Any]], ready: int, go: int, out: int) -> None:
    answer: dict[str, Any]
    try:
        _complete(actor, *share[0])  # the warm-up: not counted
        os.write(ready, b"x")
        os.read(go, 1)
        timed = []
        for task, case in share[1:]:
            began = time.perf_counter()
            _complete(actor, task, case)
            timed.append((time.perf_counter() - began) * 1000)
        answer = {"service": timed}
    except BaseException:  # noqa: BLE001 - any failure is reported to the parent
        answer = {"error": traceback.format_exc()}
        os.write(ready, b"x")
    with os.fdopen(out, "w") as stream:
        json.dump(answer, stream)


def _complete(actor: Any, task: Any, case: Any) -> None:
    from .measure import _placement  # measure imports this module

    task_complete(task=task, actor=actor, perform=lambda: _placement(actor, case))


def _answer(child: dict[str, Any]) -> dict[str, Any]:
    with os.fdopen(child["out"]) as out:
        text = out.read()
    os.waitpid(child["pid"], 0)
    for fd in (child["ready"], child["go"]):
        os.close(fd)
    return json.loads(text) if text else {"error": "no answer"}
