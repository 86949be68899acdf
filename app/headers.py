"""Security headers on every answer.

The Content-Security-Policy allows scripts and styles only from the app's own static
files (no inline ``<script>``, no ``on...=`` attributes, no ``style=``: templates ask
for behaviour with data- attributes that ``static/js/app.js`` reads), and no framing.
The referrer leaves the site as its origin only: paths can hold feed tokens. (Not
``no-referrer``: Flask-WTF checks the Referer of HTTPS form posts against the host.)
"""
from flask import Flask, Response

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def register(app: Flask) -> None:
    app.after_request(add_security_headers)
