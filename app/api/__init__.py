"""The JSON API (``/api/v1/``): personal tokens, OpenAPI document, the features' services over HTTP.

It sits above every feature and calls their services and permission functions, never a second
copy of a rule.
"""
