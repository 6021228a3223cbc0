"""The settings of Django REST Framework and drf-spectacular (read by ``casework.settings``)."""

# The cache the throttle counts in: one table for all worker processes (a per-process cache
# would let each gunicorn worker grant a client its whole limit).
SHARED_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "casework_shared_cache",
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "casework.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["casework.api.access.TokenAccess"],
    "DEFAULT_THROTTLE_CLASSES": ["casework.api.access.ClientRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "casework.api.pagination.Cursor",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # JSON only: no browsable pages (their chrome is English and loads its own assets).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "casework.api.schema.ChineseTagsSchema",
    "EXCEPTION_HANDLER": "casework.api.errors.api_exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "易地扶贫搬迁后续扶持就业帮扶系统接口",
    "DESCRIPTION": (
        "供人社就业平台、防返贫监测系统、小程序和数据共享交换平台调用。"
        "系统客户端用令牌（Authorization: Bearer …）调用，按安置点授权，只读或读写；"
        "工作人员可用浏览器会话或个人令牌。身份证号、电话默认脱敏。"
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its page for signed-in callers only, held to the same token rules.
    "SERVE_PERMISSIONS": ["casework.api.access.TokenAccess"],
    "SERVE_PUBLIC": False,
    # No validator badge (it would call validator.swagger.io from the reader's browser).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    # Two choice sets are both called ``kind``: each its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "ServiceRequestKindEnum": "casework.api.schema_enums.SERVICE_REQUEST_KINDS",
        "MonitoringKindEnum": "casework.api.schema_enums.MONITORING_KINDS",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "casework.api.schema_errors.error_responses",
    ],
    # The documentation page's scripts and styles from our own static files (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
