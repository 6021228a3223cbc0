"""The API against its own OpenAPI 3 schema, by schemathesis: every operation that the schema
served at ``/api/v1/schema/`` lists is called with generated requests, valid ones and ones that
break the schema, through the project's WSGI application in-process (inside the test's
transaction), as a write-capable system client of site A that may read personal data and as a
helper's personal token. No answer may be a server error, and every answer must be one the
schema documents: its status code, its content type and its body.

Bounded: ``BUDGET`` requests a caller, shared among the operations; no example database (nothing
is written to ``.hypothesis/``), no deadline. The cases are random (not derandomized): a run may
find what the previous one did not. Every operation is fuzzed before the test fails, and the
failure lists each operation that went wrong with a request that reproduces it (a curl command)."""

import datetime
import tempfile
import traceback
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from casework.api.services import api_client_create, api_token_create
from casework.pairing.models import Visit
from casework.policy.models import Parameter
from casework.wsgi import application

pytestmark = pytest.mark.django_db

# Hypothesis keeps caches (constants read in the project's code, Unicode tables) in .hypothesis/
# under the working directory; these go to the temporary directory instead, not the checkout.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "casework-hypothesis")

SCHEMA_PATH = "/api/v1/schema/?format=json"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
POSITIVE, NEGATIVE = GenerationMode.POSITIVE, GenerationMode.NEGATIVE
# Requests a caller makes in all, shared among the operations that the schema lists (writes get a
# double share), between 5 and 25 per operation and mode: the test's time stays bounded as the
# API grows. The helper's token is about scope, so it sends valid requests only.
BUDGET = {"system": 500, "helper": 200}
MODES = {"system": (POSITIVE, NEGATIVE), "helper": (POSITIVE,)}
FUZZ = settings(
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    report_multiple_bugs=True,
    print_blob=False,
)
# Half of the valid requests name rows that exist (a path's id among the world's first rows, a
# body's household among the caller's), so that answers with bodies are checked too and writes
# succeed now and then, not only 404s and refusals.
SMALL_IDS = st.integers(min_value=1, max_value=8)


@pytest.fixture
def app() -> Iterator[object]:
    """The project's WSGI application, each request inside the test's transaction. At the end of
    a request Django closes the connection (``close_old_connections``), which would end the
    test's transaction; Django's own test client turns that off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _unthrottled():
    caches["shared"].clear()
    Parameter.objects.create(
        key="api.requests_per_minute", value=100000, valid_from=datetime.date(2020, 1, 1)
    )
    yield
    caches["shared"].clear()


def _token(world, who: str) -> str:
    if who == "system":
        _client, token = api_client_create(
            actor=world.admin, name="接口模式测试", site=world.site_a, access="write",
            personal_data=True,
        )  # fmt: skip
    else:
        _row, token = api_token_create(actor=world.helper, name="接口模式测试", access="write")
    return token


def _cases(operation, mode: GenerationMode, headers: dict[str, str], households: list[int]):
    cases = operation.as_strategy(generation_mode=mode, headers=headers)
    if mode is not POSITIVE:
        return cases

    @st.composite
    def with_known_ids(draw):
        case = draw(cases)
        if "id" in (case.path_parameters or {}):
            case.path_parameters["id"] = draw(SMALL_IDS)
        if isinstance(case.body, dict) and "household" in case.body:
            case.body["household"] = draw(st.sampled_from(households))
        return case

    return st.one_of(cases, with_known_ids())


class _ServerError(Exception):
    def __init__(self, response):
        self.response = response


def _call(case, headers):
    """One request, in a savepoint of the test's transaction: what a request that failed with a
    server error wrote is undone, and on PostgreSQL the transaction it broke is usable again (in
    production each request has its own), so one 500 does not turn every later answer into one."""
    try:
        with transaction.atomic():
            response = case.call(headers=headers)
            if response.status_code >= 500:
                raise _ServerError(response)
    except _ServerError as error:
        return error.response
    return response


def _report(exc: BaseException) -> str:
    """Schemathesis's own report of what failed (it names the request, with a curl command), or
    the traceback of anything else that went wrong."""
    if isinstance(exc, FailureGroup):
        return str(exc)
    if isinstance(exc, BaseExceptionGroup):  # Hypothesis found more than one distinct failure
        return "\n".join(_report(inner) for inner in exc.exceptions)
    return "".join(traceback.format_exception(exc))


def _examples(operations, who: str) -> dict:
    """How many requests each operation gets in each mode."""
    weight = {op.label: 1 if op.method.upper() in ("GET", "HEAD") else 2 for op in operations}
    share = BUDGET[who] / (sum(weight.values()) * len(MODES[who]))
    return {label: min(25, max(5, round(share * w))) for label, w in weight.items()}


def _fuzz(operation, mode, examples: int, headers, households, seen: Counter) -> str | None:
    """Call ``operation`` with generated cases; the report of what failed, or None."""

    @settings(FUZZ, max_examples=examples)
    @given(case=_cases(operation, mode, headers, households))
    def run(case):
        response = _call(case, headers)
        seen[operation.label, response.status_code] += 1
        case.validate_response(response, checks=CHECKS, headers=headers)

    try:
        run()
    # Schemathesis's failures are a BaseExceptionGroup: each operation is fuzzed, then all that
    # failed are reported together.
    except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001
        return _report(exc)
    return None


@pytest.mark.parametrize("who", ["system", "helper"])
def test_every_operation_answers_as_its_schema_says(world, app, who):
    headers = {"Authorization": f"Bearer {_token(world, who)}"}
    schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, app, headers=headers)
    failures, operations = [], []
    for result in schema.get_all_operations():
        if isinstance(result, Ok):
            operations.append(result.ok())
        else:  # an operation the schema describes so that no request can be made for it
            failures.append(f"=== the schema ===\n{_report(result.err())}")
    labels = {operation.label for operation in operations}
    assert "POST /api/v1/visits/" in labels, labels

    # The households the caller may write to: site A's for the system client, the paired one for
    # the helper (the others are still generated: refusals are checked too).
    households = [world.h_a1.pk, world.h_a2.pk] if who == "system" else [world.h_a1.pk]
    examples = _examples(operations, who)
    # Writes first, so that the reads then have what they wrote to show (and check).
    operations.sort(key=lambda operation: operation.method.upper() in ("GET", "HEAD"))
    seen: Counter = Counter()
    for operation in operations:
        for mode in MODES[who]:
            report = _fuzz(operation, mode, examples[operation.label], headers, households, seen)
            if report:
                failures.append(f"=== {operation.label} ({mode.value}) ===\n{report}")
    answers = "\n".join(f"  {label} → {status}: {n}" for (label, status), n in sorted(seen.items()))
    assert not failures, "\n\n".join([*failures, f"Answers given:\n{answers}"])
    # The write was exercised; the system client's succeeded now and then (the helper's may not, in
    # so few requests), and landed in this test's database.
    assert any(label == "POST /api/v1/visits/" for label, _status in seen), answers
    if who == "system":
        assert seen["POST /api/v1/visits/", 201] and Visit.objects.exists(), answers
