from django.apps import AppConfig


class CockpitConfig(AppConfig):
    name = "flipmastery.cockpit"
    label = "cockpit"
    verbose_name = "Teacher cockpit"
