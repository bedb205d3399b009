package dev.bulwark.chaos.report;

import static dev.bulwark.chaos.report.TimelineTest.sample;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.chaos.Sample;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimelineChartTest {

    private static final long ORIGIN = 1_000_000_000_000L;
    private static final long S = 1_000_000_000L;

    @TempDir
    Path directory;

    @Test
    void shouldWriteAPngOfTheDefaultSize() throws IOException {
        // Given a 10 s scenario with a fault from 3 s to 6 s and the breaker open meanwhile
        Timeline timeline = timeline(3 * S, 6 * S);

        // When its chart is written
        Path png = directory.resolve("charts/restart.png");
        TimelineChart.writePng(timeline, png);

        // Then it is a PNG of 900 × 420, small enough to keep
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(TimelineChart.WIDTH);
        assertThat(image.getHeight()).isEqualTo(TimelineChart.HEIGHT);
        assertThat(Files.size(png)).isLessThan(150_000);
    }

    @Test
    void shouldDrawTheBreakerBandInTheColourOfEachState() throws IOException {
        // Given the same scenario with the breaker open for 3 s, and for none of it
        BufferedImage open = render(timeline(3 * S, 6 * S), "open.png");
        BufferedImage closed = render(timeline(3 * S, 3 * S), "closed.png");

        // Then the first has a band of the open colour that the second has not (beyond its legend)
        long openPixels = count(open, TimelineChart.OPEN);
        long openPixelsWhenClosed = count(closed, TimelineChart.OPEN);
        assertThat(openPixels - openPixelsWhenClosed).as("open-coloured pixels more than the legend's").isGreaterThan(500);
        assertThat(count(closed, TimelineChart.CLOSED)).isGreaterThan(count(open, TimelineChart.CLOSED) + 500);
    }

    @Test
    void shouldShadeTheFaultWindow() throws IOException {
        // Given the same scenario with and without its fault window
        Timeline marked = timeline(3 * S, 6 * S);
        Timeline unmarked = new Timeline(marked.scenario(), marked.bucketMillis(), marked.durationSeconds(),
                marked.buckets(), null, marked.breakers());

        // When both are drawn
        BufferedImage shaded = render(marked, "shaded.png");
        BufferedImage plain = render(unmarked, "plain.png");

        // Then a point in the rate plot's background, 4.5 s in, is tinted only where the fault is shaded
        int x = xOf(plain, 4.5);
        int y = plain.getHeight() / 4;
        Color withFault = new Color(shaded.getRGB(x, y));
        Color without = new Color(plain.getRGB(x, y));
        assertThat(withFault).isNotEqualTo(without);
        assertThat(withFault.getRed()).isGreaterThan(withFault.getBlue());
    }

    /** Where {@code seconds} falls horizontally: the plot spans the same pixels in both images. */
    private static int xOf(BufferedImage image, double seconds) {
        // The data area runs between the left axis and the right margin; take it from the grid's extent.
        int left = 0;
        int right = image.getWidth() - 1;
        int row = image.getHeight() / 4;
        while (left < right && new Color(image.getRGB(left, row)).equals(Color.WHITE)) {
            left++;
        }
        while (right > left && new Color(image.getRGB(right, row)).equals(Color.WHITE)) {
            right--;
        }
        return left + (int) ((right - left) * seconds / 10);
    }

    private BufferedImage render(Timeline timeline, String name) throws IOException {
        Path png = directory.resolve(name);
        TimelineChart.writePng(timeline, png);
        return ImageIO.read(png.toFile());
    }

    private static long count(BufferedImage image, Color colour) {
        long count = 0;
        for (int x = 0; x < image.getWidth(); x++) {
            for (int y = 0; y < image.getHeight(); y++) {
                if ((image.getRGB(x, y) & 0xffffff) == (colour.getRGB() & 0xffffff)) {
                    count++;
                }
            }
        }
        return count;
    }

    /** 10 s of load, 503s and an open database breaker between {@code openFrom} and {@code openUntil}. */
    private static Timeline timeline(long openFrom, long openUntil) {
        List<Sample> samples = new ArrayList<>();
        for (long ms = 0; ms < 10_000; ms += 10) {
            boolean open = ms * 1_000_000 >= openFrom && ms * 1_000_000 < openUntil;
            samples.add(sample("GET", open ? 503 : 200, ms, open ? 1 : 4));
        }
        BreakerLog log = new BreakerLog();
        log.observe("database", "CLOSED", ORIGIN);
        log.observe("database", "OPEN", ORIGIN + openFrom);
        log.observe("database", "CLOSED", ORIGIN + openUntil);
        log.observe("redis", "CLOSED", ORIGIN);
        return Timeline.of("database restart", samples, ORIGIN, ORIGIN + 10 * S, ORIGIN + 3 * S, ORIGIN + 6 * S, log);
    }
}
