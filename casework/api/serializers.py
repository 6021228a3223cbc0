"""What the API shows of a household: ids and codes, the grid and site, never a whole phone
number (masked as on the pages)."""

from rest_framework import serializers

from casework.registry.models import Household
from casework.registry.validators import mask_phone


class HouseholdSerializer(serializers.ModelSerializer[Household]):
    site = serializers.IntegerField(source="grid.site_id", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    phone = serializers.SerializerMethodField()

    class Meta:
        model = Household
        fields = (
            "id", "number", "site", "grid", "grid_name", "building", "unit", "room",
            "household_type", "monitoring", "colour", "phone", "created_at", "updated_at",
        )  # fmt: skip
        read_only_fields = fields

    def get_phone(self, household: Household) -> str:
        return mask_phone(household.phone)
