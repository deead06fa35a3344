package dev.vectorcache.benchmarks.ann;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * Lucene's HNSW ({@code Lucene99HnswVectorsFormat}, {@code maxConn = M}, {@code beamWidth =
 * ef_construct}), float32 vectors, Dot product (the vectors are unit length). Built on {@code
 * threads} indexing threads into one segment per thread, then force-merged into one graph with
 * {@code threads} merge workers; searched through an {@code MMapDirectory} with one {@link
 * IndexSearcher} and no executor (one query per thread). The search breadth is the query's {@code
 * k}: Lucene searches with {@code ef = k} and the top 10 are kept.
 */
final class LuceneIndex implements AnnIndex {
  private static final String FIELD = "v";
  private static final String ID = "id";

  private final Path dir;
  private final Directory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final int[] ids; // Lucene doc -> dataset id
  private final Map<String, Object> figures = new LinkedHashMap<>();

  private LuceneIndex(Path dir, Map<String, Object> build) throws IOException {
    this.dir = dir;
    directory = FSDirectory.open(dir);
    reader = DirectoryReader.open(directory);
    searcher = new IndexSearcher(reader);
    searcher.setQueryCache(null);
    ids = new int[reader.maxDoc()];
    for (var leaf : reader.leaves()) {
      LeafReader r = leaf.reader();
      NumericDocValues v = r.getNumericDocValues(ID);
      if (v == null) {
        throw new IllegalStateException("no id doc values in " + dir);
      }
      for (int d = v.nextDoc(); d != NumericDocValues.NO_MORE_DOCS; d = v.nextDoc()) {
        ids[leaf.docBase + d] = (int) v.longValue();
      }
    }
    figures.putAll(build);
    figures.put("segments", reader.leaves().size());
    figures.put("directory", directory.getClass().getSimpleName());
  }

  static LuceneIndex open(AnnData data, int m, int efConstruct, int threads) {
    Built built =
        Built.of(
            "lucene" + org.apache.lucene.util.Version.LATEST, "m" + m + "-ef" + efConstruct, data);
    Map<String, Object> info = built.info();
    Path dir = built.dir().resolve("index");
    try {
      if (info == null) {
        info = build(data, m, efConstruct, threads, built, dir);
      }
      return new LuceneIndex(dir, info);
    } catch (IOException e) {
      throw new UncheckedIOException("Lucene index in " + dir, e);
    }
  }

  private static Map<String, Object> build(
      AnnData data, int m, int efConstruct, int threads, Built built, Path dir) throws IOException {
    built.start();
    AnnData.log("building Lucene over " + data.key());
    ExecutorService merges = Executors.newFixedThreadPool(threads);
    long start = System.nanoTime();
    try (Directory d = FSDirectory.open(dir);
        IndexWriter writer = new IndexWriter(d, config(m, efConstruct, threads, merges))) {
      Thread[] workers = new Thread[threads];
      RuntimeException[] failure = new RuntimeException[1];
      for (int t = 0; t < threads; t++) {
        int first = t;
        workers[t] =
            new Thread(
                () -> {
                  try {
                    add(writer, data, first, threads);
                  } catch (RuntimeException e) {
                    failure[0] = e;
                  }
                });
        workers[t].start();
      }
      for (Thread w : workers) {
        w.join();
      }
      if (failure[0] != null) {
        throw failure[0];
      }
      writer.forceMerge(1);
      writer.commit();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while building", e);
    } finally {
      merges.shutdown();
      try {
        merges.awaitTermination(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return built.finish(data.n(), threads, System.nanoTime() - start);
  }

  private static IndexWriterConfig config(
      int m, int efConstruct, int threads, ExecutorService merges) {
    KnnVectorsFormat hnsw = new Lucene99HnswVectorsFormat(m, efConstruct, threads, merges);
    Codec base = Codec.getDefault();
    // the default codec's name: an index it writes is read back by the default codec, whose
    // per-field format finds Lucene99HnswVectorsFormat by the name recorded with the field
    Codec codec =
        new FilterCodec(base.getName(), base) {
          @Override
          public KnnVectorsFormat knnVectorsFormat() {
            return new PerFieldKnnVectorsFormat() {
              @Override
              public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return hnsw;
              }
            };
          }
        };
    return new IndexWriterConfig()
        .setCodec(codec)
        .setRAMBufferSizeMB(1024)
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE);
  }

  /** Adds every {@code step}-th point from {@code first}, read in chunks. */
  private static void add(IndexWriter writer, AnnData data, int first, int step) {
    try (MatrixFile.Floats points = data.openPoints()) {
      int chunk = 4096;
      for (int from = 0; from < data.n(); from += chunk) {
        float[][] block = points.read(from, Math.min(chunk, data.n() - from));
        for (int i = 0; i < block.length; i++) {
          int id = from + i;
          if (id % step == first) {
            Document doc = new Document();
            doc.add(new KnnFloatVectorField(FIELD, block[i], VectorSimilarityFunction.DOT_PRODUCT));
            doc.add(new NumericDocValuesField(ID, id));
            writer.addDocument(doc);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public int[] search(float[] query, int k, int breadth) {
    try {
      TopDocs top = searcher.search(new KnnFloatVectorQuery(FIELD, query, Math.max(k, breadth)), k);
      ScoreDoc[] docs = top.scoreDocs;
      int[] out = new int[docs.length];
      for (int i = 0; i < docs.length; i++) {
        out[i] = ids[docs[i].doc];
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
      reader.close();
      directory.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
