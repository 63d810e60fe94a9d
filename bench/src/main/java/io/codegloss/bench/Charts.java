package io.codegloss.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** PNG charts drawn with Java2D and written with ImageIO: no chart library. */
final class Charts {

  /** One bar or point. */
  record Point(String label, double value) {}

  /** One line of an x/y chart. */
  record Series(String name, Color color, List<double[]> points, boolean dashed) {}

  static final Color[] PALETTE = {
    new Color(0x4E79A7), new Color(0xF28E2B), new Color(0x59A14F), new Color(0xE15759)
  };

  private static final int W = 900;
  private static final int H = 420;

  private Charts() {}

  /** Side-by-side bar panels (e.g. calls per span and seconds per span), one bar per mode. */
  static void bars(
      Path file,
      String title,
      String subtitle,
      List<String> panelTitles,
      List<List<Point>> panels) {
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = begin(img, title, subtitle);
    int n = panels.size();
    int panelW = (W - 40) / n;
    for (int p = 0; p < n; p++) {
      int x0 = 20 + p * panelW + 50;
      int x1 = 20 + (p + 1) * panelW - 20;
      int y0 = 95;
      int y1 = H - 50;
      List<Point> bars = panels.get(p);
      double max = bars.stream().mapToDouble(Point::value).max().orElse(1);
      max = niceMax(max);
      g.setColor(Color.DARK_GRAY);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
      centered(g, panelTitles.get(p), (x0 + x1) / 2, y0 - 12);
      axes(g, x0, y0, x1, y1, max);
      int slot = (x1 - x0) / Math.max(1, bars.size());
      for (int i = 0; i < bars.size(); i++) {
        Point b = bars.get(i);
        int h = max <= 0 ? 0 : (int) Math.round((y1 - y0) * b.value() / max);
        int bx = x0 + i * slot + slot / 5;
        int bw = slot * 3 / 5;
        g.setColor(PALETTE[i % PALETTE.length]);
        g.fillRect(bx, y1 - h, bw, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        centered(g, format(b.value()), bx + bw / 2, y1 - h - 4);
        centered(g, b.label(), bx + bw / 2, y1 + 16);
      }
    }
    write(img, g, file);
  }

  /** Lines over x (e.g. spans per minute against worker processes), legend under the title. */
  static void lines(
      Path file, String title, String subtitle, String xLabel, String yLabel, List<Series> series) {
    BufferedImage img = new BufferedImage(W, H + 20 * series.size(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = begin(img, title, subtitle);
    int legendY = 74;
    for (Series s : series) {
      g.setColor(s.color());
      g.setStroke(stroke(s));
      g.drawLine(24, legendY - 4, 54, legendY - 4);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.drawString(s.name(), 62, legendY);
      legendY += 20;
    }
    int x0 = 80;
    int x1 = W - 40;
    int y0 = legendY + 20;
    int y1 = img.getHeight() - 60;
    double maxX = 1;
    double maxY = 0;
    for (Series s : series) {
      for (double[] p : s.points()) {
        maxX = Math.max(maxX, p[0]);
        maxY = Math.max(maxY, p[1]);
      }
    }
    maxY = niceMax(maxY);
    double lo = 0.5;
    double hi = maxX + 0.5;
    axes(g, x0, y0, x1, y1, maxY);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.setColor(Color.BLACK);
    for (int x = 1; x <= (int) maxX; x++) {
      int px = x0 + (int) Math.round((x1 - x0) * (x - lo) / (hi - lo));
      g.drawLine(px, y1, px, y1 + 4);
      centered(g, Integer.toString(x), px, y1 + 18);
    }
    centered(g, xLabel, (x0 + x1) / 2, y1 + 38);
    g.drawString(yLabel, 10, y0 - 10);
    for (Series s : series) {
      g.setColor(s.color());
      g.setStroke(stroke(s));
      double[] prev = null;
      for (double[] p : s.points()) {
        double px = x0 + (x1 - x0) * (p[0] - lo) / (hi - lo);
        double py = y1 - (maxY <= 0 ? 0 : (y1 - y0) * p[1] / maxY);
        if (prev != null) {
          g.draw(new Line2D.Double(prev[0], prev[1], px, py));
        }
        if (!s.dashed()) {
          g.fillOval((int) px - 4, (int) py - 4, 8, 8);
          g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
          g.drawString(format(p[1]), (int) px + 6, (int) py - 6);
        }
        prev = new double[] {px, py};
      }
    }
    write(img, g, file);
  }

  private static BasicStroke stroke(Series s) {
    return s.dashed()
        ? new BasicStroke(
            2, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1, new float[] {6, 6}, 0)
        : new BasicStroke(3);
  }

  private static Graphics2D begin(BufferedImage img, String title, String subtitle) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    g.drawString(title, 20, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.setColor(Color.DARK_GRAY);
    g.drawString(subtitle, 20, 52);
    return g;
  }

  private static void axes(Graphics2D g, int x0, int y0, int x1, int y1, double max) {
    g.setStroke(new BasicStroke(1));
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    for (int i = 0; i <= 4; i++) {
      int y = y1 - (y1 - y0) * i / 4;
      g.setColor(new Color(0xE0E0E0));
      g.drawLine(x0, y, x1, y);
      g.setColor(Color.DARK_GRAY);
      String label = format(max * i / 4);
      g.drawString(label, x0 - 6 - g.getFontMetrics().stringWidth(label), y + 4);
    }
    g.setColor(Color.BLACK);
    g.drawLine(x0, y1, x1, y1);
    g.drawLine(x0, y0, x0, y1);
  }

  private static void centered(Graphics2D g, String s, int x, int y) {
    FontMetrics fm = g.getFontMetrics();
    g.drawString(s, x - fm.stringWidth(s) / 2, y);
  }

  static double niceMax(double max) {
    if (max <= 0) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(max)));
    for (double step : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
      if (step * magnitude >= max * 1.08) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e6) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, Math.abs(v) < 10 ? "%.2f" : "%.1f", v);
  }

  private static void write(BufferedImage img, Graphics2D g, Path file) {
    g.dispose();
    try {
      ImageIO.write(img, "png", file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
