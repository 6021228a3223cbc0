"""Every signal receiver of the workflow layer, connected once by ``WorkflowsConfig.ready``.

The domain apps sit below the workflows and may not call them: their services announce what
happened (a household registered, a post vacated, a concern raised) with a signal, and the
receivers here start the flow that follows, inside the announcing service's transaction.
Layers above the workflows (ledgers, operations) call ``workflows.services`` directly.
"""

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.db.models.signals import post_migrate, post_save
from viewflow.workflow.activation import Activation
from viewflow.workflow.models import Process

from casework.audit.context import current_actor
from casework.monitoring.models import EliminationProposal
from casework.monitoring.signals import elimination_proposed
from casework.pairing.models import ServiceRequest
from casework.pairing.signals import service_request_raised
from casework.permissions.roles import roles_sync_on_migrate
from casework.posts.models import PostVacancy
from casework.posts.signals import post_vacated
from casework.registry.models import Grid, Household, Member
from casework.registry.signals import (
    household_moved,
    household_registered,
    households_registered,
    member_added,
    member_circumstances_changed,
    member_left,
    members_moved,
)

from . import lifecycle, services
from .bulk_start import household_flows_start_bulk
from .models import OPEN_STATUSES
from .records import task_deadline_close, task_transition_record
from .scope.services import (
    household_processes_move,
    members_processes_move,
    process_scope_record,
)
from .subjects import SUBJECTS


def on_household_registered(
    sender: Any, household: Household, actor: User | None, **kwargs: Any
) -> None:
    services.household_flow_start(actor=actor, household=household)


def on_households_registered(
    sender: Any, households: Sequence[Household], actor: User | None, **kwargs: Any
) -> None:
    household_flows_start_bulk(actor=actor, households=households)


def on_household_moved(
    sender: Any, household: Household, old_grid: Grid, actor: User | None, **kwargs: Any
) -> None:
    household_processes_move(actor=actor, household=household, old_grid=old_grid)


def on_members_moved(
    sender: Any, members: Sequence[Member], household: Household, **kwargs: Any
) -> None:
    members_processes_move(members=members)


def on_member_added(sender: Any, member: Member, actor: User | None, **kwargs: Any) -> None:
    lifecycle.member_assessment_start(actor=actor, member=member)


def on_member_circumstances_changed(
    sender: Any, member: Member, actor: User | None, **kwargs: Any
) -> None:
    lifecycle.member_reassessment_start(actor=actor, member=member)


def on_member_left(sender: Any, member: Member, actor: User | None, **kwargs: Any) -> None:
    lifecycle.member_departure_apply(actor=actor, member=member)


def on_post_vacated(
    sender: Any, vacancy: PostVacancy, actor: User | None = None, **kwargs: Any
) -> None:
    services.post_vacancy_flow_start(actor=actor, vacancy=vacancy)
    # The holder's own flow waits for a follow-up: it routes their case afresh at once.
    services.followups_wake([vacancy.vacated_by.case_id])


def on_service_request_raised(
    sender: Any,
    service_request: ServiceRequest,
    actor: User | None = None,
    **kwargs: Any,
) -> None:
    services.service_request_flow_start(actor=actor, service_request=service_request)


def on_elimination_proposed(
    sender: Any, proposal: EliminationProposal, actor: User | None = None, **kwargs: Any
) -> None:
    services.risk_elimination_flow_start(actor=actor, proposal=proposal)


def on_process_saved(
    sender: Any, instance: Process, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    """A process has started (viewflow saves it once its subject is set): write its scope
    keys in the same transaction."""
    if created and not raw:
        process_scope_record(instance)


def on_task_transition(
    activation: Any, descriptor: Any, source: Any, target: Any, **kwargs: Any
) -> None:
    """viewflow's one global hook after each successful activation transition. The actor comes
    from ``casework.audit.context`` (the request's user, or the user a service acts for); the
    scheduler's timers and escalations have none and read as the system. A human step that
    closes (done, cancelled) takes its deadline out of the overdue index."""
    task_transition_record(
        actor=current_actor(),
        task=activation.task,
        name=descriptor._func.__name__,
        source=source,
        target=target,
    )
    task = activation.task
    # The task's status now, not ``target``: a transition that keeps the state has none.
    if (
        task.flow_task_type == "HUMAN"
        and source in OPEN_STATUSES
        and task.status not in OPEN_STATUSES
    ):
        task_deadline_close(task)


def connect(app_config: Any) -> None:
    """Connect every receiver (idempotent: each has a dispatch uid, and viewflow keeps one
    transition hook, so installing it again replaces it)."""
    Activation.status.on_success()(on_task_transition)
    # The workflows app migrates last: every permission the roles name exists by then.
    post_migrate.connect(roles_sync_on_migrate, sender=app_config)
    for entry in SUBJECTS:
        post_save.connect(
            on_process_saved,
            sender=entry.process_class,
            dispatch_uid=f"process_scope_record.{entry.child}",
        )
    household_registered.connect(on_household_registered, dispatch_uid="household_flow_start")
    households_registered.connect(
        on_households_registered, dispatch_uid="household_flows_start_bulk"
    )
    household_moved.connect(on_household_moved, dispatch_uid="household_processes_move")
    members_moved.connect(on_members_moved, dispatch_uid="members_processes_move")
    member_added.connect(on_member_added, dispatch_uid="member_assessment_start")
    member_left.connect(on_member_left, dispatch_uid="member_departure_apply")
    member_circumstances_changed.connect(
        on_member_circumstances_changed, dispatch_uid="member_reassessment_start"
    )
    post_vacated.connect(on_post_vacated, dispatch_uid="post_vacancy_flow_start")
    service_request_raised.connect(
        on_service_request_raised, dispatch_uid="service_request_flow_start"
    )
    elimination_proposed.connect(
        on_elimination_proposed, dispatch_uid="risk_elimination_flow_start"
    )
