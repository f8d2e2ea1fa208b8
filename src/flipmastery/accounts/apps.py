from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "flipmastery.accounts"
    label = "accounts"
    verbose_name = "People"
