package dev.vectorcache.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the machine can stream: a SIMD sum over a float array as large as the float32 vectors of
 * {@link SearchBenchmark} ({@code n × dim × 4} bytes, far beyond the caches), four accumulators so
 * the adds never limit it. One op reads the whole array once, so GB/s = ops/s × {@code bytes}; the
 * report divides the float scan's bytes per second by this to state scan speed as a fraction of
 * streamable bandwidth. Each thread streams its own array: two threads reading one array in near
 * lockstep share cache lines and overstate what DRAM delivers (a first run showed 106 GB/s).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar MemoryBandwidthBenchmark \
 *   -rf json -rff benchmarks/results/bandwidth.json
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@State(Scope.Thread)
public class MemoryBandwidthBenchmark {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

  @Param({"100000"})
  public int n;

  @Param({"384"})
  public int dim;

  float[] data;

  @Setup(Level.Trial)
  public void setUp() {
    data = new float[Math.multiplyExact(n, dim)];
    Random r = new Random(1);
    for (int i = 0; i < data.length; i++) {
      data[i] = r.nextFloat();
    }
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("n", n);
    params.put("dim", dim);
    Map<String, Object> fig = new LinkedHashMap<>();
    fig.put("bytesPerOp", 4.0 * data.length);
    SideReport.write("MemoryBandwidthBenchmark", params, fig);
  }

  static float streamSum(float[] a) {
    int step = F.length();
    FloatVector s0 = FloatVector.zero(F);
    FloatVector s1 = FloatVector.zero(F);
    FloatVector s2 = FloatVector.zero(F);
    FloatVector s3 = FloatVector.zero(F);
    int i = 0;
    for (int bound = a.length - 4 * step; i <= bound; i += 4 * step) {
      s0 = s0.add(FloatVector.fromArray(F, a, i));
      s1 = s1.add(FloatVector.fromArray(F, a, i + step));
      s2 = s2.add(FloatVector.fromArray(F, a, i + 2 * step));
      s3 = s3.add(FloatVector.fromArray(F, a, i + 3 * step));
    }
    float s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
    for (; i < a.length; i++) {
      s += a[i];
    }
    return s;
  }

  @Benchmark
  @Threads(1)
  public float streamSum1Thread() {
    return streamSum(data);
  }

  @Benchmark
  @Threads(2)
  public float streamSum2Threads() {
    return streamSum(data);
  }
}
