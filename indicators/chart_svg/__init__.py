"""Accessible SVG rendering of an analysed run or control chart, built as text without Django.

The markup uses presentation attributes (stroke, fill, ...) and CSS classes only: no ``style``
attributes, ``<style>`` elements or scripts, so it works under a strict Content Security Policy
and the portal's stylesheet can still restyle it through the classes. `render.render_svg` puts
the chart together from the pieces drawn by the other modules.
"""
