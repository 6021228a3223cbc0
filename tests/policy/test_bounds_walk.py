"""Acceptance 2, second half: the flows never raise for a value the form accepts. Every parameter
is set (through the service, as the form does) to its minimum, then its maximum, then its
default, as far as the relations between parameters allow (where two bounds contradict each other,
the one that gives way moves by one step: at the minimum the higher parameter goes up, at the
maximum the lower one comes down), and members are walked through the three branches to
placement and follow-up: capable → placement → retention follow-ups; training → enrolment →
result → placement; three-nos → post application → decision. Any server error fails the test
(the test client raises it)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from casework.cases.models import Category, EmploymentCase
from casework.pairing.services import pairing_create
from casework.policy.defaults import DEFAULTS, Default, Kind
from casework.policy.params import param
from casework.policy.relations import RELATIONS, related_keys, relation_errors
from casework.policy.services import parameter_set
from casework.policy.validation import TEXT_MAX_LENGTH, parameter_value_clean
from casework.posts.services import post_create
from casework.training.models import Enrolment
from casework.training.services import attendance_record, course_create
from tests import factories
from tests.workflows import helpers as h
from workflows.services import scheduler_tick

pytestmark = pytest.mark.django_db
EF = h.EmploymentFlow
OPEN_STATES = EmploymentCase.WORKING_STATES


def value_at(spec: Default, bound: str):
    """The value of ``spec`` at ``bound`` (minimum, maximum or default)."""
    if bound == "default":
        return spec.value
    low = bound == "minimum"
    edge = spec.minimum if low else spec.maximum
    if spec.kind in (Kind.INTEGER, Kind.DECIMAL):
        return edge
    if spec.kind == Kind.BOOLEAN:
        return not low
    if spec.kind == Kind.INTEGERS:
        return [edge]
    if spec.kind == Kind.MAPPING:
        return {code: edge for code, _label in spec.keys}
    if spec.kind == Kind.TEXTS:
        return {code: "甲" if low else "字" * TEXT_MAX_LENGTH for code, _label in spec.keys}
    if spec.kind == Kind.CHOICES:
        return [spec.keys[0][0]] if low else [code for code, _label in spec.keys]
    raise AssertionError(spec.kind)


def _step(value, by):
    if isinstance(value, list):
        return [v + by for v in value]
    if isinstance(value, dict):
        return {code: v + by for code, v in value.items()}
    return value + by


def values_at(bound: str, day: datetime.date) -> dict:
    """Every parameter at ``bound``, with the relations between parameters kept."""
    values = {key: value_at(spec, bound) for key, spec in DEFAULTS.items()}
    for relation in RELATIONS:
        low, high = relation.low, relation.high
        while relation_errors(low, values[low], {high: [(day, values[high])]}):
            if bound == "minimum":
                values[high] = _step(values[high], 1)
            else:
                values[low] = _step(values[low], -1)
    for key, value in values.items():
        others = {other: [(day, values[other])] for other in related_keys(key)}
        assert relation_errors(key, value, others) == {}, key
    return values


def set_all(actor, values: dict, day: datetime.date) -> None:
    """Set every value through the service, in an order in which each is accepted."""
    pending = dict(values)
    while pending:
        refused = {}
        for key, value in pending.items():
            try:
                parameter_set(actor=actor, key=key, value=value, valid_from=day)
            except ValidationError as error:
                refused[key] = error.messages
        assert len(refused) < len(pending), refused  # each pass sets at least one
        pending = {key: values[key] for key in refused}


def test_the_bounds_move_only_where_two_parameters_would_contradict_each_other():
    day = datetime.date(2000, 1, 1)
    minimum, maximum = values_at("minimum", day), values_at("maximum", day)
    assert values_at("default", day) == {key: spec.value for key, spec in DEFAULTS.items()}
    moved_up = {key for key in DEFAULTS if minimum[key] != value_at(DEFAULTS[key], "minimum")}
    moved_down = {key for key in DEFAULTS if maximum[key] != value_at(DEFAULTS[key], "maximum")}
    # 0 yuan cannot be both the lowest income and the one below which it is unusual; the first
    # follow-up month comes before the month of stable employment.
    assert moved_up == {"placement.income_unusual_below", "retention.stable_months"}
    assert (
        minimum["placement.income_unusual_below"] == 1 and minimum["retention.stable_months"] == 2
    )
    assert moved_down == {"retention.followup_months"}
    assert maximum["retention.followup_months"] == [35]


def _ok(response):
    """A page either moved on (302) or explained in a form why not (200); never an error."""
    assert response.status_code in (200, 302), response.status_code
    return response


def _follow_up_until_closed(client, world, process, case):
    for _ in range(40):
        case.refresh_from_db()
        if case.state not in OPEN_STATES or "wait_followup" not in h.open_nodes(process):
            return
        h.make_timer_due(process)
        scheduler_tick()
        task = h.open_task(process, EF.retention_followup)
        data = {"still_working": "yes", "monthly_income": "2600"}
        _ok(h.do(client, world.caseworker1, task, data))
    raise AssertionError("the follow-ups never ended")


def _household(world, number):
    return factories.household(
        world.admin, world.grid_a1, number=number, head=factories.member_data(name=f"户主{number}")
    )


@pytest.mark.parametrize("bound", ["minimum", "maximum", "default"])
def test_the_flows_walk_through_with_every_parameter_at_its_bound(client, world, assessed, bound):
    start = datetime.date(2000, 1, 1)
    values = values_at(bound, start)
    for key, value in values.items():
        assert parameter_value_clean(key, value) is not None  # the form would accept it
    set_all(world.admin, values, start)
    for key, value in values.items():
        assert param(key, start) == parameter_value_clean(key, value)
    today = timezone.localdate()

    # The pages of the policy itself.
    client.force_login(world.admin)
    for key in DEFAULTS:
        assert client.get(f"/manage/policy/{key}/").status_code == 200
    assert client.get("/manage/policy/").status_code == 200

    # Pairing (caps) and the household page (responsible level, follow-up cadence).
    second = _household(world, "A1-0101")
    pairing_create(
        actor=world.caseworker1, helper=world.unpaired_helper, household=second, kind="party"
    )
    client.force_login(world.caseworker1)
    assert client.get(f"/registry/household/{second.pk}/").status_code == 200

    # Capable: placement, then every retention follow-up to the end.
    case = assessed(Category.CAPABLE)
    process = h.employment_process(case)
    _ok(h.do(client, world.caseworker1, h.open_task(process, EF.placement), h.placement_data()))
    _follow_up_until_closed(client, world, process, case)
    case.refresh_from_db()
    assert case.state == EmploymentCase.State.STABLE

    # Training: enrol, attend every session, pass, then placement.
    course = course_create(
        actor=world.manager, name="电工培训班", trade="electrician", site=world.site_a,
        start_date=today, end_date=today + datetime.timedelta(days=5),
    )  # fmt: skip
    trainee = assessed(Category.TRAINING, household=second)
    process = h.employment_process(trainee)
    _ok(h.do(client, world.caseworker1, h.open_task(process, EF.enrol),
             {"outcome": "enrol", "course": course.pk}))  # fmt: skip
    enrolment = Enrolment.objects.get(case=trainee)
    attendance_record(actor=world.admin, course=course, date=today, present={enrolment.pk})
    passed = {"result": "passed", "certificate_type": "completion", "certificate_number": "D-1"}
    _ok(h.do(client, world.caseworker1, h.open_task(process, EF.training_outcome), passed))
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.PASSED
    _ok(h.do(client, world.caseworker1, h.open_task(process, EF.placement), h.placement_data()))
    _follow_up_until_closed(client, world, process, trainee)

    # Three-nos: apply for a post, the manager decides (eligibility may refuse in the form).
    post = post_create(
        actor=world.manager, site=world.site_a, name="社区保洁员", kind="cleaning", quota=5,
        monthly_subsidy=max(800, param("posts.subsidy_floor")),
    )  # fmt: skip
    three_no = assessed(Category.THREE_NO, household=_household(world, "A1-0102"))
    process = h.employment_process(three_no)
    _ok(h.do(client, world.caseworker1, h.open_task(process, EF.post_application),
             {"outcome": "apply", "post": post.pk}))  # fmt: skip
    decision = {"decision": "approve", "start_date": today.isoformat()}
    _ok(h.do(client, world.manager, h.open_task(process, EF.post_approval), decision))
    if h.open_nodes(process) == ["post_notice"]:  # approved: on public notice first
        _ok(h.notice_pass(client, world.caseworker1, process))
    _follow_up_until_closed(client, world, process, three_no)
