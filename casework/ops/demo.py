"""Demo households at every stage of both flows, reached through the same services and task
completions the pages use (``task_complete``), so the demo history is real."""

import datetime
import random
from decimal import Decimal
from typing import Any
from unittest import mock

from django.utils import timezone
from stdnum.cn import uscc
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS
from viewflow.workflow.timers import fire_due_timers

from casework.cases import services as case_services
from casework.cases.models import Category, EmploymentCase, HouseholdCase
from casework.notices import services as notice_services
from casework.placement import services as placement_services
from casework.placement.models import Employer
from casework.posts import services as post_services
from casework.registry import services as registry_services
from casework.registry.models import Household, Member
from casework.training import services as training_services
from casework.training.models import Course
from workflows.flows import EmploymentFlow, HouseholdFlow
from workflows.models import EmploymentProcess, HouseholdProcess
from workflows.services import course_results_complete, task_complete

from .demo_people import make_resident_id

# Stage of the household at position n (0-16) of each grid: what the head is assessed as,
# and how far their case has gone.
STAGES = [
    ("unassessed", None),
    ("awaiting_review", Category.CAPABLE),
    ("sent_back", Category.CAPABLE),
    ("placement", Category.CAPABLE),
    ("placed", Category.CAPABLE),
    ("followed_up", Category.CAPABLE),
    ("stable", Category.CAPABLE),
    ("enrol", Category.TRAINING),
    ("in_training", Category.TRAINING),
    ("training_failed", Category.TRAINING),
    ("trained", Category.TRAINING),
    ("trained_placed", Category.TRAINING),
    ("post_application", Category.THREE_NO),
    ("post_approval", Category.THREE_NO),
    ("on_post", Category.THREE_NO),
    ("refused_thrice", Category.CAPABLE),
    ("reassessment_review", Category.CAPABLE),
]
# The reason a head's category needs (三无 always needs one).
_REASONS: dict[str, str] = {Category.THREE_NO: "无一技之长，体力较弱，愿意做公益性岗位"}


def _open(process_filter: dict[str, Any], node: Any) -> Task:
    return Task.objects.get(
        flow_task=node, status__in=[STATUS.NEW, STATUS.ASSIGNED], **process_filter
    )


def _entries(household: Household, head_category: str) -> list[case_services.AssessmentEntry]:
    entries = []
    head_reason = _REASONS.get(head_category, "")
    for member in household.members.all():
        head = member.is_head
        entries.append(
            case_services.AssessmentEntry(
                member=member,
                category=head_category if head else Category.NOT_LABOUR,
                labour_capacity="ordinary" if head else member.labour_capacity,
                work_willing=head,
                training_willing=head and head_category == Category.TRAINING,
                desired_trade="cooking" if head and head_category == Category.TRAINING else "",
                desired_area="county" if head else "",
                reasons=head_reason if head else "家中其他成员，本次不纳入就业帮扶",
            )
        )
    return entries


def _fire_timer(process: Any) -> None:
    Task.objects.filter(process=process, status=STATUS.SCHEDULED).update(
        scheduled=timezone.now() - datetime.timedelta(seconds=1)
    )
    fire_due_timers()


class DemoStager:
    def __init__(
        self,
        *,
        worker: Any,
        manager: Any,
        trainer: Any,
        course: Course,
        post: Any,
        workshop_job: Any,
    ) -> None:
        self.worker, self.manager, self.trainer, self.course = worker, manager, trainer, course
        self.post, self.workshop_job = post, workshop_job
        self.today = timezone.localdate()

    def household(self, household: Household, stage: str, category: str | None) -> None:
        if category is None:
            return
        hcase = HouseholdCase.objects.get(household=household, closed_at__isnull=True)
        where = {"process__in": HouseholdProcess.objects.filter(household_case=hcase).values("pk")}

        def assess() -> None:
            task_complete(
                task=_open(where, HouseholdFlow.assess),
                actor=self.worker,
                perform=lambda: case_services.household_assess(
                    actor=self.worker,
                    household_case=hcase,
                    entries=_entries(household, category),
                    colour=household.colour,
                ),
            )

        def review(approve: bool, reason: str = "") -> None:
            task_complete(
                task=_open(where, HouseholdFlow.review),
                actor=self.manager,
                perform=lambda: case_services.assessment_review(
                    actor=self.manager, household_case=hcase, approve=approve, reason=reason
                ),
            )

        assess()
        if stage == "awaiting_review":
            return
        if stage == "sent_back":
            review(False, "户主有厨师证，请核实类别后重新评估")
            return
        review(True)
        case = EmploymentCase.objects.get(household_case=hcase)
        self.case(case, stage)
        if stage == "placement":
            self.member_joins(household)
        if stage == "stable":
            _fire_timer(HouseholdProcess.objects.get(household_case=hcase))

    def member_joins(self, household: Household) -> None:
        """A daughter-in-law married in after the assessment: her own assessment task opens."""
        born = self.today - datetime.timedelta(days=24 * 365)
        rng = random.Random(household.number)  # noqa: S311 - fake demo people, not secrets
        registry_services.member_add(
            actor=self.worker,
            household=household,
            name=rng.choice(["王秀英", "李桂芳", "张丽娟", "刘海燕", "陈晓梅"]),
            document_number=make_resident_id(rng, "621226", born, "F"),
            relationship=Member.Relationship.DAUGHTER_IN_LAW,
            education=Member.Education.SENIOR,
            labour_capacity=Member.LabourCapacity.ORDINARY,
            arrival=Member.Arrival.MARRIED_IN,
        )

    def step(self, case: EmploymentCase, node: Any, perform: Any, actor: Any = None) -> None:
        task = _open(
            {"process__in": EmploymentProcess.objects.filter(case=case).values("pk")}, node
        )
        actor = actor or self.worker
        task_complete(task=task, actor=actor, perform=lambda: perform(actor))
        case.refresh_from_db()

    def place(self, case: EmploymentCase, months_ago: int) -> None:
        start = self.today - datetime.timedelta(days=30 * months_ago + 5)
        self.step(
            case,
            EmploymentFlow.placement,
            lambda actor: placement_services.placement_record(
                actor=actor,
                case=case,
                channel="workshop",
                vacancy=self.workshop_job,
                start_date=start,
                location_class="county",
                place="礼县城关镇",
                monthly_income=Decimal("2600"),
                contract_months=12,
                organised_transport=False,
            ),
        )

    def follow_up(self, case: EmploymentCase) -> None:
        _fire_timer(case.process)
        self.step(
            case,
            EmploymentFlow.retention_followup,
            lambda actor: placement_services.retention_followup_record(
                actor=actor, case=case, still_working=True, monthly_income=Decimal("2700")
            ),
        )

    def case(self, case: EmploymentCase, stage: str) -> None:
        if stage in ("placed", "followed_up", "stable"):
            self.place(case, {"placed": 0, "followed_up": 4, "stable": 7}[stage])
            for _checkpoint in range({"placed": 0, "followed_up": 2, "stable": 3}[stage]):
                self.follow_up(case)
        elif stage in ("in_training", "training_failed", "trained", "trained_placed"):
            self.enrol(case)
            if stage != "in_training":
                self.finish_training(case, passed=stage in ("trained", "trained_placed"))
            if stage == "trained_placed":
                self.place(case, 0)
        elif stage in ("post_approval", "on_post"):
            self.step(
                case,
                EmploymentFlow.post_application,
                lambda actor: post_services.post_apply(
                    actor=actor, case=case, post=self.post, note="身体较弱，愿意做保洁"
                ),
            )
            if stage == "on_post":
                self.on_post(case)
        elif stage == "refused_thrice":
            self.refuse_until_exit(case)
        elif stage == "reassessment_review":
            self.refuse_and_reassess(case, Category.TRAINING)

    def on_post(self, case: EmploymentCase) -> None:
        """Approved three weeks ago (the approval's public notice went up then), the notice
        passed without objection: on the post since today."""
        approved = timezone.now() - datetime.timedelta(days=21)
        with mock.patch.object(timezone, "now", return_value=approved):
            self.step(
                case,
                EmploymentFlow.post_approval,
                lambda actor: post_services.post_decide(
                    actor=actor, case=case, approve=True, start_date=self.today
                ),
                actor=self.manager,
            )
        process = EmploymentProcess.objects.get(case=case)
        kind = EmploymentFlow.post_notice.notice_kind

        def conclude(actor: Any) -> None:
            notice = notice_services.notice_conclude(actor=actor, notice=kind.notice(process))
            kind.concluded(actor, kind.subject(process), notice)

        self.step(case, EmploymentFlow.post_notice, conclude)

    def enrol(self, case: EmploymentCase) -> None:
        self.step(
            case,
            EmploymentFlow.enrol,
            lambda actor: training_services.enrolment_create(
                actor=actor, case=case, course=self.course, joined_on=self.course.start_date
            ),
        )

    def finish_training(self, case: EmploymentCase, *, passed: bool) -> None:
        """The trainer takes five days' attendance (this trainee present at all five, or two)
        and records the result for them through the class results."""
        enrolment = case.enrolments.get(status="enrolled")
        others = set(self.course.enrolments.filter(status="enrolled").values_list("pk", flat=True))
        for day in range(5):
            present = others if passed or day < 2 else others - {enrolment.pk}
            training_services.attendance_record(
                actor=self.trainer,
                course=self.course,
                date=self.course.start_date + datetime.timedelta(days=day),
                present=present,
            )
        entry = training_services.ResultEntry(
            enrolment_id=enrolment.pk,
            result="passed" if passed else "failed",
            certificate_type="skill_level" if passed else "",
            certificate_number=f"S{enrolment.pk:06d}" if passed else "",
        )
        course_results_complete(actor=self.trainer, course=self.course, entries=[entry])
        case.refresh_from_db()

    def refuse_until_exit(self, case: EmploymentCase) -> None:
        while not case.is_closed:
            self.refuse_and_reassess(case, Category.CAPABLE)

    def refuse_and_reassess(self, case: EmploymentCase, category: str) -> None:
        """The member refuses a referral and is reassessed as ``category`` (a new category waits
        for the manager's review)."""
        self.step(
            case,
            EmploymentFlow.placement,
            lambda actor: case_services.case_refusal_record(
                actor=actor, case=case, reason="不愿离家务工，拒绝推荐岗位"
            ),
        )
        if case.is_closed:
            return
        self.step(
            case,
            EmploymentFlow.reassess,
            lambda actor: case_services.case_reassess(
                actor=actor,
                case=case,
                entry=next(
                    entry
                    for entry in _entries(case.member.household, category)
                    if entry.member.pk == case.member_id
                ),
            ),
        )


# The demo site's job menu: (employer, kind, location, industry, credit code, vacancies).
JOB_MENU = [
    ("鑫桥服饰就业帮扶车间", "workshop", "county", "纺织服装", "91621226MA71XQ0X1B", [
        ("缝纫工", "other", 40, 2400, 3200, 16, 55, False),
        ("质检员", "other", 4, 2800, 3500, 18, 50, False),
    ]),
    ("礼县宾馆", "enterprise", "county", "住宿和餐饮业", "", [
        ("后厨帮工", "cooking", 3, 2600, 3400, 18, 55, False),
        ("中式厨师", "cooking", 2, 3800, 5000, 18, 55, True),
    ]),
    ("陇南劳务输出有限公司", "labour_agency", "outside", "建筑业", "", [
        ("建筑工（江苏）", "construction", 20, 5500, 8000, 18, 55, False),
        ("家政服务员（天津）", "housekeeping", 10, 4500, 6500, 25, 55, False),
    ]),
]  # fmt: skip


def job_menu_ensure(*, actor: Any, site: Any) -> Any:
    """The demo job menu (idempotent); returns the workshop's sewing vacancy."""
    today = timezone.localdate()
    for name, kind, location, industry, code, vacancies in JOB_MENU:
        if Employer.objects.filter(site=site, name=name).exists():
            continue
        if code:
            code = code[:17] + uscc.calc_check_digit(code[:17])
        employer = placement_services.employer_create(
            actor=actor, site=site, name=name, kind=kind, location_class=location,
            industry=industry, credit_code=code, contact_name="人事部",
        )  # fmt: skip
        for title, trade, headcount, low, high, age_min, age_max, certified in vacancies:
            placement_services.vacancy_create(
                actor=actor, employer=employer, title=title, trade=trade, headcount=headcount,
                wage_min=Decimal(low), wage_max=Decimal(high), location_class=location,
                age_min=age_min, age_max=age_max, required_certificate_trade=certified,
                valid_from=today - datetime.timedelta(days=30),
                valid_to=today + datetime.timedelta(days=180),
            )  # fmt: skip
    return Employer.objects.get(site=site, name=JOB_MENU[0][0]).vacancies.get(title="缝纫工")
