package dev.bulwark.service.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.service.api.Item;
import dev.bulwark.service.testing.TestBackends;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link ItemDao} against a real PostgreSQL migrated by {@link SchemaMigrator}. */
class ItemDaoIT {

    private static Jdbi jdbi;
    private static ItemDao dao;

    @BeforeAll
    static void migrate() throws Exception {
        TestBackends backends = TestBackends.shared();
        backends.migrate();
        // Running it again must be a no-op, as on every restart of the service.
        backends.migrate();
        jdbi = backends.jdbi();
        dao = jdbi.onDemand(ItemDao.class);
    }

    @Test
    void shouldCreateAtVersion1AndReplaceWithTheNextVersion() {
        String id = newId();

        StoredItem created = dao.upsert(id, "first", 1);
        StoredItem replaced = dao.upsert(id, "second", 2);

        assertThat(created.created()).isTrue();
        assertThat(created.item().version()).isEqualTo(1);
        assertThat(replaced.created()).isFalse();
        assertThat(replaced.item().version()).isEqualTo(2);
        assertThat(replaced.item().updatedAt()).isAfterOrEqualTo(created.item().updatedAt());
        assertThat(dao.find(id)).contains(replaced.item());
    }

    @Test
    void shouldLeaveExactlyOneRowWhenTheSameIdIsWrittenConcurrently() throws Exception {
        String id = newId();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<StoredItem>> writes = IntStream.range(0, 40)
                    .mapToObj(i -> (Callable<StoredItem>) () -> dao.upsert(id, "w" + i, i)).toList();
            List<StoredItem> results = pool.invokeAll(writes).stream().map(ItemDaoIT::join).toList();

            assertThat(results).filteredOn(StoredItem::created).hasSize(1);
            assertThat(results).extracting(r -> r.item().version()).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 40).mapToObj(v -> (long) v).toList());
            int rows = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM items WHERE id = :id")
                    .bind("id", id).mapTo(Integer.class).one());
            assertThat(rows).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldDeleteOnce() {
        String id = newId();
        dao.upsert(id, "x", 1);

        assertThat(dao.delete(id)).isTrue();
        assertThat(dao.delete(id)).isFalse();
        assertThat(dao.find(id)).isEmpty();
    }

    @Test
    void shouldPageInByteOrderOfIds() {
        String prefix = "ord" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = List.of(prefix + "-B", prefix + "-_", prefix + "-a", prefix + "-b");
        ids.forEach(id -> dao.upsert(id, "p", 1));

        List<Item> page = dao.page(prefix, 4);

        // "C" collation: uppercase before '_' before lowercase, whatever the database's locale.
        assertThat(page).extracting(Item::id).containsExactlyElementsOf(ids);
    }

    @Test
    void shouldRefuseRowsThatBreakTheSchemaEvenIfTheApiIsBypassed() {
        assertThatThrownBy(() -> dao.upsert(newId(), "neg", -1)).isInstanceOf(UnableToExecuteStatementException.class);
        assertThatThrownBy(() -> dao.upsert("bad id", "x", 1)).isInstanceOf(UnableToExecuteStatementException.class);
        assertThatThrownBy(() -> dao.upsert(newId(), "", 1)).isInstanceOf(UnableToExecuteStatementException.class);
    }

    private static String newId() {
        return "dao-" + UUID.randomUUID();
    }

    private static <T> T join(Future<T> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
