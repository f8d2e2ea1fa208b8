from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "flipmastery.courses"
    label = "courses"
    verbose_name = "Courses"

    def ready(self) -> None:
        from flipmastery.courses import signals

        signals.connect()
