"""The summary's charts as PNG images (matplotlib's Agg canvas, no pyplot: thread-safe in a web process).

Every chart is 960 × 540 pixels (6.4 × 3.6 inches at 150 dpi). Chinese labels need a CJK font: the first one
installed of CJK_FAMILIES is used; without one the default font draws what it can, and its "Glyph missing"
warnings are kept inside the drawing.
"""

import functools
import hashlib
import io
import json
import logging
import warnings

from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from . import labels

SIZE_INCHES, DPI = (6.4, 3.6), 150
CACHE_SECONDS = 24 * 3600
logger = logging.getLogger(__name__)
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei")
COLOURS = ("#2e6f9e", "#d9822b", "#5b8c5a")

CHARTS = {
    "cases_by_need": gettext_lazy("Cases by need"),
    "cases_by_source": gettext_lazy("Cases by source"),
    "cases_by_unit": gettext_lazy("Cases by reporting unit"),
    "monthly": gettext_lazy("Cases received and resolved by month"),
}


@functools.cache
def cjk_font():
    """FontProperties of an installed CJK font, or None."""
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in installed:  # the regular weight of the family, as matplotlib scores it
            wanted = font_manager.FontProperties(family=family, weight="regular")
            return font_manager.FontProperties(fname=font_manager.findfont(wanted, fallback_to_default=False))
    return None


def _bars(axes, pairs, font):
    """Horizontal bars, largest on top, each with its count at its end."""
    pairs = sorted(pairs, key=lambda pair: pair[1])
    names, counts = [name for name, _count in pairs], [count for _name, count in pairs]
    positions = range(len(pairs))
    axes.barh(positions, counts, color=COLOURS[0])
    axes.set_yticks(list(positions), names, fontproperties=font)
    for position, count in zip(positions, counts, strict=True):
        axes.text(count, position, f" {count}", va="center", fontsize=8)
    axes.set_xlabel(_("Cases received"), fontproperties=font)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 0.2 of a case
    axes.margins(x=0.12)


def _breakdown(figures, key, label):
    return [(label(code), count) for code, count in figures["cases"]["received"][key].items()]


def _monthly(axes, figures, font):
    """Up to the month counted to: the months still to come are not zeros."""
    last = int(figures.get("period", {}).get("as_of", "0000-12")[5:7])
    months = list(range(1, last + 1))
    for index, (key, name) in enumerate((("received", _("Received")), ("resolved", _("Resolved")))):
        axes.plot(months, figures["cases"]["monthly"][key][:last], marker="o", color=COLOURS[index], label=name)
    axes.set_xlim(0.5, 12.5)
    axes.set_xticks(range(1, 13), [str(month) for month in range(1, 13)])
    axes.set_xlabel(_("Month"), fontproperties=font)
    axes.set_ylabel(_("Cases"), fontproperties=font)
    axes.legend(prop=font)
    highest = max([1, *figures["cases"]["monthly"]["received"], *figures["cases"]["monthly"]["resolved"]])
    axes.set_ylim(0, highest * 1.15)  # at least 0–1: whole-number marks even in a year without cases
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))


def _draw(axes, summary, name, font):
    """False when there is nothing to draw."""
    figures = summary.figures
    if name == "monthly":
        _monthly(axes, figures, font)
        return True
    if name == "cases_by_need":
        pairs = _breakdown(figures, "by_need", labels.need_label)
    elif name == "cases_by_source":
        pairs = _breakdown(figures, "by_source", labels.source_label)
    else:
        names = labels.unit_names(summary.mechanism)
        pairs = _breakdown(figures, "by_unit", lambda code: labels.unit_label(code, names))
    if not pairs:
        return False
    _bars(axes, pairs, font)
    return True


def chart_png(summary, name):
    """The PNG bytes of one chart of CHARTS; KeyError for an unknown name.

    Drawing costs about 50 ms a chart, so each is kept in the cache under what it is drawn from: the figures,
    the chart, the language, the font and, for the chart by unit, the units' names. A recount, an edit of a
    unit's name or another language draws it again; nothing has to be purged."""
    title = CHARTS[name]
    font = cjk_font()
    basis = [summary.figures, name, translation.get_language(), font is None]
    if name == "cases_by_unit":
        basis.append(labels.unit_names(summary.mechanism))
    key = "xianjie:chart:" + hashlib.sha256(json.dumps(basis, sort_keys=True, default=str).encode()).hexdigest()
    png = cache.get(key)
    if png is None:
        png = _png(summary, name, title, font)
        cache.set(key, png, CACHE_SECONDS)
    return png


def _png(summary, name, title, font):
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Glyph … missing from font(s)" without a CJK font
        if not summary.figures or not _draw(axes, summary, name, font):
            axes.set_axis_off()
            axes.text(0.5, 0.5, _("No data"), ha="center", va="center", fontproperties=font, fontsize=14)
        axes.set_title(str(title), fontproperties=font)
        stream = io.BytesIO()
        figure.savefig(stream, format="png", dpi=DPI, metadata={"Software": None})
    return stream.getvalue()


def warm_charts(summary_pk):
    """Draw every chart of a summary into the cache, in the default language (the documents' and most
    readers'). A failure is logged and forgotten: the chart is then drawn when first asked for."""
    from django.conf import settings

    from ..models import AnnualSummary

    try:
        summary = AnnualSummary.objects.select_related("mechanism").get(pk=summary_pk)
        with translation.override(settings.LANGUAGE_CODE):
            for name in CHARTS:
                chart_png(summary, name)
    except Exception:  # the cache is an optimisation: never let it fail the count that asked for it
        logger.exception("summary %s: charts not drawn ahead", summary_pk)
