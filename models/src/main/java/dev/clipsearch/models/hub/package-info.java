/**
 * Model download and cache: a registry of known models with pinned sources, a resumable and
 * verifying Hugging Face downloader, and the on-disk cache that the runtime loads models from.
 *
 * <p>Nothing here reads environment variables or system properties: the command-line layer builds a
 * {@link dev.clipsearch.models.hub.HubConfig} and a {@link dev.clipsearch.models.hub.ModelCache}
 * and passes them in.
 */
package dev.clipsearch.models.hub;
