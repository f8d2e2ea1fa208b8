from django.apps import AppConfig


class ExitSlipsConfig(AppConfig):
    name = "flipmastery.exitslips"
    label = "exitslips"
    verbose_name = "Exit slips"
