package org.linearicl.analysis.table;

import java.io.IOException;
import java.nio.file.Path;
import org.linearicl.analysis.AtomicFiles;

/** Writes a {@link Table} as {@code <base>.md} and {@code <base>.csv}, each atomically. */
public final class TableWriter {
  private TableWriter() {}

  /**
   * Writes {@code base.md} ({@link Table#toMarkdown()}) and {@code base.csv} ({@link
   * Table#toCsv()}); when the table carries standard errors, also {@code base.se.csv} ({@link
   * Table#standardErrors()} as CSV). {@code base} is a directory plus a file name without
   * extension, e.g. {@code results/paper/tables/table1}; missing directories are created.
   */
  public static void write(Table table, Path base) throws IOException {
    AtomicFiles.writeString(sibling(base, ".md"), table.toMarkdown());
    AtomicFiles.writeString(sibling(base, ".csv"), table.toCsv());
    if (table.hasStandardErrors()) {
      AtomicFiles.writeString(sibling(base, ".se.csv"), table.standardErrors().toCsv());
    }
  }

  static Path sibling(Path base, String extension) {
    Path name = base.getFileName();
    if (name == null) {
      throw new IllegalArgumentException("base must name a file, got " + base);
    }
    return base.resolveSibling(name + extension);
  }
}
