package dev.candor.model.data;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One labelled text from a JSONL dataset.
 *
 * @param id the dataset's id
 * @param text the text
 * @param label class index
 * @param raw the whole JSON object (rationales, targets, spans … for evaluation)
 */
public record Example(String id, String text, int label, JsonNode raw) {}
