package io.github.purecnn.visual;

import java.awt.AWTError;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where pictures are drawn: a white {@code TYPE_INT_RGB} image with the few
 * operations the pictures share (map blitting with nearest-neighbour scaling, rectangles,
 * lines, dots and text in a box). Layout stays with each picture; how to draw stays here.
 *
 * <p>Text is optional. On a minimal JDK install without fonts, creating or measuring a
 * {@link Font} throws; {@link #fontsAvailable()} finds that out once, and a canvas made without
 * text skips every {@link #text} call, so that every picture still renders with the same size.
 */
final class Canvas {
    static {
        // Pictures are drawn off screen. Without this, a JVM whose DISPLAY points at an unreachable
        // X server fails as soon as a BufferedImage is drawn on; desktop applications that want a
        // screen set java.awt.headless=false themselves, and then this leaves it alone.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static final Logger log = LoggerFactory.getLogger(Canvas.class);

    static final Color BLACK = Color.BLACK;
    static final Color GRID = new Color(0xE4E4E4);
    static final Color FRAME = new Color(0xB0B0B0);
    static final Color MISTAKE = new Color(0xD62728);

    /** Horizontal placement of text within its box. */
    enum Align { LEFT, CENTER, RIGHT }

    /** The three text sizes the pictures use. */
    enum Style {
        SMALL(new Font(Font.SANS_SERIF, Font.PLAIN, 11)),
        LABEL(new Font(Font.SANS_SERIF, Font.PLAIN, 13)),
        TITLE(new Font(Font.SANS_SERIF, Font.BOLD, 14));

        // A Font object is only a name and a size: loading the font, which is what fails on a
        // system without fonts, happens when it is first measured or drawn.
        final Font font;

        Style(Font font) {
            this.font = font;
        }
    }

    private final BufferedImage image;
    private final int[] pixels;
    private final Graphics2D g;
    private final boolean text;

    /** A white canvas; draws text when {@code text} is true. */
    Canvas(int width, int height, boolean text) {
        this.image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        this.pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        this.g = image.createGraphics();
        this.text = text;
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    }

    /** Whether this JVM can measure and draw text; probed once. */
    static boolean fontsAvailable() {
        return Fonts.AVAILABLE;
    }

    /**
     * Draws a map of packed colours, {@code rgb[height * width]} row-major, with its top-left
     * corner at (x, y), each source pixel as a {@code scale x scale} block (nearest neighbour:
     * digits stay crisp, no smoothing invents values between pixels).
     */
    void blit(int[] rgb, int height, int width, int x, int y, int scale) {
        int stride = image.getWidth();
        for (int r = 0; r < height; r++) {
            int srcRow = r * width;
            for (int dy = 0; dy < scale; dy++) {
                int dstRow = (y + r * scale + dy) * stride + x;
                for (int c = 0; c < width; c++) {
                    int colour = rgb[srcRow + c];
                    int dst = dstRow + c * scale;
                    for (int dx = 0; dx < scale; dx++) {
                        pixels[dst + dx] = colour;
                    }
                }
            }
        }
    }

    void fill(int x, int y, int width, int height, Color colour) {
        g.setColor(colour);
        g.fillRect(x, y, width, height);
    }

    /** A rectangle outline {@code thickness} pixels wide drawn just outside the box (x, y, width, height). */
    void frame(int x, int y, int width, int height, int thickness, Color colour) {
        g.setColor(colour);
        for (int i = 1; i <= thickness; i++) {
            g.fillRect(x - i, y - i, width + 2 * i, 1);
            g.fillRect(x - i, y + height - 1 + i, width + 2 * i, 1);
            g.fillRect(x - i, y - i, 1, height + 2 * i);
            g.fillRect(x + width - 1 + i, y - i, 1, height + 2 * i);
        }
    }

    /** A straight, one pixel wide, not smoothed line: axes and ticks stay sharp. */
    void hairline(int x1, int y1, int x2, int y2, Color colour) {
        Object hint = g.getRenderingHint(RenderingHints.KEY_ANTIALIASING);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        g.setColor(colour);
        g.setStroke(new BasicStroke(1));
        g.drawLine(x1, y1, x2, y2);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, hint);
    }

    /** A smoothed polyline through (xs[i], ys[i]), solid or dashed, {@code width} pixels wide. */
    void polyline(double[] xs, double[] ys, Color colour, float width, boolean dashed) {
        Path2D.Double path = new Path2D.Double();
        path.moveTo(xs[0], ys[0]);
        for (int i = 1; i < xs.length; i++) {
            path.lineTo(xs[i], ys[i]);
        }
        g.setColor(colour);
        g.setStroke(dashed
                ? new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10, new float[] {7, 5}, 0)
                : new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(path);
    }

    /** A filled disc of the given diameter centred on (x, y). */
    void dot(double x, double y, double diameter, Color colour) {
        g.setColor(colour);
        g.fill(new Ellipse2D.Double(x - diameter / 2, y - diameter / 2, diameter, diameter));
    }

    /**
     * Writes {@code s} inside the box (x, y, width, height): centred vertically, placed
     * horizontally by {@code align}, shortened with an ellipsis when wider than the box. Does
     * nothing on a canvas without text.
     */
    void text(String s, int x, int y, int width, int height, Align align, Style style, Color colour) {
        if (!text || s.isEmpty()) {
            return;
        }
        g.setFont(style.font);
        g.setColor(colour);
        FontMetrics m = g.getFontMetrics();
        String shown = fit(s, width, m);
        int w = m.stringWidth(shown);
        int left = switch (align) {
            case LEFT -> x;
            case CENTER -> x + (width - w) / 2;
            case RIGHT -> x + width - w;
        };
        int baseline = y + (height - m.getAscent() - m.getDescent()) / 2 + m.getAscent();
        g.drawString(shown, left, baseline);
    }

    private static String fit(String s, int width, FontMetrics m) {
        if (m.stringWidth(s) <= width) {
            return s;
        }
        String ellipsis = "\u2026";
        int keep = s.length();
        while (keep > 0 && m.stringWidth(s.substring(0, keep) + ellipsis) > width) {
            keep--;
        }
        return s.substring(0, keep) + ellipsis;
    }

    /** Finishes drawing and hands over the picture. */
    BufferedImage image() {
        g.dispose();
        return image;
    }

    /** Holder so that the probe runs once, on first use, and only if some picture asks for it. */
    private static final class Fonts {
        static final boolean AVAILABLE = probe();

        private static boolean probe() {
            Graphics2D scratch = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB).createGraphics();
            try {
                for (Style style : Style.values()) {
                    scratch.setFont(style.font);
                    scratch.getFontMetrics().stringWidth("0.9");
                    scratch.drawString("0.9", 0, 12);
                }
                return true;
            } catch (LinkageError | AWTError | InternalError | NullPointerException e) {
                // Missing libfontmanager or libfreetype, a broken fontconfig, a font manager that
                // failed to initialise: all ways a minimal JDK install says it has no usable fonts.
                log.debug("no usable fonts, pictures are drawn without text", e);
                return false;
            } catch (Error e) {
                // The font manager throws a bare Error("Probable fatal error:No fonts found.") when
                // the system has no fonts at all; any other Error is not ours to swallow.
                if (e.getClass() != Error.class) {
                    throw e;
                }
                log.debug("no fonts installed, pictures are drawn without text", e);
                return false;
            } finally {
                scratch.dispose();
            }
        }
    }
}
