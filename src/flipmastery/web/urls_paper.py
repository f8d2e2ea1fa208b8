"""URLs of paper checks: print versions and keys, type a copy back in by its version code."""

from django.urls import path

from flipmastery.web import views_paper

urlpatterns = [
    path("sections/<int:section_id>/paper/", views_paper.paper_home, name="paper_home"),
    path("sections/<int:section_id>/paper/print/", views_paper.paper_make, name="paper_make"),
    path("paper/batches/<int:batch_id>/", views_paper.paper_sheets, name="paper_sheets"),
    path("paper/batches/<int:batch_id>/keys/", views_paper.paper_keys, name="paper_keys"),
    path("paper/", views_paper.paper_find, name="paper_find"),
    path("paper/<str:code>/", views_paper.paper_enter, name="paper_enter"),
]
