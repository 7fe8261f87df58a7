"""Email alerts: subscriptions with double opt-in, sending when a page goes live (issue 22)."""
