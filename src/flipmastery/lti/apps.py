from django.apps import AppConfig


class LtiConfig(AppConfig):
    name = "flipmastery.lti"
    label = "lti"
    verbose_name = "LTI 1.3 (Moodle, Canvas and other LMSs)"
