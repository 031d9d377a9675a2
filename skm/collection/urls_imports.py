"""URL patterns of this part of collection (filled in by its issue slice)."""

urlpatterns: list = []
