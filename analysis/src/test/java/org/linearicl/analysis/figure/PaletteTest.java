package org.linearicl.analysis.figure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.linearicl.analysis.figure.LinePlot.Series;
import org.linearicl.analysis.figure.LinePlot.Style;

class PaletteTest {
  private static final double[] X = {1, 2};

  @Test
  void theFirstDistinctSlotsLookDifferent() {
    Set<List<Object>> seen = new HashSet<>();
    Set<List<Object>> markersOnly = new HashSet<>();
    for (int i = 0; i < Palette.DISTINCT; i++) {
      Palette.Look l = Palette.look(i);
      // colour and dash tell every slot apart; a line-less series still differs by marker
      // from its neighbours
      seen.add(List.of(l.color(), l.dash()));
      markersOnly.add(List.of(l.color(), l.marker()));
      assertNotEquals(Palette.Marker.CROSS, l.marker(), "the X is kept for flagged points");
    }
    assertEquals(Palette.DISTINCT, seen.size());
    // drawn with markers only (the 10 noise settings of one panel), every slot still differs
    assertEquals(Palette.DISTINCT, markersOnly.size());
    // 8 layers: eight colours, eight markers, all solid; a ninth series repeats the colour of
    // the first, dashed
    Set<Object> colours = new HashSet<>();
    Set<Object> markers = new HashSet<>();
    for (int i = 0; i < 8; i++) {
      colours.add(Palette.look(i).color());
      markers.add(Palette.look(i).marker());
      assertEquals(0, Palette.look(i).dash());
    }
    assertEquals(8, colours.size());
    assertEquals(8, markers.size());
    assertEquals(Palette.look(0).color(), Palette.look(8).color());
    assertNotEquals(Palette.look(0).dash(), Palette.look(8).dash());
  }

  @Test
  void fixedSlotsStayAndTheRestTakeTheLowestFreeOnes() {
    Map<String, Integer> slots = Palette.assign(List.of(
        Series.of("1 layer", X, X, Style.LINE),
        new Series("TunedRR", X, X, null, Style.LINE, 5),
        Series.of("2 layers", X, X, Style.LINE),
        Series.of("1 layer", X, X, Style.LINE),
        new Series("GD++", X, X, null, Style.MARKERS, 0)));
    assertEquals(0, slots.get("GD++"));
    assertEquals(5, slots.get("TunedRR"));
    assertEquals(1, slots.get("1 layer"), "slot 0 is GD++'s");
    assertEquals(2, slots.get("2 layers"));
    assertEquals(4, slots.size());
  }
}
