package dev.vectorcache.testkit.redis;

import dev.vectorcache.core.exception.InvalidInputException;
import dev.vectorcache.testkit.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link RedisCluster} and a {@link RedisSentinelGroup} share in their options: TLS, the
 * default user's password and extra ACL users. Immutable; every {@code with...} returns a copy.
 */
final class NodeSettings {
  static final NodeSettings DEFAULT =
      new NodeSettings(false, RedisTls.ClientAuth.REQUIRED, null, List.of(), null);

  /** An ACL user set on every data node; the password never shows in {@link #toString()}. */
  record AclUser(String name, String password, List<String> rules) {
    AclUser {
      rules = List.copyOf(rules);
    }

    /** The {@code user} directive: the rules as given, then the password. */
    String configLine() {
      StringBuilder sb = new StringBuilder("user ").append(quote(name));
      for (String rule : rules) {
        sb.append(' ').append(quote(rule));
      }
      return sb.append(' ').append(quote(">" + password)).toString();
    }

    @Override
    public String toString() {
      return "AclUser[" + name + " " + rules + " password ****]";
    }
  }

  final boolean tls;
  final RedisTls.ClientAuth clientAuth;
  final @Nullable String password;
  final List<AclUser> aclUsers;
  final @Nullable TestCertificates certificates;

  private NodeSettings(
      boolean tls,
      RedisTls.ClientAuth clientAuth,
      @Nullable String password,
      List<AclUser> aclUsers,
      @Nullable TestCertificates certificates) {
    this.tls = tls;
    this.clientAuth = clientAuth;
    this.password = password;
    this.aclUsers = List.copyOf(aclUsers);
    this.certificates = certificates;
  }

  NodeSettings withTls(boolean on) {
    return new NodeSettings(on, clientAuth, password, aclUsers, certificates);
  }

  NodeSettings withClientAuth(RedisTls.ClientAuth auth) {
    Objects.requireNonNull(auth, "clientAuth");
    return new NodeSettings(tls, auth, password, aclUsers, certificates);
  }

  NodeSettings withCertificates(TestCertificates certs) {
    Objects.requireNonNull(certs, "certificates");
    return new NodeSettings(tls, clientAuth, password, aclUsers, certs);
  }

  NodeSettings withPassword(@Nullable String pass) {
    if (pass != null) {
      checkText("password", pass, true);
    }
    return new NodeSettings(tls, clientAuth, pass, aclUsers, certificates);
  }

  NodeSettings withAclUser(String name, String pass, List<String> rules) {
    checkText("aclUser name", name, false);
    if (name.equals("default")) {
      // the harness controls every node as the default user: set its password with password()
      throw new InvalidInputException(
          "aclUser name", "a user other than 'default'", name, "use password(...)");
    }
    checkText("aclUser password", pass, true);
    Objects.requireNonNull(rules, "rules");
    for (String rule : rules) {
      checkText("aclUser rule", rule, false);
    }
    List<AclUser> users = new ArrayList<>();
    for (AclUser u : aclUsers) {
      if (!u.name().equals(name)) {
        users.add(u);
      }
    }
    users.add(new AclUser(name, pass, rules));
    return new NodeSettings(tls, clientAuth, password, users, certificates);
  }

  /** {@code requirepass}, {@code masterauth} and the {@code user} lines of a data node. */
  List<String> dataNodeLines() {
    List<String> lines = new ArrayList<>();
    if (password != null) {
      lines.add("requirepass " + quote(password));
      // replicas authenticate to their primary as the default user
      lines.add("masterauth " + quote(password));
    }
    for (AclUser u : aclUsers) {
      lines.add(u.configLine());
    }
    return lines;
  }

  /**
   * Makes (or takes) the certificates when TLS is on.
   *
   * @return the TLS setup; {@link TlsSetup#tls()} is null for plain text
   */
  TlsSetup prepareTls(String dirPrefix) {
    if (!tls) {
      return new TlsSetup(null, null);
    }
    if (certificates != null) {
      return new TlsSetup(new RedisTls(certificates, clientAuth, false), null);
    }
    Path dir;
    try {
      dir = Files.createTempDirectory(dirPrefix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for test certificates", e);
    }
    try {
      return new TlsSetup(new RedisTls(TestCertificates.generate(dir), clientAuth, false), dir);
    } catch (RuntimeException e) {
      Control.deleteTree(dir);
      throw e;
    }
  }

  @Override
  public String toString() {
    return "tls="
        + (tls ? clientAuth : "off")
        + ", password="
        + (password == null ? "none" : "****")
        + ", aclUsers="
        + aclUsers;
  }

  /**
   * The TLS settings of a started topology, and the certificate directory it made and deletes.
   *
   * @param tls the settings, or null for plain text
   * @param ownedDir the directory of certificates made for this topology, or null
   */
  record TlsSetup(@Nullable RedisTls tls, @Nullable Path ownedDir) {
    void delete() {
      if (ownedDir != null) {
        Control.deleteTree(ownedDir);
      }
    }
  }

  /** A configuration argument in double quotes, so that spaces and quotes survive. */
  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static void checkText(String field, String value, boolean secret) {
    Objects.requireNonNull(value, field);
    boolean control = value.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    boolean blank = value.isBlank() || (!secret && value.chars().anyMatch(Character::isWhitespace));
    if (control || blank) {
      // a password is never echoed; a name or rule is safe to show
      throw new InvalidInputException(
          field,
          secret
              ? "a non-blank text without control characters"
              : "a non-blank word without spaces or control characters",
          secret ? "(hidden)" : value);
    }
  }
}
