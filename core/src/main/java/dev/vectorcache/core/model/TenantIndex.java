package dev.vectorcache.core.model;

import dev.vectorcache.core.exception.InvalidInputException;
import java.util.Objects;

/**
 * A payload index on the field that names a point's tenant, created with Qdrant's {@code
 * is_tenant=true}: Qdrant then stores each tenant's points together and builds its search index per
 * tenant, so that a search filtered on one tenant reads that tenant's data only. Only keyword and
 * UUID indexes have {@code is_tenant} in Qdrant.
 *
 * @param field the payload field holding the tenant id
 * @param type {@link PayloadSchemaType#KEYWORD} or {@link PayloadSchemaType#UUID}
 */
public record TenantIndex(String field, PayloadSchemaType type) {

  /** Checks the field and the type. */
  public TenantIndex {
    if (field == null || field.isBlank()) {
      throw new InvalidInputException("tenantIndex.field", "a non-blank payload key path", field);
    }
    Objects.requireNonNull(type, "type");
    if (type != PayloadSchemaType.KEYWORD && type != PayloadSchemaType.UUID) {
      throw new InvalidInputException(
          "tenantIndex.type",
          "KEYWORD or UUID (Qdrant has is_tenant on keyword and uuid indexes only)",
          type);
    }
  }

  /** A keyword tenant index on {@code field}. */
  public static TenantIndex keyword(String field) {
    return new TenantIndex(field, PayloadSchemaType.KEYWORD);
  }
}
