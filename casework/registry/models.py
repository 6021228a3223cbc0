"""Regions, resettlement sites, grids, households and their members (DESIGN.md §4)."""

import datetime

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .search_keys import MEMBER_PREFIX_INDEXES, prefix_index, search_key


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Region(models.Model):
    """An administrative division by its 12-digit 统计用区划代码.

    Codes are data, never checked: villages keep codes of merged counties (``valid_to_year``).
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        PREFECTURE = "prefecture", _("Prefecture")
        COUNTY = "county", _("County")
        TOWNSHIP = "township", _("Township")
        VILLAGE = "village", _("Village")

    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT
    )
    valid_from_year = models.PositiveSmallIntegerField(
        _("valid from (year)"), null=True, blank=True
    )
    valid_to_year = models.PositiveSmallIntegerField(_("valid to (year)"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        permissions = [("read_county", _("Read the figures of every site of the county"))]

    def __str__(self) -> str:
        return self.name


class Site(TimeStamped):
    """A resettlement site or community (安置点 / 安置社区); it has no national code."""

    class Form(models.TextChoices):
        STANDALONE = "standalone", _("Standalone community")
        MERGED = "merged", _("Merged into an existing community")
        ATTACHED = "attached", _("Attached to a village")

    code = models.CharField(_("site code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    county = models.ForeignKey(
        Region, verbose_name=_("county"), null=True, blank=True, on_delete=models.PROTECT
    )
    township = models.CharField(_("township"), max_length=100, blank=True)
    form = models.CharField(
        _("organisational form"), max_length=12, choices=Form.choices, default=Form.STANDALONE
    )
    planned_households = models.PositiveIntegerField(_("planned households"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("resettlement site")
        verbose_name_plural = _("resettlement sites")
        permissions = [("manage_site", _("Manage all households of the site"))]

    def __str__(self) -> str:
        return self.name


class Grid(TimeStamped):
    """A grid (网格) of a site: the unit a caseworker is responsible for."""

    # Indexed as the first column of grid_code_unique_in_site (no index of its own).
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="grids", db_index=False
    )
    code = models.CharField(_("grid code"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("grid leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["site__code", "code"]
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        permissions = [("work_grid", _("Work on the households of the grid"))]
        constraints = [
            models.UniqueConstraint(fields=["site", "code"], name="grid_code_unique_in_site"),
        ]

    def __str__(self) -> str:
        return self.name


class BuildingLeader(models.Model):
    """A resident who leads a building or unit of a grid (楼栋长, 单元长, 户长): the grid's
    contacts on the ground, beside its leader (网格长). Kept where a county has them."""

    # Indexed as the first column of building_leader_unique (no index of its own).
    grid = models.ForeignKey(
        Grid, on_delete=models.CASCADE, related_name="building_leaders", db_index=False
    )
    building = models.CharField(_("building or unit"), max_length=20)
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        ordering = ["grid", "building"]
        verbose_name = _("building leader")
        verbose_name_plural = _("building leaders")
        constraints = [
            models.UniqueConstraint(fields=["grid", "building"], name="building_leader_unique")
        ]

    def __str__(self) -> str:
        return f"{self.building}：{self.name}"


class Household(TimeStamped):
    """A relocated household (户), resident in one grid of one site."""

    class HouseholdType(models.TextChoices):
        LIFTED = "lifted", _("Household lifted out of poverty")
        ORDINARY = "ordinary", _("Ordinary rural household")
        CONCURRENT = "concurrent", _("Concurrently relocated household")

    class Monitoring(models.TextChoices):
        NONE = "", _("Not monitored")
        UNSTABLE = "unstable", _("Unstable lifted household")
        MARGINAL = "marginal", _("Marginal household at risk")
        SUDDEN = "sudden", _("Household in sudden severe difficulty")

    class Colour(models.TextChoices):
        GREEN = "green", pgettext_lazy("label", "Green")
        YELLOW = "yellow", pgettext_lazy("label", "Yellow")
        RED = "red", pgettext_lazy("label", "Red")

    number = models.CharField(_("household number"), max_length=32, unique=True)
    # Indexed by (grid, colour) below, which serves the foreign key too: no index of its own.
    grid = models.ForeignKey(
        Grid,
        verbose_name=_("grid"),
        on_delete=models.PROTECT,
        related_name="households",
        db_index=False,
    )
    building = models.CharField(_("building"), max_length=20, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    room = models.CharField(_("room"), max_length=20, blank=True)
    origin_region = models.ForeignKey(
        Region,
        verbose_name=_("origin village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    origin_address = models.CharField(_("origin address"), max_length=200, blank=True)
    household_type = models.CharField(
        _("household type"),
        max_length=12,
        choices=HouseholdType.choices,
        default=HouseholdType.LIFTED,
    )
    monitoring = models.CharField(
        _("monitoring category"),
        max_length=12,
        choices=Monitoring.choices,
        default=Monitoring.NONE,
        blank=True,
    )
    colour = models.CharField(
        _("three-colour label"), max_length=8, choices=Colour.choices, default=Colour.GREEN
    )
    phone = models.CharField(_("household phone"), max_length=20, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        indexes = [
            models.Index(fields=["grid", "colour"]),
            # The list's search by room ("1502") or building and room ("3-1502").
            models.Index(fields=["room", "building"], name="household_room_idx"),
            GinIndex(
                fields=["origin_address"], opclasses=["gin_trgm_ops"], name="household_origin_trgm"
            ),
        ]
        permissions = [
            ("visit_household", _("Visit the household as its pairing helper")),
            ("export_casefile", _("Generate the household's case-file PDF")),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def address(self) -> str:
        parts = [
            self.building and f"{self.building}栋",
            self.unit and f"{self.unit}单元",
            self.room and f"{self.room}室",
        ]
        return "".join(p for p in parts if p)


class MemberQuerySet(models.QuerySet["Member"]):
    def current(self) -> "MemberQuerySet":
        """Members still in the household (not moved out, married out or deceased)."""
        return self.filter(left_on__isnull=True)


class Member(TimeStamped):
    """A member of a household, identified by document type and number.

    A member who leaves keeps their row (and their cases and history) with ``left_on`` and
    ``left_reason`` set; ``Member.objects.current()`` are those still in the household.
    """

    class DocumentType(models.TextChoices):
        RESIDENT_ID = "resident_id", _("Resident identity card")
        HMT_RESIDENCE = "hmt_residence", _("Residence permit for Hong Kong, Macao and Taiwan")
        FOREIGN_PR = "foreign_pr", _("Foreign permanent resident ID card")
        OTHER = "other", _("Other document")

    class Sex(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    class Relationship(models.TextChoices):
        HEAD = "head", _("Head of household")
        SPOUSE = "spouse", _("Spouse")
        SON = "son", _("Son")
        DAUGHTER = "daughter", _("Daughter")
        DAUGHTER_IN_LAW = "daughter_in_law", _("Daughter-in-law")
        SON_IN_LAW = "son_in_law", _("Son-in-law")
        GRANDCHILD = "grandchild", _("Grandchild")
        PARENT = "parent", _("Parent")
        SIBLING = "sibling", _("Sibling")
        OTHER = "other", _("Other relative")

    class Education(models.TextChoices):
        NONE = "", _("Not recorded")
        ILLITERATE = "illiterate", _("Illiterate or semi-literate")
        PRIMARY = "primary", _("Primary school")
        JUNIOR = "junior", _("Junior secondary")
        SENIOR = "senior", _("Senior secondary")
        COLLEGE = "college", _("Junior college")
        BACHELOR = "bachelor", _("Bachelor or above")

    class Health(models.TextChoices):
        HEALTHY = "healthy", _("Healthy")
        CHRONIC = "chronic", _("Long-term chronic illness")
        SERIOUS = "serious", _("Serious illness")
        DISABLED = "disabled", _("Disabled")

    class LabourCapacity(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinary labour")
        SKILLED = "skilled", _("Skilled labour")
        WEAK = "weak", _("Weak or half labour")
        LOST = "lost", _("Lost labour capacity")
        NONE = "none", _("No labour capacity")

    class Political(models.TextChoices):
        MASSES = "masses", _("Ordinary citizen")
        PARTY = "party", _("Communist Party member")
        PROBATIONARY = "probationary", _("Probationary Party member")
        LEAGUE = "league", _("Communist Youth League member")

    class Arrival(models.TextChoices):
        REGISTERED = "", _("Registered with the household")
        BORN = "born", _("Born")
        MARRIED_IN = "married_in", _("Married in")
        MOVED_IN = "moved_in", _("Moved in")
        SPLIT = "split", _("Split from another household")

    class Departure(models.TextChoices):
        MOVED_OUT = "moved_out", _("Moved out")
        MARRIED_OUT = "married_out", _("Married out")
        DECEASED = "deceased", _("Deceased")
        HUKOU_OUT = "hukou_out", _("Household registration moved out")

    LABOUR_CAPACITIES = (LabourCapacity.ORDINARY, LabourCapacity.SKILLED, LabourCapacity.WEAK)

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="members"
    )
    name = models.CharField(_("name"), max_length=50)  # indexed by ``search_keys.prefix_index``
    document_type = models.CharField(
        _("document type"),
        max_length=16,
        choices=DocumentType.choices,
        default=DocumentType.RESIDENT_ID,
    )
    document_number = models.CharField(_("document number"), max_length=32, unique=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    relationship = models.CharField(
        _("relationship to head"), max_length=16, choices=Relationship.choices
    )
    education = models.CharField(
        _("education"), max_length=12, choices=Education.choices, blank=True, default=Education.NONE
    )
    in_school = models.BooleanField(_("student"), default=False)
    health = models.CharField(
        _("health"), max_length=12, choices=Health.choices, default=Health.HEALTHY
    )
    labour_capacity = models.CharField(
        _("labour capacity"),
        max_length=12,
        choices=LabourCapacity.choices,
        default=LabourCapacity.ORDINARY,
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    political_status = models.CharField(
        _("political status"), max_length=12, choices=Political.choices, default=Political.MASSES
    )
    arrival = models.CharField(
        _("joined the household by"),
        max_length=12,
        choices=Arrival.choices,
        blank=True,
        default=Arrival.REGISTERED,
    )
    left_on = models.DateField(_("left the household on"), null=True, blank=True)
    left_reason = models.CharField(
        _("reason for leaving the household"), max_length=12, choices=Departure.choices, blank=True
    )

    # Search keys (registry/search.py), set by the services with the name and document number.
    name_pinyin = search_key(_("name in pinyin"), 200)
    name_pinyin_alt = search_key(_("name in pinyin (other reading)"), 200)
    name_initials = search_key(_("pinyin initials of the name"), 50)
    name_initials_alt = search_key(_("pinyin initials of the name (other reading)"), 50)
    document_tail = search_key(_("last four characters of the document number"), 4)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["household_id", "id"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        permissions = [("view_personal_data", _("View unmasked personal data"))]
        indexes = [prefix_index(field, name) for field, name in MEMBER_PREFIX_INDEXES.items()]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(relationship="head"),
                name="one_head_per_household",
            ),
            models.CheckConstraint(
                condition=~Q(relationship="head") | Q(left_on__isnull=True),
                name="head_has_not_left",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_left(self) -> bool:
        return self.left_on is not None

    @property
    def is_head(self) -> bool:
        return self.relationship == self.Relationship.HEAD

    def age_on(self, day: datetime.date) -> int:
        """Full years of age on ``day``."""
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
