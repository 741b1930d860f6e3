package org.linearicl.analysis.figure;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;

/**
 * The drawing state of a canvas (transform, clip, paint, stroke, font), restored on close. The
 * figures draw on one canvas and never {@link Graphics2D#create()} a child: JFreePDF's children
 * write their transforms into the shared page in an order that varies between runs.
 */
final class Saved implements AutoCloseable {
  private final Graphics2D g;
  private final AffineTransform transform;
  private final Shape clip;
  private final Paint paint;
  private final Stroke stroke;
  private final Font font;

  Saved(Graphics2D g) {
    this.g = g;
    this.transform = g.getTransform();
    this.clip = g.getClip();
    this.paint = g.getPaint();
    this.stroke = g.getStroke();
    this.font = g.getFont();
  }

  @Override
  public void close() {
    g.setTransform(transform);
    g.setClip(clip);
    g.setPaint(paint);
    g.setStroke(stroke);
    g.setFont(font);
  }
}
