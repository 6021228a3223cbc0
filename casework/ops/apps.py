from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "casework.ops"
    label = "ops"
