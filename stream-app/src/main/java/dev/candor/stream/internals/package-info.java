/**
 * Implementation of the stream app: processors (decode, micro-batch, model updates), the buffer
 * record and its serde, metrics and the HTTP server. Not an API: other modules must not import it.
 */
package dev.candor.stream.internals;
