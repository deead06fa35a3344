package dev.vectorcache.redis.jedis;

import java.util.function.Function;
import redis.clients.jedis.UnifiedJedis;

/**
 * One call of the store, checked and encoded on the caller's thread and ready to send: the blocking
 * form runs it at once, the async form on its executor. Bad input is so refused before a call is
 * queued, as the async port promises.
 *
 * @param op the store operation, for messages
 * @param command what to do with the client (one node, cluster or Sentinel alike)
 * @param <T> the result
 */
record JedisCall<T>(String op, Function<UnifiedJedis, T> command) {}
