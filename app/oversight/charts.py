"""Charts of the dashboard, drawn on the server as SVG with pygal.

No JavaScript (pygal's tooltip script, loaded from the internet by default, is left out),
no web fonts. Each chart has the same numbers as a table on the page, and the page loads
the SVG as an image from its own route.
"""
import re
import sys

import pygal
from pygal.style import Style

from app.i18n import _
from app.oversight.services import Dashboard

# pygal appends a legacy import hook (for its optional map plugins, unused here) without
# ``find_spec``: every later import that reaches it warns (ImportWarning) on Python 3.10+.
sys.meta_path[:] = [finder for finder in sys.meta_path
                    if type(finder).__name__ != "PluginImportFixer"]

STYLE = Style(background="white", plot_background="white", font_family="sans-serif",
              colors=("#1f5f99", "#c0392b", "#27ae60", "#8e44ad"), title_font_size=16,
              label_font_size=11, major_label_font_size=11, legend_font_size=12,
              value_font_size=11)


def _config(**extra) -> dict:
    return {"style": STYLE, "js": [], "width": 760, "height": 340, "disable_xml_declaration": False,
            "print_values": False, "show_legend": False, "truncate_label": 28,
            "x_label_rotation": 30, **extra}


_SCRIPT = re.compile(rb"<script\b.*?</script>", re.DOTALL)


def _svg(chart) -> bytes:
    """The SVG without pygal's inline configuration script (only its tooltips read it)."""
    return _SCRIPT.sub(b"", chart.render())


def on_time_by_unit(data: Dashboard, locale: str) -> bytes:
    """Units by on-time rate (the ranking)."""
    rows = [(unit.name(locale), figures.on_time_pct) for unit, figures in data.table.ranking()
            if figures.on_time_pct is not None]
    chart = pygal.HorizontalBar(**_config(title=_("On-time rate by unit, per cent"), range=(0, 100),
                                          height=max(200, 40 + 28 * len(rows)), x_label_rotation=0))
    chart.x_labels = [name for name, _pct in rows]
    chart.add(_("On time"), [pct for _name, pct in rows])
    return _svg(chart)


def briefed_by_unit(data: Dashboard, locale: str) -> bytes:
    """Share of each unit's held events briefed before they started."""
    rows = [(unit.name(locale), figures.briefed_pct) for unit, figures in data.table.by_unit()
            if figures.briefed_pct is not None]
    chart = pygal.HorizontalBar(**_config(title=_("Events briefed before they started, by unit, per cent"),
                                          range=(0, 100), height=max(200, 40 + 28 * len(rows)),
                                          x_label_rotation=0))
    chart.x_labels = [name for name, _pct in rows]
    chart.add(_("Briefed before"), [pct for _name, pct in rows])
    return _svg(chart)


def trend(data: Dashboard, locale: str) -> bytes:
    """On-time rate per month over twelve months."""
    chart = pygal.Line(**_config(title=_("On-time rate per month, per cent"), range=(0, 100)))
    chart.x_labels = [point.label for point in data.trend]
    chart.add(_("On time"), [point.on_time_pct for point in data.trend])
    return _svg(chart)


def ppc_quarters(data: Dashboard, locale: str) -> bytes:
    """The PPC's press conferences per quarter, against the floor of one."""
    chart = pygal.Bar(**_config(title=_("Press conferences of the provincial People's Committee per quarter"),
                                show_legend=True, x_label_rotation=0))
    chart.x_labels = [bucket.label for bucket in data.ppc_quarters]
    chart.add(_("Held"), [bucket.count for bucket in data.ppc_quarters])
    return _svg(chart)


CHARTS = {"on-time": on_time_by_unit, "briefed": briefed_by_unit, "trend": trend,
          "ppc": ppc_quarters}
