"""The region, site and grid pages under 系统管理: each write answers with a redirect, changes
the database and leaves exactly one audit event naming its actor; a manager reaches only their
own sites and grids (another site's are 404), regions and new sites are the administrators'."""

import pytest

from casework import permissions
from casework.registry.models import Grid, Region, Site
from tests.conftest import login

pytestmark = pytest.mark.django_db


# Regions ---------------------------------------------------------------------------------


def test_it_creates_a_historical_region(client, world, recorded):
    login(client, world.admin)
    with recorded() as events:
        response = client.post(
            "/manage/regions/add/",
            {"code": "621226000000", "name": "旧礼县", "level": "county",
             "valid_from_year": "1950", "valid_to_year": "2016"},
        )  # fmt: skip
    assert response.status_code == 302
    region = Region.objects.get(code="621226000000")
    assert (region.name, region.valid_to_year) == ("旧礼县", 2016)
    event = events.one("region.create", world.admin)
    assert event.changes["code"] == [None, "621226000000"]


def test_it_edits_a_region_and_refuses_years_out_of_order(client, world, recorded):
    region = Region.objects.create(code="621200000000", name="陇南", level="prefecture")
    login(client, world.admin)
    data = {"code": region.code, "name": "陇南市", "level": "prefecture",
            "valid_from_year": "2005", "valid_to_year": "2004"}  # fmt: skip
    response = client.post(f"/manage/regions/{region.pk}/", data)
    assert response.status_code == 200 and "不能早于启用年份" in response.content.decode()
    with recorded() as events:
        response = client.post(f"/manage/regions/{region.pk}/", {**data, "valid_to_year": ""})
    assert response.status_code == 302
    region.refresh_from_db()
    assert (region.name, region.valid_from_year, region.valid_to_year) == ("陇南市", 2005, None)
    events.one("region.update", world.admin)


def test_it_searches_regions_by_code_or_name(client, world):
    Region.objects.create(code="621226000000", name="礼县", level="county")
    Region.objects.create(code="620100000000", name="兰州市", level="prefecture")
    login(client, world.admin)
    page = client.get("/manage/regions/", {"q": "礼"}).content.decode()
    assert "621226000000" in page and "620100000000" not in page


def test_regions_are_the_administrators_alone(client, world):
    login(client, world.manager)
    assert client.get("/manage/regions/").status_code == 403
    response = client.post("/manage/regions/add/", {"code": "1", "name": "x", "level": "county"})
    assert response.status_code == 403 and not Region.objects.filter(code="1").exists()


# Sites -----------------------------------------------------------------------------------


def test_an_administrator_creates_a_site(client, world, recorded):
    login(client, world.admin)
    with recorded() as events:
        response = client.post(
            "/manage/sites/add/",
            {"code": "C", "name": "城北安置社区", "township": "城关镇", "form": "standalone",
             "planned_households": "800"},
        )  # fmt: skip
    site = Site.objects.get(code="C")
    assert response.status_code == 302 and response["Location"] == f"/manage/sites/{site.pk}/"
    assert (site.name, site.planned_households) == ("城北安置社区", 800)
    events.one("site.create", world.admin)


def test_a_manager_cannot_create_a_site(client, world):
    login(client, world.manager)
    assert client.get("/manage/sites/add/").status_code == 403
    client.post("/manage/sites/add/", {"code": "C", "name": "x", "form": "standalone"})
    assert not Site.objects.filter(code="C").exists()


def test_a_manager_edits_their_own_site(client, world, recorded):
    login(client, world.manager)
    with recorded() as events:
        response = client.post(
            f"/manage/sites/{world.site_a.pk}/",
            {"code": "A", "name": "安置点A（新）", "form": "merged", "planned_households": ""},
        )
    assert response.status_code == 302
    world.site_a.refresh_from_db()
    assert (world.site_a.name, world.site_a.form) == ("安置点A（新）", "merged")
    event = events.one("site.update", world.manager)
    assert event.changes["name"] == ["安置点A", "安置点A（新）"]


def test_a_manager_neither_sees_nor_edits_another_site(client, world):
    login(client, world.manager)
    listing = client.get("/manage/sites/").content.decode()
    assert "安置点A" in listing and "安置点B" not in listing
    assert client.get(f"/manage/sites/{world.site_b.pk}/").status_code == 404
    response = client.post(f"/manage/sites/{world.site_b.pk}/", {"code": "B", "name": "改名"})
    assert response.status_code == 404
    world.site_b.refresh_from_db()
    assert world.site_b.name == "安置点B"


def test_an_administrator_names_and_removes_a_sites_manager(client, world, recorded):
    login(client, world.admin)
    with recorded() as events:
        response = client.post(
            f"/manage/sites/{world.site_b.pk}/managers/add/", {"user": world.manager.pk}
        )
    assert response.status_code == 302
    assert world.site_b in permissions.sites_managed_by(world.manager)
    events.one("jurisdiction.grant_site", world.admin)
    with recorded() as events:
        client.post(f"/manage/sites/{world.site_b.pk}/managers/{world.manager.pk}/revoke/")
    assert world.site_b not in permissions.sites_managed_by(world.manager)
    events.one("jurisdiction.revoke_site", world.admin)


def test_a_manager_cannot_make_managers(client, world):
    login(client, world.manager)
    url = f"/manage/sites/{world.site_a.pk}/managers/add/"
    assert client.post(url, {"user": world.caseworker1.pk}).status_code == 403
    assert world.site_a not in permissions.sites_managed_by(world.caseworker1)


# Grids -----------------------------------------------------------------------------------


def test_a_manager_creates_a_grid_in_their_site_with_a_leader(client, world, recorded):
    login(client, world.manager)
    with recorded() as events:
        response = client.post(
            "/manage/grids/add/",
            {"site": world.site_a.pk, "code": "G9", "name": "第九网格",
             "leader": world.caseworker1.pk},
        )  # fmt: skip
    grid = Grid.objects.get(site=world.site_a, code="G9")
    assert response.status_code == 302 and grid.leader == world.caseworker1
    event = events.one("grid.create", world.manager)
    assert event.changes["leader"] == [None, "caseworker1"]


def test_a_manager_cannot_create_a_grid_in_another_site(client, world):
    login(client, world.manager)
    response = client.post(
        "/manage/grids/add/", {"site": world.site_b.pk, "code": "G9", "name": "第九网格"}
    )
    assert response.status_code == 200  # the site is not among the choices
    assert not Grid.objects.filter(code="G9").exists()


def test_a_grid_code_is_unique_in_its_site(client, world):
    login(client, world.admin)
    response = client.post(
        "/manage/grids/add/", {"site": world.site_a.pk, "code": "G1", "name": "重复"}
    )
    assert response.status_code == 200
    assert Grid.objects.filter(site=world.site_a, code="G1").count() == 1


def test_it_changes_a_grids_name_and_leader(client, world, recorded):
    login(client, world.manager)
    with recorded() as events:
        response = client.post(
            f"/manage/grids/{world.grid_a1.pk}/",
            {"code": "G1", "name": "一网格", "leader": world.caseworker2.pk},
        )
    assert response.status_code == 302
    world.grid_a1.refresh_from_db()
    assert (world.grid_a1.name, world.grid_a1.leader) == ("一网格", world.caseworker2)
    events.one("grid.update", world.manager)


def test_it_gives_and_takes_back_a_grid_on_the_grids_page(client, world, recorded):
    login(client, world.manager)
    with recorded() as events:
        response = client.post(
            f"/manage/grids/{world.grid_a2.pk}/workers/add/", {"user": world.caseworker1.pk}
        )
    assert response.status_code == 302
    assert world.grid_a2 in permissions.grids_worked_by(world.caseworker1)
    events.one("jurisdiction.grant_grid", world.manager)
    with recorded() as events:
        url = f"/manage/grids/{world.grid_a2.pk}/workers/{world.caseworker1.pk}/revoke/"
        response = client.post(url)
    assert response.status_code == 302
    assert world.grid_a2 not in permissions.grids_worked_by(world.caseworker1)
    events.one("jurisdiction.revoke_grid", world.manager)


def test_giving_a_grid_twice_is_refused_without_an_event(client, world, recorded):
    login(client, world.manager)
    with recorded() as events:
        client.post(
            f"/manage/grids/{world.grid_a1.pk}/workers/add/", {"user": world.caseworker1.pk}
        )
    assert events.events == []


def test_a_manager_neither_sees_nor_works_another_sites_grid(client, world):
    login(client, world.manager)
    assert "B网格1" not in client.get("/manage/grids/").content.decode()
    assert client.get(f"/manage/grids/{world.grid_b1.pk}/").status_code == 404
    url = f"/manage/grids/{world.grid_b1.pk}/workers/add/"
    assert client.post(url, {"user": world.caseworker1.pk}).status_code == 404
    assert world.grid_b1 not in permissions.grids_worked_by(world.caseworker1)


def test_nobody_else_reaches_the_administration(client, world):
    for persona in ("caseworker1", "helper", "trainer", "outsider"):
        login(client, getattr(world, persona))
        for url in (
            "/manage/",
            "/manage/sites/",
            "/manage/grids/",
            f"/manage/grids/{world.grid_a1.pk}/",
        ):
            assert client.get(url).status_code == 403, (persona, url)


def test_it_names_replaces_and_removes_a_building_leader(client, world, recorded):
    login(client, world.manager)
    url = f"/manage/grids/{world.grid_a1.pk}/leaders/add/"
    with recorded() as events:
        response = client.post(
            url,
            {"leader-building": "3号楼", "leader-name": "赵楼长", "leader-phone": "13912345678"},
        )
    assert response.status_code == 302
    leader = world.grid_a1.building_leaders.get()
    assert (leader.building, leader.name, leader.phone) == ("3号楼", "赵楼长", "13912345678")
    event = events.one("grid.building_leader_set", world.manager)
    assert event.changes["phone"] == [None, "139****5678"]  # masked in the audit chain
    with recorded() as events:
        client.post(url, {"leader-building": "3号楼", "leader-name": "钱楼长"})
    assert list(world.grid_a1.building_leaders.values_list("name", flat=True)) == ["钱楼长"]
    events.one("grid.building_leader_set", world.manager)
    leader = world.grid_a1.building_leaders.get()
    with recorded() as events:
        client.post(f"/manage/grids/{world.grid_a1.pk}/leaders/{leader.pk}/remove/")
    assert not world.grid_a1.building_leaders.exists()
    events.one("grid.building_leader_remove", world.manager)


def test_a_bad_phone_is_refused_and_another_sites_grid_is_out_of_reach(client, world):
    login(client, world.manager)
    url = f"/manage/grids/{world.grid_a1.pk}/leaders/add/"
    client.post(url, {"leader-building": "1号楼", "leader-name": "孙", "leader-phone": "12345"})
    assert not world.grid_a1.building_leaders.exists()
    other = f"/manage/grids/{world.grid_b1.pk}/leaders/add/"
    assert client.post(other, {"leader-building": "1号楼", "leader-name": "孙"}).status_code == 404
    assert not world.grid_b1.building_leaders.exists()
