"""Early warnings (预警), each rule with a planted case that is flagged and a near miss that is
not; the page shows them to the grid's caseworker and its manager, and to nobody else."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.cases.models import EmploymentCase
from casework.monitoring.models import MonthlyWorkRecord
from casework.monitoring.warnings import early_warnings
from casework.placement.models import Placement
from casework.policy.services import parameter_set
from casework.registry.models import Household
from tests.reports.dashboard.world import Maker

pytestmark = pytest.mark.django_db
S = EmploymentCase.State


def today() -> datetime.date:
    return timezone.localdate()


def _ended(make: Maker, member, days_ago: int) -> Placement:
    placement = make.place(make.case(member, S.SEEKING), "enterprise")
    placement.end_date = today() - datetime.timedelta(days=days_ago)
    placement.save()
    return placement


def _month(member, month: datetime.date, working: bool, income: str | None, admin) -> None:
    MonthlyWorkRecord.objects.create(
        member=member, household=member.household, grid=member.household.grid, month=month,
        working=working,
        monthly_income=Decimal(income) if income else None, recorded_by=admin,
        recorded_at=timezone.now(), not_working_reason="" if working else "seeking",
        days_worked=22 if working else None,
    )  # fmt: skip


def _months_back(count: int) -> list[datetime.date]:
    month, months = today().replace(day=1), []
    for _step in range(count):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        months.append(month)
    return months


@pytest.fixture
def planted(world):
    make = Maker(world)
    lost = make.household(world.grid_a1, {"name": "失业户主", "labour_capacity": "ordinary"})
    (lost_head,) = make.members(lost)
    _ended(make, lost_head, 40)  # ended 40 days ago, nothing since: flagged
    recent = make.household(world.grid_a1, {"name": "刚失业户主"}, {"name": "在岗儿子"})
    recent_head, son = make.members(recent)
    _ended(make, recent_head, 10)  # ended 10 days ago: not yet
    make.place(make.case(son, S.EMPLOYED), "enterprise")  # the household is not zero-employment
    low = make.household(world.grid_a1, {"name": "低收入户主"}, {"name": "低收入儿子"})
    low_head, low_son = make.members(low)
    for member in (low_head, low_son):
        make.place(make.case(member, S.EMPLOYED), "enterprise")
    three = _months_back(3)
    for month in three:
        _month(low_head, month, True, "800", world.admin)  # under 1,000 three months: flagged
    _month(low_son, three[0], True, "800", world.admin)
    _month(low_son, three[1], True, "2400", world.admin)  # one good month: not flagged
    _month(low_son, three[2], False, None, world.admin)
    post_left = make.household(world.grid_a1, {"name": "离岗户主"}, {"name": "离岗户在岗女儿"})
    left_head, working_daughter = make.members(post_left)
    held = make.hold(make.case(left_head, S.SEEKING), make.post(world.site_a, 3), "ended")
    held.end_date = today() - datetime.timedelta(days=35)  # left a post 35 days ago: flagged
    held.save()
    make.place(make.case(working_daughter, S.EMPLOYED), "enterprise")
    out = make.household(world.grid_a1, {"name": "退出户主"}, {"name": "退出户在岗儿子"})
    out_head, out_son = make.members(out)
    job = make.place(make.case(out_head, S.NOT_IN_SCOPE), "enterprise")
    job.end_date = today() - datetime.timedelta(days=60)  # no longer in the labour force
    job.save()
    make.place(make.case(out_son, S.EMPLOYED), "enterprise")
    zero = make.household(world.grid_a1, {"name": "零就业户主"})
    make.registered_days_ago(zero, 45)  # nobody ever worked, registered 45 days ago: flagged
    fresh = make.household(world.grid_a2, {"name": "新登记户主"})
    make.registered_days_ago(fresh, 5)  # 5 days: not yet
    return world


def test_each_rule_flags_its_case_and_not_the_near_miss(planted):
    found = early_warnings(Household.objects.all(), today())
    flagged = {(w.kind, w.member.name if w.member else w.household.members.first().name)
               for w in found}  # fmt: skip
    assert ("lost_work", "失业户主") in flagged
    assert ("low_income", "低收入户主") in flagged
    assert ("zero_employment", "零就业户主") in flagged
    assert ("lost_work", "离岗户主") in flagged  # a post counts as work lost too
    for name in (
        "刚失业户主",
        "低收入儿子",
        "新登记户主",
        "在岗儿子",
        "退出户主",
        "离岗户在岗女儿",
    ):
        assert not any(who == name for _kind, who in flagged), name
    lost = next(w for w in found if w.kind == "lost_work" and w.member.name == "失业户主")
    assert lost.days == 40


def test_the_numbers_are_parameters(planted):
    parameter_set(actor=planted.admin, key="warning.replacement_days", value=50,
                  valid_from=today(), note="县里规定 50 天")  # fmt: skip
    kinds = {(w.kind, w.member.name if w.member else "") for w in early_warnings(
        Household.objects.all(), today())}  # fmt: skip
    assert ("lost_work", "失业户主") not in kinds


def test_the_page_shows_the_grids_warnings_to_its_caseworker_and_manager(client, planted):
    url = reverse("warnings:index")
    client.force_login(planted.caseworker1)
    page = client.get(url).content.decode()
    assert "失业户主" in page and "零就业户主" in page and "低收入户主" in page
    assert "预警" in page
    client.force_login(planted.manager)
    assert "零就业户主" in client.get(url + "?kind=zero_employment").content.decode()
    only = client.get(url + "?kind=lost_work").content.decode()
    assert "失业户主" in only and "低收入户主" not in only
    client.force_login(planted.caseworker2)  # grid A2: none of these
    assert "失业户主" not in client.get(url).content.decode()
    for user in (planted.helper, planted.trainer):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_a_user_of_many_households_picks_a_site_first(client, planted, monkeypatch):
    monkeypatch.setattr("casework.monitoring.warning_views.SCOPE_LIMIT", 1)
    client.force_login(planted.admin)  # works every grid of both sites
    url = reverse("warnings:index")
    page = client.get(url).content.decode()
    assert 'data-test="pick-site"' in page and "失业户主" not in page
    chosen = client.get(url, {"site": planted.site_a.pk}).content.decode()
    assert "失业户主" in chosen and 'data-test="pick-site"' not in chosen
