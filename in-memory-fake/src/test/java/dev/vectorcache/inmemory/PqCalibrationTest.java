package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The measured default oversampling follows the collection's size after the measurement. */
class PqCalibrationTest {
  @Test
  void theSameMeasurementAsksForMoreCandidatesAsTheCollectionGrows() {
    double[] fractions = new double[100];
    Arrays.fill(fractions, 0.001); // every true neighbour ranked at 0.1% of the collection
    PqCalibration.Result r = new PqCalibration.Result(fractions, 4);
    assertThat(r.oversamplingAt(10_000)).isEqualTo(4.0); // rank 10: the floor
    assertThat(r.oversamplingAt(60_000)).isEqualTo(6.0); // rank 60: 6 × 10 candidates
    assertThat(r.oversamplingAt(100_000)).isEqualTo(10.0); // rank 100
    assertThat(r.oversamplingAt(1_000_000)).isEqualTo(64.0); // beyond the ladder: its top
  }

  @Test
  void twoPercentOfTheNeighboursMayFallBeyondTheCandidates() {
    double[] fractions = new double[100];
    Arrays.fill(fractions, 0.0001);
    fractions[0] = 0.5;
    fractions[1] = 0.5;
    PqCalibration.Result r = new PqCalibration.Result(fractions, 4);
    assertThat(r.oversamplingAt(100_000)).isEqualTo(4.0); // 98 of 100 within rank 10
    fractions[2] = 0.5;
    assertThat(new PqCalibration.Result(fractions, 4).oversamplingAt(100_000)).isEqualTo(64.0);
  }

  @Test
  void withoutAMeasurementTheFloorHolds() {
    assertThat(PqCalibration.Result.floor(4).oversamplingAt(1_000_000)).isEqualTo(4.0);
  }
}
