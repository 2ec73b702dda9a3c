/**
 * Pictures without dependencies: digit grids, training curves, filter and feature-map panels and
 * confusion heat maps as {@code BufferedImage}s written by {@link io.github.purecnn.visual.Png},
 * and {@link io.github.purecnn.visual.TerminalText} (a digit in shading characters, class
 * probabilities as bars).
 */
package io.github.purecnn.visual;
