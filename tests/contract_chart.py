"""Charts made in a test, in the shape of the charts contract (report.chart_drawing.Chart: id, title, alt, svg, png).

The renderers only read these attributes, so a test can hand them any small chart without the body's charts."""

from __future__ import annotations

import io
from dataclasses import dataclass


@dataclass(frozen=True)
class ContractChart:
    id: str  # [a-z0-9-]
    title: str
    alt: str
    svg: str  # "<svg ...>...</svg>", no XML prolog
    png: bytes


def pillow_chart(chart_id: str, colour: str) -> ContractChart:
    """A plain block of colour: enough for the Word document's picture."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (320, 160), colour).save(buffer, format="PNG")
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 16"><rect width="32" height="16" '
           f'fill="{colour}"/></svg>')
    return ContractChart(chart_id, f"Grafiek {chart_id}", f"Staven: {chart_id} in woorden", svg, buffer.getvalue())


def matplotlib_chart(chart_id: str, values: list[float]) -> ContractChart:
    """A small bar chart drawn by matplotlib, as PNG and as inline SVG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.3, 2.5))
    ax.barh(range(len(values)), values)
    ax.set_xlim(0, 100)
    png, svg = io.BytesIO(), io.StringIO()
    fig.savefig(png, format="png", dpi=50)
    fig.savefig(svg, format="svg", metadata={"Date": None})
    plt.close(fig)
    text = svg.getvalue()
    return ContractChart(chart_id, f"Titel {chart_id}", f"Staven van {chart_id}", text[text.index("<svg"):],
                         png.getvalue())
