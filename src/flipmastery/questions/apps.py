from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "flipmastery.questions"
    label = "questions"
    verbose_name = "Question banks"
