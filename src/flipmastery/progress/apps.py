from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "flipmastery.progress"
    label = "progress"
    verbose_name = "Progress"
