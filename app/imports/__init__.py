"""Imports: events from spreadsheets (CSV, XLSX) and partners' calendars (.ics) into programmes.

Every row goes through the events' own services; what was imported is remembered by a stable
key (the row's "Mã dòng" or digest, the calendar's UID), so importing again creates nothing twice.
"""
