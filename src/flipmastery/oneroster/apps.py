from django.apps import AppConfig


class OneRosterConfig(AppConfig):
    name = "flipmastery.oneroster"
    label = "oneroster"
    verbose_name = "OneRoster"
    default_auto_field = "django.db.models.BigAutoField"
