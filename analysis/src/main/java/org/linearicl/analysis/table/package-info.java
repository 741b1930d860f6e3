/**
 * Tables: an immutable {@link org.linearicl.analysis.table.Table} of {@link
 * org.linearicl.analysis.table.Cell}s rendered as Markdown and CSV, the paper's number format
 * ({@link org.linearicl.analysis.table.LossFormat}), the paper's Table 1 ({@link
 * org.linearicl.analysis.table.PaperTable1}) and our values beside it ({@link
 * org.linearicl.analysis.table.Comparison}); the CSV reader ({@link
 * org.linearicl.analysis.table.Csv}) and the published comparison read back with each cell's
 * verdict ({@link org.linearicl.analysis.table.PublishedTable1}).
 */
package org.linearicl.analysis.table;
