"""Load demo data: one site, three grids, 51 households at every stage of both flows, one user
per role. Idempotent: households that exist are left as they are."""

import datetime
import random
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone
from faker import Faker

from casework import permissions
from casework.monitoring import services as monitoring_services
from casework.monitoring.models import MonitoredHousehold
from casework.ops.demo import STAGES, DemoStager, job_menu_ensure
from casework.ops.demo_months import demo_county_bureau, demo_second_site, demo_work_history
from casework.ops.demo_people import household_plan
from casework.pairing import services as pairing_services
from casework.pairing.models import Pairing
from casework.permissions import roles
from casework.posts import services as post_services
from casework.posts.models import WelfarePost
from casework.registry import services
from casework.registry.models import Grid, Household, Member, Region, Site
from casework.registry.validators import clean_text
from casework.reports.dashboard.services.build import figures_snapshot_build
from casework.reports.models import FiguresBuild
from casework.reports.monthly.dates import months_to_build
from casework.reports.monthly.services import month_figures_build
from casework.training import services as training_services
from casework.training.models import Course
from workflows.services import household_flow_start, households_without_process

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - printed in the README for the demo logins
SITE_CODE = "LX-CG-01"
DEMO_COURSE = "中式烹调师（初级）培训班"
HOUSEHOLDS_PER_GRID = len(STAGES)  # one per stage
VILLAGES = [
    ("621226203201", "崖城村"), ("621226205202", "石桥村"), ("621226212203", "草坪村"),
    ("622626104204", "旧堡村（原陇南地区）"),
]  # fmt: skip

USERS = [
    # username, full name, role, grid codes, site manager?
    ("admin", "系统管理员", roles.ADMIN, [], False),
    ("manager", "王书记", roles.MANAGER, [], True),
    ("caseworker1", "李网格员", roles.CASEWORKER, ["G01"], False),
    ("caseworker2", "赵网格员", roles.CASEWORKER, ["G02"], False),
    ("trainer", "陈老师", roles.TRAINER, [], False),
    ("helper", "刘党员", roles.HELPER, [], False),
]


def _planner_statistics_refresh() -> None:
    """On PostgreSQL, ANALYZE the tables just written. Never-analysed tables make the planner
    guess ~1,500 rows each, so the workbench's task queries (a dozen joins) are estimated at
    millions of rows and JIT-compiled: ~5 s a query, ~10 s for the first page after login;
    with statistics ~0.3 s. Autovacuum would only catch up a minute or more later."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


class Command(BaseCommand):
    help = "Load the demo site, grids, households, members and one user per role (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            admin = self._users()
            site, grids = self._site(admin)
            self._jurisdiction(admin, site, grids)
            for household in households_without_process():
                household_flow_start(actor=admin, household=household)
            created = self._households(admin, grids)
            self._pairings(grids[0])
            self._monitoring(grids[0])
            # The month-end dashboard's county: a second township's site, a year of monthly
            # work records, and the county's bureau.
            county = Region.objects.get(code="621226000000")
            demo_second_site(admin, county)
            demo_county_bureau(admin, county, DEMO_PASSWORD)
            demo_work_history(admin, timezone.localdate(), left_to_enter=grids[0])
        _planner_statistics_refresh()
        # The dashboard reads the daily snapshot: count today's now rather than at the first
        # scheduler sweep, so the page opens on stored figures straight away (once a day: a
        # second run changes nothing).
        if not FiguresBuild.objects.filter(day=timezone.localdate()).exists():
            figures_snapshot_build(actor=admin)
            month_figures_build(actor=admin, months=months_to_build(timezone.localdate()))
        self.stdout.write(
            f"Demo data ready: {Household.objects.count()} households, "
            f"{Member.objects.count()} members ({created} households created now). "
            f"Demo password for every user: {DEMO_PASSWORD}"
        )

    def _pairings(self, grid: Grid) -> None:
        """The demo helper looks after three households of the first grid; one was visited."""
        user_model = get_user_model()
        helper = user_model.objects.get(username="helper")
        if Pairing.objects.filter(helper=helper).exists():
            return
        caseworker = user_model.objects.get(username="caseworker1")
        households = list(Household.objects.filter(grid=grid).order_by("number")[:3])
        for household in households:
            pairing_services.pairing_create(
                actor=caseworker, helper=helper, household=household, kind=Pairing.Kind.PARTY
            )
        pairing_services.visit_record(
            actor=helper,
            household=households[0],
            date=timezone.localdate() - datetime.timedelta(days=3),
            mode="home",
            thinking_stable=True,
            policy_understood=True,
            life_happy=True,
            industry_developing=False,
            problems_solved=True,
            raised="想找离家近的工作",
            done="介绍了帮扶车间的岗位",
            next_step="下月回访",
        )

    def _monitoring(self, grid: Grid) -> None:
        """Two monitored households of the first grid: one whose elimination awaits the
        manager's review, one whose income is still below the threshold."""
        if MonitoredHousehold.objects.exists():
            return
        caseworker = get_user_model().objects.get(username="caseworker1")
        households = list(Household.objects.filter(grid=grid).order_by("number")[3:5])
        identified = timezone.localdate() - datetime.timedelta(days=150)
        for household, kind, risks, income in (
            (households[0], "marginal", ["illness"], Decimal("8600")),
            (households[1], "sudden", ["illness", "schooling"], Decimal("5200")),
        ):
            monitored = monitoring_services.monitoring_identify(
                actor=caseworker, household=household, kind=kind, risks=risks,
                route="screening", identified_on=identified,
            )  # fmt: skip
            monitoring_services.monitoring_measure_add(
                actor=caseworker, monitored=monitored, kind="employment",
                detail="推荐到帮扶车间就业", responsible="网格员", started_on=identified,
            )  # fmt: skip
            monitoring_services.monitoring_income_record(
                actor=caseworker, monitored=monitored, year=timezone.localdate().year,
                per_capita_net_income=income, wage_income=Decimal("18000"),
            )  # fmt: skip
            if income >= monitoring_services.threshold_for_year(timezone.localdate().year):
                monitoring_services.elimination_propose(
                    actor=caseworker, monitored=monitored, elimination="assisted",
                    reason="家庭成员在帮扶车间稳定就业，收入超过监测范围",
                )  # fmt: skip

    def _users(self) -> Any:
        user_model = get_user_model()
        roles.roles_sync()
        admin = None
        for username, full_name, role, _grids, _manager in USERS:
            user = user_model.objects.filter(username=username).first()
            if user is None:
                user = user_model(
                    username=username,
                    first_name=full_name,
                    is_staff=role == roles.ADMIN,
                    is_superuser=role == roles.ADMIN,
                )
                user.set_password(DEMO_PASSWORD)
                user.save()
                user.groups.add(Group.objects.get(name=role))
            if role == roles.ADMIN:
                admin = user
        return admin

    def _site(self, admin: Any) -> tuple[Site, list[Grid]]:
        province = services.region_ensure(
            actor=admin, code="620000000000", name="甘肃省", level=Region.Level.PROVINCE
        )
        city = services.region_ensure(
            actor=admin,
            code="621200000000",
            name="陇南市",
            level=Region.Level.PREFECTURE,
            parent=province,
        )
        county = services.region_ensure(
            actor=admin, code="621226000000", name="礼县", level=Region.Level.COUNTY, parent=city
        )
        old_county = services.region_ensure(
            actor=admin,
            code="622626000000",
            name="礼县（原陇南地区）",
            level=Region.Level.COUNTY,
            valid_to_year=2004,
        )
        for code, name in VILLAGES:
            services.region_ensure(
                actor=admin,
                code=code,
                name=name,
                level=Region.Level.VILLAGE,
                parent=old_county if code.startswith("6226") else county,
            )
        site = Site.objects.filter(code=SITE_CODE).first() or services.site_create(
            actor=admin,
            code=SITE_CODE,
            name="城关镇易地扶贫搬迁安置社区",
            county=county,
            township="城关镇",
            planned_households=60,
        )
        grids = []
        for index in range(1, 4):
            code = f"G{index:02d}"
            grid = Grid.objects.filter(site=site, code=code).first() or services.grid_create(
                actor=admin, site=site, code=code, name=f"第{'一二三'[index - 1]}网格"
            )
            grids.append(grid)
        return site, grids

    def _stager(self, admin: Any, site: Site, grid: Grid) -> DemoStager:
        user_model = get_user_model()
        manager = user_model.objects.get(username="manager")
        workers = {"G01": "caseworker1", "G02": "caseworker2"}
        worker = user_model.objects.get(username=workers.get(grid.code, "admin"))
        trainer = user_model.objects.get(username="trainer")
        course = Course.objects.filter(site=site, name=clean_text(DEMO_COURSE)).first()
        if course is None:
            today = timezone.localdate()
            course = training_services.course_create(
                actor=manager,
                name=DEMO_COURSE,
                trade="cooking",
                level="junior",
                provider="礼县职业技术培训学校",
                location="社区就业服务站二楼",
                site=site,
                start_date=today - datetime.timedelta(days=10),
                end_date=today + datetime.timedelta(days=30),
                hours=120,
                capacity=40,
            )
            training_services.course_trainer_grant(actor=manager, course=course, trainer=trainer)
        post = WelfarePost.objects.filter(site=site).first() or post_services.post_create(
            actor=manager,
            site=site,
            name="安置社区保洁员",
            kind="cleaning",
            quota=6,
            monthly_subsidy=Decimal("800"),
        )
        return DemoStager(
            worker=worker,
            manager=manager,
            trainer=trainer,
            course=course,
            post=post,
            workshop_job=job_menu_ensure(actor=manager, site=site),
        )

    def _households(self, admin: Any, grids: list[Grid]) -> int:
        rng = random.Random(20261122)
        fake = Faker("zh_CN")
        fake.seed_instance(20261122)
        regions = {code: Region.objects.get(code=code) for code, _name in VILLAGES}
        today = datetime.date(2026, 11, 1)
        created = 0
        for grid_index, grid in enumerate(grids):
            for index in range(1, HOUSEHOLDS_PER_GRID + 1):
                number = f"6212260{grid_index + 1:02d}{index:04d}"
                plan = household_plan(rng, fake, today)
                if Household.objects.filter(number=number).exists():
                    continue
                village_code = rng.choice(list(regions))
                head, *others = plan
                household = services.household_register(
                    actor=admin,
                    number=number,
                    grid=grid,
                    building=str(1 + (index - 1) // 6),
                    unit=str(1 + (index - 1) % 2),
                    room=f"{1 + (index - 1) % 6}0{1 + index % 3}",
                    origin_region=regions[village_code],
                    origin_address=f"{regions[village_code].name}{rng.randint(1, 9)}组",
                    household_type=rng.choice(
                        [Household.HouseholdType.LIFTED] * 4 + [Household.HouseholdType.ORDINARY]
                    ),
                    colour=rng.choice(
                        [Household.Colour.GREEN] * 6
                        + [Household.Colour.YELLOW] * 3
                        + [Household.Colour.RED]
                    ),
                    phone=head["phone"],
                    head=head,
                )
                for member in others:
                    services.member_add(actor=admin, household=household, **member)
                stage, category = STAGES[(index - 1) % len(STAGES)]
                self._stager(admin, grid.site, grid).household(household, stage, category)
                created += 1
        return created

    def _jurisdiction(self, admin: Any, site: Site, grids: list[Grid]) -> None:
        user_model = get_user_model()
        by_code = {grid.code: grid for grid in grids}
        for username, _name, _role, grid_codes, manages_site in USERS:
            user = user_model.objects.get(username=username)
            for code in grid_codes:
                if by_code[code].pk not in permissions.jurisdiction_of(user).grid_ids:
                    services.jurisdiction_grant_grid(actor=admin, user=user, grid=by_code[code])
            if manages_site and not user.has_perm(permissions.MANAGE_SITE, site):
                services.jurisdiction_grant_site(actor=admin, user=user, site=site)
