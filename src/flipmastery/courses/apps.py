from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "flipmastery.courses"
    label = "courses"
    verbose_name = "Courses"
