package dev.clipsearch.models.hub;

import java.nio.file.Path;

/**
 * The outcome of a successful fetch.
 *
 * @param directory the installed model directory
 * @param model what was fetched
 * @param alreadyInstalled true when the model was already there and nothing was downloaded
 * @param bytesDownloaded bytes transferred by this run (resumed bytes from earlier runs excluded)
 * @param receipt the installed directory's {@link InstallReceipt}
 */
public record FetchResult(
    Path directory,
    ModelRef model,
    boolean alreadyInstalled,
    long bytesDownloaded,
    InstallReceipt receipt) {}
