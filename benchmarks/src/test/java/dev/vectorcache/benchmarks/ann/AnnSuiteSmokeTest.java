package dev.vectorcache.benchmarks.ann;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the whole ANN suite once at tiny sizes, in process (CI): every engine configuration, both
 * peers, both datasets (the MiniLM one embedded from real manual-page sentences), the report and
 * the charts; then again, to check that measured groups are skipped. It asserts on recall and on
 * the shape of the results, never on a speed.
 */
class AnnSuiteSmokeTest {
  private static final Path CACHE = Path.of("target", "ann-cache");
  private static final Path RESULTS = Path.of("target", "ann-results");

  @BeforeAll
  static void dirs() {
    System.setProperty("vectorcache.bench.cache", CACHE.toAbsolutePath().toString());
    Built.delete(RESULTS);
  }

  @Test
  void everyGroupRunsAndAResumedRunSkipsThem() throws Exception {
    List<Group> plan = AnnSuite.plan("smoke");
    AnnSuite.run(plan, true, AnnGroup.Timing.SMOKE, RESULTS);
    String report = AnnReport.write(RESULTS);

    Map<Path, FileTime> written = new HashMap<>();
    for (Group g : plan) {
      Path file = g.resultFile(RESULTS);
      assertThat(file).as("result of %s", g).exists();
      written.put(file, Files.getLastModifiedTime(file));
      Map<String, Object> result = Json.read(file);
      assertThat(result).isNotNull();
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> trials = (List<Map<String, Object>>) result.get("trials");
      // every breadth on 1 and 2 threads, each with a recall and a latency distribution
      assertThat(trials).hasSize(2 * g.breadths().size());
      for (Map<String, Object> t : trials) {
        assertThat(AnnReport.num(t, "recallAt10")).isBetween(0.0, 1.0);
        assertThat(AnnReport.num(t, "queriesPerSecond")).isPositive();
        assertThat(AnnReport.num(t, "p99Micros"))
            .isGreaterThanOrEqualTo(AnnReport.num(t, "p50Micros"));
      }
      double best =
          trials.stream().mapToDouble(t -> AnnReport.num(t, "recallAt10")).max().orElse(0);
      if (g.config().startsWith("flat-f32")) {
        assertThat(best).as("exact scan of %s", g).isGreaterThanOrEqualTo(0.99);
      } else {
        assertThat(best).as("best recall of %s", g).isGreaterThanOrEqualTo(0.8);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> index = (Map<String, Object>) result.get("index");
      assertThat(AnnReport.num(index, "vectorsPerSecond")).as("build rate of %s", g).isPositive();
      assertThat(index).containsKey("heapBytesPerVector");
    }
    assertThat(report)
        .contains("engine hnsw-int8-mmap-graphdisk", "engine flat-bin-heap", "jvector", "lucene")
        .contains("queries/s at recall@10");
    for (String png :
        List.of(
            "growth.png", "recall-qps-clustered-d32-n300.png", "recall-qps-minilm-d384-n300.png")) {
      BufferedImage img = ImageIO.read(RESULTS.resolve(png).toFile());
      assertThat(img).as(png).isNotNull();
      assertThat(img.getWidth()).isGreaterThan(100);
    }

    AnnSuite.run(plan, true, AnnGroup.Timing.SMOKE, RESULTS);
    for (Map.Entry<Path, FileTime> e : written.entrySet()) {
      assertThat(Files.getLastModifiedTime(e.getKey()))
          .as("%s", e.getKey())
          .isEqualTo(e.getValue());
    }
  }

  @Test
  void theMiniLmSetIsRealSentencesEmbeddedOnce() throws Exception {
    AnnData data = AnnData.load("minilm", 300, 0, 10);
    assertThat(data.dim()).isEqualTo(384);
    Path sentences = CACHE.resolve("data").resolve("man-sentences1-310.txt");
    List<String> text = Files.readAllLines(sentences);
    assertThat(text).hasSize(310).doesNotHaveDuplicates().allMatch(ManPageCorpus::isProse);
    float[][] q = data.queries();
    double norm = 0;
    for (float x : q[0]) {
      norm += x * x;
    }
    assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    // the cached ground truth is the exact top 10, nearest first
    try (MatrixFile.Floats points = data.openPoints()) {
      float[][] all = points.readAll();
      int[] top = data.truth()[0];
      assertThat(top).hasSize(AnnData.K).doesNotHaveDuplicates();
      for (int i = 1; i < top.length; i++) {
        assertThat(GroundTruth.dot(q[0], all[top[i - 1]]))
            .isGreaterThanOrEqualTo(GroundTruth.dot(q[0], all[top[i]]));
      }
      float worst = GroundTruth.dot(q[0], all[top[AnnData.K - 1]]);
      for (int p = 0; p < all.length; p++) {
        if (!contains(top, p)) {
          assertThat(GroundTruth.dot(q[0], all[p])).isLessThanOrEqualTo(worst);
        }
      }
    }
  }

  private static boolean contains(int[] a, int v) {
    for (int x : a) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }

  @Test
  void troffIsReducedToProseSentences() {
    String page =
        """
        .TH LS 1
        .SH NAME
        ls \\- list directory contents
        .SH DESCRIPTION
        List information about the FILEs (the current directory by default).
        Sort entries alphabetically if none of
        .B \\-cftuvSUX
        nor
        .BR \\-\\-sort " is specified."
        .PP
        Mandatory arguments to long options are mandatory for short options too.
        .TP
        \\fB\\-a\\fR, \\fB\\-\\-all\\fR
        """;
    assertThat(ManPageCorpus.sentencesOf(page))
        .containsExactly(
            "List information about the FILEs (the current directory by default).",
            "Sort entries alphabetically if none of -cftuvSUX nor --sort is specified.",
            "Mandatory arguments to long options are mandatory for short options too.");
  }

  @Test
  void recallCountsTheTrueNeighboursFound() {
    int[][] truth = {{1, 2, 3}, {4, 5, 6}};
    assertThat(GroundTruth.recall(truth, new int[][] {{3, 2, 1}, {4, 9, 8}}, 3)).isEqualTo(4 / 6.0);
    GroundTruth.TopK top = new GroundTruth.TopK(2);
    top.offer(7, 0.5f);
    top.offer(8, 0.9f);
    top.offer(9, 0.1f);
    assertThat(top.ids()).containsExactly(8, 7);
  }

  @Test
  void engineConfigurationNamesAreChecked() {
    assertThat(
            EngineIndex.collectionConfig("hnsw-int8-mmap-graphdisk", 8, 16, 100, 2, null)
                .hnsw()
                .onDisk())
        .isTrue();
    assertThatThrownBy(() -> EngineIndex.collectionConfig("hnsw-int8-mmap", 8, 16, 100, 2, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hnsw-QUANT-VECTORS-GRAPH");
    assertThatThrownBy(() -> EngineIndex.collectionConfig("flat-int4-heap", 8, 16, 100, 2, null))
        .hasMessageContaining("int4");
    assertThatThrownBy(() -> AnnSuite.plan("10m")).hasMessageContaining("10m");
  }
}
