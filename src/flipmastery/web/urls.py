from django.urls import path

from flipmastery.web import views

urlpatterns = [path("", views.home, name="home")]
