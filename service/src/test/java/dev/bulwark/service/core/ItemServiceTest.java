package dev.bulwark.service.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.resilience.Resilient;
import dev.bulwark.resilience.redis.ResilientRedis;
import dev.bulwark.service.api.Item;
import dev.bulwark.service.cache.ItemCache;
import dev.bulwark.service.db.CacheOutboxDao;
import dev.bulwark.service.db.ItemDao;
import dev.bulwark.service.db.StoredItem;
import dev.bulwark.service.testing.Ports;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import dev.bulwark.resilience.DependencyUnavailableException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/**
 * Which units are re-run after their connection died mid-statement: reads and the upsert (idempotent)
 * are, the delete (its outcome would be unknown) is not. The DAO here is an in-memory implementation
 * of our own interface whose first statements fail the way a dropped connection does.
 */
class ItemServiceTest {

    private final AtomicInteger statements = new AtomicInteger();
    private RedisClient absentRedis;
    private ItemService service;

    @BeforeEach
    void serviceWithAFlakyConnection() {
        int closedPort = Ports.freeLoopbackPort();
        absentRedis = RedisClient.builder().hostAndPort("127.0.0.1", closedPort)
                .clientConfig(DefaultJedisClientConfig.builder().timeoutMillis(100).build()).build();
        Resilient none = Resilient.builder("redis").withMaxRetries(0).build();
        ItemCache cache = new ItemCache(new ResilientRedis(absentRedis, none),
                new ObjectMapper().findAndRegisterModules(), 60);
        Resilient database = Resilient.builder("database").withMaxRetries(3)
                .withBackoff(Duration.ofMillis(1), Duration.ofMillis(1)).withJitter(0).build();
        service = new ItemService(new FirstStatementFails(), cache, database);
    }

    @AfterEach
    void closeRedis() {
        absentRedis.close();
    }

    @Test
    void shouldRerunAnUpsertWhoseConnectionDiedMidStatement() {
        StoredItem stored = service.put("a", "widget", 1);

        assertThat(stored.item().name()).isEqualTo("widget");
        assertThat(statements).hasValue(2);
    }

    @Test
    void shouldRerunAReadWhoseConnectionDiedMidStatement() {
        assertThat(service.get("a").item()).isPresent();
        assertThat(statements).hasValue(2);
    }

    @Test
    void shouldNeverRerunADeleteOnceItsStatementWasSent() {
        assertThatThrownBy(() -> service.delete("a"))
                .isInstanceOfSatisfying(DependencyUnavailableException.class, e ->
                        assertThat(e.reason()).isEqualTo(DependencyUnavailableException.Reason.OUTCOME_UNKNOWN))
                .hasCauseInstanceOf(UnableToExecuteStatementException.class);

        assertThat(statements).hasValue(1);
    }

    /** Every first statement dies as a dropped connection does (SQLState 08006); later ones succeed. */
    private final class FirstStatementFails implements ItemDao {
        private final Item item = new Item("a", "widget", 1, 1, Instant.EPOCH);

        private void statement() {
            if (statements.incrementAndGet() == 1) {
                throw new UnableToExecuteStatementException(
                        new SQLException("An I/O error occurred while sending to the backend.", "08006"), null);
            }
        }

        @Override
        public Optional<Item> find(String id) {
            statement();
            return Optional.of(item);
        }

        @Override
        public StoredItem upsert(String id, String name, int quantity) {
            statement();
            return new StoredItem(new Item(id, name, quantity, 1, Instant.EPOCH), true);
        }

        @Override
        public boolean delete(String id) {
            statement();
            return true;
        }

        @Override
        public List<Item> page(String after, int limit) {
            statement();
            return List.of(item);
        }

        // The outbox rides in the write's own statement here; CacheOutboxIT is about it.
        @Override
        public StoredItem upsertInvalidating(String id, String name, int quantity) {
            return upsert(id, name, quantity);
        }

        @Override
        public boolean deleteInvalidating(String id, long deletedVersion) {
            return delete(id);
        }

        @Override
        public CacheOutboxDao outbox() {
            throw new AssertionError("the service reaches the outbox only through the *Invalidating statements");
        }
    }
}
