package dev.vectorcache.core;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.core.model.CollectionConfig;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What {@link VectorCache#migrate} migrates to: the new model's id, the new collection's settings
 * (dimension, distance, memory settings), the {@link Reembedder} that computes the new vectors, the
 * backfill's batch size and an optional progress listener. Immutable; every setter of the builder
 * checks its value at once, naming the field.
 *
 * <pre>{@code
 * MigrationPlan plan = MigrationPlan.builder("text-embedding-3-small",
 *         CollectionConfig.memoryOptimized(1536, Distance.COSINE),
 *         (entry, previous) -> newModel.embed((String) entry.metadata().get("text")))
 *     .batchSize(256)
 *     .progressListener(p -> log.info("copied {}", p.copied()))
 *     .build();
 * }</pre>
 */
public final class MigrationPlan {
  /** Entries read, re-embedded and written per backfill batch unless set: 256. */
  public static final int DEFAULT_BATCH_SIZE = 256;

  /** Largest batch size: 10,000. */
  public static final int MAX_BATCH_SIZE = 10_000;

  /** Longest model id, in characters: 200. */
  public static final int MAX_MODEL_ID_LENGTH = 200;

  private final String modelId;
  private final CollectionConfig collectionConfig;
  private final Reembedder reembedder;
  private final int batchSize;
  private final @Nullable Consumer<MigrationProgress> progressListener;

  private MigrationPlan(Builder b) {
    this.modelId = b.modelId;
    this.collectionConfig = b.collectionConfig;
    this.reembedder = b.reembedder;
    this.batchSize = b.batchSize;
    this.progressListener = b.progressListener;
  }

  /**
   * A builder with the three required parts.
   *
   * @param modelId the new model's id, 1 to {@value #MAX_MODEL_ID_LENGTH} characters, not blank
   * @param collectionConfig the new collection's settings
   * @param reembedder computes an entry's vector under the new model
   * @return the builder
   * @throws InvalidInputException naming {@code modelId}, {@code collectionConfig} or {@code
   *     reembedder} when one is missing or bad
   */
  public static Builder builder(
      String modelId, CollectionConfig collectionConfig, Reembedder reembedder) {
    return new Builder(modelId, collectionConfig, reembedder);
  }

  /** The new model's id, recorded in every entry of the new collection. */
  public String modelId() {
    return modelId;
  }

  /** The new collection's settings. */
  public CollectionConfig collectionConfig() {
    return collectionConfig;
  }

  /** The function that computes the new vectors. */
  public Reembedder reembedder() {
    return reembedder;
  }

  /** Entries per backfill batch; the state is checkpointed after each. */
  public int batchSize() {
    return batchSize;
  }

  /** The listener called after each checkpoint, or {@code null}. */
  public @Nullable Consumer<MigrationProgress> progressListener() {
    return progressListener;
  }

  @Override
  public String toString() {
    return "MigrationPlan[modelId="
        + modelId
        + ", dimension="
        + collectionConfig.dimension()
        + ", distance="
        + collectionConfig.distance()
        + ", batchSize="
        + batchSize
        + "]";
  }

  /** Builder for {@link MigrationPlan}. */
  public static final class Builder {
    private final String modelId;
    private final CollectionConfig collectionConfig;
    private final Reembedder reembedder;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private @Nullable Consumer<MigrationProgress> progressListener;

    private Builder(String modelId, CollectionConfig collectionConfig, Reembedder reembedder) {
      this.modelId = checkModelId(modelId, "modelId");
      if (collectionConfig == null) {
        throw new InvalidInputException(
            "collectionConfig", "the new collection's settings (CollectionConfig)", null);
      }
      if (reembedder == null) {
        throw new InvalidInputException(
            "reembedder", "a function computing an entry's vector with the new model", null);
      }
      this.collectionConfig = collectionConfig;
      this.reembedder = reembedder;
    }

    /**
     * Entries per backfill batch.
     *
     * @param batchSize from 1 to {@value #MAX_BATCH_SIZE}; default {@value #DEFAULT_BATCH_SIZE}
     * @return this builder
     */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
        throw new InvalidInputException("batchSize", "from 1 to " + MAX_BATCH_SIZE, batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /**
     * A listener called on the migrating thread after each checkpoint.
     *
     * @param listener the listener, or {@code null} for none
     * @return this builder
     */
    public Builder progressListener(@Nullable Consumer<MigrationProgress> listener) {
      this.progressListener = listener;
      return this;
    }

    /**
     * The plan.
     *
     * @return the plan
     */
    public MigrationPlan build() {
      return new MigrationPlan(this);
    }
  }

  /** Checks a model id: present, not blank, at most {@value #MAX_MODEL_ID_LENGTH} characters. */
  static String checkModelId(@Nullable String modelId, String field) {
    if (modelId == null || modelId.isBlank() || modelId.length() > MAX_MODEL_ID_LENGTH) {
      throw new InvalidInputException(
          field, "1 to " + MAX_MODEL_ID_LENGTH + " characters, not blank", modelId);
    }
    return modelId;
  }
}
