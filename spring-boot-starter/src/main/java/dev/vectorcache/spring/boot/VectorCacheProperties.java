package dev.vectorcache.spring.boot;

import dev.vectorcache.core.model.Distance;
import dev.vectorcache.semantic.Eviction;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * The vectorcache.* properties: the two stores, the collection, the cache's TTLs, the semantic
 * cache, the Spring AI beans and the health checks. Every setting is honoured; a value out of range
 * fails start-up with a message naming the property, the expected and the found value. Secrets (the
 * API key, the passwords) never appear in {@link #toString()}. The defaults are the library's
 * ({@code VectorCacheBuilder}, {@code VectorStoreConfig}, {@code MetadataStoreConfig},
 * SemanticCacheBuilder), written out so that the IDE metadata shows them.
 */
@ConfigurationProperties("vectorcache")
public class VectorCacheProperties {
  /** Properties prefix. */
  public static final String PREFIX = "vectorcache";

  /** The vector store (Qdrant, or the embedded engine). */
  private final VectorStore vectorStore = new VectorStore();

  /** The metadata store (Redis, or the in-process store). */
  private final MetadataStore metadataStore = new MetadataStore();

  /** The collection the cache writes to. */
  private final Collection collection = new Collection();

  /** Time to live of an entry stored without one. */
  private Duration defaultTtl = Duration.ofHours(1);

  /** Largest time to live a store accepts. */
  private Duration maxTtl = Duration.ofDays(365);

  /** Interval of the background sweep of expired entries; unset: no background sweep. */
  private @Nullable Duration sweepInterval;

  /** Whether stores and deletes publish events on the metadata store. */
  private boolean publishEvents = true;

  /** How many write-backs (copies of payloads read after a metadata miss) may wait to be sent. */
  private int writeBackQueueCapacity = 10000;

  /**
   * How many hits' metadata to keep in this JVM, by key and version, so repeated hits are not read
   * again; 0: no near cache.
   */
  private int nearCacheEntries;

  /** The semantic cache of LLM answers, on a collection of its own. */
  private final SemanticCache semanticCache = new SemanticCache();

  /** The Spring AI beans: vector store, chat memory repository, semantic-cache advisor. */
  private final SpringAi springAi = new SpringAi();

  /** The health indicators of the two stores. */
  private final Health health = new Health();

  /** The vector store settings. */
  public VectorStore getVectorStore() {
    return vectorStore;
  }

  /** The metadata store settings. */
  public MetadataStore getMetadataStore() {
    return metadataStore;
  }

  /** The collection settings. */
  public Collection getCollection() {
    return collection;
  }

  /** Time to live of an entry stored without one. */
  public Duration getDefaultTtl() {
    return defaultTtl;
  }

  /** Sets the time to live of an entry stored without one. */
  public void setDefaultTtl(Duration defaultTtl) {
    this.defaultTtl = defaultTtl;
  }

  /** Largest time to live a store accepts. */
  public Duration getMaxTtl() {
    return maxTtl;
  }

  /** Sets the largest time to live a store accepts. */
  public void setMaxTtl(Duration maxTtl) {
    this.maxTtl = maxTtl;
  }

  /** Interval of the background sweep, or null for none. */
  public @Nullable Duration getSweepInterval() {
    return sweepInterval;
  }

  /** Sets the interval of the background sweep; null for none. */
  public void setSweepInterval(@Nullable Duration sweepInterval) {
    this.sweepInterval = sweepInterval;
  }

  /** Whether stores and deletes publish events. */
  public boolean isPublishEvents() {
    return publishEvents;
  }

  /** Sets whether stores and deletes publish events. */
  public void setPublishEvents(boolean publishEvents) {
    this.publishEvents = publishEvents;
  }

  /** How many write-backs may wait to be sent. */
  public int getWriteBackQueueCapacity() {
    return writeBackQueueCapacity;
  }

  /** Sets how many write-backs may wait to be sent. */
  public void setWriteBackQueueCapacity(int writeBackQueueCapacity) {
    this.writeBackQueueCapacity = writeBackQueueCapacity;
  }

  /** How many hits' metadata the near cache keeps; 0 for none. */
  public int getNearCacheEntries() {
    return nearCacheEntries;
  }

  /** Sets how many hits' metadata the near cache keeps; 0 for none. */
  public void setNearCacheEntries(int nearCacheEntries) {
    this.nearCacheEntries = nearCacheEntries;
  }

  /** The semantic cache settings. */
  public SemanticCache getSemanticCache() {
    return semanticCache;
  }

  /** The Spring AI settings. */
  public SpringAi getSpringAi() {
    return springAi;
  }

  /** The health indicator settings. */
  public Health getHealth() {
    return health;
  }

  @Override
  public String toString() {
    return "VectorCacheProperties[vectorStore="
        + vectorStore
        + ", metadataStore="
        + metadataStore
        + ", collection="
        + collection
        + ", defaultTtl="
        + defaultTtl
        + ", maxTtl="
        + maxTtl
        + ", sweepInterval="
        + sweepInterval
        + ", publishEvents="
        + publishEvents
        + ", writeBackQueueCapacity="
        + writeBackQueueCapacity
        + ", nearCacheEntries="
        + nearCacheEntries
        + ", semanticCache="
        + semanticCache
        + ", springAi="
        + springAi
        + ", health="
        + health
        + "]";
  }

  static String secret(@Nullable Object value) {
    return value == null ? "none" : "****";
  }

  /** The vector store: Qdrant over gRPC, or the embedded engine. */
  public static class VectorStore {
    /**
     * URL of the vector store: memory: (the embedded in-process engine, the default), memory:NAME
     * (an in-process store shared by name), memory:?path=DIR (the embedded engine kept durably in
     * DIR, with optional fsync=always|interval|never), grpc://host:6334, grpcs://host:6334 (TLS),
     * or Qdrant's REST address http(s)://host:6333 (mapped to the gRPC port).
     */
    private String url = "memory:";

    /**
     * The adapter to use by name (qdrant-grpc, memory); unset: the highest priority among the
     * adapters on the classpath for the URL's scheme.
     */
    private @Nullable String client;

    /** Qdrant API key. A secret: never logged or printed. */
    private @Nullable String apiKey;

    /** Deadline of every call to the vector store. */
    private Duration timeout = Duration.ofSeconds(10);

    /** TLS settings, used with grpcs:// and https:// URLs. */
    @NestedConfigurationProperty private final Tls tls = new Tls();

    /** The URL. */
    public String getUrl() {
      return url;
    }

    /** Sets the URL. */
    public void setUrl(String url) {
      this.url = url;
    }

    /** The adapter named, or null. */
    public @Nullable String getClient() {
      return client;
    }

    /** Names the adapter. */
    public void setClient(@Nullable String client) {
      this.client = client;
    }

    /** The API key, or null. Never log it. */
    public @Nullable String getApiKey() {
      return apiKey;
    }

    /** Sets the API key. */
    public void setApiKey(@Nullable String apiKey) {
      this.apiKey = apiKey;
    }

    /** Deadline of every call. */
    public Duration getTimeout() {
      return timeout;
    }

    /** Sets the deadline of every call. */
    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    /** The TLS settings. */
    public Tls getTls() {
      return tls;
    }

    @Override
    public String toString() {
      return "VectorStore[url="
          + StoreConfigs.maskUrl(url)
          + ", client="
          + client
          + ", apiKey="
          + secret(apiKey)
          + ", timeout="
          + timeout
          + ", tls="
          + tls
          + "]";
    }
  }

  /** The metadata store: Redis (one node, a cluster, Sentinel), or the in-process store. */
  public static class MetadataStore {
    /**
     * URL of the metadata store: memory: (the in-process store, the default),
     * redis://[user:password@]host:6379[/db], rediss://... (TLS), a cluster's seed nodes
     * redis://h1:p1,h2:p2?cluster=true, or a Sentinel group
     * redis-sentinel://h1:26379,h2:26379[/db]?sentinelMasterId=NAME (rediss-sentinel:// for TLS).
     */
    private String url = "memory:";

    /** The Redis client: auto (Lettuce before Jedis), lettuce or jedis. */
    private MetadataClient client = MetadataClient.AUTO;

    /** ACL user name; unset: the URL's user, or none. */
    private @Nullable String username;

    /** Redis password; unset: the URL's password, or none. A secret: never logged or printed. */
    private @Nullable String password;

    /** Database number; unset: the URL's path, or 0. */
    private @Nullable Integer database;

    /** Prefix of every key and channel, so that several caches can share one Redis. */
    private String keyPrefix = "vectorcache:";

    /** Name shown by CLIENT LIST; blank: none is sent. */
    private String clientName = "vectorcache";

    /** How long one command may take. */
    private Duration commandTimeout = Duration.ofSeconds(2);

    /** How long opening a connection may take. */
    private Duration connectTimeout = Duration.ofSeconds(2);

    /** TLS settings, used with rediss:// and rediss-sentinel:// URLs. */
    @NestedConfigurationProperty private final Tls tls = new Tls();

    /** The URL. */
    public String getUrl() {
      return url;
    }

    /** Sets the URL. */
    public void setUrl(String url) {
      this.url = url;
    }

    /** The Redis client choice. */
    public MetadataClient getClient() {
      return client;
    }

    /** Sets the Redis client choice. */
    public void setClient(MetadataClient client) {
      this.client = client;
    }

    /** The user name, or null. */
    public @Nullable String getUsername() {
      return username;
    }

    /** Sets the user name. */
    public void setUsername(@Nullable String username) {
      this.username = username;
    }

    /** The password, or null. Never log it. */
    public @Nullable String getPassword() {
      return password;
    }

    /** Sets the password. */
    public void setPassword(@Nullable String password) {
      this.password = password;
    }

    /** The database, or null for the URL's. */
    public @Nullable Integer getDatabase() {
      return database;
    }

    /** Sets the database. */
    public void setDatabase(@Nullable Integer database) {
      this.database = database;
    }

    /** The key prefix. */
    public String getKeyPrefix() {
      return keyPrefix;
    }

    /** Sets the key prefix. */
    public void setKeyPrefix(String keyPrefix) {
      this.keyPrefix = keyPrefix;
    }

    /** The client name. */
    public String getClientName() {
      return clientName;
    }

    /** Sets the client name. */
    public void setClientName(String clientName) {
      this.clientName = clientName;
    }

    /** The command timeout. */
    public Duration getCommandTimeout() {
      return commandTimeout;
    }

    /** Sets the command timeout. */
    public void setCommandTimeout(Duration commandTimeout) {
      this.commandTimeout = commandTimeout;
    }

    /** The connect timeout. */
    public Duration getConnectTimeout() {
      return connectTimeout;
    }

    /** Sets the connect timeout. */
    public void setConnectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
    }

    /** The TLS settings. */
    public Tls getTls() {
      return tls;
    }

    @Override
    public String toString() {
      return "MetadataStore[url="
          + StoreConfigs.maskUrl(url)
          + ", client="
          + client
          + ", username="
          + username
          + ", password="
          + secret(password)
          + ", database="
          + database
          + ", keyPrefix="
          + keyPrefix
          + ", clientName="
          + clientName
          + ", commandTimeout="
          + commandTimeout
          + ", connectTimeout="
          + connectTimeout
          + ", tls="
          + tls
          + "]";
    }
  }

  /** TLS settings of one store; TLS itself is switched on by the URL's scheme. */
  public static class Tls {
    /** PEM file of the certificate authorities to trust instead of the JVM's trust store. */
    private @Nullable Path trustedCertificates;

    /** PEM file of the client certificate chain for mutual TLS (with client-key). */
    private @Nullable Path clientCertificate;

    /** PKCS#8 PEM file of the client's private key for mutual TLS (with client-certificate). */
    private @Nullable Path clientKey;

    /** Password of an encrypted client key. A secret: never logged or printed. */
    private @Nullable String keyPassword;

    /** Whether the server certificate's host name must match the host connected to. */
    private boolean verifyHostname = true;

    /** The trusted certificates file, or null. */
    public @Nullable Path getTrustedCertificates() {
      return trustedCertificates;
    }

    /** Sets the trusted certificates file. */
    public void setTrustedCertificates(@Nullable Path trustedCertificates) {
      this.trustedCertificates = trustedCertificates;
    }

    /** The client certificate file, or null. */
    public @Nullable Path getClientCertificate() {
      return clientCertificate;
    }

    /** Sets the client certificate file. */
    public void setClientCertificate(@Nullable Path clientCertificate) {
      this.clientCertificate = clientCertificate;
    }

    /** The client key file, or null. */
    public @Nullable Path getClientKey() {
      return clientKey;
    }

    /** Sets the client key file. */
    public void setClientKey(@Nullable Path clientKey) {
      this.clientKey = clientKey;
    }

    /** The key password, or null. Never log it. */
    public @Nullable String getKeyPassword() {
      return keyPassword;
    }

    /** Sets the key password. */
    public void setKeyPassword(@Nullable String keyPassword) {
      this.keyPassword = keyPassword;
    }

    /** Whether the host name is verified. */
    public boolean isVerifyHostname() {
      return verifyHostname;
    }

    /** Sets whether the host name is verified. */
    public void setVerifyHostname(boolean verifyHostname) {
      this.verifyHostname = verifyHostname;
    }

    @Override
    public String toString() {
      return "Tls[trustedCertificates="
          + trustedCertificates
          + ", clientCertificate="
          + clientCertificate
          + ", clientKey="
          + clientKey
          + ", keyPassword="
          + secret(keyPassword)
          + ", verifyHostname="
          + verifyHostname
          + "]";
    }
  }

  /** The collection of the cache. */
  public static class Collection {
    /** Collection name: 1 to 255 of A-Z a-z 0-9 . _ - */
    private String name = "vectorcache";

    /** Dimension of the vectors, from 1 to 65536; required (the embedding model's). */
    private @Nullable Integer dimension;

    /** Similarity measure: cosine, dot, euclid or manhattan. */
    private Distance distance = Distance.COSINE;

    /**
     * Memory settings of the collection when it is created: in-memory (everything in RAM),
     * memory-optimized (memory-mapped vectors, int8 quantization rescored with the originals,
     * on-disk payload and HNSW graph) or on-disk (vectors, graph and payload on disk, no
     * quantization).
     */
    private CollectionPreset preset = CollectionPreset.IN_MEMORY;

    /**
     * Whether start-up initializes the collection: creates it when missing, verifies dimension and
     * distance when it exists. When false, the application calls initialize() itself.
     */
    private boolean initializeOnStartup = true;

    /**
     * Whether a new collection is created behind an alias: NAME__g0 with the alias NAME, so that
     * even the first embedding-model migration re-points the alias atomically. An existing
     * collection or alias is used as it is. Needs a vector store with collection aliases.
     */
    private boolean behindAlias;

    /** The name. */
    public String getName() {
      return name;
    }

    /** Sets the name. */
    public void setName(String name) {
      this.name = name;
    }

    /** The dimension, or null when unset. */
    public @Nullable Integer getDimension() {
      return dimension;
    }

    /** Sets the dimension. */
    public void setDimension(@Nullable Integer dimension) {
      this.dimension = dimension;
    }

    /** The distance. */
    public Distance getDistance() {
      return distance;
    }

    /** Sets the distance. */
    public void setDistance(Distance distance) {
      this.distance = distance;
    }

    /** The memory preset. */
    public CollectionPreset getPreset() {
      return preset;
    }

    /** Sets the memory preset. */
    public void setPreset(CollectionPreset preset) {
      this.preset = preset;
    }

    /** Whether start-up initializes the collection. */
    public boolean isInitializeOnStartup() {
      return initializeOnStartup;
    }

    /** Sets whether start-up initializes the collection. */
    public void setInitializeOnStartup(boolean initializeOnStartup) {
      this.initializeOnStartup = initializeOnStartup;
    }

    /** Whether a new collection is created behind an alias. */
    public boolean isBehindAlias() {
      return behindAlias;
    }

    /** Sets whether a new collection is created behind an alias. */
    public void setBehindAlias(boolean behindAlias) {
      this.behindAlias = behindAlias;
    }

    @Override
    public String toString() {
      return "Collection[name="
          + name
          + ", dimension="
          + dimension
          + ", distance="
          + distance
          + ", preset="
          + preset
          + ", initializeOnStartup="
          + initializeOnStartup
          + ", behindAlias="
          + behindAlias
          + "]";
    }
  }

  /** The semantic cache: LLM answers looked up by the meaning of the prompt. */
  public static class SemanticCache {
    /** Whether the SemanticCache bean is created. */
    private boolean enabled;

    /**
     * Its own collection (same dimension, distance and preset as vectorcache.collection): the
     * semantic cache clears it and sweeps entries of other models from it, so it is never shared.
     */
    private String collection = "vectorcache-semantic";

    /** Id of the embedding model that makes the vectors; required when enabled. */
    private @Nullable String modelId;

    /**
     * Threshold a semantic hit must pass, in the collection's score terms: a similarity above it
     * for cosine and dot, a distance below it for euclid and manhattan. Required when enabled.
     */
    private @Nullable Double threshold;

    /** Time to live of an answer put without one; with sliding, the idle window. */
    private Duration ttl = Duration.ofDays(1);

    /** Whether the TTL slides: each hit moves the expiry to now + ttl. */
    private boolean sliding;

    /** With sliding, the longest an answer may live from its put; unset: no bound. */
    private @Nullable Duration maxLifetime;

    /** Largest number of entries, evicted in the background beyond it (needs Redis). */
    private @Nullable Long maxEntries;

    /** Largest number of entries per scope (needs Redis). */
    private @Nullable Long maxEntriesPerScope;

    /** Which entries the size bounds evict first: lru or lfu; only with a size bound. */
    private @Nullable Eviction eviction;

    /** How many hits a semantic search asks for, so that a validator can skip some (1 to 100). */
    private int semanticCandidates = 4;

    /** Whether start-up sweeps, in the background, the entries written by other model ids. */
    private boolean sweepOtherModelsOnStart = true;

    /** Whether the bean is created. */
    public boolean isEnabled() {
      return enabled;
    }

    /** Sets whether the bean is created. */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** The collection. */
    public String getCollection() {
      return collection;
    }

    /** Sets the collection. */
    public void setCollection(String collection) {
      this.collection = collection;
    }

    /** The model id, or null. */
    public @Nullable String getModelId() {
      return modelId;
    }

    /** Sets the model id. */
    public void setModelId(@Nullable String modelId) {
      this.modelId = modelId;
    }

    /** The threshold, or null. */
    public @Nullable Double getThreshold() {
      return threshold;
    }

    /** Sets the threshold. */
    public void setThreshold(@Nullable Double threshold) {
      this.threshold = threshold;
    }

    /** The TTL. */
    public Duration getTtl() {
      return ttl;
    }

    /** Sets the TTL. */
    public void setTtl(Duration ttl) {
      this.ttl = ttl;
    }

    /** Whether the TTL slides. */
    public boolean isSliding() {
      return sliding;
    }

    /** Sets whether the TTL slides. */
    public void setSliding(boolean sliding) {
      this.sliding = sliding;
    }

    /** The maximum lifetime, or null. */
    public @Nullable Duration getMaxLifetime() {
      return maxLifetime;
    }

    /** Sets the maximum lifetime. */
    public void setMaxLifetime(@Nullable Duration maxLifetime) {
      this.maxLifetime = maxLifetime;
    }

    /** The size bound, or null. */
    public @Nullable Long getMaxEntries() {
      return maxEntries;
    }

    /** Sets the size bound. */
    public void setMaxEntries(@Nullable Long maxEntries) {
      this.maxEntries = maxEntries;
    }

    /** The per-scope size bound, or null. */
    public @Nullable Long getMaxEntriesPerScope() {
      return maxEntriesPerScope;
    }

    /** Sets the per-scope size bound. */
    public void setMaxEntriesPerScope(@Nullable Long maxEntriesPerScope) {
      this.maxEntriesPerScope = maxEntriesPerScope;
    }

    /** The eviction policy, or null. */
    public @Nullable Eviction getEviction() {
      return eviction;
    }

    /** Sets the eviction policy. */
    public void setEviction(@Nullable Eviction eviction) {
      this.eviction = eviction;
    }

    /** The semantic candidates. */
    public int getSemanticCandidates() {
      return semanticCandidates;
    }

    /** Sets the semantic candidates. */
    public void setSemanticCandidates(int semanticCandidates) {
      this.semanticCandidates = semanticCandidates;
    }

    /** Whether start-up sweeps other models' entries. */
    public boolean isSweepOtherModelsOnStart() {
      return sweepOtherModelsOnStart;
    }

    /** Sets whether start-up sweeps other models' entries. */
    public void setSweepOtherModelsOnStart(boolean sweepOtherModelsOnStart) {
      this.sweepOtherModelsOnStart = sweepOtherModelsOnStart;
    }

    @Override
    public String toString() {
      return "SemanticCache[enabled="
          + enabled
          + ", collection="
          + collection
          + ", modelId="
          + modelId
          + ", threshold="
          + threshold
          + ", ttl="
          + ttl
          + ", sliding="
          + sliding
          + ", maxLifetime="
          + maxLifetime
          + ", maxEntries="
          + maxEntries
          + ", maxEntriesPerScope="
          + maxEntriesPerScope
          + ", eviction="
          + eviction
          + ", semanticCandidates="
          + semanticCandidates
          + ", sweepOtherModelsOnStart="
          + sweepOtherModelsOnStart
          + "]";
    }
  }

  /**
   * The Spring AI beans, created when Spring AI and the vectorcache-spring-ai module are present.
   */
  public static class SpringAi {
    /** The Spring AI VectorStore over the cache (needs an EmbeddingModel bean). */
    private final VectorStoreBean vectorStore = new VectorStoreBean();

    /** The Spring AI ChatMemoryRepository on the metadata store. */
    private final ChatMemory chatMemory = new ChatMemory();

    /** The semantic-cache advisor of ChatClient (needs the semantic cache enabled). */
    private final Advisor advisor = new Advisor();

    /** The vector store bean settings. */
    public VectorStoreBean getVectorStore() {
      return vectorStore;
    }

    /** The chat memory settings. */
    public ChatMemory getChatMemory() {
      return chatMemory;
    }

    /** The advisor settings. */
    public Advisor getAdvisor() {
      return advisor;
    }

    @Override
    public String toString() {
      return "SpringAi[vectorStore="
          + vectorStore
          + ", chatMemory="
          + chatMemory
          + ", advisor="
          + advisor
          + "]";
    }
  }

  /** The Spring AI VectorStore bean. */
  public static class VectorStoreBean {
    /** Whether the Spring AI VectorStore bean is created. */
    private boolean enabled = true;

    /** Time to live of the documents it adds; unset: they never expire. */
    private @Nullable Duration ttl;

    /** Whether the bean is created. */
    public boolean isEnabled() {
      return enabled;
    }

    /** Sets whether the bean is created. */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** The TTL, or null for none. */
    public @Nullable Duration getTtl() {
      return ttl;
    }

    /** Sets the TTL. */
    public void setTtl(@Nullable Duration ttl) {
      this.ttl = ttl;
    }

    @Override
    public String toString() {
      return "VectorStoreBean[enabled=" + enabled + ", ttl=" + ttl + "]";
    }
  }

  /** The Spring AI ChatMemoryRepository bean. */
  public static class ChatMemory {
    /** Whether the ChatMemoryRepository bean is created. */
    private boolean enabled = true;

    /**
     * First part of the conversation keys (PREFIX:conversation:ID), after the metadata store's own
     * key prefix.
     */
    private String keyPrefix = "spring-ai";

    /** Time to live of a conversation, renewed by each save; unset: kept until deleted. */
    private @Nullable Duration ttl;

    /** Whether the bean is created. */
    public boolean isEnabled() {
      return enabled;
    }

    /** Sets whether the bean is created. */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** The key prefix. */
    public String getKeyPrefix() {
      return keyPrefix;
    }

    /** Sets the key prefix. */
    public void setKeyPrefix(String keyPrefix) {
      this.keyPrefix = keyPrefix;
    }

    /** The TTL, or null. */
    public @Nullable Duration getTtl() {
      return ttl;
    }

    /** Sets the TTL. */
    public void setTtl(@Nullable Duration ttl) {
      this.ttl = ttl;
    }

    @Override
    public String toString() {
      return "ChatMemory[enabled=" + enabled + ", keyPrefix=" + keyPrefix + ", ttl=" + ttl + "]";
    }
  }

  /** The semantic-cache advisor bean. */
  public static class Advisor {
    /** Whether the advisor bean is created (when the semantic cache is enabled). */
    private boolean enabled = true;

    /**
     * Order of the advisor in a ChatClient's chain (lower runs first); unset: the advisor's
     * default, just after Spring AI's chat-memory advisors.
     */
    private @Nullable Integer order;

    /** Whether the bean is created. */
    public boolean isEnabled() {
      return enabled;
    }

    /** Sets whether the bean is created. */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** The order, or null for the advisor's default. */
    public @Nullable Integer getOrder() {
      return order;
    }

    /** Sets the order. */
    public void setOrder(@Nullable Integer order) {
      this.order = order;
    }

    @Override
    public String toString() {
      return "Advisor[enabled=" + enabled + ", order=" + order + "]";
    }
  }

  /** The health indicators of the two stores. */
  public static class Health {
    /** How long a health check waits for a store's answer before reporting it DOWN. */
    private Duration timeout = Duration.ofSeconds(2);

    /** How long a result is reused before the store is asked again. */
    private Duration cacheFor = Duration.ofSeconds(10);

    /** The timeout. */
    public Duration getTimeout() {
      return timeout;
    }

    /** Sets the timeout. */
    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    /** How long a result is reused. */
    public Duration getCacheFor() {
      return cacheFor;
    }

    /** Sets how long a result is reused. */
    public void setCacheFor(Duration cacheFor) {
      this.cacheFor = cacheFor;
    }

    @Override
    public String toString() {
      return "Health[timeout=" + timeout + ", cacheFor=" + cacheFor + "]";
    }
  }
}
