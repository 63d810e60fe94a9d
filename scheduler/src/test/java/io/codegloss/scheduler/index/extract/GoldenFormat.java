package io.codegloss.scheduler.index.extract;

import java.util.List;

/** The text form of golden fixtures: one line per span, easy to review in a diff. */
final class GoldenFormat {

  private GoldenFormat() {}

  static String render(Extraction extraction) {
    StringBuilder sb = new StringBuilder();
    List<ExtractedSpan> spans = extraction.spans();
    for (ExtractedSpan s : spans) {
      sb.append(s.kind().dbName())
          .append(' ')
          .append(s.symbol())
          .append(" lines=")
          .append(s.startLine())
          .append('-')
          .append(s.endLine())
          .append(" bytes=")
          .append(s.startByte())
          .append('-')
          .append(s.endByte())
          .append(" node=")
          .append(s.nodeType())
          .append(" parent=")
          .append(s.parentIndex() < 0 ? "-" : spans.get(s.parentIndex()).symbol())
          .append('\n')
          .append("    sig: ")
          .append(s.signature())
          .append('\n');
      if (s.docHint() != null) {
        sb.append("    doc: ").append(s.docHint()).append('\n');
      }
    }
    return sb.toString();
  }
}
