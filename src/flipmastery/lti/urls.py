"""URLs of LTI 1.3: what an LMS calls, the pages a launch leads to, and a school admin's LMS pages."""

from django.urls import path

from flipmastery.lti import dynamic, views, views_admin, views_deep_link, views_grades

urlpatterns = [
    path("lti/login/", views.oidc_login, name="lti_login"),
    path("lti/launch/", views.launch, name="lti_launch"),
    path("lti/jwks/", views.jwks, name="lti_jwks"),
    path("lti/waiting/", views.waiting, name="lti_waiting"),
    path("lti/contexts/<int:context_id>/section/", views.pick_section, name="lti_pick_section"),
    path("lti/deep-link/", views_deep_link.pick, name="lti_deep_link"),
    path("lti/register/", dynamic.start, name="lti_dynamic_registration"),
    path("lti/register/<str:token>/", dynamic.register, name="lti_dynamic_register"),
    path("sections/<int:section_id>/lms/", views_grades.section_lms, name="lti_section"),
    path("sections/<int:section_id>/lms/resend/", views_grades.resend, name="lti_resend"),
    path("sections/<int:section_id>/lms/roster/", views_grades.roster_sync, name="lti_roster_sync"),
    path("school/lms/", views_admin.platforms, name="lti_platforms"),
    path("school/lms/new/", views_admin.platform_edit, name="lti_platform_new"),
    path("school/lms/<int:platform_id>/", views_admin.platform_edit, name="lti_platform_edit"),
    path("school/lms/<int:platform_id>/remove/", views_admin.platform_remove, name="lti_platform_remove"),
    path("school/lms/keys/rotate/", views_admin.key_rotate, name="lti_key_rotate"),
    path("school/lms/keys/<str:kid>/remove/", views_admin.key_remove, name="lti_key_remove"),
]
