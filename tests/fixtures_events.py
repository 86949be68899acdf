"""Helpers for the events tests: form-like data for the services and for POSTs."""
from datetime import date, time

from app.events.services import EventData
from app.idempotency import issue


def event_data(lead_unit_id: int, **fields) -> EventData:
    values = {"title_vi": "Tiếp đoàn tỉnh Attapeu",
              "title_en": "Receiving the Attapeu delegation", "kind": "political",
              "start_date": date(2026, 12, 10), "start_time": time(8, 0),
              "end_date": date(2026, 12, 10), "end_time": time(10, 0),
              "lead_unit_id": lead_unit_id, "timezone": "Asia/Ho_Chi_Minh"}
    values.update(fields)
    return EventData(**values)


def form_fields(lead_unit_id: int, **fields) -> dict:
    """The event form as a browser sends it, with the create form's one-time token.

    A fresh token per call, as each display of the form issues one.
    """
    values = {"form_token": issue(), "title_vi": "Hội nghị thông tin đối ngoại", "title_en": "External information meeting",
              "kind": "political", "visibility": "internal", "timezone": "Asia/Ho_Chi_Minh",
              "start_date": "2026-12-10", "start_time": "08:00", "end_date": "2026-12-10",
              "end_time": "10:00", "lead_unit_id": str(lead_unit_id), "venue_id": "0",
              "country": ""}
    values.update(fields)
    return values
