package dev.clipsearch.indexer.cli;

import dev.clipsearch.indexer.index.CatalogIndex;
import dev.clipsearch.indexer.index.IndexOpenException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code clipsearch delete --index DIR ID...} (or {@code --solr URL --collection NAME ID...}):
 * removes products (with all their images) and commits. Ids not in the index are listed and
 * ignored, so the command is idempotent.
 */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = {
      "Delete products (and all their images) from an index, then commit.",
      "Ids that are not in the index are reported and ignored: running it twice is harmless."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done (some ids may not have been in the index)",
      "1:no index there, it is locked by another writer, or Solr is unreachable",
      "2:usage error"
    })
public final class DeleteCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin StoreOptions store;

  @Option(
      names = "--ids-from",
      paramLabel = "FILE",
      description = "Also delete the ids listed in FILE, one per line (blank lines ignored).")
  Path idsFrom;

  @Parameters(paramLabel = "ID", arity = "0..*", description = "Product ids to delete.")
  List<String> ids = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    StoreTarget target = store.target();
    Set<String> wanted = new LinkedHashSet<>();
    ids.stream().map(String::strip).filter(id -> !id.isEmpty()).forEach(wanted::add);
    if (idsFrom != null) {
      try {
        Files.readAllLines(idsFrom).stream()
            .map(String::strip)
            .filter(id -> !id.isEmpty())
            .forEach(wanted::add);
      } catch (IOException e) {
        throw new ParameterException(
            spec.commandLine(), "--ids-from: cannot read " + idsFrom + ": " + e.getMessage());
      }
    }
    if (wanted.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "no product id given (pass IDs or --ids-from FILE)");
    }
    if (target instanceof StoreTarget.Solr solr) {
      try {
        List<String> deleted = SolrStores.delete(solr, wanted);
        printDeleted(out, wanted, deleted, solr.describe());
        return 0;
      } catch (IOException e) {
        err.println("clipsearch delete: " + e.getMessage());
        return 1;
      }
    }
    Path index = ((StoreTarget.Embedded) target).dir();
    try (CatalogIndex catalogIndex = CatalogIndex.openExisting(index)) {
      List<String> deleted = catalogIndex.delete(wanted);
      catalogIndex.commit("delete");
      printDeleted(out, wanted, deleted, index.toString());
      return 0;
    } catch (IndexOpenException e) {
      err.println("clipsearch delete: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("clipsearch delete: " + index + ": " + e);
      return 1;
    }
  }

  private static void printDeleted(
      PrintWriter out, Set<String> wanted, List<String> deleted, String where) {
    out.println("deleted " + deleted.size() + " of " + wanted.size() + " product(s) from " + where);
    List<String> missing = new ArrayList<>(wanted);
    missing.removeAll(deleted);
    if (!missing.isEmpty()) {
      out.println(
          "not in the index: "
              + String.join(", ", missing.subList(0, Math.min(20, missing.size())))
              + (missing.size() > 20 ? " … (" + missing.size() + " in all)" : ""));
    }
    out.flush();
  }
}
