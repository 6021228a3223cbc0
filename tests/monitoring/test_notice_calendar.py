"""A risk elimination approved when its notice step's deadline reaches a year the working-day
calendar lacks: the manager is told why on the page (no error page, nothing half-done), and
once the administrator enters the year the same approval goes through."""

import datetime
import zoneinfo
from unittest import mock

from django.utils import timezone

from casework.monitoring.models import EliminationProposal
from casework.monitoring.services import elimination_propose
from casework.policy.models import WorkCalendarYear
from tests.conftest import login
from tests.monitoring.test_risk_elimination import _identify, _income, _measure
from tests.workflows import helpers as h
from workflows.flows_monitoring import RiskEliminationFlow, RiskEliminationProcess


def test_an_approval_whose_notice_reaches_an_unknown_year_is_refused_on_the_page(client, world):
    monitored = _identify(world)
    _measure(world, monitored)
    _income(world, monitored, "9000")
    elimination_propose(
        actor=world.caseworker1, monitored=monitored, elimination="assisted", reason="达标"
    )
    process = RiskEliminationProcess.objects.get()
    review = h.open_task(process, RiskEliminationFlow.review)
    year = timezone.localdate().year
    WorkCalendarYear.objects.filter(year=year + 1).delete()
    late_december = datetime.datetime(
        year, 12, 20, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")
    )
    login(client, world.manager)
    with mock.patch("django.utils.timezone.now", return_value=late_december):
        response = h.do(client, world.manager, review, {"decision": "approve", "note": ""})
    assert response.status_code == 200
    assert f"{year + 1} 年的节假日安排尚未录入工作日历" in response.content.decode()
    proposal = EliminationProposal.objects.get()
    assert proposal.decision == "" and h.open_task(process, RiskEliminationFlow.review)

    WorkCalendarYear.objects.create(year=year + 1, source=WorkCalendarYear.Source.ADMINISTRATOR)
    with mock.patch("django.utils.timezone.now", return_value=late_december):
        response = h.do(client, world.manager, review, {"decision": "approve", "note": ""})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.decision == "approved"
