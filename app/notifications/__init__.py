"""Notifications: in-app bell, e-mail over SMTP, reminder rules and exactly-once deliveries."""
