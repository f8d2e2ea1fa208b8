from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "flipmastery.assessments"
    label = "assessments"
    verbose_name = "Checks and attempts"
