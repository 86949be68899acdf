"""Training courses for external-information staff (plan task II.5).

A course is an event of kind ``training`` with its details (``TrainingCourse``); its
sessions are the event's programme items, so they reach calendars and feeds.
"""
