/**
 * What several clipsearch modules share, defined once: the catalog product and its JSON form
 * ({@code catalog}), digests and atomic file writes ({@code io}), retry backoff ({@code net}), the
 * clipsearch home folder and the progress bar of the command-line tools ({@code cli}).
 *
 * <p>This module depends on Jackson only: no ONNX Runtime, no Lucene, no other clipsearch module,
 * so that a tool such as {@code sample-data} can use it without pulling in the model runtime.
 */
package dev.clipsearch.common;
