"""Choice sets that share a field name (``kind``) in the API, each given its own name in the
OpenAPI document (``SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]``)."""

from casework.monitoring.models import MonitoredHousehold
from casework.pairing.models import ServiceRequest

SERVICE_REQUEST_KINDS = ServiceRequest.Kind.choices
MONITORING_KINDS = MonitoredHousehold._meta.get_field("kind").choices
