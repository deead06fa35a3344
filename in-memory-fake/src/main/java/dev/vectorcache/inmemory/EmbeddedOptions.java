package dev.vectorcache.inmemory;

import dev.vectorcache.spi.AdapterOptions;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Settings of the embedded in-process vector store (adapter {@code memory}), passed with {@code
 * VectorStoreConfig.builder().adapterOptions(EmbeddedOptions.builder()...build())}. Immutable;
 * change with {@link #mutate()}.
 */
public final class EmbeddedOptions implements AdapterOptions {
  /** The adapter these options are for. */
  public static final String ADAPTER = "memory";

  private final @Nullable Path mmapDirectory;

  private EmbeddedOptions(Builder b) {
    this.mmapDirectory = b.mmapDirectory;
  }

  /** A builder with every default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these values. */
  public Builder mutate() {
    Builder b = new Builder();
    b.mmapDirectory = mmapDirectory;
    return b;
  }

  @Override
  public String adapter() {
    return ADAPTER;
  }

  /**
   * The directory for memory-mapped vector files of {@code MMAP}/{@code ON_DISK} collections, if
   * set; otherwise a temporary directory.
   */
  public Optional<Path> mmapDirectory() {
    return Optional.ofNullable(mmapDirectory);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof EmbeddedOptions e && Objects.equals(mmapDirectory, e.mmapDirectory);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(mmapDirectory);
  }

  @Override
  public String toString() {
    return "EmbeddedOptions[mmapDirectory=" + mmapDirectory + "]";
  }

  /** Builder for {@link EmbeddedOptions}. */
  public static final class Builder {
    private @Nullable Path mmapDirectory;

    private Builder() {}

    /**
     * The directory for memory-mapped vector files of a private store ({@code memory:}); a shared
     * store ({@code memory:NAME}) refuses it, since its first opener already chose. Default: a
     * temporary directory, created on first use and deleted on close.
     */
    public Builder mmapDirectory(Path directory) {
      this.mmapDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /** The options. */
    public EmbeddedOptions build() {
      return new EmbeddedOptions(this);
    }
  }
}
