package dev.clipsearch.searcher.service;

/**
 * Where the time of one detection went, in milliseconds.
 *
 * @param decodeMs decoding the upload, queue wait included
 * @param detectMs the detector (model calls and post-processing)
 * @param searchMs the product searches of the crops (0 without {@code search})
 * @param totalMs the whole service call
 */
public record DetectionTimings(double decodeMs, double detectMs, double searchMs, double totalMs) {}
