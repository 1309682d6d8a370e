"""The HTML report: matplotlib figures and a Jinja2 page (design.md: report layer)."""
