from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "flipmastery.web"
    label = "web"
    verbose_name = "Pages"
