package io.raftboot.benchmarks.report;

import io.raftboot.benchmarks.Result;
import io.raftboot.benchmarks.Run;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The PNGs of the page, drawn with XChart. */
final class Plots {

    private Plots() {}

    /** Cumulative distribution (x: value, y: fraction of samples at or below it) of several results. */
    static void cdf(Path file, String title, String unit, List<Result> results, boolean logX) {
        XYChart chart = new XYChartBuilder()
                .width(900)
                .height(420)
                .title(title)
                .xAxisTitle(unit)
                .yAxisTitle("fraction of samples <= x")
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        for (Result r : results) {
            if (r.samples().length == 0) {
                continue;
            }
            double[] x = r.samples().clone();
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = (i + 1.0) / x.length;
                if (logX && x[i] <= 0) {
                    x[i] = 1e-3;
                }
            }
            XYSeries s = chart.addSeries(r.system() + ": " + r.metric() + " (n=" + r.n() + ")", x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        save(chart, file);
    }

    /** Role of each node over time around a fault. */
    static void timeline(Path file, Run.Timeline t) {
        XYChart chart = new XYChartBuilder()
                .width(900)
                .height(360)
                .title(t.title())
                .xAxisTitle("ms after the fault")
                .yAxisTitle("-1 no answer, 0 follower, 1 candidate, 2 leader")
                .build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisMin(-1.2);
        chart.getStyler().setYAxisMax(2.4);
        int i = 0;
        for (Run.Series s : t.series()) {
            if (s.millis().length == 0) {
                continue;
            }
            double[] y = s.level().clone();
            for (int k = 0; k < y.length; k++) {
                y[k] += 0.07 * i; // nodes side by side instead of on top of each other
            }
            XYSeries series = chart.addSeries(s.node(), s.millis(), y);
            series.setMarker(SeriesMarkers.NONE);
            i++;
        }
        save(chart, file);
    }

    /** Bars: one group per category, one bar per system. */
    static void bars(
            Path file,
            String title,
            String yTitle,
            List<String> categories,
            List<String> systems,
            List<List<Double>> values) {
        CategoryChart chart = new CategoryChartBuilder()
                .width(900)
                .height(400)
                .title(title)
                .yAxisTitle(yTitle)
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        for (int s = 0; s < systems.size(); s++) {
            chart.addSeries(systems.get(s), new ArrayList<>(categories), new ArrayList<Number>(values.get(s)));
        }
        save(chart, file);
    }

    private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) {
        try {
            String name = file.toString();
            BitmapEncoder.saveBitmap(
                    chart,
                    name.endsWith(".png") ? name.substring(0, name.length() - 4) : name,
                    BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
