package dev.vectorcache.inmemory;

import dev.vectorcache.core.filter.Filter;
import dev.vectorcache.core.id.PointId;
import dev.vectorcache.core.model.PointStruct;
import dev.vectorcache.core.model.ScoredPoint;
import dev.vectorcache.core.model.SearchParams;
import dev.vectorcache.core.model.SearchRequest;
import dev.vectorcache.core.port.VectorStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.IntPredicate;
import org.jspecify.annotations.Nullable;

/**
 * Seeded vector sets for recall tests, their exact (brute-force) nearest neighbours under Cosine,
 * and recall@k of a store's answers against them. Point {@code i} has id {@code i} and the payload
 * {@code {"bucket": i % 1000}}, so {@code bucket < 900} keeps 90 % of the points, {@code bucket <
 * 100} 10 % and {@code bucket == 7} 0.1 %.
 */
final class VectorSets {
  static final String BUCKET = "bucket";

  final float[][] points;
  final float[][] queries;

  private VectorSets(float[][] points, float[][] queries) {
    this.points = points;
    this.queries = queries;
  }

  /** Gaussian vectors: every direction alike, the hard case for a graph. */
  static VectorSets random(long seed, int n, int queries, int dim) {
    float[][] all = gaussian(new Random(seed), n + queries, dim);
    return new VectorSets(Arrays.copyOf(all, n), Arrays.copyOfRange(all, n, n + queries));
  }

  /** Points around {@code clusters} Gaussian centres; queries drawn the same way. */
  static VectorSets clustered(long seed, int n, int queries, int dim, int clusters, double spread) {
    Random r = new Random(seed);
    float[][] centres = gaussian(r, clusters, dim);
    float[][] all = new float[n + queries][dim];
    for (float[] v : all) {
      float[] c = centres[r.nextInt(clusters)];
      for (int i = 0; i < dim; i++) {
        v[i] = (float) (c[i] + spread * r.nextGaussian());
      }
    }
    return new VectorSets(Arrays.copyOf(all, n), Arrays.copyOfRange(all, n, n + queries));
  }

  private static float[][] gaussian(Random r, int n, int dim) {
    float[][] out = new float[n][dim];
    for (float[] v : out) {
      for (int i = 0; i < dim; i++) {
        v[i] = (float) r.nextGaussian();
      }
    }
    return out;
  }

  static long bucket(int i) {
    return i % 1000;
  }

  PointStruct point(int i) {
    return new PointStruct(PointId.of(i), points[i], Map.of(BUCKET, bucket(i)));
  }

  /** Upserts points {@code [from, to)} in batches of 2,000. */
  void load(VectorStore store, String collection, int from, int to) {
    List<PointStruct> batch = new ArrayList<>();
    for (int i = from; i < to; i++) {
      batch.add(point(i));
      if (batch.size() == 2_000) {
        store.upsert(collection, batch);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      store.upsert(collection, batch);
    }
  }

  /** The ids of the exact {@code k} nearest points (Cosine) among those {@code keep} admits. */
  List<Set<PointId>> truth(int k, IntPredicate keep) {
    float[][] unit = normalised(points);
    List<Set<PointId>> out = new ArrayList<>(queries.length);
    for (float[] q0 : queries) {
      float[] q = normalised(new float[][] {q0})[0];
      int[] best = new int[k];
      float[] score = new float[k];
      Arrays.fill(best, -1);
      Arrays.fill(score, Float.NEGATIVE_INFINITY);
      for (int i = 0; i < unit.length; i++) {
        if (!keep.test(i)) {
          continue;
        }
        float s = 0;
        for (int d = 0; d < q.length; d++) {
          s += q[d] * unit[i][d];
        }
        int worst = 0;
        for (int j = 1; j < k; j++) {
          if (score[j] < score[worst]) {
            worst = j;
          }
        }
        if (s > score[worst]) {
          score[worst] = s;
          best[worst] = i;
        }
      }
      Set<PointId> ids = new HashSet<>();
      for (int b : best) {
        if (b >= 0) {
          ids.add(PointId.of(b));
        }
      }
      out.add(ids);
    }
    return out;
  }

  private static float[][] normalised(float[][] vs) {
    float[][] out = new float[vs.length][];
    for (int i = 0; i < vs.length; i++) {
      double n = 0;
      for (float x : vs[i]) {
        n += (double) x * x;
      }
      float inv = (float) (1 / Math.sqrt(n));
      out[i] = new float[vs[i].length];
      for (int d = 0; d < vs[i].length; d++) {
        out[i][d] = vs[i][d] * inv;
      }
    }
    return out;
  }

  /** The answers of {@code store} for every query. */
  List<List<ScoredPoint>> answers(
      VectorStore store, String collection, int k, @Nullable Filter filter, SearchParams params) {
    List<List<ScoredPoint>> out = new ArrayList<>(queries.length);
    for (float[] q : queries) {
      out.add(
          store.search(
              collection, SearchRequest.builder(q, k).filter(filter).params(params).build()));
    }
    return out;
  }

  /** The share of true neighbours among the answers. */
  static double recall(List<List<ScoredPoint>> answers, List<Set<PointId>> truth) {
    long found = 0;
    long wanted = 0;
    for (int i = 0; i < truth.size(); i++) {
      wanted += truth.get(i).size();
      for (ScoredPoint p : answers.get(i)) {
        if (truth.get(i).contains(p.id())) {
          found++;
        }
      }
    }
    return wanted == 0 ? 1.0 : (double) found / wanted;
  }
}
