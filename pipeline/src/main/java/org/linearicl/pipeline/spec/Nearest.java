package org.linearicl.pipeline.spec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** The names nearest to a mistyped one, for the "did you mean" of every user error. */
public final class Nearest {
  private Nearest() {}

  /**
   * The candidates nearest to {@code typo} by edit distance (at most three, all at the smallest
   * distance), or none when even the nearest differs in more than a third of its characters.
   */
  public static List<String> closest(String typo, Collection<String> candidates) {
    int best = Integer.MAX_VALUE;
    List<String> out = new ArrayList<>();
    for (String c : candidates) {
      int d = editDistance(typo, c);
      if (d < best) {
        best = d;
        out.clear();
      }
      if (d == best && out.size() < 3 && !out.contains(c)) {
        out.add(c);
      }
    }
    return best <= Math.max(2, typo.length() / 3) ? out : List.of();
  }

  /** The {@code k} candidates nearest to {@code name} by edit distance, nearest first. */
  public static List<String> nearest(String name, Collection<String> candidates, int k) {
    return candidates.stream().sorted(Comparator.comparingInt(c -> editDistance(name, c)))
        .limit(k).toList();
  }

  /** Edits (insert, delete, replace, swap two neighbours) that turn {@code a} into {@code b}. */
  static int editDistance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      for (int j = 0; j <= b.length(); j++) {
        if (i == 0 || j == 0) {
          d[i][j] = i + j;
          continue;
        }
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
