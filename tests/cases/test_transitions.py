"""The employment case's state machine is the TRANSITIONS table: every allowed change works
through ``case_transition``, every other one is refused with a code, every state is reachable,
and the services that change a state refuse up front what the table refuses."""

from collections import deque
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone, translation

from casework.audit.models import AuditEvent
from casework.cases import services as case_services
from casework.cases.models import Category, EmploymentCase, HouseholdCase
from casework.cases.services import ILLEGAL_TRANSITION, IllegalTransition
from casework.placement import services as placement_services

State = EmploymentCase.State
TABLE = EmploymentCase.TRANSITIONS
LEGAL = [(source, target) for source in State for target in sorted(TABLE[source])]
ILLEGAL = [(source, target) for source in State for target in State if target not in TABLE[source]]


def _reachable(table: dict[str, frozenset[str]], start: str) -> set[str]:
    seen, todo = {start}, deque([start])
    while todo:
        for target in table[todo.popleft()]:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_the_table_has_one_row_per_state_and_names_only_states():
    assert set(TABLE) == set(State.values)
    for targets in TABLE.values():
        assert targets <= set(State.values)


def test_the_closed_states_are_exactly_the_states_without_a_way_out():
    assert {state for state, targets in TABLE.items() if not targets} == set(
        EmploymentCase.CLOSED_STATES
    )


def test_every_state_is_reachable_from_the_initial_state():
    initial = EmploymentCase._meta.get_field("state").default
    assert _reachable(TABLE, initial) == set(State.values)
    # A case opens in its category's state; each of them can still go somewhere.
    for opening in case_services.ROUTE_BY_CATEGORY.values():
        assert TABLE[opening]


def test_the_household_case_opens_and_closes_once():
    table = HouseholdCase.TRANSITIONS
    assert set(table) == set(HouseholdCase.State.values)
    assert _reachable(table, HouseholdCase.State.OPEN) == set(HouseholdCase.State.values)
    assert table[HouseholdCase.State.CLOSED] == frozenset()


@pytest.fixture
def case(world):
    """An open employment case of the head of household A1-0001 (grid A1)."""
    head = world.h_a1.members.get(relationship="head")
    return EmploymentCase.objects.create(
        member=head, household_case=world.h_a1.cases.get(), category=Category.CAPABLE
    )


def _put(case: EmploymentCase, state: str) -> EmploymentCase:
    EmploymentCase.objects.filter(pk=case.pk).update(
        state=state,
        closed_at=timezone.now() if state in EmploymentCase.CLOSED_STATES else None,
    )
    case.refresh_from_db()
    return case


@pytest.mark.django_db
def test_every_allowed_transition_moves_the_case_with_one_audit_event(world, case):
    for source, target in LEGAL:
        _put(case, source)
        episode = case.work_episode
        before = AuditEvent.objects.count()
        with transaction.atomic():
            case_services.case_transition(
                actor=world.caseworker1, case=case, to=target, action="employment_case.test"
            )
        case.refresh_from_db()
        assert case.state == target, (source, target)
        assert case.is_closed == (target in EmploymentCase.CLOSED_STATES), (source, target)
        entering_work = (
            target in EmploymentCase.WORKING_STATES and source not in EmploymentCase.WORKING_STATES
        )
        assert case.work_episode == episode + entering_work, (source, target)
        event = AuditEvent.objects.order_by("-pk").first()
        assert AuditEvent.objects.count() == before + 1
        assert event.changes["state"] == [source, target]


@pytest.mark.django_db
def test_every_other_transition_is_refused_with_its_code_and_changes_nothing(world, case):
    events = AuditEvent.objects.count()
    for source, target in ILLEGAL:
        _put(case, source)
        with translation.override("zh-hans"), pytest.raises(IllegalTransition) as refused:
            with transaction.atomic():
                case_services.case_transition(
                    actor=world.caseworker1, case=case, to=target, action="employment_case.test"
                )
        assert refused.value.code == ILLEGAL_TRANSITION, (source, target)
        assert (refused.value.source, refused.value.target) == (source, target)
        with translation.override("zh-hans"):
            for state in (source, target):
                assert str(State(state).label) in refused.value.messages[0], (source, target)
        case.refresh_from_db()
        assert case.state == source
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_closing_a_household_case_goes_through_the_table(world):
    household_case = world.h_a1.cases.get()
    assert household_case.state == HouseholdCase.State.OPEN
    case_services.transition_check(household_case, HouseholdCase.State.CLOSED)
    household_case.closed_at = timezone.now()
    assert household_case.state == HouseholdCase.State.CLOSED
    with pytest.raises(IllegalTransition) as refused:
        case_services.transition_check(household_case, HouseholdCase.State.OPEN)
    assert refused.value.code == ILLEGAL_TRANSITION


@pytest.mark.django_db
@pytest.mark.parametrize("state", [State.IN_TRAINING, State.EMPLOYED, State.REASSESSING])
def test_a_placement_is_recorded_only_for_a_member_waiting_for_one(world, case, state):
    _put(case, state)
    with pytest.raises(IllegalTransition) as refused:
        placement_services.placement_record(
            actor=world.caseworker1, case=case, channel="enterprise",
            start_date=timezone.localdate(), location_class="county",
            monthly_income=Decimal("2800"), employer_name="礼县扶贫车间", industry="制造业",
            organised_transport=False,
        )  # fmt: skip
    assert refused.value.code == ILLEGAL_TRANSITION
    assert not case.placements.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("state", [State.EMPLOYED, State.ON_POST, State.REASSESSING])
def test_a_refusal_is_recorded_only_while_something_is_offered(world, case, state):
    _put(case, state)
    with pytest.raises(IllegalTransition) as refused:
        case_services.case_refusal_record(actor=world.caseworker1, case=case, reason="不愿外出")
    assert refused.value.code == ILLEGAL_TRANSITION
    case.refresh_from_db()
    assert (case.state, case.refusal_count) == (state, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("state", [State.SEEKING, State.IN_TRAINING, State.ON_POST])
def test_a_reassessment_is_recorded_only_for_a_member_waiting_for_one(world, case, state):
    _put(case, state)
    entry = case_services.AssessmentEntry(
        member=case.member, category=Category.CAPABLE, labour_capacity="ordinary"
    )
    with pytest.raises(IllegalTransition) as refused:
        case_services.case_reassess(actor=world.caseworker1, case=case, entry=entry)
    assert refused.value.code == ILLEGAL_TRANSITION
    assert case.member.assessments.count() == 0
