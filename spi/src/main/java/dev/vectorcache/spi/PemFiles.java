package dev.vectorcache.spi;

import dev.vectorcache.core.exception.ConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Reads PEM certificates and PKCS#8 private keys (plain or encrypted) with the JDK alone. Every
 * failure is a {@link ConfigurationException} naming the setting and the file; a password is never
 * part of a message.
 */
final class PemFiles {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
  private static final List<String> KEY_ALGORITHMS =
      List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA");

  /** OID of PBES2 (RFC 8018), which the JDK names by its parameters rather than by itself. */
  private static final String PBES2_OID = "1.2.840.113549.1.5.13";

  private PemFiles() {}

  /** The X.509 certificates of a PEM file, at least one. */
  static List<X509Certificate> certificates(String field, Path file) {
    byte[] bytes = read(field, file);
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      factory
          .generateCertificates(new ByteArrayInputStream(bytes))
          .forEach(c -> out.add((X509Certificate) c));
    } catch (CertificateException e) {
      throw invalid(field, file, "PEM certificates", "unreadable (" + e.getMessage() + ")", e);
    }
    if (out.isEmpty()) {
      throw invalid(field, file, "PEM certificates", "none", null);
    }
    return out;
  }

  /**
   * The private key of a PKCS#8 PEM file ({@code BEGIN PRIVATE KEY}, or {@code BEGIN ENCRYPTED
   * PRIVATE KEY} with {@code password}).
   */
  static PrivateKey privateKey(String field, Path file, char @Nullable [] password) {
    String text = new String(read(field, file), StandardCharsets.US_ASCII);
    Matcher m = BLOCK.matcher(text);
    if (!m.find()) {
      throw invalid(field, file, "a PEM private key", "no PEM block", null);
    }
    String type = m.group(1);
    byte[] der = base64(field, file, m.group(2));
    try {
      return switch (type) {
        case "PRIVATE KEY" -> {
          if (password != null) {
            throw new ConfigurationException(
                "invalid tls.keyPassword: expected an encrypted "
                    + field
                    + ", found an unencrypted key in "
                    + file
                    + "; drop keyPassword");
          }
          yield decode(field, file, der);
        }
        case "ENCRYPTED PRIVATE KEY" -> decrypt(field, file, der, password);
        default ->
            throw invalid(
                field,
                file,
                "a PKCS#8 key (BEGIN PRIVATE KEY or BEGIN ENCRYPTED PRIVATE KEY)",
                "BEGIN " + type + "; convert it with: openssl pkcs8 -topk8 -in KEY -out KEY8",
                null);
      };
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  private static PrivateKey decrypt(
      String field, Path file, byte[] der, char @Nullable [] password) {
    if (password == null) {
      throw new ConfigurationException(
          "invalid "
              + field
              + ": "
              + file
              + " is an encrypted key and tls.keyPassword is not set; set keyPassword");
    }
    PKCS8EncodedKeySpec spec;
    try {
      EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
      String algorithm = info.getAlgName();
      if (algorithm.equals(PBES2_OID) || algorithm.equalsIgnoreCase("PBES2")) {
        // e.g. PBEWithHmacSHA256AndAES_256, what "openssl pkcs8 -topk8 -v2 aes-256-cbc" writes
        algorithm = info.getAlgParameters().toString();
      }
      PBEKeySpec pbe = new PBEKeySpec(password);
      SecretKey secret = SecretKeyFactory.getInstance(algorithm).generateSecret(pbe);
      pbe.clearPassword();
      Cipher cipher = Cipher.getInstance(algorithm);
      cipher.init(Cipher.DECRYPT_MODE, secret, info.getAlgParameters());
      spec = info.getKeySpec(cipher);
    } catch (IOException | GeneralSecurityException e) {
      // the password is not part of the message, nor of the cause (the JDK never quotes it)
      throw new ConfigurationException(
          "invalid "
              + field
              + ": cannot decrypt "
              + file
              + " with tls.keyPassword (a wrong password, or an encryption the JDK does not"
              + " support: "
              + e.getClass().getSimpleName()
              + ")",
          e);
    }
    return decode(field, file, spec.getEncoded());
  }

  private static PrivateKey decode(String field, Path file, byte[] pkcs8) {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        // not this algorithm: try the next one
      }
    }
    throw invalid(field, file, "an RSA, EC or EdDSA PKCS#8 key", "a key none of them reads", null);
  }

  private static byte[] base64(String field, Path file, String body) {
    try {
      return Base64.getMimeDecoder().decode(body.trim());
    } catch (IllegalArgumentException e) {
      throw invalid(field, file, "base64 between the PEM lines", "invalid base64", e);
    }
  }

  private static byte[] read(String field, Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw invalid(field, file, "a readable PEM file", e.getClass().getSimpleName(), e);
    }
  }

  static ConfigurationException invalid(
      String field, Path file, String expected, String found, @Nullable Throwable cause) {
    return new ConfigurationException(
        "invalid " + field + " (" + file + "): expected " + expected + ", found " + found, cause);
  }
}
