"""PostgreSQL for a school or a district: Django's backend with a health check that needs no round trip."""
