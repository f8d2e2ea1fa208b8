from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "flipmastery.demo"
    label = "demo"
    verbose_name = "Demo classroom"
