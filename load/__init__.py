"""Locust load for the tracker; run by `locust -f load/<file>.py`, never imported by pytest or behave."""
