package io.herald.bench.suite;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The latency plot: publish-to-deliver latency by percentile (HdrHistogram style, the x axis stretched towards the
 * tail) for fan-out and many channels, for each server, at the maximum rate (dashed) and at half of it (solid).
 * Plain Java2D, written as PNG.
 */
final class LatencyPlot {
    private static final int W = 1400;
    private static final int H = 560;
    private static final Color[] COLORS = {new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C)};
    private static final double MAX_NINES = 4; // 99.99%

    private LatencyPlot() {}

    static void write(Results r, Path file) throws IOException {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("Publish-to-deliver latency by percentile (" + r.mode + " run, " + r.date + ")", 20, 26);
        Results.Rate f = r.fanout.values().stream().findFirst().orElse(null);
        Results.Rate m = r.many.values().stream().findFirst().orElse(null);
        panel(
                g,
                20,
                50,
                W / 2 - 30,
                H - 70,
                "(1) fan-out: 1 channel"
                        + (f == null ? "" : ", " + f.subscribers + " subscribers, " + f.publishers + " publishers"),
                r.fanout);
        panel(
                g,
                W / 2 + 10,
                50,
                W / 2 - 30,
                H - 70,
                "(2) many channels" + (m == null ? "" : ": " + m.connections + " connections, one channel each"),
                r.many);
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private record Curve(String label, Color color, boolean dashed, List<double[]> points) {}

    private static void panel(
            Graphics2D g, int x0, int y0, int w, int h, String title, Map<String, Results.Rate> data) {
        List<Curve> curves = new ArrayList<>();
        int i = 0;
        for (Kind k : Kind.values()) {
            Results.Rate rate = data.get(k.id);
            Color c = COLORS[i++];
            if (rate == null) {
                continue;
            }
            if (rate.atHalf != null) {
                curves.add(new Curve(
                        k.label + " at " + Report.count(rate.atHalf.rate) + " msg/s ("
                                + (rate.atMax != null ? "half max" : "half capacity") + ")",
                        c,
                        false,
                        points(rate.atHalf.hist)));
            }
            if (rate.atMax != null) {
                curves.add(new Curve(
                        k.label + " at " + Report.count(rate.atMax.rate) + " msg/s (max)",
                        c,
                        true,
                        points(rate.atMax.hist)));
            } else if (rate.capacity != null) {
                curves.add(new Curve(
                        k.label + " at " + Report.count(rate.capacity.rate) + " msg/s (capacity)",
                        c,
                        true,
                        points(rate.capacity.hist)));
            }
        }
        double minY = 0.01;
        double maxY = 1;
        for (Curve c : curves) {
            for (double[] p : c.points) {
                maxY = Math.max(maxY, p[1]);
            }
        }
        double lo = Math.log10(minY);
        double hi = Math.ceil(Math.log10(maxY));
        int left = x0 + 60;
        int top = y0 + 30;
        int pw = w - 80;
        int ph = h - 110;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.setColor(Color.BLACK);
        g.drawString(title, x0 + 10, y0 + 15);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        // grid and axes
        for (double e = lo; e <= hi + 1e-9; e++) {
            int y = top + ph - (int) Math.round((e - lo) / (hi - lo) * ph);
            g.setColor(new Color(0xE0E0E0));
            g.drawLine(left, y, left + pw, y);
            g.setColor(Color.DARK_GRAY);
            double ms = Math.pow(10, e);
            g.drawString(
                    ms < 1
                            ? String.format(Locale.ROOT, "%s", ms < 0.1 ? "0.01" : "0.1")
                            : String.format(Locale.ROOT, "%.0f", ms),
                    left - 40,
                    y + 4);
        }
        String[] xLabels = {"0%", "90%", "99%", "99.9%", "99.99%"};
        for (int n = 0; n <= MAX_NINES; n++) {
            int x = left + (int) Math.round(n / MAX_NINES * pw);
            g.setColor(new Color(0xE0E0E0));
            g.drawLine(x, top, x, top + ph);
            g.setColor(Color.DARK_GRAY);
            g.drawString(xLabels[n], x - 14, top + ph + 16);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, pw, ph);
        g.drawString("percentile", left + pw / 2 - 25, top + ph + 32);
        Graphics2D gy = (Graphics2D) g.create();
        gy.rotate(-Math.PI / 2);
        gy.drawString("latency (ms, log scale)", -(top + ph / 2 + 55), x0 + 14);
        gy.dispose();
        // curves
        int legendY = top + ph + 50;
        int col = 0;
        for (Curve c : curves) {
            g.setColor(c.color);
            g.setStroke(
                    c.dashed
                            ? new BasicStroke(
                                    2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {7f, 5f}, 0f)
                            : new BasicStroke(2.2f));
            Path2D path = new Path2D.Double();
            boolean first = true;
            for (double[] p : c.points) {
                double px = left + Math.min(p[0], MAX_NINES) / MAX_NINES * pw;
                double py = top + ph - (Math.log10(Math.max(p[1], minY)) - lo) / (hi - lo) * ph;
                if (first) {
                    path.moveTo(px, py);
                    first = false;
                } else {
                    path.lineTo(px, py);
                }
            }
            g.draw(path);
            int lx = left + (col % 2) * (pw / 2);
            int ly = legendY + (col / 2) * 16;
            g.drawLine(lx, ly - 4, lx + 28, ly - 4);
            g.setStroke(new BasicStroke(1f));
            g.setColor(Color.BLACK);
            g.drawString(c.label, lx + 34, ly);
            col++;
        }
        g.setStroke(new BasicStroke(1f));
    }

    /** (nines, ms) pairs: nines = log10(1 / (1 - percentile/100)). */
    private static List<double[]> points(String hist) {
        List<double[]> pts = new ArrayList<>();
        if (hist == null) {
            return pts;
        }
        Histogram h;
        try {
            h = Scenarios.decode(hist);
        } catch (Exception e) {
            return pts;
        }
        if (h.getTotalCount() == 0) {
            return pts;
        }
        for (HistogramIterationValue v : h.percentiles(5)) {
            double p = v.getPercentileLevelIteratedTo() / 100.0;
            if (p >= 1) {
                break;
            }
            double nines = Math.log10(1 / (1 - p));
            if (nines > MAX_NINES) {
                break;
            }
            pts.add(new double[] {nines, v.getValueIteratedTo() / 1e6});
        }
        return pts;
    }
}
