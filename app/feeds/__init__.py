"""Calendar feeds: iCalendar serialization, named feed tokens and the feed routes."""
