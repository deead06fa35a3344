package dev.vectorcache.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Surefire runs the module's tests twice, with and without {@code --add-modules
 * jdk.incubator.vector}, and passes the kernels each run must get as {@code
 * vectorcache.expectedKernels}.
 */
class KernelSelectionTest {
  @Test
  void theExpectedKernelsAreActive() {
    boolean modulepresent = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    boolean forcedOff = "false".equalsIgnoreCase(System.getProperty("vectorcache.simd", "true"));
    String expected = System.getProperty("vectorcache.expectedKernels");
    if (expected == null) {
      // run outside the build (an IDE): derive the expectation from the JVM
      expected = modulepresent && !forcedOff ? "panama" : "scalar";
    }
    if (expected.equals("panama") && Runtime.version().feature() >= 20) {
      expected = "panama-heap"; // no ByteBuffer loads in the incubator API after JDK 19
    }
    assertThat(Kernels.active().name()).isEqualTo(expected);
    assertThat(new InMemoryVectorStore().ping().details()).containsEntry("kernels", expected);
  }

  @Test
  void theScalarRunHasNoIncubatorModule() {
    if ("scalar".equals(System.getProperty("vectorcache.expectedKernels"))
        && !"false".equalsIgnoreCase(System.getProperty("vectorcache.simd"))) {
      assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).isEmpty();
    }
    if ("panama".equals(System.getProperty("vectorcache.expectedKernels"))) {
      assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).isPresent();
    }
    assertThat(Kernels.active().name()).isIn("panama", "panama-heap", "scalar");
  }
}
