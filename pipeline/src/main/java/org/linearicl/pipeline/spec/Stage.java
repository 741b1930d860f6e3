package org.linearicl.pipeline.spec;

import com.fasterxml.jackson.core.JsonLocation;
import java.util.List;
import org.linearicl.core.util.Require;
import org.linearicl.experiments.stage.StageKind;
import org.linearicl.experiments.stage.StageParams;

/**
 * One stage after expansion: its unique name, kind, resolved params (defaults filled in,
 * profile applied), the names of the stages it needs (sorted), whether it is published, and where
 * its declaration is in the file.
 */
public record Stage(String name, StageKind kind, StageParams params, List<String> needs,
    boolean publish, String description, JsonLocation location) {
  public Stage {
    Require.nonNull("name", name, "kind", kind, "params", params);
    needs = List.copyOf(needs);
    description = description == null ? "" : description;
  }
}
