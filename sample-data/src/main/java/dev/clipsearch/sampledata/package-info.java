/**
 * The demo catalog: {@link dev.clipsearch.sampledata.SampleCatalogBuilder} turns pinned emoji
 * packages from the npm registry into {@code catalog.jsonl}, {@code catalog-small.jsonl} and {@code
 * images/}. Stages: {@code fetch} (npm tarballs, verified and cached, read safely), {@code emoji}
 * (emoji metadata and image sets), {@code catalog} (emoji to products, JSON Lines), {@code cli}
 * (the {@code clipsearch sample-data} command).
 */
package dev.clipsearch.sampledata;
