package dev.vectorcache.benchmarks.ann;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Line charts drawn with Java2D (headless) and saved as PNG: no plotting tool needed on the
 * machine. Each panel has named series of (x, y) points, optionally on logarithmic axes.
 */
final class Chart {
  private static final int W = 560;
  private static final int H = 400;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 40;
  private static final int BOTTOM = 50;
  private static final Color[] COLORS = {
    new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
    new Color(0x9467bd), new Color(0x8c564b), new Color(0x17becf), new Color(0x7f7f7f)
  };

  /** One panel: title, axis labels, log axes, and series name → points {x, y}. */
  record Panel(
      String title,
      String xLabel,
      String yLabel,
      boolean logX,
      boolean logY,
      Map<String, List<double[]>> series) {
    Panel {
      series = new LinkedHashMap<>(series);
    }
  }

  private Chart() {}

  /** Draws the panels side by side into one PNG. */
  static void save(Path file, List<Panel> panels) {
    BufferedImage img =
        new BufferedImage(W * Math.max(1, panels.size()), H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    for (int i = 0; i < panels.size(); i++) {
      Graphics2D p = (Graphics2D) g.create(i * W, 0, W, H);
      draw(p, panels.get(i));
      p.dispose();
    }
    g.dispose();
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      ImageIO.write(img, "png", file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void draw(Graphics2D g, Panel panel) {
    double[] xr = range(panel, 0, panel.logX());
    double[] yr = range(panel, 1, panel.logY());
    int pw = W - LEFT - RIGHT;
    int ph = H - TOP - BOTTOM;
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.setColor(Color.BLACK);
    g.drawString(panel.title(), LEFT, 22);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.drawRect(LEFT, TOP, pw, ph);
    for (double t : ticks(xr, panel.logX())) {
      int x = LEFT + (int) Math.round(pw * frac(t, xr, panel.logX()));
      g.setColor(new Color(0xe0e0e0));
      g.drawLine(x, TOP, x, TOP + ph);
      g.setColor(Color.BLACK);
      String s = label(t);
      g.drawString(s, x - g.getFontMetrics().stringWidth(s) / 2, TOP + ph + 15);
    }
    for (double t : ticks(yr, panel.logY())) {
      int y = TOP + ph - (int) Math.round(ph * frac(t, yr, panel.logY()));
      g.setColor(new Color(0xe0e0e0));
      g.drawLine(LEFT, y, LEFT + pw, y);
      g.setColor(Color.BLACK);
      String s = label(t);
      g.drawString(s, LEFT - 5 - g.getFontMetrics().stringWidth(s), y + 4);
    }
    g.drawString(
        panel.xLabel(), LEFT + pw / 2 - g.getFontMetrics().stringWidth(panel.xLabel()) / 2, H - 12);
    AffineTransform saved = g.getTransform();
    g.rotate(-Math.PI / 2);
    g.drawString(
        panel.yLabel(), -(TOP + ph / 2 + g.getFontMetrics().stringWidth(panel.yLabel()) / 2), 14);
    g.setTransform(saved);
    int i = 0;
    for (Map.Entry<String, List<double[]>> s : panel.series().entrySet()) {
      Color c = COLORS[i % COLORS.length];
      g.setColor(c);
      g.setStroke(new BasicStroke(2f));
      int[] prev = null;
      for (double[] pt : s.getValue()) {
        int x = LEFT + (int) Math.round(pw * frac(pt[0], xr, panel.logX()));
        int y = TOP + ph - (int) Math.round(ph * frac(pt[1], yr, panel.logY()));
        g.fillOval(x - 3, y - 3, 7, 7);
        if (prev != null) {
          g.drawLine(prev[0], prev[1], x, y);
        }
        prev = new int[] {x, y};
      }
      g.fillRect(LEFT + 10, TOP + 10 + 16 * i, 12, 4);
      g.setColor(Color.BLACK);
      g.drawString(s.getKey(), LEFT + 28, TOP + 16 + 16 * i);
      i++;
    }
  }

  private static double[] range(Panel panel, int axis, boolean log) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (List<double[]> pts : panel.series().values()) {
      for (double[] p : pts) {
        if (!log || p[axis] > 0) {
          lo = Math.min(lo, p[axis]);
          hi = Math.max(hi, p[axis]);
        }
      }
    }
    if (!(lo <= hi)) {
      return new double[] {1, 10};
    }
    if (log) {
      return new double[] {
        Math.pow(10, Math.floor(Math.log10(lo))), Math.pow(10, Math.ceil(Math.log10(hi * 1.0001)))
      };
    }
    double pad = (hi - lo) * 0.05 + (hi == lo ? Math.abs(hi) * 0.1 + 1e-9 : 0);
    return new double[] {lo - pad, hi + pad};
  }

  private static double frac(double v, double[] r, boolean log) {
    return log
        ? (Math.log10(v) - Math.log10(r[0])) / (Math.log10(r[1]) - Math.log10(r[0]))
        : (v - r[0]) / (r[1] - r[0]);
  }

  private static double[] ticks(double[] r, boolean log) {
    if (log) {
      int a = (int) Math.round(Math.log10(r[0]));
      int b = (int) Math.round(Math.log10(r[1]));
      double[] t = new double[b - a + 1];
      for (int i = 0; i < t.length; i++) {
        t[i] = Math.pow(10, a + i);
      }
      return t;
    }
    double step = Math.pow(10, Math.floor(Math.log10((r[1] - r[0]) / 4)));
    while ((r[1] - r[0]) / step > 8) {
      step *= 2;
    }
    double first = Math.ceil(r[0] / step) * step;
    int count = (int) Math.floor((r[1] - first) / step) + 1;
    double[] t = new double[Math.max(0, count)];
    for (int i = 0; i < t.length; i++) {
      t[i] = first + i * step;
    }
    return t;
  }

  private static String label(double v) {
    double a = Math.abs(v);
    if (a >= 1e6) {
      return String.format(Locale.ROOT, "%.0fM", v / 1e6);
    }
    if (a >= 1e3) {
      return String.format(Locale.ROOT, "%.0fk", v / 1e3);
    }
    if (a >= 10 || v == Math.rint(v)) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    return String.format(Locale.ROOT, a < 0.1 ? "%.3f" : "%.2f", v);
  }
}
