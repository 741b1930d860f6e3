package org.linearicl.analysis.stage;

/** Placeholder, filled in below. */
final class TheoryKind {
  static final String SUMMARY = "tables/theory_summary.csv";
}
