from django.apps import AppConfig


class ClassroomConfig(AppConfig):
    name = "flipmastery.classroom"
    label = "classroom"
    verbose_name = "Sections"
