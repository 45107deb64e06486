package dev.clipsearch.cli;

import dev.clipsearch.cli.demo.DemoCommand;
import dev.clipsearch.indexer.cli.DeleteCommand;
import dev.clipsearch.indexer.cli.IndexCommand;
import dev.clipsearch.indexer.cli.SolrLocalCommand;
import dev.clipsearch.indexer.cli.StatsCommand;
import dev.clipsearch.indexer.cli.TagCommand;
import dev.clipsearch.models.cli.DetectCommand;
import dev.clipsearch.models.cli.DoctorCommand;
import dev.clipsearch.models.cli.GpuCommand;
import dev.clipsearch.models.cli.InspectCommand;
import dev.clipsearch.models.cli.ModelsCommand;
import dev.clipsearch.sampledata.cli.SampleDataCommand;
import dev.clipsearch.searcher.cli.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code clipsearch} launcher: every command of every module, wired explicitly. */
@Command(
    name = "clipsearch",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Text-to-image and image-to-image search for product catalogs.",
    subcommands = {
      DemoCommand.class,
      IndexCommand.class,
      DeleteCommand.class,
      StatsCommand.class,
      TagCommand.class,
      ServeCommand.class,
      DetectCommand.class,
      SolrLocalCommand.class,
      InspectCommand.class,
      ModelsCommand.class,
      DoctorCommand.class,
      GpuCommand.class,
      SampleDataCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command tree; tests execute commands through it exactly as the launcher does. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"clipsearch " + (v == null ? "(development build)" : v)};
    }
  }
}
