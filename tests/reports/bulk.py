"""Many households at once (``bulk_create``), for query-count tests and the dashboard bench.

Each household has three members: a head of working capacity (assessed in turn 能人, 需培训 or
三无, with an employment case that is employed, seeking, on a post or stable), a member assessed
非劳动力, and an unassessed member (at school in every other household). Employed heads have a
current placement; heads on a post hold a place on ``post``; some heads passed or failed a
course, some had a placement that ended, and every third household has a visit.
"""

import datetime
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from casework.cases.models import Assessment, Category, EmploymentCase, HouseholdCase
from casework.pairing.models import Visit
from casework.placement.models import Channel, Placement
from casework.posts.models import PostAssignment, WelfarePost
from casework.registry.models import Grid, Household, Member
from casework.training.models import Course, Enrolment

_batch = itertools.count(1)
CATEGORIES = (Category.CAPABLE, Category.TRAINING, Category.THREE_NO)
STATES = (
    EmploymentCase.State.EMPLOYED,
    EmploymentCase.State.SEEKING,
    EmploymentCase.State.ON_POST,
    EmploymentCase.State.STABLE,
)
CHANNELS = [c for c in Channel if c != Channel.PUBLIC_WELFARE]


def _member(household: Household, i: int, j: int, **fields: Any) -> Member:
    return Member(
        household=household,
        name=f"成员{i}-{j}",
        document_number=f"BULK{i:010d}{j}",
        sex="M" if j % 2 else "F",
        birth_date=datetime.date(1980, 1, 1),
        **fields,
    )


def bulk_households(grid: Grid, count: int, *, actor: Any) -> list[Household]:
    """``count`` households in ``grid``, with members, assessments, cases and the rest."""
    batch = next(_batch)
    today = timezone.localdate()
    colours = ("green", "yellow", "red")
    households = Household.objects.bulk_create(
        Household(number=f"B{batch:03d}-{i:06d}", grid=grid, colour=colours[i % 3])
        for i in range(count)
    )
    cases = HouseholdCase.objects.bulk_create(HouseholdCase(household=h) for h in households)
    members = []
    for i, household in enumerate(households):
        members += [
            _member(household, batch * 10**6 + i, 0, relationship="head"),
            _member(household, batch * 10**6 + i, 1, relationship="spouse", labour_capacity="lost"),
            _member(household, batch * 10**6 + i, 2, relationship="son", in_school=i % 2 == 0),
        ]  # fmt: skip
    members = Member.objects.bulk_create(members)
    heads, others = members[0::3], members[1::3]
    Assessment.objects.bulk_create(
        [Assessment(member=m, household_case=c, version=1, category=CATEGORIES[i % 3],
                    labour_capacity="ordinary", assessed_by=actor, review="approved")
         for i, (m, c) in enumerate(zip(heads, cases, strict=True))]
        + [Assessment(member=m, household_case=c, version=1, category=Category.NOT_LABOUR,
                      labour_capacity="lost", assessed_by=actor, review="approved")
           for m, c in zip(others, cases, strict=True)]
    )  # fmt: skip
    employment = EmploymentCase.objects.bulk_create(
        EmploymentCase(member=m, household_case=c, category=CATEGORIES[i % 3],
                       state=STATES[i % 4], closed_at=timezone.now() if i % 4 == 3 else None)
        for i, (m, c) in enumerate(zip(heads, cases, strict=True))
    )  # fmt: skip
    _work(employment, actor, today, grid)
    Visit.objects.bulk_create(
        Visit(household=h, visitor=actor, date=today - datetime.timedelta(days=i % 40),
              mode="home", thinking_stable=True, policy_understood=True, life_happy=True,
              industry_developing=True, problems_solved=True)
        for i, h in enumerate(households) if i % 3 == 0
    )  # fmt: skip
    return households


def _work(cases: list[EmploymentCase], actor: Any, today: datetime.date, grid: Grid) -> None:
    post = WelfarePost.objects.create(
        site=grid.site, name=f"保洁{next(_batch)}", kind="cleaning", quota=max(len(cases) // 4, 1),
        monthly_subsidy=Decimal("800"),
    )  # fmt: skip
    course = Course.objects.create(
        name="批量培训班", trade="cooking", site=grid.site, start_date=today, end_date=today
    )
    placements, posts, enrolments = [], [], []
    for i, case in enumerate(cases):
        start = today - datetime.timedelta(days=100)
        if case.state in (EmploymentCase.State.EMPLOYED, EmploymentCase.State.STABLE):
            placements.append(_placement(case, CHANNELS[i % len(CHANNELS)], start, None, actor))
        if i % 5 == 1:
            placements.append(_placement(case, Channel.MIGRATION, start, today, actor))
        if case.state == EmploymentCase.State.ON_POST:
            posts.append(PostAssignment(
                member_id=case.member_id, case=case, post=post, post_type="cleaning",
                status="on_post", applied_by=actor,
            ))  # fmt: skip
        if i % 3 == 1:
            status = (Enrolment.Status.PASSED, Enrolment.Status.FAILED)[i % 2]
            enrolments.append(Enrolment(member_id=case.member_id, course=course, case=case,
                                        status=status, enrolled_by=actor))  # fmt: skip
    Placement.objects.bulk_create(placements)
    PostAssignment.objects.bulk_create(posts)
    Enrolment.objects.bulk_create(enrolments)


def _placement(
    case: EmploymentCase, channel: str, start: datetime.date, end: Any, actor: Any
) -> Placement:
    return Placement(
        member_id=case.member_id, case=case, channel=channel, start_date=start, end_date=end,
        location_class="county", monthly_income=Decimal("2500"), recorded_by=actor,
    )  # fmt: skip
