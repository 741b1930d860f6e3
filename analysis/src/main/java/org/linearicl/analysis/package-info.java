/**
 * Turning evaluation results into what a person reads: tables (Markdown and CSV, byte-stable) in
 * {@link org.linearicl.analysis.table} and figures (PNG, SVG and PDF, drawn with Java 2D) in
 * {@link org.linearicl.analysis.figure}.
 *
 * <p>Text output uses {@link java.util.Locale#ROOT}, LF line endings and a trailing newline, and
 * carries no timestamps or paths, so regenerating a table gives the same bytes everywhere. Files
 * are written through {@link org.linearicl.analysis.AtomicFiles}: a temporary file beside the
 * target, then an atomic rename, so a reader never sees half a file.
 */
package org.linearicl.analysis;
