"""Checking each household of a ledger against the registry: its site (one the import may write
into) and grid, its origin village (a division code, known or new), one head, people already
registered elsewhere, and households already in the system (left unchanged; differences named).
"""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError

from casework.registry.models import Grid, Household, Member, Region, Site
from casework.registry.validators import (
    clean_text,
    mask_document_number,
    mask_phone,
    normalize_phone,
)

from .checks import HouseholdEntry, coded, within_length
from .problems import Findings, masked_message
from .problems import ProblemCode as C
from .template import labels

At = Callable[[str], int]  # column key -> the row where the household gave it
OWNER_CHUNK = 5000


def _by_word(items: list[Any], key: Callable[[Any], Any]) -> dict[Any, list[Any]]:
    """Sites or grids by (``key``, folded code) and by (``key``, folded name)."""
    index: dict[Any, list[Any]] = defaultdict(list)
    for item in items:
        code, name = clean_text(item.code), clean_text(item.name)
        index[key(item), code].append(item)
        if name != code:
            index[key(item), name].append(item)
    return index


class HouseholdChecks:
    """Checks the households found by ``RowChecks``; fills each entry's household fields.

    ``allowed_site_ids``: the sites the import may write into (None: every site).
    """

    def __init__(self, found: Findings, allowed_site_ids: set[int] | None) -> None:
        self.found = found
        self.allowed = allowed_site_ids
        self.sites = _by_word(list(Site.objects.select_related("county")), lambda s: None)
        self.grids = _by_word(list(Grid.objects.all()), lambda g: g.site_id)
        self.regions: dict[str, Region] = {}
        self.new_regions: dict[str, tuple[str, int]] = {}  # code -> (name, row)
        self.existing: set[str] = set()  # household numbers already in the system
        self.unknown_codes: set[str] = set()  # division codes not (yet) in the system

    def check(self, households: dict[str, HouseholdEntry], documents: list[str]) -> None:
        self.regions_read(households)
        for entry in households.values():
            self.check_household(entry)
        self.check_heads(households)
        self.check_against_database(households, documents)

    def regions_read(self, households: dict[str, HouseholdEntry]) -> None:
        """The origin villages the ledger names by code, in a few queries instead of one per
        household."""
        codes = {
            code
            for entry in households.values()
            for code in [clean_text(entry.raw.get("origin_code", (0, ""))[1])]
            if len(code) == 12 and code.isdigit()
        }
        ordered = sorted(codes)
        for start in range(0, len(ordered), 5000):
            chunk = ordered[start : start + 5000]
            self.regions.update((r.code, r) for r in Region.objects.filter(code__in=chunk))
        self.unknown_codes |= codes - self.regions.keys()

    # -- the household's columns
    def check_household(self, entry: HouseholdEntry) -> None:
        raw = {key: text for key, (_row, text) in entry.raw.items()}
        rows = {key: r for key, (r, _text) in entry.raw.items()}

        def at(key: str) -> int:
            return rows.get(key, entry.first_row)

        found = self.found
        data: dict[str, Any] = {}
        if not raw.get("site"):
            found.error(entry.first_row, "site", "", C.REQUIRED)
        else:
            site = self.site_for(at("site"), raw["site"])
            if site is not None:
                self.site_columns(entry, site, raw, at, data)
        for key in ("building", "unit", "room", "origin_address"):
            text = raw.get(key, "").strip()
            if within_length(found, at(key), key, text, Household, key):
                data[key] = text
        for key in ("household_type", "monitoring", "colour"):
            data[key] = coded(found, at(key), key, raw.get(key, ""))
        phone = raw.get("household_phone", "")
        try:
            data["phone"] = normalize_phone(phone, field_label=found.title("household_phone"))
        except ValidationError as exc:
            shown = mask_phone(clean_text(phone))
            message = masked_message(" ".join(exc.messages), clean_text(phone), shown)
            found.error(at("household_phone"), "household_phone", shown, C.PHONE, message=message)
        data["origin_region"] = self.origin(entry, raw, at)
        entry.data = data

    def site_for(self, row: int, text: str) -> Site | None:
        matches = self.sites.get((None, clean_text(text)), [])
        if len(matches) != 1:
            code = C.SITE_AMBIGUOUS if matches else C.SITE_UNKNOWN
            self.found.error(row, "site", text, code)
            return None
        site = matches[0]
        if self.allowed is not None and site.pk not in self.allowed:
            self.found.error(row, "site", text, C.SITE_NOT_ALLOWED)
            return None
        return site

    def site_columns(
        self, entry: HouseholdEntry, site: Site, raw: dict[str, str], at: At, data: dict
    ) -> None:
        """County and township as the site has them; the grid one of the site's."""
        found = self.found
        for key, expected in (
            ("county", site.county.name if site.county else ""),
            ("township", site.township),
        ):
            text = raw.get(key, "")
            if text and clean_text(text) != clean_text(expected):
                params = {"site": site.name, "expected": expected or "—"}
                found.error(at(key), key, text, C.SITE_MISMATCH, **params)
        if not raw.get("grid"):
            found.error(entry.first_row, "grid", "", C.REQUIRED)
            return
        grids = self.grids.get((site.pk, clean_text(raw["grid"])), [])
        if len(grids) == 1:
            data["grid"] = grids[0]
        elif grids:
            found.error(at("grid"), "grid", raw["grid"], C.GRID_AMBIGUOUS)
        else:
            found.error(at("grid"), "grid", raw["grid"], C.GRID_UNKNOWN, site=site.name)

    def origin(self, entry: HouseholdEntry, raw: dict[str, str], at: At) -> Region | None:
        """The origin village by its division code; a code new to the system is created by the
        import (``entry.region_to_create``) and needs a name."""
        code, name = clean_text(raw.get("origin_code", "")), raw.get("origin_name", "").strip()
        if not code and not name:
            return None
        if not code:
            named = list(Region.objects.filter(name=name)[:2])
            if len(named) == 1:
                return named[0]
            self.found.error(at("origin_name"), "origin_code", "", C.ORIGIN_CODE_NEEDED)
            return None
        if len(code) != 12 or not code.isdigit():
            self.found.error(at("origin_code"), "origin_code", code, C.ORIGIN_CODE_FORMAT)
            return None
        if code not in self.regions and code not in self.unknown_codes:
            region = Region.objects.filter(code=code).first()
            if region is not None:
                self.regions[code] = region
        region = self.regions.get(code)
        if region is None:
            self.new_origin(entry, code, name, at)
        return region

    def new_origin(self, entry: HouseholdEntry, code: str, name: str, at: At) -> None:
        found = self.found
        if not name:
            found.error(at("origin_code"), "origin_name", "", C.ORIGIN_NAME_NEEDED)
            return
        other = self.new_regions.get(code)
        if other is not None and clean_text(other[0]) != clean_text(name):
            params = {"row": other[1], "name": other[0]}
            found.error(at("origin_name"), "origin_name", name, C.ORIGIN_NAME_CONFLICT, **params)
            return
        if within_length(found, at("origin_name"), "origin_name", name, Region, "name"):
            self.new_regions.setdefault(code, (name, at("origin_name")))
            entry.region_to_create = (code, name)

    # -- the household as a whole
    def check_heads(self, households: dict[str, HouseholdEntry]) -> None:
        for entry in households.values():
            heads = [m.row for m in entry.members if m.data["relationship"] == "head"]
            if len(heads) > 1:
                rows = "、".join(map(str, heads))
                for row in heads[1:]:
                    head = labels("relationship")["head"]
                    params = {"number": entry.number, "rows": rows}
                    self.found.error(row, "relationship", head, C.HEADS, **params)
            elif not heads and len(entry.members) == len(entry.rows):
                params = {"number": entry.number}
                self.found.error(entry.first_row, "relationship", "", C.NO_HEAD, **params)

    def check_against_database(
        self, households: dict[str, HouseholdEntry], documents: list[str]
    ) -> None:
        """People registered in another household are errors; households already in the
        system are left unchanged, and where the file differs it is said."""
        existing = {
            h.number: h
            for h in Household.objects.filter(number__in=list(households)).prefetch_related(
                "members"
            )
        }
        owners = document_owners(documents)
        self.existing = set(existing)
        for entry in households.values():
            household = existing.get(entry.number)
            for member in entry.members:
                number = member.data["document_number"]
                owner = owners.get(number)
                if owner is not None and owner != entry.number:
                    masked = mask_document_number(number)
                    self.found.error(member.row, "document_number", masked,
                                     C.DUPLICATE_IN_SYSTEM, number=owner)  # fmt: skip
                elif owner is None and household is not None:
                    self.found.notice(member.row, "name", member.data["name"],
                                      C.HOUSEHOLD_EXISTS, number=entry.number)  # fmt: skip
            if household is not None:
                self.compare(entry, household)

    def compare(self, entry: HouseholdEntry, household: Household) -> None:
        """Households already registered are left as they are; say where the file differs."""
        title = self.found.title
        differences = []
        for key, value in entry.data.items():
            if key in ("grid", "origin_region"):
                differs = getattr(household, f"{key}_id") != (value.pk if value else None)
            else:
                differs = getattr(household, key) != value
            if differs:
                differences.append(title({"phone": "household_phone"}.get(key, key)))
        members = {m.document_number: m for m in household.members.all()}
        for member in entry.members:
            stored = members.get(member.data["document_number"])
            if stored is None:
                continue
            for key, value in member.data.items():
                if getattr(stored, key) != value:
                    differences.append(f"{title(key)}（{member.data['name']}）")
        if differences:
            fields = "、".join(dict.fromkeys(differences))
            self.found.notice(entry.first_row, "number", entry.number, C.HOUSEHOLD_DIFFERS,
                              fields=fields)  # fmt: skip


def document_owners(documents: list[str]) -> dict[str, str]:
    """ID number -> the number of the household that person is registered in."""
    owners: dict[str, str] = {}
    for start in range(0, len(documents), OWNER_CHUNK):
        owners.update(
            Member.objects.filter(
                document_number__in=documents[start : start + OWNER_CHUNK]
            ).values_list("document_number", "household__number")
        )
    return owners
