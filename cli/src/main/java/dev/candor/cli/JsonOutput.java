package dev.candor.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.model.explain.Explanation;
import dev.candor.model.explain.Prediction;
import dev.candor.model.explain.TokenAttribution;
import dev.candor.model.explain.WordAttribution;

/** The machine-readable form of predictions and explanations (one JSON object per line). */
final class JsonOutput {
  static final ObjectMapper JSON = new ObjectMapper();

  private JsonOutput() {}

  static ObjectNode prediction(String text, Prediction p) {
    ObjectNode o = JSON.createObjectNode();
    o.put("text", text);
    o.put("label", p.label());
    ObjectNode probs = o.putObject("probabilities");
    ArrayNode logits = o.putArray("logits");
    for (int i = 0; i < p.labels().size(); i++) {
      probs.put(p.labels().get(i), p.probabilities()[i]);
      logits.add(p.logits()[i]);
    }
    o.put("truncated", p.truncated());
    o.put("model_version", p.modelVersion());
    return o;
  }

  static ObjectNode explanation(Explanation e) {
    ObjectNode o = prediction(e.text(), e.prediction());
    o.put("explained_label", e.prediction().labels().get(e.explained()));
    o.put("explained_logit", e.explainedLogit());
    o.put("explanation_target", e.target().id());
    o.put("explained_value", e.explainedValue());
    o.put("completeness_residual", e.residual());
    o.put("dropped_tokens", e.droppedTokens());
    ArrayNode tokens = o.putArray("tokens");
    for (TokenAttribution t : e.tokens()) {
      ObjectNode n = tokens.addObject();
      n.put("token", t.token());
      n.put("start", t.start());
      n.put("end", t.end());
      n.put("special", t.special());
      n.put("attribution", t.attribution());
    }
    ArrayNode words = o.putArray("words");
    for (WordAttribution w : e.words()) {
      ObjectNode n = words.addObject();
      n.put("word", w.word());
      n.put("start", w.start());
      n.put("end", w.end());
      n.put("attribution", w.attribution());
    }
    return o;
  }
}
