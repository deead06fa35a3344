package dev.vectorcache.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A plain-text table with a header row; columns are padded to their widest cell. */
final class Table {
  private final List<String> header;
  private final boolean[] rightAligned;
  private final List<List<String>> rows = new ArrayList<>();
  private final int maxWidth;

  /** Columns whose name starts with '>' are right-aligned (the '>' is not shown). */
  Table(int maxWidth, String... columns) {
    this.maxWidth = maxWidth;
    this.header = new ArrayList<>();
    this.rightAligned = new boolean[columns.length];
    for (int i = 0; i < columns.length; i++) {
      rightAligned[i] = columns[i].startsWith(">");
      header.add(rightAligned[i] ? columns[i].substring(1) : columns[i]);
    }
  }

  Table(String... columns) {
    this(48, columns);
  }

  Table row(@Nullable Object... cells) {
    List<String> r = new ArrayList<>(cells.length);
    for (Object c : cells) {
      String s = c == null ? "-" : String.valueOf(c);
      r.add(s.length() > maxWidth ? s.substring(0, maxWidth - 3) + "..." : s);
    }
    rows.add(r);
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintWriter out, String indent) {
    int[] w = new int[header.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = header.get(i).length();
      for (List<String> r : rows) {
        w[i] = Math.max(w[i], r.get(i).length());
      }
    }
    line(out, indent, header, w);
    for (List<String> r : rows) {
      line(out, indent, r, w);
    }
  }

  private void line(PrintWriter out, String indent, List<String> cells, int[] w) {
    StringBuilder sb = new StringBuilder(indent);
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      String pad = " ".repeat(w[i] - c.length());
      boolean last = i == cells.size() - 1;
      if (rightAligned[i]) {
        sb.append(pad).append(c);
      } else {
        sb.append(c);
        if (!last) {
          sb.append(pad);
        }
      }
      if (!last) {
        sb.append("  ");
      }
    }
    out.println(sb.toString().stripTrailing());
  }
}
