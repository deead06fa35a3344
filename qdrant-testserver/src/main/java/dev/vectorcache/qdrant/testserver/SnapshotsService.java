package dev.vectorcache.qdrant.testserver;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import dev.vectorcache.core.exception.CollectionNotFoundException;
import dev.vectorcache.core.port.VectorStore;
import dev.vectorcache.inmemory.InMemoryVectorStore;
import dev.vectorcache.inmemory.RestoredSnapshot;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.PayloadSchemaInfo;
import io.qdrant.client.grpc.SnapshotsGrpc;
import io.qdrant.client.grpc.SnapshotsService.CreateFullSnapshotRequest;
import io.qdrant.client.grpc.SnapshotsService.CreateSnapshotRequest;
import io.qdrant.client.grpc.SnapshotsService.CreateSnapshotResponse;
import io.qdrant.client.grpc.SnapshotsService.DeleteFullSnapshotRequest;
import io.qdrant.client.grpc.SnapshotsService.DeleteSnapshotRequest;
import io.qdrant.client.grpc.SnapshotsService.DeleteSnapshotResponse;
import io.qdrant.client.grpc.SnapshotsService.ListFullSnapshotsRequest;
import io.qdrant.client.grpc.SnapshotsService.ListSnapshotsRequest;
import io.qdrant.client.grpc.SnapshotsService.ListSnapshotsResponse;
import io.qdrant.client.grpc.SnapshotsService.SnapshotDescription;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * qdrant.Snapshots over the embedded engine's snapshot files ({@link
 * InMemoryVectorStore#snapshot(String, Path, Map)}), laid out as Qdrant lays them out: collection
 * snapshots in {@code <dir>/<collection>/<collection>-<peer id>-<YYYY-MM-DD-HH-MM-SS>.snapshot},
 * full snapshots in {@code <dir>/full-snapshot-<YYYY-MM-DD-HH-MM-SS>.snapshot}, each with its
 * SHA-256 in a {@code .checksum} file beside it. Two snapshots taken in the same second get the
 * same name, and the second replaces the first, as in Qdrant.
 *
 * <p>Each collection snapshot also holds what the server keeps beside the engine (the original
 * CreateCollection request and the payload schema), so that a restored collection answers Get as it
 * did.
 */
final class SnapshotsService extends SnapshotsGrpc.SnapshotsImplBase {
  /** Qdrant's file-name timestamp, in UTC. */
  static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);

  static final String FULL_PREFIX = "full-snapshot";
  static final String SUFFIX = ".snapshot";
  static final String CHECKSUM_SUFFIX = ".checksum";

  /** Attachment: the CreateCollection request the collection was created with. */
  static final String CREATE_REQUEST = "qdrant-testserver/create-collection";

  /** Attachment: the payload schema, as a CollectionInfo holding only its payload_schema map. */
  static final String PAYLOAD_SCHEMA = "qdrant-testserver/payload-schema";

  private final ServerState state;
  private final Path directory;
  private final long peerId;

  SnapshotsService(ServerState state, Path directory, long peerId) {
    this.state = state;
    this.directory = directory;
    this.peerId = peerId;
  }

  // ---- collection snapshots ----

  @Override
  public void create(
      CreateSnapshotRequest request, StreamObserver<CreateSnapshotResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          InMemoryVectorStore engine = engine();
          String name = existing(engine, request.getCollectionName());
          Path file =
              collectionDirectory(name)
                  .resolve(name + "-" + peerId + "-" + STAMP.format(Instant.now()) + SUFFIX);
          synchronized (this) {
            dev.vectorcache.inmemory.SnapshotDescription written =
                engine.snapshot(name, file, attachments(name));
            writeChecksum(file, written.checksum());
          }
          return CreateSnapshotResponse.newBuilder()
              .setSnapshotDescription(describe(file))
              .setTime(ServerState.seconds(start))
              .build();
        });
  }

  @Override
  public void list(ListSnapshotsRequest request, StreamObserver<ListSnapshotsResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          String name = existing(engine(), request.getCollectionName());
          return ListSnapshotsResponse.newBuilder()
              .addAllSnapshotDescriptions(list(collectionDirectory(name)))
              .setTime(ServerState.seconds(start))
              .build();
        });
  }

  @Override
  public void delete(
      DeleteSnapshotRequest request, StreamObserver<DeleteSnapshotResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          String name = existing(engine(), request.getCollectionName());
          delete(collectionDirectory(name), request.getSnapshotName());
          return DeleteSnapshotResponse.newBuilder().setTime(ServerState.seconds(start)).build();
        });
  }

  // ---- full snapshots ----

  @Override
  public void createFull(
      CreateFullSnapshotRequest request, StreamObserver<CreateSnapshotResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          InMemoryVectorStore engine = engine();
          Path file = directory.resolve(FULL_PREFIX + "-" + STAMP.format(Instant.now()) + SUFFIX);
          synchronized (this) {
            dev.vectorcache.inmemory.SnapshotDescription written =
                engine.snapshotAll(file, this::attachments);
            writeChecksum(file, written.checksum());
          }
          return CreateSnapshotResponse.newBuilder()
              .setSnapshotDescription(describe(file))
              .setTime(ServerState.seconds(start))
              .build();
        });
  }

  @Override
  public void listFull(
      ListFullSnapshotsRequest request, StreamObserver<ListSnapshotsResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          engine();
          return ListSnapshotsResponse.newBuilder()
              .addAllSnapshotDescriptions(list(directory))
              .setTime(ServerState.seconds(start))
              .build();
        });
  }

  @Override
  public void deleteFull(
      DeleteFullSnapshotRequest request, StreamObserver<DeleteSnapshotResponse> observer) {
    StatusMapper.answer(
        observer,
        () -> {
          long start = System.nanoTime();
          engine();
          delete(directory, request.getSnapshotName());
          return DeleteSnapshotResponse.newBuilder().setTime(ServerState.seconds(start)).build();
        });
  }

  // ---- files ----

  private InMemoryVectorStore engine() {
    return engine(state.store());
  }

  /** The embedded engine behind the server, or UNIMPLEMENTED naming the store there is. */
  static InMemoryVectorStore engine(VectorStore store) {
    if (store instanceof InMemoryVectorStore engine) {
      return engine;
    }
    throw Status.UNIMPLEMENTED
        .withDescription(
            "snapshots need the embedded engine (InMemoryVectorStore) as the backing store of the"
                + " vectorcache Qdrant test server; this one runs on "
                + store.getClass().getSimpleName())
        .asRuntimeException();
  }

  private static String existing(InMemoryVectorStore engine, String name) {
    if (!engine.collectionExists(name)) {
      throw new CollectionNotFoundException(name);
    }
    return name;
  }

  /** {@code <dir>/<collection>}; a name such as {@code ..} that leaves the directory is refused. */
  private Path collectionDirectory(String name) {
    Path dir = directory.resolve(name).normalize();
    if (!directory.normalize().equals(dir.getParent())) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "Wrong input: collection name `" + name + "` cannot name a snapshot directory")
          .asRuntimeException();
    }
    return dir;
  }

  private static void writeChecksum(Path file, String sha256) {
    try {
      Files.writeString(checksumFile(file), sha256, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the checksum of " + file, e);
    }
  }

  private static Path checksumFile(Path file) {
    return file.resolveSibling(file.getFileName() + CHECKSUM_SUFFIX);
  }

  /** The {@code .snapshot} files of {@code dir}, by name; none when it does not exist. */
  private static List<SnapshotDescription> list(Path dir) {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path p : entries) {
        if (Files.isRegularFile(p)) {
          files.add(p);
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the snapshots in " + dir, e);
    }
    files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    List<SnapshotDescription> out = new ArrayList<>(files.size());
    for (Path p : files) {
      out.add(describe(p));
    }
    return out;
  }

  /**
   * As Qdrant describes a snapshot file: its name, its creation time (whole seconds), its size and
   * the SHA-256 of its {@code .checksum} file when there is one.
   */
  private static SnapshotDescription describe(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      SnapshotDescription.Builder d =
          SnapshotDescription.newBuilder()
              .setName(String.valueOf(file.getFileName()))
              .setCreationTime(
                  Timestamp.newBuilder().setSeconds(a.creationTime().toInstant().getEpochSecond()))
              .setSize(a.size());
      Path checksum = checksumFile(file);
      if (Files.isRegularFile(checksum)) {
        d.setChecksum(Files.readString(checksum, StandardCharsets.US_ASCII).trim());
      }
      return d.build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the snapshot " + file, e);
    }
  }

  /** Qdrant's answer for a name that is not a snapshot file of {@code dir}: NOT_FOUND. */
  private static void delete(Path dir, String snapshotName) {
    Path file = dir.resolve(snapshotName).normalize();
    if (snapshotName.isEmpty()
        || !dir.normalize().equals(file.getParent())
        || !Files.isRegularFile(file)) {
      throw Status.NOT_FOUND
          .withDescription("Not found: Snapshot " + snapshotName + " not found")
          .asRuntimeException();
    }
    try {
      Files.delete(file);
      Files.deleteIfExists(checksumFile(file));
    } catch (NoSuchFileException e) {
      throw Status.NOT_FOUND
          .withDescription("Not found: Snapshot " + snapshotName + " not found")
          .asRuntimeException();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the snapshot " + file, e);
    }
  }

  // ---- the server's own state of a collection ----

  /** What the server keeps beside the engine for {@code collection}, as attachments. */
  private Map<String, byte[]> attachments(String collection) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    CreateCollection created = state.configs().get(collection);
    if (created != null) {
      out.put(CREATE_REQUEST, created.toByteArray());
    }
    Map<String, PayloadSchemaInfo> schema = state.payloadSchema(collection);
    out.put(
        PAYLOAD_SCHEMA,
        CollectionInfo.newBuilder().putAllPayloadSchema(schema).build().toByteArray());
    return out;
  }

  /** Puts back the server's state of the collections {@code restored} brought back. */
  static void reinstate(ServerState state, RestoredSnapshot restored) {
    for (String name : restored.collections()) {
      Map<String, byte[]> a = restored.attachments(name);
      try {
        byte[] created = a.get(CREATE_REQUEST);
        if (created != null) {
          CreateCollection request =
              CreateCollection.parseFrom(created).toBuilder().setCollectionName(name).build();
          state.configs().put(name, request);
        } else {
          state.configs().remove(name);
        }
        Map<String, PayloadSchemaInfo> schema = state.payloadSchema(name);
        schema.clear();
        byte[] info = a.get(PAYLOAD_SCHEMA);
        if (info != null) {
          schema.putAll(CollectionInfo.parseFrom(info).getPayloadSchemaMap());
        }
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException(
            "the test server's state of collection " + name + " in the snapshot is damaged", e);
      }
    }
  }
}
