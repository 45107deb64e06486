/**
 * Fetching: npm tarballs pinned by version and SHA-512 integrity, packed with {@code npm pack},
 * verified on arrival and on every use from the cache, and read without path traversal.
 */
package dev.clipsearch.sampledata.fetch;
