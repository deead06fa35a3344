package dev.vectorcache.benchmarks.ann;

import io.github.jbellis.jvector.disk.ReaderSupplier;
import io.github.jbellis.jvector.disk.ReaderSupplierFactory;
import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.ImmutableGraphIndex;
import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.RandomAccessVectorValues;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.disk.OnDiskGraphIndex;
import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.util.Bits;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/**
 * jvector ({@code io.github.jbellis:jvector}): a hierarchical graph of max degree {@code 2 × M}
 * (the level-0 degree of an HNSW graph with the same {@code M}), construction beam {@code
 * ef_construct}, built on {@code threads} threads and saved as an {@link OnDiskGraphIndex} with the
 * vectors inline; searches read that file memory-mapped, scoring exactly (Dot product: the vectors
 * are unit length). The search breadth is jvector's {@code rerankK}, the number of candidates the
 * beam keeps. On JDK 17 jvector runs its scalar (non-Panama) vector code.
 */
final class JVectorIndex implements AnnIndex {
  private static final VectorTypeSupport VTS =
      VectorizationProvider.getInstance().getVectorTypeSupport();
  private static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.DOT_PRODUCT;

  private final Path dir;
  private final ReaderSupplier readers;
  private final OnDiskGraphIndex graph;
  private final ThreadLocal<GraphSearcher> searchers;
  private final Map<String, Object> figures = new LinkedHashMap<>();

  private JVectorIndex(Path dir, Path file, Map<String, Object> build) throws IOException {
    this.dir = dir;
    readers = ReaderSupplierFactory.open(file);
    graph = OnDiskGraphIndex.load(readers);
    searchers = ThreadLocal.withInitial(() -> new GraphSearcher(graph));
    figures.putAll(build);
    figures.put("vectorization", VectorizationProvider.getInstance().getClass().getSimpleName());
    figures.put("graphRamBytes", graph.ramBytesUsed());
    figures.put("averageDegree", graph.getAverageDegree(0));
  }

  /** Opens the saved graph of {@code data}, building and saving it first if there is none. */
  static JVectorIndex open(AnnData data, int m, int efConstruct, int threads) {
    // one build per JDK: jvector builds with Panama code from JDK 20 on, scalar code before
    Built built =
        Built.of("jvector-jdk" + Runtime.version().feature(), "m" + m + "-ef" + efConstruct, data);
    Map<String, Object> info = built.info();
    Path file = built.dir().resolve("graph.jv");
    try {
      if (info == null) {
        info = build(data, m, efConstruct, threads, built, file);
      }
      return new JVectorIndex(built.dir(), file, info);
    } catch (IOException e) {
      throw new UncheckedIOException("jvector index in " + built.dir(), e);
    }
  }

  private static Map<String, Object> build(
      AnnData data, int m, int efConstruct, int threads, Built built, Path file)
      throws IOException {
    built.start();
    AnnData.log("building jvector over " + data.key());
    List<VectorFloat<?>> vectors = new ArrayList<>(data.n());
    long start = System.nanoTime();
    try (MatrixFile.Floats points = data.openPoints()) {
      for (int from = 0; from < data.n(); from += 10_000) {
        for (float[] v : points.read(from, Math.min(10_000, data.n() - from))) {
          vectors.add(VTS.createFloatVector(v));
        }
      }
    }
    RandomAccessVectorValues ravv = new ListRandomAccessVectorValues(vectors, data.dim());
    BuildScoreProvider bsp = BuildScoreProvider.randomAccessScoreProvider(ravv, SIMILARITY);
    ForkJoinPool pool = new ForkJoinPool(threads);
    try (GraphIndexBuilder builder =
        GraphIndexBuilder.builder(bsp, data.dim(), 2 * m)
            .withBeamWidth(efConstruct)
            .withNeighborOverflow(1.2f)
            .withAlpha(1.2f)
            .withSimdExecutor(pool)
            .withParallelExecutor(pool)
            .build()) {
      ImmutableGraphIndex g = builder.build(ravv);
      OnDiskGraphIndex.write(g, ravv, file);
    } finally {
      pool.shutdown();
    }
    return built.finish(data.n(), threads, System.nanoTime() - start);
  }

  @Override
  public int[] search(float[] query, int k, int breadth) {
    GraphSearcher searcher = searchers.get();
    RandomAccessVectorValues view = (RandomAccessVectorValues) searcher.getView();
    DefaultSearchScoreProvider ssp =
        DefaultSearchScoreProvider.exact(VTS.createFloatVector(query), SIMILARITY, view);
    SearchResult r = searcher.search(ssp, k, Math.max(k, breadth), 0f, 0f, Bits.ALL);
    SearchResult.NodeScore[] nodes = r.getNodes();
    int[] ids = new int[nodes.length];
    for (int i = 0; i < nodes.length; i++) {
      ids[i] = nodes[i].node;
    }
    return ids;
  }

  @Override
  public Path dir() {
    return dir;
  }

  @Override
  public Map<String, Object> figures() {
    return figures;
  }

  @Override
  public void close() {
    try {
      graph.close();
      readers.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
