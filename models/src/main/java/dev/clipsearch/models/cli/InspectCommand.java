package dev.clipsearch.models.cli;

import picocli.CommandLine.Command;

/** {@code clipsearch inspect}: look at what the model runtime does with one input. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = "Show what the model runtime makes of an input: tokens, tensors, vectors.",
    subcommands = {
      InspectPreprocessCommand.class,
      InspectTokenizeCommand.class,
      InspectEmbedCommand.class,
      InspectEmbedBatchCommand.class
    })
public final class InspectCommand {}
