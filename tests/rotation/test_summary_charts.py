"""The summary's charts: valid PNG images of one fixed size, drawn with or without data, whatever the font."""

import datetime
import io
import warnings

from PIL import Image

from rotation.summaries import charts
from rotation.summaries.charts import CHARTS, chart_png
from rotation.summaries.figures import compute_figures
from rotation.summaries.services import start_summary
from tests.base import CastTestCase
from tests.factories import SHANGHAI

NOW = datetime.datetime(2026, 12, 10, 10, 0, tzinfo=SHANGHAI)


def figures_with_cases():
    """A realistic figures dict: the structure compute_figures gives, with counts filled in."""
    return {
        "cases": {
            "received": {
                "count": 6,
                "by_need": {"medical": 4, "housing": 2},
                "by_source": {"hotline": 5, "member_unit": 1},
                "by_unit": {"": 5, "zgh": 1},
            },
            "monthly": {"received": [1, 0, 2, 0, 0, 0, 0, 0, 0, 3, 0, 0], "resolved": [0] * 11 + [2]},
        }
    }


class ChartTests(CastTestCase):
    def setUp(self):
        self.summary = start_summary(self.province, 2026, now=NOW)

    def image(self, data):
        self.assertTrue(data.startswith(b"\x89PNG\r\n\x1a\n"))
        image = Image.open(io.BytesIO(data))
        image.verify()
        return Image.open(io.BytesIO(data))

    def test_every_chart_is_a_png_of_960_by_540(self):
        self.summary.figures = {**self.summary.figures, **figures_with_cases()}
        for name in CHARTS:
            with self.subTest(name):
                image = self.image(chart_png(self.summary, name))
                self.assertEqual((image.format, image.size), ("PNG", (960, 540)))
                self.assertEqual(image.info.get("dpi", (150, 150))[0].__round__(), 150)

    def test_the_chart_draws_the_data(self):
        """A chart of other counts is a different picture; the same counts give the same bytes."""
        self.summary.figures = figures_with_cases()
        first = chart_png(self.summary, "cases_by_need")
        self.assertEqual(chart_png(self.summary, "cases_by_need"), first)
        self.summary.figures["cases"]["received"]["by_need"] = {"medical": 1}
        self.assertNotEqual(chart_png(self.summary, "cases_by_need"), first)

    def test_a_summary_without_cases_gets_a_no_data_chart(self):
        self.assertEqual(self.summary.figures["cases"]["received"]["count"], 0)
        for name in CHARTS:
            self.assertEqual(self.image(chart_png(self.summary, name)).size, (960, 540))
        self.summary.figures = {}
        self.assertEqual(self.image(chart_png(self.summary, "monthly")).size, (960, 540))

    def test_the_monthly_chart_stops_at_the_month_counted_to(self):
        """Months still to come are not drawn as zeros: June's chart differs from December's of the same counts."""
        figures = figures_with_cases()
        self.summary.figures = {**figures, "period": {"as_of": "2026-06-10"}}
        june = chart_png(self.summary, "monthly")
        self.summary.figures = {**figures, "period": {"as_of": "2026-12-31"}}
        self.assertNotEqual(chart_png(self.summary, "monthly"), june)
        self.summary.figures["cases"]["monthly"]["resolved"] = [0] * 12  # only December changes
        self.summary.figures = {**self.summary.figures, "period": {"as_of": "2026-06-10"}}
        self.assertEqual(chart_png(self.summary, "monthly"), june)

    def test_an_unknown_chart_is_a_key_error(self):
        with self.assertRaises(KeyError):
            chart_png(self.summary, "pie")

    def test_without_a_cjk_font_no_warning_escapes(self):
        self.summary.figures = figures_with_cases()
        charts.cjk_font.cache_clear()
        original = charts.CJK_FAMILIES
        charts.CJK_FAMILIES = ("No Such Font Family",)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                data = chart_png(self.summary, "cases_by_unit")
            self.assertIsNone(charts.cjk_font())
        finally:
            charts.CJK_FAMILIES = original
            charts.cjk_font.cache_clear()
        self.assertEqual([str(w.message) for w in caught], [])
        self.assertEqual(self.image(data).size, (960, 540))

    def test_a_cjk_font_is_found_when_installed(self):
        font = charts.cjk_font()
        if font is None:
            self.skipTest("no CJK font installed here")
        self.assertIn("CJK", font.get_file())

    def test_the_figures_feed_the_charts_unchanged(self):
        figures = compute_figures(self.province, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
        self.assertEqual(set(figures["cases"]["monthly"]), {"received", "resolved"})
        self.assertEqual(len(figures["cases"]["monthly"]["received"]), 12)


class TickTests(ChartTests):
    def test_counts_are_marked_in_whole_numbers(self):
        from matplotlib.figure import Figure

        quiet = start_summary(self.taiyuan, 2026, now=NOW)  # a year without cases: the monthly axis 0–1
        self.summary.figures.update(figures_with_cases())
        for summary, name in ((self.summary, "cases_by_need"), (self.summary, "monthly"), (quiet, "monthly")):
            with self.subTest(chart=name, summary=summary.pk):
                figure = Figure(figsize=charts.SIZE_INCHES, dpi=charts.DPI)
                axes = figure.add_subplot()
                self.assertTrue(charts._draw(axes, summary, name, None))
                counts_axis = axes.xaxis if name != "monthly" else axes.yaxis
                ticks = counts_axis.get_major_locator()()
                self.assertTrue(all(float(tick).is_integer() for tick in ticks), ticks)


class ChartCacheTests(ChartTests):
    def draws(self, summary, name):
        """How many times chart_png drew (rather than took the cached PNG) for one call."""
        from unittest import mock

        with mock.patch.object(charts, "_png", wraps=charts._png) as drawn:
            png = chart_png(summary, name)
        self.assertTrue(png.startswith(b"\x89PNG"))
        return drawn.call_count

    def test_a_chart_is_drawn_once_and_again_when_what_it_shows_changes(self):
        from django.core.cache import cache

        cache.clear()
        self.summary.figures.update(figures_with_cases())
        self.assertEqual(self.draws(self.summary, "cases_by_unit"), 1)
        self.assertEqual(self.draws(self.summary, "cases_by_unit"), 0)
        self.summary.figures["cases"]["received"]["by_unit"]["zgh"] = 2  # recounted
        self.assertEqual(self.draws(self.summary, "cases_by_unit"), 1)
        self.zgh.name = "山西省总工会（更名）"
        self.zgh.save()
        self.assertEqual(self.draws(self.summary, "cases_by_unit"), 1)
        from django.utils import translation

        with translation.override("zh-hans"):
            self.assertEqual(self.draws(self.summary, "cases_by_need"), 1)
        with translation.override("en"):
            self.assertEqual(self.draws(self.summary, "cases_by_need"), 1)

    def test_counting_the_figures_draws_the_charts_ahead(self):
        from django.core.cache import cache
        from django.utils import translation

        from rotation.summaries.services import refresh_figures

        cache.clear()
        with self.captureOnCommitCallbacks(execute=True):
            refresh_figures(self.summary, self.secretariat, now=NOW)
        self.summary.refresh_from_db()
        with translation.override("zh-hans"):
            for name in CHARTS:
                with self.subTest(chart=name):
                    self.assertEqual(self.draws(self.summary, name), 0)
