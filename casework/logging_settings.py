"""The logging of ``casework.settings``: every line printed is redacted (no ID or phone
number), and the development server's request lines lose their query strings."""

from typing import Any


def logging_config(level: str) -> dict[str, Any]:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "redact_identifiers": {"()": "casework.common.identifiers.RedactIdentifiersFilter"},
            "drop_query_string": {"()": "casework.common.logfilters.DropQueryString"},
        },
        "formatters": {
            "django.server": {
                "()": "django.utils.log.ServerFormatter",
                "format": "[{server_time}] {message}",
                "style": "{",
            }
        },
        "handlers": {
            # Every line printed is redacted: no ID or phone number ("Bad input", settings).
            "console": {"class": "logging.StreamHandler", "filters": ["redact_identifiers"]},
            "django.server": {
                "class": "logging.StreamHandler",
                "formatter": "django.server",
                "filters": ["redact_identifiers"],
            },
        },
        "loggers": {
            # runserver's request lines (`make dev`) without query strings, as gunicorn logs.
            "django.server": {
                "handlers": ["django.server"],
                "level": "INFO",
                "filters": ["drop_query_string"],
                "propagate": False,
            },
        },
        "root": {"handlers": ["console"], "level": level},
    }
