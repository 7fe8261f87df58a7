"""Registration for events (issue 22, item 3): home/events/models.py says what is stored."""
