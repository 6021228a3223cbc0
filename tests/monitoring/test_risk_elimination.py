"""防返贫监测: a household identified, measures and incomes recorded, and its risk eliminated
through the flow (proposal checked → manager's review → public notice → eliminated), all
through the pages, each step audited and in the case file."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from casework.audit.models import AuditEvent
from casework.audit.verify import verify_chain
from casework.monitoring.models import EliminationProposal, MonitoredHousehold
from casework.monitoring.services import (
    elimination_checks,
    elimination_conclude,
    elimination_propose,
    elimination_review,
    monitoring_identify,
    monitoring_income_record,
    monitoring_measure_add,
)
from casework.policy.models import Parameter
from casework.policy.workdays import working_days_after
from casework.registry.models import Household, Member
from tests.conftest import login
from tests.workflows import helpers as h
from workflows.flows import RiskEliminationFlow
from workflows.models import RiskEliminationProcess


# Dates are read when a test runs, never at import: a suite that crosses midnight (Beijing time)
# must not compare yesterday's "today" with the services' own.
def today() -> datetime.date:
    return timezone.localdate()


def four_months_ago() -> datetime.date:
    return today() - datetime.timedelta(days=122)


def _identify(world, household=None, **overrides):
    values = {
        "kind": "marginal", "risks": ["illness", "unstable_work"], "route": "screening",
        "identified_on": four_months_ago(),
    }  # fmt: skip
    values.update(overrides)
    return monitoring_identify(actor=world.caseworker1, household=household or world.h_a1, **values)


def _measure(world, monitored, kind="employment"):
    return monitoring_measure_add(
        actor=world.caseworker1, monitored=monitored, kind=kind, detail="推荐到社区工厂就业",
        responsible="网格员张三", started_on=four_months_ago(),
    )  # fmt: skip


def _income(world, monitored, per_person, wages="12000"):
    return monitoring_income_record(
        actor=world.caseworker1, monitored=monitored, year=today().year,
        per_capita_net_income=Decimal(per_person), wage_income=Decimal(wages),
    )  # fmt: skip


def _days_later(days):
    later = timezone.now() + datetime.timedelta(days=days)
    return mock.patch("django.utils.timezone.now", return_value=later)


def test_a_monitored_household_goes_from_identification_to_elimination_through_the_pages(
    client, world, tmp_path
):
    from tests.reports.casefile.test_casefile import pdftotext

    household = world.h_a1
    login(client, world.caseworker1)
    page = client.get(reverse("registry:household:detail", args=[household.pk]))
    assert 'data-test="identify"' in page.content.decode()

    # Identification, from the household's page.
    response = client.post(
        reverse("monitoring:identify", args=[household.pk]),
        {"kind": "marginal", "risks": ["illness", "unstable_work"], "route": "screening",
         "identified_on": f"{four_months_ago():%Y-%m-%d}", "note": "八必访排查发现"},
    )  # fmt: skip
    monitored = MonitoredHousehold.objects.get(household=household)
    detail = reverse("monitoring:detail", args=[monitored.pk])
    assert response.status_code == 302 and response["Location"] == detail
    household.refresh_from_db()
    assert household.monitoring == "marginal"

    # A measure, then an income below the threshold (7,000 by default).
    response = client.post(
        detail,
        {"form": "measure", "kind": "employment", "detail": "推荐到社区工厂就业",
         "responsible": "网格员张三", "started_on": f"{four_months_ago():%Y-%m-%d}"},
    )  # fmt: skip
    assert response.status_code == 302
    income = {"form": "income", "year": today().year, "wage_income": "9000"}
    assert client.post(detail, {**income, "per_capita_net_income": "5200"}).status_code == 302

    # The proposal is refused, naming the rule; nothing starts.
    proposal = {"form": "propose", "elimination": "assisted", "reason": "稳定就业，收入达标"}
    response = client.post(detail, proposal)
    assert response.status_code == 200
    text = response.content.decode()
    assert "收入：" in text and "5,200" in text and "低于当年监测范围 7,000 元" in text
    assert not EliminationProposal.objects.exists()
    assert not RiskEliminationProcess.objects.exists()

    # The income corrected above the threshold: the proposal goes to the manager.
    assert client.post(detail, {**income, "per_capita_net_income": "8600"}).status_code == 302
    assert client.post(detail, proposal).status_code == 302
    process = RiskEliminationProcess.objects.get()
    monitored.refresh_from_db()
    assert monitored.status == "proposed"

    # The manager approves: the notice goes up for five working days.
    review = h.open_task(process, RiskEliminationFlow.review)
    login(client, world.manager)
    page = client.get(h.url(review, "detail"))
    assert page.status_code == 200
    response = h.do(client, world.manager, review, {"decision": "approve", "note": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    notice = h.open_task(process, RiskEliminationFlow.notice)
    proposal_row = EliminationProposal.objects.get()
    assert proposal_row.notice_until == working_days_after(today(), 5)

    # Concluding before the notice period ends is refused, saying until when.
    response = h.do(client, world.caseworker1, notice, {"outcome": "pass", "reason": ""})
    assert response.status_code == 200
    assert f"公示期至 {proposal_row.notice_until:%Y-%m-%d}" in response.content.decode()
    monitored.refresh_from_db()
    assert monitored.status == "proposed"

    with _days_later((proposal_row.notice_until - today()).days + 1):
        response = h.do(client, world.caseworker1, notice, {"outcome": "pass", "reason": ""})
        assert response.status_code == 302
        eliminated_on = timezone.localdate()
    monitored.refresh_from_db()
    household.refresh_from_db()
    assert (monitored.status, monitored.elimination) == ("eliminated", "assisted")
    assert monitored.eliminated_on == eliminated_on
    assert household.monitoring == ""
    process.refresh_from_db()
    assert process.status == "DONE"

    # Every step audited, the chain intact.
    actions = list(
        AuditEvent.objects.filter(household_id=household.pk, action__startswith="monitoring.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "monitoring.identify", "monitoring.measure", "monitoring.income", "monitoring.income",
        "monitoring.propose", "monitoring.review", "monitoring.conclude",
    ]  # fmt: skip
    assert verify_chain().ok

    # The history page and the case file show it.
    login(client, world.manager)
    history = client.get(reverse("registry:household:history", args=[household.pk]))
    assert "识别纳入监测" in history.content.decode()
    assert "风险消除办结" in history.content.decode()
    response = client.post(reverse("registry:household:casefile", args=[household.pk]))
    assert response.status_code == 200
    text = pdftotext(response.content, tmp_path)
    section = text[text.index("防返贫监测") :]
    for expected in (
        "边缘易致贫户", "因病", f"{four_months_ago():%Y-%m-%d}", "8600", "推荐到社区工厂就业",
        "稳定就业，收入达标", "帮扶消除", f"{eliminated_on:%Y-%m-%d}",
    ):  # fmt: skip
        assert expected in section, expected


def test_each_elimination_rule_is_named_when_it_fails(world):
    monitored = _identify(world, identified_on=today() - datetime.timedelta(days=20))
    problems = elimination_checks(monitored, "assisted")
    assert [p.split("：")[0] for p in problems] == ["收入", "帮扶措施", "时限"]
    _measure(world, monitored)
    _income(world, monitored, "9000", wages="0")
    problems = elimination_checks(monitored, "assisted")
    assert [p.split("：")[0] for p in problems] == ["时限", "工资性收入"]
    # A natural elimination asks neither for measures nor for a minimum time.
    assert elimination_checks(monitored, "natural") == []


def test_the_threshold_is_the_years_own_value(world):
    """A county raises the threshold from 1 January: this year's income is held to it."""
    monitored = _identify(world)
    _measure(world, monitored)
    _income(world, monitored, "7500")
    assert elimination_checks(monitored, "assisted") == []
    Parameter.objects.create(
        key="monitoring.threshold", value=8000, valid_from=datetime.date(today().year, 1, 1),
        created_by=world.admin, note="省定今年监测范围",
    )  # fmt: skip
    problems = elimination_checks(monitored, "assisted")
    assert len(problems) == 1 and "8,000" in problems[0]


def test_a_household_where_nobody_can_work_stays_monitored(world):
    monitored = _identify(world)
    _measure(world, monitored, kind="social")
    _income(world, monitored, "9000", wages="0")
    Member.objects.filter(household=world.h_a1).update(labour_capacity="none")
    problems = elimination_checks(monitored, "natural")
    assert len(problems) == 1 and problems[0].startswith("无劳动力")


def test_identification_is_refused_for_bad_input_and_once_open(world):
    with pytest.raises(ValidationError) as refused:
        _identify(world, risks=[])
    assert "一至五项" in str(refused.value)
    with pytest.raises(ValidationError):
        _identify(world, risks=["illness", "disability", "schooling", "disaster", "accident",
                                "industry"])  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        _identify(world, identified_on=today() + datetime.timedelta(days=1))
    assert "不能晚于今天" in str(refused.value)
    _identify(world)
    with pytest.raises(ValidationError) as refused:
        _identify(world)
    assert "已在监测中" in str(refused.value)
    assert MonitoredHousehold.objects.count() == 1


def test_only_those_who_work_the_household_record_monitoring(client, world):
    with pytest.raises(PermissionDenied):
        monitoring_identify(
            actor=world.caseworker2, household=world.h_a1, kind="sudden", risks=["illness"],
            route="self_report", identified_on=today(),
        )  # fmt: skip
    monitored = _identify(world)
    for user in (world.caseworker2, world.helper, world.trainer):
        with pytest.raises(PermissionDenied):
            _measure(type("W", (), {"caseworker1": user}), monitored)
    login(client, world.caseworker2)
    assert client.get(reverse("monitoring:detail", args=[monitored.pk])).status_code == 404
    assert client.get(reverse("monitoring:identify", args=[world.h_a1.pk])).status_code == 404
    login(client, world.manager)
    page = client.get(reverse("monitoring:index"))
    assert page.status_code == 200 and "A1-0001" in page.content.decode()
    login(client, world.helper)
    assert client.get(reverse("monitoring:index")).status_code == 403


def test_a_refused_review_or_an_upheld_objection_leaves_the_household_monitored(world):
    monitored = _identify(world)
    _measure(world, monitored)
    _income(world, monitored, "9000")
    proposal = elimination_propose(
        actor=world.caseworker1, monitored=monitored, elimination="assisted", reason="达标"
    )
    with pytest.raises(ValidationError) as refused:
        elimination_review(actor=world.manager, proposal=proposal, approve=False)
    assert "不同意的理由" in str(refused.value)
    with pytest.raises(PermissionDenied):
        elimination_review(actor=world.caseworker1, proposal=proposal, approve=True)
    elimination_review(actor=world.manager, proposal=proposal, approve=False, note="收入不稳定")
    monitored.refresh_from_db()
    assert monitored.status == "monitored"

    second = elimination_propose(
        actor=world.caseworker1, monitored=monitored, elimination="assisted", reason="再次申请"
    )
    elimination_review(actor=world.manager, proposal=second, approve=True)
    with pytest.raises(ValidationError):
        elimination_conclude(actor=world.caseworker1, proposal=second, withdraw=True)
    elimination_conclude(
        actor=world.caseworker1, proposal=second, withdraw=True,
        objections="群众反映该户务工收入不稳定，经核实属实",
    )  # fmt: skip
    monitored.refresh_from_db()
    assert monitored.status == "monitored"
    assert Household.objects.get(pk=world.h_a1.pk).monitoring == "marginal"


def test_the_rules_are_checked_again_at_review_and_at_the_end_of_the_notice(world):
    monitored = _identify(world)
    _measure(world, monitored)
    _income(world, monitored, "9000")
    proposal = elimination_propose(
        actor=world.caseworker1, monitored=monitored, elimination="assisted", reason="达标"
    )
    _income(world, monitored, "5000")  # corrected while the proposal waits
    with pytest.raises(ValidationError) as refused:
        elimination_review(actor=world.manager, proposal=proposal, approve=True)
    assert "低于当年监测范围" in str(refused.value)
    _income(world, monitored, "9000")
    elimination_review(actor=world.manager, proposal=proposal, approve=True)
    _income(world, monitored, "5000")
    proposal.refresh_from_db()
    with (
        _days_later((proposal.notice_until - today()).days + 1),
        pytest.raises(ValidationError) as refused,
    ):
        elimination_conclude(actor=world.caseworker1, proposal=proposal)
    assert "低于当年监测范围" in str(refused.value)
    monitored.refresh_from_db()
    assert monitored.status == "proposed"


def test_nobody_approves_their_own_proposal(world):
    monitored = _identify(world)
    _measure(world, monitored)
    _income(world, monitored, "9000")
    proposal = elimination_propose(
        actor=world.manager, monitored=monitored, elimination="assisted", reason="达标"
    )
    with pytest.raises(ValidationError) as refused:
        elimination_review(actor=world.manager, proposal=proposal, approve=True)
    assert "提出人以外" in str(refused.value)


def test_a_monitored_households_category_is_not_changed_on_its_registry_page(world):
    from casework.registry.services import household_update

    _identify(world)
    with pytest.raises(ValidationError) as refused:
        household_update(actor=world.caseworker1, household=world.h_a1, monitoring="")
    assert "防返贫监测" in str(refused.value)
    household_update(actor=world.caseworker1, household=world.h_a1, room="1502")


def test_the_category_risks_and_safeguard_mark_are_corrected_on_the_page(client, world):
    monitored = _identify(world)
    login(client, world.caseworker1)
    detail = reverse("monitoring:detail", args=[monitored.pk])
    page = client.get(detail)
    assert page.context["forms"]["change"].initial["risks"] == ["illness", "unstable_work"]
    response = client.post(
        detail,
        {"form": "change", "kind": "sudden", "risks": ["illness"], "no_labour_safeguard": "on",
         "note": ""},
    )  # fmt: skip
    assert response.status_code == 302
    monitored.refresh_from_db()
    assert (monitored.kind, monitored.risks, monitored.no_labour_safeguard) == (
        "sudden", ["illness"], True,
    )  # fmt: skip
    assert Household.objects.get(pk=world.h_a1.pk).monitoring == "sudden"
    event = AuditEvent.objects.get(action="monitoring.change")
    assert event.changes["risks"] == ["因病、因务工就业不稳", "因病"]
    assert event.changes["kind"] == ["marginal", "sudden"]
    six = ["illness", "disability", "schooling", "disaster", "accident", "industry"]
    response = client.post(detail, {"form": "change", "kind": "sudden", "risks": six})
    assert response.status_code == 200
    assert response.context["forms"]["change"].errors["risks"] == ["请选择一至五项风险类型。"]
    monitored.refresh_from_db()
    assert monitored.risks == ["illness"]


def test_a_monitored_household_is_marked_on_the_list_and_on_its_task_pages(client, world):
    from workflows.flows import HouseholdFlow

    _identify(world)
    login(client, world.caseworker1)
    listing = client.get(reverse("registry:household:index")).content.decode()
    row = listing[listing.index("A1-0001") :]
    assert "边缘易致贫户" in row[: row.index("</tr>")]
    task = h.open_task(h.household_process(world.h_a1), HouseholdFlow.assess)
    page = client.get(h.url(task, "detail")).content.decode()
    assert 'data-test="monitored"' in page and "边缘易致贫户" in page
