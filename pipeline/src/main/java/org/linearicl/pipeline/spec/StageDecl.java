package org.linearicl.pipeline.spec;

import java.util.Map;
import org.linearicl.experiments.stage.StageKind;
import org.linearicl.experiments.stage.StageKinds;

/**
 * A stage declaration of the file with the variable binding of one point of its foreach grid.
 *
 * @param template the declaration's key, the stage name before substitution
 * @param node the declaration
 * @param binding each foreach variable's value at this point
 */
record StageDecl(String template, YNode node, Map<String, YNode> binding) {
  /** The declared kind, or null when it is missing or unknown (reported by the schema). */
  StageKind kind(StageKinds kinds) {
    YNode k = node.get("kind");
    if (k == null || !k.isText()) {
      return null;
    }
    return kinds.find(k.scalar().asText()).orElse(null);
  }
}
