"""URLs of share links: the public short link and its picture, a teacher's Share button and page."""

from django.urls import path

from flipmastery.sharing import views

urlpatterns = [
    path("s/<str:code>/", views.share_open, name="share_open"),
    path("s/<str:code>/image.png", views.share_image, name="share_image"),
    path("s/<str:code>/share/", views.share_page, name="share_page"),
    path("sections/<int:section_id>/share/", views.share_create, name="share_create"),
]
