from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "flipmastery.notes"
    label = "notes"
    verbose_name = "Guided notes"
