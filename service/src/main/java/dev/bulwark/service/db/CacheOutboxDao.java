package dev.bulwark.service.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * SQL for the {@code cache_invalidations} outbox (schema in {@code migrations.xml}): one row per item id
 * whose cache invalidation may not have reached Redis, holding the highest version to invalidate. Times
 * are PostgreSQL's clock, the one clock every instance shares. Each abstract method is one statement. Thread-safe
 * when attached on demand ({@code jdbi.onDemand}).
 */
public interface CacheOutboxDao {

    /** The start of an insert of owed invalidations: {@code INSERT INTO cache_invalidations (id, version, ...)}. */
    String OWE = "INSERT INTO cache_invalidations (id, version, pending_since, written_at) ";
    /** The end of an insert of owed invalidations: a row already owed keeps the higher version. */
    String KEEP_HIGHEST = "ON CONFLICT (id) DO UPDATE SET "
            + "version = GREATEST(cache_invalidations.version, excluded.version), written_at = excluded.written_at";

    /**
     * Records that {@code version} of the item must be invalidated, keeping the highest version recorded and
     * the time the row first appeared. Meant to run in the transaction of the write it stands for.
     */
    @SqlUpdate(OWE + "VALUES (:id, :version, clock_timestamp(), clock_timestamp()) " + KEEP_HIGHEST)
    void record(@Bind("id") String id, @Bind("version") long version);

    /**
     * Removes the rows {@code ids[i]} whose version is at most {@code versions[i]}, in one statement: the rows a
     * relay has just delivered to Redis, unless a later write has since owed a higher version.
     *
     * @return how many rows were removed
     */
    @SqlUpdate("DELETE FROM cache_invalidations owed USING unnest(:ids, :versions) AS delivered(id, version) "
            + "WHERE owed.id = delivered.id AND owed.version <= delivered.version")
    int forget(@Bind("ids") String[] ids, @Bind("versions") long[] versions);

    /** Up to {@code limit} rows that have been pending for over {@code graceMillis}, oldest first. */
    @SqlQuery("SELECT id, version FROM cache_invalidations "
            + "WHERE pending_since < clock_timestamp() - make_interval(secs => :graceMillis / 1000.0) "
            + "ORDER BY pending_since LIMIT :limit")
    @RegisterConstructorMapper(PendingInvalidation.class)
    List<PendingInvalidation> due(@Bind("graceMillis") long graceMillis, @Bind("limit") int limit);

    /** Deletes up to {@code limit} rows last written over {@code ageSeconds} ago; returns how many. */
    @SqlUpdate("DELETE FROM cache_invalidations WHERE id IN (SELECT id FROM cache_invalidations "
            + "WHERE written_at < clock_timestamp() - make_interval(secs => :ageSeconds) LIMIT :limit)")
    int prune(@Bind("ageSeconds") long ageSeconds, @Bind("limit") int limit);

    /** The highest version recorded for {@code id}, if a row is pending (for tests and operators). */
    @SqlQuery("SELECT version FROM cache_invalidations WHERE id = :id")
    Optional<Long> pendingVersion(@Bind("id") String id);
}
