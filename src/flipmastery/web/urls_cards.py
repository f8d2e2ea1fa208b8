"""URLs of sign-in cards: the teacher's pages of a section's cards, and a student's sign-in by card."""

from django.urls import path

from flipmastery.web import views_cards

urlpatterns = [
    path("sections/<int:section_id>/cards/", views_cards.cards_home, name="cards_home"),
    path("sections/<int:section_id>/cards/print/", views_cards.cards_print, name="cards_print"),
    path(
        "sections/<int:section_id>/cards/<int:student_id>/revoke/",
        views_cards.card_revoke_page,
        name="card_revoke",
    ),
    path("c/", views_cards.card_typed, name="card_sign_in"),
    path("c/<str:code>/", views_cards.card_link, name="card_link"),
]
