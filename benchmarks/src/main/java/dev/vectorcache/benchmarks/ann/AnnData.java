package dev.vectorcache.benchmarks.ann;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One benchmark dataset: {@code n} unit-length points in a cached file (never all on the heap), the
 * held-out queries, and the exact top-{@value #K} of each query. Built once and cached under {@link
 * Settings#cacheDir()}:
 *
 * <ul>
 *   <li>{@code clustered}: {@code n} points around {@code n/100} Gaussian centres (N(0,1) centres,
 *       spread 0.5 per component), seed 42; the queries come from the same centres (seed 44). The
 *       same generator as the flat {@code SearchBenchmark}, whose 100 queries are the first 100
 *       here.
 *   <li>{@code minilm}: all-MiniLM-L6-v2 (384 dimensions) embeddings of real English sentences from
 *       the machine's manual pages ({@link ManPageCorpus}); the first {@code queries} sentences are
 *       the queries, the next {@code n} the points.
 * </ul>
 */
final class AnnData {
  static final int K = 10;

  private final String name;
  private final int n;
  private final int dim;
  private final Path points;
  private final float[][] queries;
  private final int[][] truth;

  private AnnData(String name, int n, int dim, Path points, float[][] queries, int[][] truth) {
    this.name = name;
    this.n = n;
    this.dim = dim;
    this.points = points;
    this.queries = queries;
    this.truth = truth;
  }

  String name() {
    return name;
  }

  int n() {
    return n;
  }

  int dim() {
    return dim;
  }

  float[][] queries() {
    return queries;
  }

  int[][] truth() {
    return truth;
  }

  /** A short identity for file names: {@code clustered-d384-n100000-q1000}. */
  String key() {
    return name + "-d" + dim + "-n" + n + "-q" + queries.length;
  }

  /** The points, to be read in ranges; close it after use. */
  MatrixFile.Floats openPoints() {
    MatrixFile.Floats f = MatrixFile.openFloats(points);
    if (f == null) {
      throw new IllegalStateException("the dataset file disappeared: " + points);
    }
    return f;
  }

  /** Loads (building and caching on first use) {@code dataset} with {@code n} points. */
  static AnnData load(String dataset, int n, int dim, int queries) {
    return switch (dataset) {
      case "clustered" -> clustered(n, dim, queries);
      case "minilm" -> minilm(n, queries);
      default -> throw new IllegalArgumentException("dataset: clustered or minilm, not " + dataset);
    };
  }

  private static AnnData clustered(int n, int dim, int q) {
    Path dir = Settings.cacheDir().resolve("data");
    String base = "clustered-seed42-d" + dim + "-n" + n;
    Path points = dir.resolve(base + ".points");
    Path queryFile = dir.resolve(base + "-q" + q + ".queries");
    int clusters = Math.max(1, n / 100);
    float[][] centres = null;
    if (MatrixFile.floatsHeader(points) == null) {
      centres = centres(clusters, dim);
      log("generating " + points);
      Random r = new Random(43);
      float[][] c = centres;
      MatrixFile.writeFloats(points, n, dim, (i, out) -> around(c, r, out));
    }
    float[][] qs = MatrixFile.readFloats(queryFile);
    if (qs == null) {
      float[][] c = centres != null ? centres : centres(clusters, dim);
      Random r = new Random(44);
      qs = new float[q][dim];
      for (float[] v : qs) {
        around(c, r, v);
      }
      MatrixFile.writeFloats(queryFile, qs);
    }
    return withTruth("clustered", n, dim, points, qs, dir.resolve(base + "-q" + q + ".truth"));
  }

  private static float[][] centres(int clusters, int dim) {
    Random r = new Random(42);
    float[][] centres = new float[clusters][dim];
    for (float[] c : centres) {
      for (int i = 0; i < dim; i++) {
        c[i] = (float) r.nextGaussian();
      }
    }
    return centres;
  }

  private static void around(float[][] centres, Random r, float[] out) {
    float[] c = centres[r.nextInt(centres.length)];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (c[i] + 0.5 * r.nextGaussian());
    }
    normalise(out);
  }

  static float[] normalise(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    float inv = (float) (1 / Math.sqrt(s));
    for (int i = 0; i < v.length; i++) {
      v[i] *= inv;
    }
    return v;
  }

  private static AnnData minilm(int n, int q) {
    Path dir = Settings.cacheDir().resolve("data");
    String base = "minilm-l6-v2-man" + ManPageCorpus.VERSION + "-q" + q + "-n" + n;
    Path points = dir.resolve(base + ".points");
    Path queryFile = dir.resolve(base + ".queries");
    float[][] qs = MatrixFile.readFloats(queryFile);
    if (qs == null || MatrixFile.floatsHeader(points) == null) {
      List<String> text = sentences(dir, q + n);
      EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();
      qs = embed(model, text.subList(0, q));
      List<String> body = text.subList(q, q + n);
      MatrixFile.writeFloats(points, embed(model, body));
      MatrixFile.writeFloats(queryFile, qs);
    }
    return withTruth("minilm", n, 384, points, qs, dir.resolve(base + ".truth"));
  }

  /** The first {@code count} manual-page sentences, cached as a text file (one a line). */
  private static List<String> sentences(Path dir, int count) {
    Path file = dir.resolve("man-sentences" + ManPageCorpus.VERSION + "-" + count + ".txt");
    try {
      if (Files.isRegularFile(file)) {
        List<String> cached = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (cached.size() == count) {
          return cached;
        }
      }
      log("extracting " + count + " sentences from " + ManPageCorpus.DEFAULT_ROOT);
      List<String> s = ManPageCorpus.sentences(ManPageCorpus.DEFAULT_ROOT, count);
      if (s.size() < count) {
        throw new IllegalStateException(
            "the manual pages under "
                + ManPageCorpus.DEFAULT_ROOT
                + " hold "
                + s.size()
                + " usable sentences, fewer than the "
                + count
                + " asked for");
      }
      Files.createDirectories(dir);
      Files.write(file, s, StandardCharsets.UTF_8);
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot cache the sentences in " + file, e);
    }
  }

  private static float[][] embed(EmbeddingModel model, List<String> text) {
    float[][] out = new float[text.size()][];
    int batch = 1024;
    long start = System.nanoTime();
    for (int from = 0; from < text.size(); from += batch) {
      List<TextSegment> segments = new ArrayList<>();
      for (String s : text.subList(from, Math.min(text.size(), from + batch))) {
        segments.add(TextSegment.from(s));
      }
      List<Embedding> e = model.embedAll(segments).content();
      for (int j = 0; j < e.size(); j++) {
        out[from + j] = normalise(e.get(j).vector());
      }
      if (text.size() > 10 * batch && (from / batch) % 10 == 9) {
        double s = (System.nanoTime() - start) / 1e9;
        log(String.format("embedded %d/%d sentences in %.0f s", from + e.size(), text.size(), s));
      }
    }
    return out;
  }

  private static AnnData withTruth(
      String name, int n, int dim, Path points, float[][] queries, Path truthFile) {
    int[][] truth = MatrixFile.readInts(truthFile);
    if (truth == null || truth.length != queries.length) {
      log("computing the exact top-" + K + " of " + queries.length + " queries over " + n);
      try (MatrixFile.Floats p = MatrixFile.openFloats(points)) {
        if (p == null) {
          throw new IllegalStateException("missing " + points);
        }
        truth = GroundTruth.compute(p, queries, K);
      }
      MatrixFile.writeInts(truthFile, truth);
    }
    return new AnnData(name, n, dim, points, queries, truth);
  }

  static void log(String message) {
    System.err.println("# ann: " + message);
  }
}
