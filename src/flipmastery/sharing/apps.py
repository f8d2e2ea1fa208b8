from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "flipmastery.sharing"
    label = "sharing"
    verbose_name = "Share links"
