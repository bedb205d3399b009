package dev.bulwark.chaos.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws a {@link Timeline} as one PNG: three plots sharing the time axis (seconds from the scenario's
 * start): requests a second by outcome, p50 and p99 latency (log scale), and each breaker's state as a band;
 * the fault's window shaded across all three. Default size {@value #WIDTH} × {@value #HEIGHT}. Needs no
 * display ({@code java.awt.headless=true}). Stateless, so thread-safe.
 */
public final class TimelineChart {

    public static final int WIDTH = 900;
    public static final int HEIGHT = 420;

    static final Color SERVED = new Color(0x2e, 0x9e, 0x4f);
    static final Color UNAVAILABLE = new Color(0xf0, 0x8c, 0x00);
    static final Color OTHER_ERRORS = new Color(0xc6, 0x28, 0x28);
    static final Color UNANSWERED = new Color(0x6a, 0x1b, 0x9a);
    static final Color CLOSED = new Color(0x9c, 0xd6, 0xa4);
    static final Color HALF_OPEN = new Color(0xff, 0xd5, 0x4f);
    static final Color OPEN = new Color(0xe5, 0x39, 0x35);
    static final Color FAULT = new Color(0xe5, 0x39, 0x35);

    private static final String[] STATES = {"CLOSED", "HALF_OPEN", "OPEN"};
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 10);

    private TimelineChart() {
    }

    /** Writes {@code timeline}'s chart to {@code png}, {@value #WIDTH} × {@value #HEIGHT}. */
    public static void writePng(Timeline timeline, Path png) throws IOException {
        writePng(timeline, png, WIDTH, HEIGHT);
    }

    /** Writes {@code timeline}'s chart to {@code png} at {@code width} × {@code height} pixels. */
    public static void writePng(Timeline timeline, Path png, int width, int height) throws IOException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(png)) {
            ChartUtils.writeChartAsPNG(out, chart(timeline), width, height);
        }
    }

    /** The chart itself. */
    public static JFreeChart chart(Timeline timeline) {
        NumberAxis time = new NumberAxis("seconds since the scenario started");
        time.setRange(0, Math.max(timeline.durationSeconds(), timeline.bucketMillis() / 1000d));
        time.setTickLabelFont(SMALL);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time);
        plot.setGap(6);
        plot.add(rates(timeline), 5);
        plot.add(latencies(timeline), 3);
        if (!timeline.breakers().isEmpty()) {
            plot.add(breakers(timeline), Math.max(1, timeline.breakers().size()));
        }
        if (timeline.fault() != null) {
            boolean first = true;
            for (XYPlot subplot : plot.getSubplots()) {
                subplot.addDomainMarker(faultMarker(timeline.fault(), first), Layer.BACKGROUND);
                first = false;
            }
        }
        JFreeChart chart = new JFreeChart(timeline.scenario(), new Font(Font.SANS_SERIF, Font.BOLD, 13), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(new TextTitle(subtitle(timeline), SMALL));
        chart.getLegend().setItemFont(SMALL);
        return chart;
    }

    private static String subtitle(Timeline timeline) {
        String fault = timeline.fault() == null ? "fault window not recorded"
                : String.format(Locale.ROOT, "fault (shaded) %.1f s to %.1f s", timeline.fault().startSeconds(),
                        timeline.fault().endSeconds());
        return "requests by when they were sent, " + timeline.bucketMillis() + " ms buckets; " + fault;
    }

    private static XYPlot rates(Timeline timeline) {
        XYSeries served = new XYSeries("served (2xx, 404 of a missing item)");
        XYSeries unavailable = new XYSeries("503");
        XYSeries other = new XYSeries("other errors");
        XYSeries unanswered = new XYSeries("no response");
        for (Timeline.Bucket bucket : timeline.buckets()) {
            double middle = bucket.startSeconds() + bucket.widthSeconds() / 2;
            served.add(middle, bucket.perSecond(bucket.served()));
            unavailable.add(middle, bucket.perSecond(bucket.unavailable()));
            other.add(middle, bucket.perSecond(bucket.otherErrors()));
            unanswered.add(middle, bucket.perSecond(bucket.unanswered()));
        }
        XYSeriesCollection data = new XYSeriesCollection();
        List.of(served, unavailable, other, unanswered).forEach(data::addSeries);
        NumberAxis axis = new NumberAxis("requests/s");
        axis.setLabelFont(SMALL);
        axis.setTickLabelFont(SMALL);
        return new XYPlot(data, null, axis, lines(SERVED, UNAVAILABLE, OTHER_ERRORS, UNANSWERED));
    }

    private static XYPlot latencies(Timeline timeline) {
        XYSeries p50 = new XYSeries("p50 latency");
        XYSeries p99 = new XYSeries("p99 latency");
        for (Timeline.Bucket bucket : timeline.buckets()) {
            double middle = bucket.startSeconds() + bucket.widthSeconds() / 2;
            // An empty bucket is a gap in the line, not a zero.
            p50.add(middle, Double.isNaN(bucket.p50Millis()) ? null : Math.max(0.1, bucket.p50Millis()));
            p99.add(middle, Double.isNaN(bucket.p99Millis()) ? null : Math.max(0.1, bucket.p99Millis()));
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(p50);
        data.addSeries(p99);
        LogAxis axis = new LogAxis("latency (ms)");
        axis.setSmallestValue(0.1);
        // Ticks at 1, 10, 100 ms... labelled as such, not as powers of ten.
        axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        axis.setNumberFormatOverride(new DecimalFormat("0.#", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        axis.setLabelFont(SMALL);
        axis.setTickLabelFont(SMALL);
        return new XYPlot(data, null, axis, lines(new Color(0x1e, 0x63, 0xb4), new Color(0x0d, 0x1b, 0x4c)));
    }

    private static XYPlot breakers(Timeline timeline) {
        List<String> dependencies = new ArrayList<>(timeline.breakers().keySet());
        XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
        for (String state : STATES) {
            XYIntervalSeries series = new XYIntervalSeries(
                    state.toLowerCase(Locale.ROOT).replace('_', '-') + " breaker");
            for (int row = 0; row < dependencies.size(); row++) {
                for (BreakerLog.Interval interval : timeline.breakers().get(dependencies.get(row))) {
                    if (interval.state().equals(state)) {
                        series.add(interval.startSeconds(), interval.startSeconds(), interval.endSeconds(), row,
                                row - 0.35, row + 0.35);
                    }
                }
            }
            data.addSeries(series);
        }
        XYBarRenderer renderer = new XYBarRenderer();
        renderer.setUseYInterval(true);
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
        renderer.setBarPainter(new StandardXYBarPainter());
        Paint[] paints = {CLOSED, HALF_OPEN, OPEN};
        for (int i = 0; i < paints.length; i++) {
            renderer.setSeriesPaint(i, paints[i]);
        }
        SymbolAxis axis = new SymbolAxis("breaker", dependencies.toArray(String[]::new));
        axis.setGridBandsVisible(false);
        axis.setLabelFont(SMALL);
        axis.setTickLabelFont(SMALL);
        return new XYPlot(data, null, axis, renderer);
    }

    private static XYLineAndShapeRenderer lines(Color... colors) {
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < colors.length; i++) {
            renderer.setSeriesPaint(i, colors[i]);
            renderer.setSeriesStroke(i, new BasicStroke(1.5f));
        }
        return renderer;
    }

    private static IntervalMarker faultMarker(Timeline.Window fault, boolean labelled) {
        IntervalMarker marker = new IntervalMarker(fault.startSeconds(), fault.endSeconds());
        marker.setPaint(FAULT);
        marker.setAlpha(0.12f);
        if (labelled) {
            marker.setLabel("fault");
            marker.setLabelFont(SMALL);
            marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        }
        return marker;
    }
}
