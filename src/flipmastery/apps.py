"""The admin app with our site as its default (kept apart from the site: this module loads with the
settings, before the models are ready)."""

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "flipmastery.admin_site.SuperuserAdminSite"
