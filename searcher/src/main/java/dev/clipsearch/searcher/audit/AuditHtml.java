package dev.clipsearch.searcher.audit;

import dev.clipsearch.searcher.audit.AuditReport.CategoryMismatch;
import dev.clipsearch.searcher.audit.AuditReport.DuplicateGroup;
import dev.clipsearch.searcher.audit.AuditReport.ImageRef;
import dev.clipsearch.searcher.audit.AuditReport.PlaceholderImage;
import java.util.Locale;

/**
 * {@code audit.html}: the report as one self-contained page. Thumbnails are inline {@code data:}
 * URIs and the style sheet is inline; the page has no script and loads nothing, so it opens from
 * disk, offline, and can be mailed as one file.
 */
public final class AuditHtml {

  /** The {@code id} of each section, for links and tests. */
  public static final String MISMATCHES_ID = "category-mismatches";

  public static final String DUPLICATES_ID = "near-duplicates";
  public static final String PLACEHOLDERS_ID = "placeholders";

  private static final String STYLE =
      """
      body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
      h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; }
      table { border-collapse: collapse; width: 100%; }
      th, td { border-bottom: 1px solid #ddd; padding: 6px 8px; text-align: left; vertical-align: middle; }
      th { background: #f4f4f4; }
      img.thumb { width: 64px; height: 64px; object-fit: contain; background: #fafafa; border: 1px solid #ddd; }
      .none { display: inline-block; width: 64px; height: 64px; background: #eee; color: #888; font-size: 11px; text-align: center; line-height: 64px; }
      .group { display: flex; flex-wrap: wrap; gap: 12px; padding: 10px; border: 1px solid #ddd; margin: 10px 0; border-radius: 6px; }
      .member { width: 120px; font-size: 12px; }
      .muted { color: #666; } .num { font-variant-numeric: tabular-nums; }
      """;

  private AuditHtml() {}

  public static String render(AuditReport report) {
    StringBuilder h = new StringBuilder(4096);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>clipsearch catalog audit</title><style>")
        .append(STYLE)
        .append("</style></head><body>\n<h1>Catalog audit</h1>\n<p class=\"muted\">")
        .append(esc(report.index()))
        .append(" · model ")
        .append(esc(report.model()))
        .append(" · ")
        .append(report.counts().products())
        .append(" products, ")
        .append(report.counts().images())
        .append(" images, ")
        .append(report.categories().size())
        .append(" categories · ")
        .append(fmt(report.counts().seconds()))
        .append(" s</p>\n");
    mismatches(h, report);
    h.append("</section>\n");
    duplicates(h, report);
    h.append("</section>\n");
    placeholders(h, report);
    h.append("</section>\n");
    h.append("</body></html>\n");
    return h.toString();
  }

  private static void mismatches(StringBuilder h, AuditReport report) {
    section(
        h,
        MISMATCHES_ID,
        "Category mismatches",
        report.counts().categoryMismatches(),
        report.categoryMismatches().size(),
        "Products whose images a zero-shot classification over the catalog's own categories puts"
            + " elsewhere, by more than "
            + fmt(report.settings().categoryMargin())
            + " of probability; largest margin first.");
    if (report.categoryMismatches().isEmpty()) {
      return;
    }
    h.append(
        "<table><tr><th></th><th>product</th><th>stored category</th><th>looks like</th>"
            + "<th>margin</th></tr>\n");
    for (CategoryMismatch m : report.categoryMismatches()) {
      h.append("<tr><td>");
      thumb(h, report, m.product());
      h.append("</td><td>");
      product(h, m.product());
      h.append("</td><td>")
          .append(esc(m.storedCategory()))
          .append(" <span class=\"muted num\">")
          .append(fmt(m.storedProbability()))
          .append("</span></td><td>")
          .append(esc(m.predictedCategory()))
          .append(" <span class=\"muted num\">")
          .append(fmt(m.predictedProbability()))
          .append("</span></td><td class=\"num\">")
          .append(fmt(m.margin()))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  private static void duplicates(StringBuilder h, AuditReport report) {
    section(
        h,
        DUPLICATES_ID,
        "Near-duplicate images across products",
        report.counts().duplicateGroups(),
        report.duplicateGroups().size(),
        "Images of different products whose vectors have a cosine of at least "
            + fmt(report.settings().duplicateThreshold())
            + "; largest group first.");
    for (DuplicateGroup g : report.duplicateGroups()) {
      h.append("<div class=\"group\"><div class=\"member muted\">")
          .append(g.images().size())
          .append(" images, ")
          .append(g.products())
          .append(" products, lowest cosine ")
          .append(fmt(g.minCosine()))
          .append("</div>");
      for (ImageRef image : g.images()) {
        h.append("<div class=\"member\">");
        thumb(h, report, image);
        h.append("<br>");
        product(h, image);
        h.append("</div>");
      }
      h.append("</div>\n");
    }
  }

  private static void placeholders(StringBuilder h, AuditReport report) {
    section(
        h,
        PLACEHOLDERS_ID,
        "Placeholder-looking images",
        report.counts().placeholders(),
        report.placeholders().size(),
        "Images that match a placeholder description (\"a blank image\", \"image not"
            + " available\"…) better than their own title and any category of the catalog, by more than "
            + fmt(report.settings().placeholderMargin())
            + " of probability.");
    if (report.placeholders().isEmpty()) {
      return;
    }
    h.append(
        "<table><tr><th></th><th>product</th><th>image</th><th>matches</th><th>margin</th></tr>\n");
    for (PlaceholderImage p : report.placeholders()) {
      h.append("<tr><td>");
      thumb(h, report, p.image());
      h.append("</td><td>");
      product(h, p.image());
      h.append("</td><td class=\"muted\">")
          .append(esc(p.image().source()))
          .append("</td><td>“")
          .append(esc(p.prompt()))
          .append("” <span class=\"muted num\">")
          .append(fmt(p.placeholderProbability()))
          .append(" vs ")
          .append(fmt(p.ownProbability()))
          .append("</span></td><td class=\"num\">")
          .append(fmt(p.margin()))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  private static void section(
      StringBuilder h, String id, String title, int found, int shown, String about) {
    h.append("<section id=\"")
        .append(id)
        .append("\"><h2>")
        .append(esc(title))
        .append(" (")
        .append(found)
        .append(")</h2>\n<p class=\"muted\">")
        .append(esc(about));
    if (shown < found) {
      h.append(" The first ").append(shown).append(" are shown.");
    }
    h.append("</p>\n");
    if (found == 0) {
      h.append("<p>None found.</p>\n");
    }
  }

  private static void thumb(StringBuilder h, AuditReport report, ImageRef image) {
    String uri = report.thumbnails().get(image.key());
    if (uri == null) {
      h.append("<span class=\"none\">no thumbnail</span>");
    } else {
      h.append("<img class=\"thumb\" alt=\"\" src=\"").append(esc(uri)).append("\">");
    }
  }

  private static void product(StringBuilder h, ImageRef image) {
    h.append("<b>")
        .append(esc(image.title() == null ? "(no title)" : image.title()))
        .append("</b><br><span class=\"muted\">")
        .append(esc(image.productId()))
        .append(" · image ")
        .append(image.image())
        .append("</span>");
  }

  static String fmt(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }

  /** Escapes text for HTML element content and double-quoted attributes. */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
