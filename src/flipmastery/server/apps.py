from django.apps import AppConfig


class ServerConfig(AppConfig):
    name = "flipmastery.server"
    label = "server"
    verbose_name = "Server"
